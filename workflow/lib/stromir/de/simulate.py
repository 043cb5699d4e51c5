"""Seeded negative-binomial count matrices with planted fold changes (for tests/benchmarks)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def nb_counts(
    n_features: int,
    groups: dict[str, list[str]],
    planted: dict[int, float],
    reference: str,
    test: str,
    seed: int = 1,
    mean_range: tuple[float, float] = (20.0, 5000.0),
    dispersion: float = 0.05,
    depth: dict[str, float] | None = None,
    prefix: str = "feat",
):
    """Counts (features x samples) drawn from NB(mu, dispersion) with log-uniform base means.

    groups maps a level to its samples; planted maps a feature index to a log2 fold change of
    `test` over `reference`; depth optionally scales each sample's expected counts (library
    size). Returns (counts DataFrame, planted effects DataFrame with feature, log2fc)."""
    rng = np.random.default_rng(seed)
    base = np.exp(rng.uniform(np.log(mean_range[0]), np.log(mean_range[1]), n_features))
    features = [f"{prefix}{i:04d}" for i in range(n_features)]
    columns = {}
    for level, samples in groups.items():
        lfc = np.zeros(n_features)
        if level == test:
            for idx, effect in planted.items():
                lfc[idx] = effect
        for sample in samples:
            mu = base * 2.0**lfc * (depth or {}).get(sample, 1.0)
            # NB as a gamma-Poisson mixture: var = mu + dispersion * mu^2
            lam = rng.gamma(shape=1.0 / dispersion, scale=mu * dispersion)
            columns[sample] = rng.poisson(lam)
    counts = pd.DataFrame(columns, index=pd.Index(features, name="feature"))
    effects = pd.DataFrame(
        {"feature": [features[i] for i in planted], "log2fc": [planted[i] for i in planted]}
    )
    return counts, effects
