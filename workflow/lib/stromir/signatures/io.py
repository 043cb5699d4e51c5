"""Reading the workflow's matrices and DE tables for signature scoring; atomic table writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .matching import split_matrix  # noqa: F401 (re-exported)


def read_table(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype={0: str}, keep_default_na=False, na_values=["", "NA", "nan"])


def read_assay_matrices(assays, vst_paths, count_paths, samples: pd.DataFrame) -> dict:
    """{assay: (VST values features x samples, feature names)}. Names come from the count matrix
    (gene_name for RNA-seq), since the VST matrix holds only feature ids."""
    matrices = {}
    for assay, vst_path, count_path in zip(assays, vst_paths, count_paths):
        assay_samples = samples.loc[samples["assay"] == assay, "sample"].tolist()
        vst = read_table(vst_path)
        present = [s for s in assay_samples if s in vst.columns]
        if not present:
            raise ValueError(f"{vst_path}: no column for any {assay} sample of the sample sheet")
        values, names = split_matrix(vst, present)
        counts = read_table(count_path)
        _, count_names = split_matrix(counts, [s for s in assay_samples if s in counts.columns])
        names = count_names.reindex(values.index).fillna(names)
        matrices[assay] = (values, names)
    return matrices


def read_de_tables(keys, paths) -> dict:
    """{(assay, contrast): DE table}."""
    return {tuple(key): read_table(path) for key, path in zip(keys, paths)}


def write_table(table: pd.DataFrame, path) -> None:
    """Write a TSV atomically (temp name, then rename) so a failed job leaves nothing complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    table.to_csv(tmp, sep="\t", index=False, na_rep="NA", float_format="%.6g")
    tmp.replace(path)
