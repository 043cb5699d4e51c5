"""pydeseq2 per contrast: fit with given size factors, Wald test, lfc shrinkage, VST, tables."""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd

RESULT_COLUMNS = [
    "feature",
    "feature_name",
    "baseMean",
    "log2FoldChange",
    "lfcSE",
    "stat",
    "pvalue",
    "padj",
    "log2FoldChange_shrunk",
    "lfcSE_shrunk",
]


def _dataset_class():
    from pydeseq2.dds import DeseqDataSet

    class FixedSizeFactorDataSet(DeseqDataSet):
        """DeseqDataSet whose size factors are given (spike-ins, control features, or our own
        median of ratios) instead of refitted by every pydeseq2 step that calls
        fit_size_factors (deseq2() and vst_fit())."""

        def set_size_factors(self, factors: np.ndarray) -> None:
            self.uns["fixed_size_factors"] = np.asarray(factors, dtype=float)

        def fit_size_factors(self, fit_type=None, control_genes=None) -> None:  # noqa: ARG002
            factors = self.uns["fixed_size_factors"]
            self.obs["size_factors"] = factors
            self.layers["normed_counts"] = self.X / factors[:, None]
            self.var["_normed_means"] = self.layers["normed_counts"].mean(axis=0)

    return FixedSizeFactorDataSet


def make_dataset(counts: pd.DataFrame, metadata: pd.DataFrame, design, factors: pd.Series, threads: int = 1, **kwargs):
    """A pydeseq2 dataset from features x samples counts and per-sample metadata/size factors."""
    cls = _dataset_class()
    samples = list(counts.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=FutureWarning)
        dds = cls(
            counts=counts.T.astype(np.int64),
            metadata=metadata.loc[samples],
            design=design,
            n_cpus=max(1, int(threads)),
            quiet=True,
            **kwargs,
        )
    dds.set_size_factors(factors.loc[samples].to_numpy())
    return dds


def fit_contrast(
    counts: pd.DataFrame,
    metadata: pd.DataFrame,
    contrast: dict,
    factors: pd.Series,
    alpha: float = 0.05,
    cooks_filter: bool = True,
    independent_filter: bool = True,
    lfc_shrink: bool = True,
    threads: int = 1,
):
    """Fit DESeq2 for one contrast and return (results DataFrame indexed by feature, dds).

    Columns: baseMean, log2FoldChange, lfcSE, stat, pvalue, padj and, when lfc_shrink,
    log2FoldChange_shrunk and lfcSE_shrunk (apeGLM-style prior on the factor coefficient).
    """
    from pydeseq2.ds import DeseqStats

    from .design import coefficient_name

    dds = make_dataset(counts, metadata, contrast["design"], factors, threads=threads, refit_cooks=True)
    log = io.StringIO()
    with contextlib.redirect_stdout(log):
        dds.deseq2()
        stats = DeseqStats(
            dds,
            contrast=[contrast["factor"], contrast["test"], contrast["reference"]],
            alpha=alpha,
            cooks_filter=cooks_filter,
            independent_filter=independent_filter,
            n_cpus=max(1, int(threads)),
            quiet=True,
        )
        stats.summary()
        results = stats.results_df.copy()
        if lfc_shrink:
            coeff = coefficient_name(contrast)
            if coeff not in stats.LFC.columns:
                raise ValueError(
                    f"contrast '{contrast['name']}': design coefficient {coeff} not found "
                    f"(have {', '.join(map(str, stats.LFC.columns))})"
                )
            stats.lfc_shrink(coeff=coeff)
            results["log2FoldChange_shrunk"] = stats.results_df["log2FoldChange"]
            results["lfcSE_shrunk"] = stats.results_df["lfcSE"]
        else:
            results["log2FoldChange_shrunk"] = np.nan
            results["lfcSE_shrunk"] = np.nan
    return results, dds


