"""miRNA-target integration: relate miRNA changes to their targets' mRNA changes.

Targets table (TSV, header required): `mirna` (miRBase mature name), `target` (HGNC symbol or gene
id), `source` (publication or database); other columns are kept. A miRNA represses its targets,
so the expected relation is anti-correlation: opposite signs of the two log2 fold changes, and a
negative per-sample correlation across samples paired by `biosample`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .matching import match_member

REQUIRED = ("mirna", "target", "source")
COLUMNS = [
    "mirna", "target", "source", "smallrna_contrast", "rnaseq_contrast", "mirna_feature",
    "mirna_log2FoldChange", "mirna_padj", "target_feature", "target_log2FoldChange", "target_padj",
    "expected_relation", "anticorrelated", "n_paired_samples", "paired_spearman_r",
    "paired_spearman_p", "paired_pearson_r", "note",
]


class TargetsError(ValueError):
    """A malformed targets table; str() is one line."""


def load_targets(path) -> pd.DataFrame:
    """Read and check a targets TSV (one-line errors naming the file, row and column)."""
    try:
        table = pd.read_csv(path, sep="\t", dtype=str, comment="#").fillna("")
    except FileNotFoundError:
        raise TargetsError(f"{path}: file not found; set config key signatures.targets") from None
    except pd.errors.EmptyDataError:
        raise TargetsError(f"{path}: empty; it needs a header 'mirna<TAB>target<TAB>source'") from None
    table.columns = [c.strip() for c in table.columns]
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise TargetsError(
            f"{path}: column {missing[0]!r} missing; the header must contain {', '.join(REQUIRED)} (tab-separated)"
        )
    for column in REQUIRED:
        table[column] = table[column].str.strip()
        empty = table.index[table[column] == ""]
        if len(empty):
            raise TargetsError(f"{path}: row {empty[0] + 2}, column {column!r} is empty; fill it or drop the row")
    duplicated = table.duplicated(["mirna", "target"])
    if duplicated.any():
        row = table.index[duplicated][0]
        raise TargetsError(
            f"{path}: row {row + 2}: interaction {table.at[row, 'mirna']} -> {table.at[row, 'target']} listed twice"
        )
    return table.reset_index(drop=True)


def matched_contrasts(contrasts: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs (small-RNA contrast, RNA-seq contrast) comparing the same factor levels."""
    pairs = []
    for small in (c for c in contrasts if c["assay"] == "smallrna"):
        for rna in (c for c in contrasts if c["assay"] == "rnaseq"):
            if (str(small["factor"]), str(small["test"]), str(small["reference"])) == (
                str(rna["factor"]), str(rna["test"]), str(rna["reference"])
            ):
                pairs.append((small, rna))
    return pairs


def paired_samples(samples: pd.DataFrame, smallrna: list[str], rnaseq: list[str]) -> list[tuple[str, str]]:
    """(small-RNA sample, RNA-seq sample) pairs sharing a non-empty biosample id."""
    if "biosample" not in samples.columns:
        return []
    sheet = samples.set_index("sample")
    bio = sheet["biosample"].fillna("").astype(str)
    rna_by_bio = {bio[s]: s for s in rnaseq if s in bio.index and bio[s]}
    return [(s, rna_by_bio[bio[s]]) for s in smallrna if s in bio.index and bio[s] in rna_by_bio]


def _lookup(de: pd.DataFrame, name: str):
    names = de["feature_name"] if "feature_name" in de.columns else de["feature"]
    feature, how, note = match_member(name, de["feature"].astype(str).tolist(), names.astype(str).tolist(),
                                      de["baseMean"].to_numpy(float) if "baseMean" in de.columns else None)
    if feature is None:
        return None, None
    return feature, de.set_index("feature").loc[feature]


