"""Streaming k-way merge of per-sample sorted tables into one count matrix.

Memory is O(number of samples) for the merge itself (one current row per open table); rows are
written as they complete, so no all-samples matrix of sequences is ever held in RAM. Per-sample
tables are TSV (optionally gzip) with a header, key column(s) first and an integer count column,
sorted by key (Python string order).
"""

from __future__ import annotations

import gzip
import heapq
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from . import SmallRnaInputError


def _open(path: Path):
    return gzip.open(path, "rt") if path.suffix == ".gz" else open(path)


def iter_table(path: str | Path, n_keys: int, count_column: str = "count") -> Iterator[tuple]:
    """(key tuple, count) rows of a sorted per-sample table; checks the order as it goes."""
    path = Path(path)
    with _open(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if count_column not in header:
            raise SmallRnaInputError(f"{path}: no column {count_column!r} (header {header})")
        ci = header.index(count_column)
        previous = None
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            key = tuple(fields[:n_keys])
            if previous is not None and key <= previous:
                raise SmallRnaInputError(
                    f"{path}: rows are not sorted and unique by {header[:n_keys]} at {key}; "
                    f"regenerate the table"
                )
            previous = key
            yield key, int(fields[ci])


def _tagged(path, index: int, n_keys: int, count_column: str) -> Iterator[tuple]:
    for key, count in iter_table(path, n_keys, count_column):
        yield key, index, count


def merge_tables(
    paths: Sequence[str | Path],
    samples: Sequence[str],
    out_path: str | Path,
    key_columns: Sequence[str],
    count_column: str = "count",
    all_keys: Iterable[tuple] | None = None,
) -> int:
    """Merge sorted per-sample tables into a matrix (key columns, then one column per sample).

    ``all_keys`` (sorted or not) adds rows that are zero everywhere (e.g. every reference miRNA).
    Writes to a temporary name and renames. Returns the number of rows written.
    """
    if len(paths) != len(samples):
        raise ValueError("one path per sample")
    n_keys = len(key_columns)
    streams = [_tagged(path, i, n_keys, count_column) for i, path in enumerate(paths)]
    if all_keys is not None:
        extra = sorted({tuple(k) if isinstance(k, tuple) else (k,) for k in all_keys})
        streams.append(((key, -1, 0) for key in extra))
    out_path = Path(out_path)
    tmp = out_path.with_name(out_path.name + ".tmp")
    n_rows = 0
    n = len(samples)
    with open(tmp, "w") as out:
        out.write("\t".join([*key_columns, *samples]) + "\n")
        current = None
        row = None
        for key, i, count in heapq.merge(*streams):
            if key != current:
                if current is not None:
                    out.write("\t".join(current) + "\t" + "\t".join(map(str, row)) + "\n")
                    n_rows += 1
                current = key
                row = [0] * n
            if i >= 0:
                row[i] += count
        if current is not None:
            out.write("\t".join(current) + "\t" + "\t".join(map(str, row)) + "\n")
            n_rows += 1
    os.replace(tmp, out_path)
    return n_rows


def write_sorted_counts(counts: dict, path: str | Path, key_columns: Sequence[str]) -> None:
    """Write {key or key tuple: count} sorted by key as a per-sample table (atomic)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    opener = gzip.open if path.suffix == ".gz" else open
    rows = sorted(((k if isinstance(k, tuple) else (k,)), v) for k, v in counts.items())
    with opener(tmp, "wt") as out:
        out.write("\t".join([*key_columns, "count"]) + "\n")
        for key, value in rows:
            out.write("\t".join(key) + f"\t{value}\n")
    os.replace(tmp, path)
