"""Per-contrast signature tests.

1. Self-contained: the sample scores of the test group vs the reference group: difference of
   means, Hedges' g, Welch's t test and the Mann-Whitney U test (both two-sided).
2. Competitive, correlation-aware (camera-like; Wu & Smyth 2012, Nucleic Acids Res 40:e133): are
   the members' DE Wald statistics (log2 fold change / its standard error) shifted relative to all
   other tested features? Down members' statistics are sign-flipped, so a positive shift means the
   signature moves "up". The two-sample t statistic of members vs background is deflated by the
   variance inflation factor VIF = 1 + (m - 1) * rho, where rho is the mean inter-member
   correlation of the VST residuals within the contrast samples (group means removed); df = G - 2.
3. Competitive, permutation: the same shift compared with `permutations` random feature sets of
   the same size and the same number of flipped members (seeded). Ignores inter-member
   correlation, so it is anti-conservative for correlated sets: read it next to the camera p.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st

from stromir.de.design import select_samples


class ContrastError(ValueError):
    """A contrast that cannot be resolved against the sample sheet."""


def contrast_samples(samples: pd.DataFrame, contrast: dict) -> tuple[list[str], list[str]]:
    """Test and reference samples of a contrast: the same selection DE uses."""
    try:
        sheet = select_samples(contrast, samples)
    except ValueError as error:
        raise ContrastError(str(error)) from None
    if contrast["factor"] not in sheet.columns:
        raise ContrastError(f"contrast {contrast['name']!r}: factor {contrast['factor']!r} is not a samples.tsv column")
    values = sheet[contrast["factor"]].astype(str)
    test = sheet.loc[values == str(contrast["test"]), "sample"].tolist()
    reference = sheet.loc[values == str(contrast["reference"]), "sample"].tolist()
    return test, reference


def hedges_g(a, b) -> float:
    """Bias-corrected standardised mean difference (a - b) / pooled SD."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        return float("nan")
    pooled = np.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    if pooled == 0:
        return float("nan")
    correction = 1 - 3 / (4 * (n1 + n2) - 9)
    return float((a.mean() - b.mean()) / pooled * correction)


