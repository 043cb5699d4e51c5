"""Per-sample signature scores on a log-scale matrix (VST or log-normalised counts).

Two scores, both signed (score of the up members minus score of the down members):

- `scanpy`: scanpy's `sc.tl.score_genes` (Satija/Tirosh control-feature score): mean of the members
  minus the mean of control features drawn from the same expression bins. Scores are in the units
  of the matrix (log2 for VST).
- `singscore`: rank-based single-sample score (Foroutan et al. 2018, BMC Bioinformatics): mean
  within-sample rank of the members, scaled to [-0.5, 0.5] by its theoretical minimum and maximum.
  It uses only within-sample ranks, so it is robust to library size and composition.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

METHODS = ("singscore", "scanpy")


def _check(values: pd.DataFrame, features: Sequence[str]) -> None:
    absent = [f for f in features if f not in values.index]
    if absent:
        raise KeyError(f"feature(s) {absent} not in the matrix")
    if not np.isfinite(values.loc[list(features)].to_numpy(dtype=float)).all():
        raise ValueError(f"non-finite values in members {list(features)}")


def singscore_one(values: pd.DataFrame, features: Sequence[str]) -> pd.Series:
    """Centred singscore of one (unsigned) feature set: 0.5 = all members at the top of the ranking."""
    features = list(dict.fromkeys(features))
    _check(values, features)
    total, n = values.shape[0], len(features)
    if n == 0 or n >= total:
        raise ValueError(f"singscore needs 0 < members < features, got {n} of {total}")
    ranks = values.rank(axis=0, method="average")
    mean_rank = ranks.loc[features].mean(axis=0) / total
    low = (n + 1) / (2 * total)
    high = (2 * total - n + 1) / (2 * total)
    return (mean_rank - low) / (high - low) - 0.5


def singscore(values: pd.DataFrame, up: Sequence[str], down: Sequence[str] = ()) -> pd.DataFrame:
    """Signed singscore per sample: columns up_score, down_score (NaN when no down set), score."""
    up_score = singscore_one(values, up) if len(up) else pd.Series(0.0, index=values.columns)
    down_score = singscore_one(values, down) if len(down) else pd.Series(np.nan, index=values.columns)
    score = up_score - down_score.fillna(0.0)
    return pd.DataFrame({"up_score": up_score, "down_score": down_score, "score": score})


def scanpy_score_one(values: pd.DataFrame, features: Sequence[str], seed: int = 0) -> pd.Series:
    """scanpy `sc.tl.score_genes` on an AnnData of samples x features, for one feature set.

    Control size and bin count shrink on small matrices (ctrl_size <= 50, at most one bin per
    ten features) so that every bin has control features.
    """
    import anndata as ad
    import scanpy as sc

    features = list(dict.fromkeys(features))
    _check(values, features)
    n_features = values.shape[0]
    n_controls = n_features - len(features)
    if n_controls < 1:
        raise ValueError("scanpy score_genes needs features outside the signature as controls")
    adata = ad.AnnData(
        X=values.T.to_numpy(dtype=float),
        obs=pd.DataFrame(index=[str(c) for c in values.columns]),
        var=pd.DataFrame(index=[str(i) for i in values.index]),
    )
    n_bins = int(max(2, min(25, n_features // 10)))
    ctrl_size = int(min(50, n_controls))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            sc.tl.score_genes(
                adata, features, ctrl_size=ctrl_size, n_bins=n_bins, random_state=seed, score_name="score"
            )
        except ValueError:
            # A bin without controls: fall back to one bin (all non-members are controls).
            sc.tl.score_genes(
                adata, features, ctrl_size=n_controls, n_bins=1, random_state=seed, score_name="score"
            )
    return pd.Series(adata.obs["score"].to_numpy(dtype=float), index=values.columns)


def scanpy_score(values: pd.DataFrame, up: Sequence[str], down: Sequence[str] = (), seed: int = 0) -> pd.DataFrame:
    """Signed scanpy score per sample: columns up_score, down_score, score (= up - down)."""
    up_score = scanpy_score_one(values, up, seed) if len(up) else pd.Series(0.0, index=values.columns)
    down_score = (
        scanpy_score_one(values, down, seed) if len(down) else pd.Series(np.nan, index=values.columns)
    )
    score = up_score - down_score.fillna(0.0)
    return pd.DataFrame({"up_score": up_score, "down_score": down_score, "score": score})


def score_signature(values: pd.DataFrame, up, down=(), method: str = "singscore", seed: int = 0):
    """Dispatch to one scoring method (see METHODS)."""
    if method == "singscore":
        return singscore(values, up, down)
    if method == "scanpy":
        return scanpy_score(values, up, down, seed)
    raise ValueError(f"unknown score method {method!r}; use one of {METHODS}")
