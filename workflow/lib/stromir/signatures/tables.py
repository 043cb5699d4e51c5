"""Assemble the output tables (members, scores, tests) from the pure functions of this package.

The observed direction of a signature in a contrast is the sign of the difference of mean
singscores (test - reference); its verdict uses the Welch p of the same scores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .matching import MEMBER_COLUMNS, is_scorable, match_members, n_present, present_features
from .scoring import METHODS, score_signature
from .stats import (
    bh_adjust, camera_like, compare_groups, contrast_samples, direction, direction_matches,
    inter_member_correlation, permutation_p, residuals, verdict,
)

SCORE_COLUMNS = ["signature", "assay", "method", "sample", "cell_type", "condition", "score",
                 "up_score", "down_score", "n_present", "n_members"]
GROUP_FIELDS = ["mean_test", "mean_reference", "difference", "hedges_g", "welch_t", "welch_p",
                "mannwhitney_u", "mannwhitney_p"]
TEST_COLUMNS = (
    ["signature", "assay", "contrast", "test", "reference", "n_test", "n_reference", "n_members",
     "n_present", "min_members", "scorable", "missing_members", "expected_direction",
     "observed_direction", "direction_matches", "verdict"]
    + [f"{m}_{f}" for m in METHODS for f in GROUP_FIELDS]
    + ["members_mean_log2FoldChange", "background_mean_log2FoldChange", "n_tested_members",
       "members_mean_stat", "background_mean_stat", "stat_shift", "inter_member_correlation", "vif",
       "camera_t", "camera_p", "permutation_p", "permutations", "singscore_welch_padj", "camera_padj"]
)


def members_table(signatures, matrices: dict) -> pd.DataFrame:
    """All members of all signatures with their matched feature (absent ones flagged, never dropped)."""
    frames = []
    for signature in signatures:
        if signature.assay in matrices:
            values, names = matrices[signature.assay]
            table = match_members(signature, values, names)
        else:
            table = pd.DataFrame(
                [{"member": m.name, "sign": m.sign, "from_source": m.from_source, "feature": None,
                  "feature_name": None, "match": "missing", "present": False,
                  "note": f"no {signature.assay} samples in this run"} for m in signature.members],
                columns=MEMBER_COLUMNS,
            )
        table.insert(0, "assay", signature.assay)
        table.insert(0, "signature", signature.name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def _min_members(signature, default: int) -> int:
    return signature.min_members if signature.min_members is not None else default


def scores_table(signatures, matrices: dict, members: pd.DataFrame, samples: pd.DataFrame,
                 min_members: int, seed: int = 0) -> pd.DataFrame:
    """Per-sample scores (long format) of every scorable signature with both methods."""
    sheet = samples.set_index("sample")
    rows = []
    for signature in signatures:
        if signature.assay not in matrices:
            continue
        matched = members[members["signature"] == signature.name]
        if not is_scorable(matched, _min_members(signature, min_members)):
            continue
        values, _ = matrices[signature.assay]
        up, down = present_features(matched, "up"), present_features(matched, "down")
        for method in METHODS:
            scored = score_signature(values, up, down, method=method, seed=seed)
            for sample, result in scored.iterrows():
                rows.append({
                    "signature": signature.name, "assay": signature.assay, "method": method,
                    "sample": sample,
                    "cell_type": sheet.at[sample, "cell_type"] if "cell_type" in sheet.columns else "",
                    "condition": sheet.at[sample, "condition"] if "condition" in sheet.columns else "",
                    "score": result["score"], "up_score": result["up_score"],
                    "down_score": result["down_score"], "n_present": n_present(matched),
                    "n_members": len(matched),
                })
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def _stat_column(de: pd.DataFrame) -> pd.Series:
    if "stat" in de.columns and de["stat"].notna().any():
        stat = de["stat"]
    else:
        stat = de["log2FoldChange"] / de["lfcSE"]
    return pd.Series(stat.to_numpy(float), index=de["feature"].astype(str))


def contrast_tests(signatures, contrasts: list[dict], matrices: dict, de_tables: dict,
                members: pd.DataFrame, scores: pd.DataFrame, samples: pd.DataFrame,
                min_members: int, permutations: int, seed: int, alpha: float = 0.05) -> pd.DataFrame:
    """One row per signature x contrast of its assay: group tests, competitive tests, direction."""
    rows = []
    for signature in signatures:
        matched = members[members["signature"] == signature.name]
        needed = _min_members(signature, min_members)
        scorable = is_scorable(matched, needed)
        missing = ", ".join(matched.loc[~matched["present"], "member"])
        for contrast in (c for c in contrasts if c["assay"] == signature.assay):
            test, reference = contrast_samples(samples, contrast)
            expected = signature.expected.get(contrast["name"])
            row = {"signature": signature.name, "assay": signature.assay, "contrast": contrast["name"],
                   "test": contrast["test"], "reference": contrast["reference"],
                   "n_test": len(test), "n_reference": len(reference), "n_members": len(matched),
                   "n_present": n_present(matched), "min_members": needed, "scorable": scorable,
                   "missing_members": missing, "expected_direction": expected or "",
                   "permutations": permutations}
            if scorable and signature.assay in matrices:
                for method in METHODS:
                    sub = scores[(scores["signature"] == signature.name) & (scores["method"] == method)]
                    by_sample = sub.set_index("sample")["score"]
                    result = compare_groups(by_sample.reindex(test), by_sample.reindex(reference))
                    for field in GROUP_FIELDS:
                        row[f"{method}_{field}"] = result[field]
                de = de_tables.get((signature.assay, contrast["name"]))
                if de is not None:
                    row.update(_competitive(signature, matched, de, matrices[signature.assay][0],
                                            test, reference, permutations, seed))
            observed = direction(row.get("singscore_difference", np.nan)) if scorable else "none"
            row["observed_direction"] = observed
            row["direction_matches"] = direction_matches(expected, observed) if scorable else None
            row["verdict"] = verdict(scorable, expected, observed, row.get("singscore_welch_p", np.nan), alpha)
            rows.append(row)
    table = pd.DataFrame(rows, columns=TEST_COLUMNS)
    if len(table):
        table["singscore_welch_padj"] = bh_adjust(table["singscore_welch_p"])
        table["camera_padj"] = bh_adjust(table["camera_p"])
    return table


def _competitive(signature, matched, de, values, test, reference, permutations, seed) -> dict:
    statistics = _stat_column(de)
    lfc = pd.Series(de["log2FoldChange"].to_numpy(float), index=de["feature"].astype(str)).dropna()
    present = matched[matched["present"]].drop_duplicates("feature")
    signs = dict(zip(present["feature"], present["sign"]))
    features = [f for f in signs if f in statistics.dropna().index]
    groups = {s: "test" for s in test if s in values.columns}
    groups.update({s: "reference" for s in reference if s in values.columns})
    correlation = 0.0
    if len(groups) >= 3:
        correlation = inter_member_correlation(residuals(values, groups), features, signs)
    camera = camera_like(statistics, features, signs, correlation)
    flip = np.array([-1.0 if signs[f] == "down" else 1.0 for f in features if f in lfc.index])
    member_lfc = lfc.reindex([f for f in features if f in lfc.index]).to_numpy(float) * flip
    return {
        "members_mean_log2FoldChange": float(member_lfc.mean()) if len(member_lfc) else np.nan,
        "background_mean_log2FoldChange": float(lfc.drop(features, errors="ignore").mean()),
        "n_tested_members": camera["n_tested_members"],
        "members_mean_stat": camera["members_mean"], "background_mean_stat": camera["background_mean"],
        "stat_shift": camera["shift"], "inter_member_correlation": correlation, "vif": camera["vif"],
        "camera_t": camera["camera_t"], "camera_p": camera["camera_p"],
        "permutation_p": permutation_p(statistics, features, signs, permutations, seed),
    }
