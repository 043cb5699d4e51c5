"""Reading count matrices: features as rows, samples as columns, annotation columns kept apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

NAME_COLUMNS = ("gene_name", "feature_name")


def split_matrix(table: pd.DataFrame, samples: list[str], source: str = "count matrix"):
    """Split a matrix table into (counts: features x samples ints, names: feature -> name).

    The first column is the feature id; every column that is not a listed sample is annotation.
    Raises ValueError naming the file and the sample if a sample column is missing or a count is
    not a non-negative integer.
    """
    if table.shape[1] < 2:
        raise ValueError(f"{source}: needs a feature column and sample columns")
    id_column = table.columns[0]
    missing = [s for s in samples if s not in table.columns]
    if missing:
        raise ValueError(
            f"{source}: no column for sample '{missing[0]}'; the counting step must write one "
            f"column per sample of the assay"
        )
    features = table[id_column].astype(str)
    if features.duplicated().any():
        raise ValueError(f"{source}: feature '{features[features.duplicated()].iloc[0]}' appears twice")
    counts = table[samples].apply(pd.to_numeric, errors="coerce")
    bad = counts.isna() | (counts < 0) | (counts.round() != counts)
    if bad.any().any():
        sample = bad.any(axis=0).idxmax()
        raise ValueError(
            f"{source}: column '{sample}' holds a value that is not a non-negative integer count; "
            f"DE needs raw counts"
        )
    counts = counts.astype(np.int64)
    counts.index = pd.Index(features, name="feature")
    name_column = next((c for c in NAME_COLUMNS if c in table.columns), None)
    if name_column is not None:
        names = table[name_column].astype(str).replace({"": np.nan, "nan": np.nan})
        names = pd.Series(names.to_numpy(), index=counts.index).fillna(pd.Series(counts.index, index=counts.index))
    else:
        names = pd.Series(counts.index, index=counts.index)
    names.name = "feature_name"
    return counts, names


def read_count_matrix(path: str | Path, samples: list[str]):
    """Read a tab-separated count matrix; see split_matrix."""
    table = pd.read_csv(path, sep="\t", dtype={0: str}, keep_default_na=False, na_values=[""])
    return split_matrix(table, list(samples), source=str(path))


def write_matrix(frame: pd.DataFrame, path: str | Path, float_format: str = "%.6g") -> None:
    """Write a features x samples matrix atomically (temp name, then rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    frame.to_csv(tmp, sep="\t", float_format=float_format, na_rep="NA")
    tmp.replace(path)


def write_size_factors(factors: pd.Series, path: str | Path) -> None:
    """Two columns, sample and size_factor, in the order of `factors` (atomic write)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    table = pd.DataFrame({"sample": list(factors.index), "size_factor": factors.to_numpy(dtype=float)})
    table.to_csv(tmp, sep="\t", index=False, float_format="%.8g")
    tmp.replace(path)