def integrate(targets: pd.DataFrame, mirna_de: pd.DataFrame, gene_de: pd.DataFrame,
              smallrna_contrast: str, rnaseq_contrast: str, mirna_values: pd.DataFrame | None = None,
              gene_values: pd.DataFrame | None = None, pairs: list[tuple[str, str]] = ()) -> pd.DataFrame:
    """One row per interaction: both log2 fold changes, the anti-correlation flag and, for paired
    samples, the per-sample correlation of the miRNA and target values (VST)."""
    rows = []
    for _, interaction in targets.iterrows():
        row = {c: interaction[c] for c in REQUIRED}
        row.update({"smallrna_contrast": smallrna_contrast, "rnaseq_contrast": rnaseq_contrast,
                    "expected_relation": "anti-correlated"})
        notes = []
        mirna_feature, mirna = _lookup(mirna_de, interaction["mirna"])
        gene_feature, gene = _lookup(gene_de, interaction["target"])
        row["mirna_feature"] = mirna_feature
        row["target_feature"] = gene_feature
        row["mirna_log2FoldChange"] = float(mirna["log2FoldChange"]) if mirna is not None else np.nan
        row["mirna_padj"] = float(mirna["padj"]) if mirna is not None else np.nan
        row["target_log2FoldChange"] = float(gene["log2FoldChange"]) if gene is not None else np.nan
        row["target_padj"] = float(gene["padj"]) if gene is not None else np.nan
        if mirna is None:
            notes.append("miRNA not in the small-RNA DE table")
        if gene is None:
            notes.append("target not in the RNA-seq DE table")
        a, b = row["mirna_log2FoldChange"], row["target_log2FoldChange"]
        row["anticorrelated"] = bool(a * b < 0) if np.isfinite(a) and np.isfinite(b) and a * b != 0 else None
        row.update({"n_paired_samples": 0, "paired_spearman_r": np.nan, "paired_spearman_p": np.nan,
                    "paired_pearson_r": np.nan})
        if (mirna_feature is not None and gene_feature is not None and mirna_values is not None
                and gene_values is not None and pairs):
            usable = [(s, r) for s, r in pairs if s in mirna_values.columns and r in gene_values.columns]
            x = mirna_values.loc[mirna_feature, [s for s, _ in usable]].to_numpy(float) if usable else []
            y = gene_values.loc[gene_feature, [r for _, r in usable]].to_numpy(float) if usable else []
            row["n_paired_samples"] = len(usable)
            if len(usable) >= 3 and np.std(x) > 0 and np.std(y) > 0:
                from scipy import stats as st  # only here: load_targets runs at start-up

                rho = st.spearmanr(x, y)
                row["paired_spearman_r"] = float(rho.statistic)
                row["paired_spearman_p"] = float(rho.pvalue)
                row["paired_pearson_r"] = float(np.corrcoef(x, y)[0, 1])
            elif len(usable) < 3:
                notes.append("fewer than 3 paired samples: no correlation")
            else:
                notes.append("constant values: no correlation")
        elif not pairs:
            notes.append("no samples paired by biosample")
        row["note"] = "; ".join(notes)
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def integration_table(targets: pd.DataFrame, contrasts: list[dict], de_tables: dict, vst: dict,
                      samples: pd.DataFrame, contrast_samples) -> pd.DataFrame:
    """Integration rows for every pair of matched contrasts (see matched_contrasts).

    `de_tables` maps (assay, contrast name) -> DE table, `vst` maps assay -> VST values;
    `contrast_samples(samples, contrast)` returns (test, reference) sample lists.
    """
    frames = []
    for small, rna in matched_contrasts(contrasts):
        mirna_de = de_tables.get(("smallrna", small["name"]))
        gene_de = de_tables.get(("rnaseq", rna["name"]))
        if mirna_de is None or gene_de is None:
            continue
        small_samples = sum(contrast_samples(samples, small), [])
        rna_samples = sum(contrast_samples(samples, rna), [])
        pairs = paired_samples(samples, small_samples, rna_samples)
        frames.append(integrate(targets, mirna_de, gene_de, small["name"], rna["name"],
                                vst.get("smallrna"), vst.get("rnaseq"), pairs))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)