def format_results(results: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """Result table in the interface layout, sorted by padj, pvalue, then feature id (NaN last)."""
    table = results.copy()
    table.index = pd.Index(table.index.astype(str)).rename(None)
    table.insert(0, "feature", table.index)
    table.insert(1, "feature_name", names.reindex(table.index).fillna(table["feature"]).to_numpy())
    for column in RESULT_COLUMNS:
        if column not in table.columns:
            table[column] = np.nan
    table = table[RESULT_COLUMNS]
    table = table.sort_values(
        ["padj", "pvalue", "feature"], ascending=True, na_position="last", kind="mergesort"
    )
    return table.reset_index(drop=True)


def write_results(table: pd.DataFrame, path) -> None:
    """Deterministic TSV: 6 significant digits, 'NA' for missing, temp name then rename."""
    from pathlib import Path

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    table.to_csv(tmp, sep="\t", index=False, float_format="%.6g", na_rep="NA")
    tmp.replace(path)


def vst(counts: pd.DataFrame, factors: pd.Series, fit_type: str = "parametric") -> pd.DataFrame:
    """Blind variance-stabilising transformation (DESeq2 vst(blind=TRUE)) with the given size
    factors; features x samples. Falls back to the mean dispersion trend when the parametric
    trend cannot be fitted (pydeseq2 does so itself and reports it)."""
    design = pd.DataFrame(1.0, index=counts.columns, columns=["Intercept"])
    meta = pd.DataFrame(index=counts.columns)
    dds = make_dataset(counts, meta, design, factors)
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        dds.vst(use_design=False, fit_type=fit_type)
    return pd.DataFrame(np.asarray(dds.layers["vst_counts"]).T, index=counts.index, columns=counts.columns)


def vst_with_design(dds) -> pd.DataFrame:
    """DESeq2 varianceStabilizingTransformation(dds, blind = FALSE) of a fitted dataset: the
    contrast's own dispersion trend (fitted with its design) applied to its normalised counts.
    Features x samples."""
    normed = np.asarray(dds.layers["normed_counts"], dtype=float)
    kind = dds.uns["disp_function_type"]
    if kind == "parametric":
        a0, a1 = (float(v) for v in dds.uns["trend_coeffs"])
        values = np.log2(
            (1 + a1 + 2 * a0 * normed + 2 * np.sqrt(a0 * normed * (1 + a1 + a0 * normed))) / (4 * a0)
        )
    elif kind == "mean":
        alpha = float(dds.uns["mean_disp"])
        values = (2 * np.arcsinh(np.sqrt(alpha * normed)) - np.log(alpha) - np.log(4)) / np.log(2)
    else:
        raise ValueError(f"no variance-stabilising transformation for a '{kind}' dispersion trend")
    return pd.DataFrame(values.T, index=pd.Index(dds.var_names, name="feature"), columns=list(dds.obs_names))


def analyse_contrast(
    counts: pd.DataFrame,
    names: pd.Series,
    samples: pd.DataFrame,
    contrast: dict,
    settings: dict,
    spikein_counts: pd.DataFrame | None = None,
    threads: int = 1,
):
    """Whole contrast: sample selection, size factors, pre-filter, pydeseq2, table, VST.

    settings: min_count, min_samples, alpha, cooks_filter, lfc_shrink, normalization (default
    method) and control_features (default list). Size factors are computed on the contrast's
    samples before the pre-filter for spike-ins and control features (so a control feature is
    never lost to the filter), after it for median of ratios (as DESeq2 users do).
    Returns (table in interface layout, VST of the tested features with the contrast's design
    and dispersion trend (DESeq2 blind = FALSE), size factors of the contrast's samples).
    """
    from . import normalize
    from .design import contrast_metadata, effective_normalization

    metadata = contrast_metadata(contrast, samples)
    sample_ids = list(metadata.index)
    sub = counts[sample_ids]
    method = effective_normalization(contrast, settings.get("normalization", "median_of_ratios"))
    controls = contrast.get("control_features") or settings.get("control_features") or []
    filtered = normalize.prefilter(sub, int(settings.get("min_count", 10)), int(settings.get("min_samples", 2)))
    if filtered.shape[0] < 2:
        raise ValueError(
            f"contrast '{contrast['name']}' ({contrast['assay']}): only {filtered.shape[0]} feature(s) pass "
            f"the pre-filter (de.min_count {settings.get('min_count')}, de.min_samples "
            f"{settings.get('min_samples')}); lower them or check the counts"
        )
    if method == "median_of_ratios":
        factors = normalize.size_factors(filtered, method)
    else:
        factors = normalize.size_factors(sub, method, spikein_counts=spikein_counts, control_features=controls)
    results, dds = fit_contrast(
        filtered,
        metadata,
        contrast,
        factors,
        alpha=float(settings.get("alpha", 0.05)),
        cooks_filter=bool(settings.get("cooks_filter", True)),
        independent_filter=True,
        lfc_shrink=bool(settings.get("lfc_shrink", True)),
        threads=threads,
    )
    table = format_results(results, names)
    return table, vst_with_design(dds), factors


def assay_size_factors(counts, method, spikein_counts=None, control_features=None):
    """Size factors for the assay-wide matrices (all samples of an assay)."""
    from . import normalize

    return normalize.size_factors(counts, method, spikein_counts=spikein_counts, control_features=control_features)
