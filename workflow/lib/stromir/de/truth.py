"""Planted-truth evaluation of a DE table (simulated data with known differences)."""

from __future__ import annotations

import numpy as np
import pandas as pd

FEATURE_KEYS = ("feature", "mirna", "gene_id", "gene_name", "gene", "name")
EFFECT_KEYS = ("log2FC", "log2fc", "log2FoldChange", "log2_fold_change", "lfc", "effect", "log2_effect")


def _column(frame: pd.DataFrame, keys, what: str) -> str:
    for key in keys:
        if key in frame.columns:
            return key
    raise ValueError(f"planted effects: no {what} column (expected one of {', '.join(keys)})")


def evaluate_planted(
    de_table: pd.DataFrame,
    planted_effects: pd.DataFrame,
    alpha: float = 0.05,
    contrast: str | None = None,
    assay: str | None = None,
) -> dict:
    """Compare a DE table (interface columns feature, feature_name, log2FoldChange, padj) with
    planted effects (a feature column and a log2 fold-change column; optional contrast/assay
    columns select rows). A planted feature is found when padj < alpha; right_sign when its
    log2FoldChange has the planted sign. Every other tested feature with padj < alpha is a
    false positive. Planted features matched by id or by name."""
    planted = planted_effects.copy()
    if contrast is not None and "contrast" in planted.columns:
        planted = planted[planted["contrast"] == contrast]
    if assay is not None and "assay" in planted.columns:
        planted = planted[planted["assay"] == assay]
    fcol = _column(planted, FEATURE_KEYS, "feature")
    ecol = _column(planted, EFFECT_KEYS, "log2 fold change")
    planted = planted[pd.to_numeric(planted[ecol], errors="coerce").fillna(0) != 0]
    effects = dict(zip(planted[fcol].astype(str), pd.to_numeric(planted[ecol]).astype(float)))

    table = de_table.copy()
    names = table["feature_name"].astype(str) if "feature_name" in table else table["feature"].astype(str)
    key_of_row = []
    for fid, fname in zip(table["feature"].astype(str), names):
        key_of_row.append(fid if fid in effects else (fname if fname in effects else None))
    table["_planted"] = key_of_row
    significant = pd.to_numeric(table["padj"], errors="coerce").lt(alpha)

    found, right_sign, missed, wrong_sign = [], [], [], []
    for feature, effect in effects.items():
        rows = table[table["_planted"] == feature]
        hit = rows[significant.loc[rows.index]]
        if hit.empty:
            missed.append(feature)
            continue
        found.append(feature)
        if (np.sign(hit["log2FoldChange"].astype(float)) == np.sign(effect)).all():
            right_sign.append(feature)
        else:
            wrong_sign.append(feature)
    false_pos = table.loc[significant & table["_planted"].isna(), "feature"].astype(str).tolist()
    tested = int(table["padj"].notna().sum())
    return {
        "n_planted": len(effects),
        "n_planted_tested": int(table["_planted"].notna().sum()),
        "found": len(found),
        "right_sign": len(right_sign),
        "missed": sorted(missed),
        "wrong_sign": sorted(wrong_sign),
        "false_positives": len(false_pos),
        "false_positive_features": sorted(false_pos),
        "n_tested_unplanted": int((table["_planted"].isna() & table["padj"].notna()).sum()),
        "n_tested": tested,
    }