def compare_groups(test_scores, reference_scores) -> dict:
    """Group comparison of sample scores: means, difference, Hedges' g, Welch t, Mann-Whitney U."""
    a = np.asarray(test_scores, float)
    b = np.asarray(reference_scores, float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    result = {
        "n_test": len(a),
        "n_reference": len(b),
        "mean_test": float(a.mean()) if len(a) else np.nan,
        "mean_reference": float(b.mean()) if len(b) else np.nan,
    }
    result["difference"] = result["mean_test"] - result["mean_reference"]
    result["hedges_g"] = hedges_g(a, b)
    welch_t = welch_p = mw_u = mw_p = np.nan
    if len(a) >= 2 and len(b) >= 2 and (a.var() > 0 or b.var() > 0):
        welch = st.ttest_ind(a, b, equal_var=False)
        welch_t, welch_p = float(welch.statistic), float(welch.pvalue)
    if len(a) >= 1 and len(b) >= 1:
        mw = st.mannwhitneyu(a, b, alternative="two-sided")
        mw_u, mw_p = float(mw.statistic), float(mw.pvalue)
    result.update({"welch_t": welch_t, "welch_p": welch_p, "mannwhitney_u": mw_u, "mannwhitney_p": mw_p})
    return result


def residuals(values: pd.DataFrame, groups: dict) -> pd.DataFrame:
    """VST residuals: each feature minus its group mean, over the samples of `groups` (sample -> group)."""
    samples = list(groups)
    sub = values[samples]
    labels = pd.Series(groups)
    means = sub.T.groupby(labels.loc[samples].to_numpy()).transform("mean").T
    return sub - means


def inter_member_correlation(resid: pd.DataFrame, features, signs) -> float:
    """Mean pairwise correlation of the (sign-flipped) member residuals; 0 for fewer than 2."""
    features = [f for f in features if f in resid.index]
    if len(features) < 2:
        return 0.0
    flip = np.array([-1.0 if signs.get(f, "up") == "down" else 1.0 for f in features])
    x = resid.loc[features].to_numpy(float) * flip[:, None]
    x = x - x.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(x, axis=1)
    keep = norms > 0
    if keep.sum() < 2:
        return 0.0
    x = x[keep] / norms[keep, None]
    corr = x @ x.T
    m = corr.shape[0]
    return float((corr.sum() - np.trace(corr)) / (m * (m - 1)))


def _signed(statistics: pd.Series, features, signs) -> np.ndarray:
    return np.array(
        [statistics[f] * (-1.0 if signs.get(f, "up") == "down" else 1.0) for f in features], float
    )


def camera_like(statistics: pd.Series, features, signs: dict, correlation: float = 0.0) -> dict:
    """Competitive test of the members' statistics vs all other features, VIF-corrected.

    `statistics` is indexed by feature (NaN dropped); `signs` maps feature -> 'up'/'down'.
    Returns members_mean, background_mean, shift, vif, camera_t, camera_df, camera_p.
    """
    statistics = statistics.dropna()
    features = [f for f in dict.fromkeys(features) if f in statistics.index]
    m, total = len(features), len(statistics)
    out = {"n_tested_members": m, "members_mean": np.nan, "background_mean": np.nan, "shift": np.nan,
           "vif": np.nan, "camera_t": np.nan, "camera_df": np.nan, "camera_p": np.nan}
    if m < 1 or total - m < 2:
        return out
    x_set = _signed(statistics, features, signs)
    x_rest = statistics.drop(features).to_numpy(float)
    rho = correlation if m > 1 else 0.0
    rho = max(rho, -1.0 / (m - 1) + 1e-6) if m > 1 else 0.0
    vif = 1 + (m - 1) * rho
    df = total - 2
    s2 = (((x_set - x_set.mean()) ** 2).sum() + ((x_rest - x_rest.mean()) ** 2).sum()) / df
    shift = x_set.mean() - x_rest.mean()
    se = np.sqrt(s2 * (vif / m + 1 / (total - m)))
    t = shift / se if se > 0 else np.nan
    p = float(2 * st.t.sf(abs(t), df)) if np.isfinite(t) else np.nan
    out.update({"members_mean": float(x_set.mean()), "background_mean": float(x_rest.mean()),
                "shift": float(shift), "vif": float(vif), "camera_t": float(t), "camera_df": df,
                "camera_p": p})
    return out


def permutation_p(statistics: pd.Series, features, signs: dict, permutations: int, seed: int) -> float:
    """Two-sided p of the members' mean shift vs random same-size sets (same number flipped)."""
    statistics = statistics.dropna()
    features = [f for f in dict.fromkeys(features) if f in statistics.index]
    m, total = len(features), len(statistics)
    if m < 1 or total - m < 1 or permutations < 1:
        return float("nan")
    values = statistics.to_numpy(float)
    flip = np.array([-1.0 if signs.get(f, "up") == "down" else 1.0 for f in features])
    position = statistics.index.get_indexer(features)
    total_sum = values.sum()

    def shift(idx):
        chosen = values[idx] * flip
        rest_mean = (total_sum - values[idx].sum()) / (total - m)
        return chosen.mean(axis=-1) - rest_mean

    observed = shift(position)
    rng = np.random.default_rng(seed)
    null = np.empty(permutations)
    for start in range(0, permutations, 1000):
        size = min(1000, permutations - start)
        idx = np.argsort(rng.random((size, total)), axis=1)[:, :m]
        chosen = values[idx] * flip
        rest_mean = (total_sum - values[idx].sum(axis=1)) / (total - m)
        null[start : start + size] = chosen.mean(axis=1) - rest_mean
    return float((1 + np.sum(np.abs(null) >= abs(observed) - 1e-12)) / (permutations + 1))


def direction(value: float, tolerance: float = 0.0) -> str:
    """'up', 'down' or 'none' (zero or not finite)."""
    if value is None or not np.isfinite(value) or abs(value) <= tolerance:
        return "none"
    return "up" if value > 0 else "down"


def direction_matches(expected: str | None, observed: str):
    """True/False when an expectation exists, else None (reported as NA)."""
    if expected not in ("up", "down"):
        return None
    return expected == observed


def verdict(scorable: bool, expected, observed: str, p: float, alpha: float = 0.05) -> str:
    """A plain-language call for the summary table."""
    if not scorable:
        return "not scorable"
    if expected not in ("up", "down"):
        return f"{observed} (no expected direction)"
    significant = p is not None and np.isfinite(p) and p < alpha
    if expected == observed:
        return "matches expected, significant" if significant else "matches expected, not significant"
    return "opposite to expected, significant" if significant else "opposite to expected, not significant"


def bh_adjust(pvalues) -> np.ndarray:
    """Benjamini-Hochberg adjusted p values; NaN stays NaN."""
    p = np.asarray(pvalues, float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    n = ok.sum()
    if n == 0:
        return out
    values = p[ok]
    order = np.argsort(values)
    ranked = values[order] * n / np.arange(1, n + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(n)
    adjusted[order] = np.minimum(ranked, 1.0)
    out[ok] = adjusted
    return out
