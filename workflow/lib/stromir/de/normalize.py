"""Pre-filtering and size factors (DESeq2 median of ratios, spike-ins, control features).

Counts are features x samples. Size factors are returned as a Series indexed by sample, scaled as
DESeq2 scales them (median of ratios unscaled; poscounts to a geometric mean of 1).

When each method is right:
- median_of_ratios: most features do not change between conditions (cellular miRNA, mRNA).
- spikein: exosome / biofluid small RNA, where total miRNA content itself differs between
  conditions, so library composition cannot be assumed stable; size factors come only from
  synthetic spike-ins (e.g. cel-miR-39/54/238) added at a fixed amount per input volume.
- control_features: a known set of invariant features (e.g. reference miRNAs validated in the
  system) should anchor normalisation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def prefilter(counts: pd.DataFrame, min_count: int, min_samples: int) -> pd.DataFrame:
    """Keep features with at least min_count reads in at least min_samples samples."""
    keep = (counts >= min_count).sum(axis=1) >= min_samples
    return counts.loc[keep]


def _geometric_normalise(size_factors: pd.Series) -> pd.Series:
    return size_factors / np.exp(np.mean(np.log(size_factors)))


def median_of_ratios(counts: pd.DataFrame, features=None, source: str = "counts") -> pd.Series:
    """DESeq2 estimateSizeFactorsForMatrix: per sample, the median over features with no zero
    count of count / geometric mean of the feature. `features` restricts the features used
    (DESeq2 controlGenes). Raises ValueError if no feature is usable or a sample gets a zero or
    undefined size factor."""
    use = counts if features is None else counts.loc[counts.index.intersection(list(features))]
    if use.empty:
        raise ValueError(f"{source}: none of the normalisation features is present in the count matrix")
    with np.errstate(divide="ignore"):
        logs = np.log(use.to_numpy(dtype=float))
    logmeans = logs.mean(axis=1)
    usable = np.isfinite(logmeans)
    if not usable.any():
        raise ValueError(
            f"{source}: every normalisation feature has a zero count in some sample, so median-of-"
            f"ratios size factors are undefined; use more features or check the samples"
        )
    factors = np.exp(np.median(logs[usable] - logmeans[usable, None], axis=0))
    result = pd.Series(factors, index=counts.columns, name="size_factor")
    bad = ~np.isfinite(result) | (result <= 0)
    if bad.any():
        raise ValueError(f"{source}: sample '{result.index[bad][0]}' gets no valid size factor")
    return result


def poscounts(counts: pd.DataFrame) -> pd.Series:
    """DESeq2 type='poscounts': geometric means over positive counts only (for sparse data)."""
    values = counts.to_numpy(dtype=float)
    with np.errstate(divide="ignore"):
        logs = np.where(values > 0, np.log(np.where(values > 0, values, 1)), 0.0)
    logmeans = logs.sum(axis=1) / values.shape[1]
    usable = (values > 0).any(axis=1)
    factors = []
    for j in range(values.shape[1]):
        mask = usable & (values[:, j] > 0)
        factors.append(np.exp(np.median(logs[mask, j] - logmeans[mask])) if mask.any() else np.nan)
    result = pd.Series(factors, index=counts.columns, name="size_factor")
    if result.isna().any():
        raise ValueError(f"sample '{result.index[result.isna()][0]}' has no positive count; remove it")
    return _geometric_normalise(result)


def spikein_size_factors(spikein_counts: pd.DataFrame, samples: list[str], min_total: int = 10) -> pd.Series:
    """Size factors from spike-in counts (spike-ins x samples): median of ratios over the
    spike-ins; with a single spike-in, its count ratio. Raises ValueError naming the sample when
    a sample has fewer than min_total spike-in reads."""
    missing = [s for s in samples if s not in spikein_counts.columns]
    if missing:
        raise ValueError(f"spike-in counts: no column for sample '{missing[0]}'")
    sub = spikein_counts[samples]
    if sub.empty:
        raise ValueError("spike-in counts: no spike-in feature; set references.spikeins or use normalization: median_of_ratios")
    totals = sub.sum(axis=0)
    low = totals[totals < min_total]
    if len(low):
        raise ValueError(
            f"spike-in counts: sample '{low.index[0]}' has {int(low.iloc[0])} spike-in reads "
            f"(< {min_total}); spike-in normalisation needs spike-ins in every sample "
            f"(use normalization: median_of_ratios for this contrast)"
        )
    return median_of_ratios(sub, source="spike-in counts")


def size_factors(
    counts: pd.DataFrame,
    method: str,
    spikein_counts: pd.DataFrame | None = None,
    control_features=None,
) -> pd.Series:
    """Size factors of the samples (columns) of `counts` by the configured method.

    median_of_ratios falls back to poscounts when every feature has a zero somewhere (as
    DESeq2 users are told to do)."""
    if method == "median_of_ratios":
        if (counts > 0).all(axis=1).any():
            return median_of_ratios(counts)
        return poscounts(counts)
    if method == "spikein":
        if spikein_counts is None:
            raise ValueError("normalization spikein needs the spike-in count matrix")
        return spikein_size_factors(spikein_counts, list(counts.columns))
    if method == "control_features":
        features = list(control_features or [])
        absent = [f for f in features if f not in counts.index]
        if len(absent) == len(features):
            raise ValueError(
                f"control_features: none of {', '.join(features[:3])}... is a feature of the count "
                f"matrix; fix de.control_features / contrasts[].control_features"
            )
        return median_of_ratios(counts, features=features, source="control features")
    raise ValueError(f"unknown normalization '{method}'; use median_of_ratios, spikein or control_features")


def normalized_counts(counts: pd.DataFrame, factors: pd.Series) -> pd.DataFrame:
    return counts.div(factors[counts.columns], axis=1)
