"""featureCounts tables: per-unit parsing, lane merging into the gene x sample matrix, QC summary."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence

import pandas as pd


def read_featurecounts(text: str, name_attribute: str = "gene_name") -> pd.DataFrame:
    """gene_id, gene_name, count from one featureCounts output (one BAM, --extraAttributes)."""
    table = pd.read_csv(io.StringIO(text), sep="\t", comment="#", dtype=str)
    if table.columns[0] != "Geneid" or table.shape[1] < 7:
        raise ValueError("not a featureCounts table: first column is not Geneid")
    count_column = table.columns[-1]
    if name_attribute in table.columns:
        names = table[name_attribute].fillna("")
    else:
        names = pd.Series([""] * len(table))
    names = names.where(~names.isin(["", "NA"]), table["Geneid"])
    return pd.DataFrame(
        {
            "gene_id": table["Geneid"],
            "gene_name": names.values,
            "count": table[count_column].astype("int64").values,
        }
    )


def read_featurecounts_summary(text: str) -> pd.Series:
    """Status -> reads from one featureCounts .summary file (one BAM)."""
    table = pd.read_csv(io.StringIO(text), sep="\t", dtype=str)
    return pd.Series(table.iloc[:, 1].astype("int64").values, index=table["Status"].values)


def merge_units(
    tables: Mapping[tuple[str, str], pd.DataFrame], samples: Sequence[str]
) -> pd.DataFrame:
    """gene_id, gene_name, then one raw-count column per sample (units summed), rows by gene_id."""
    by_sample: dict[str, pd.Series] = {}
    annotation = None
    for (sample, unit), table in tables.items():
        table = table.set_index("gene_id")
        if annotation is None:
            annotation = table["gene_name"]
        elif not table.index.equals(annotation.index):
            raise ValueError(f"sample {sample} unit {unit}: gene ids differ from the other units")
        counts = table["count"]
        by_sample[sample] = by_sample[sample] + counts if sample in by_sample else counts
    missing = [s for s in samples if s not in by_sample]
    if missing:
        raise ValueError(f"no featureCounts table for sample(s) {', '.join(missing)}")
    matrix = pd.DataFrame({s: by_sample[s] for s in samples}).astype("int64")
    matrix.insert(0, "gene_name", annotation)
    matrix.index.name = "gene_id"
    return matrix.sort_index().reset_index()


def merge_summaries(
    summaries: Mapping[tuple[str, str], pd.Series], samples: Sequence[str]
) -> pd.DataFrame:
    """featureCounts status x sample, units summed."""
    by_sample: dict[str, pd.Series] = {}
    for (sample, _unit), series in summaries.items():
        by_sample[sample] = by_sample[sample].add(series, fill_value=0) if sample in by_sample else series
    table = pd.DataFrame({s: by_sample[s] for s in samples}).fillna(0).astype("int64")
    table.index.name = "status"
    return table.reset_index()


def fastp_read_counts(text: str, paired: bool) -> tuple[int, int]:
    """(reads in, reads after trimming) from a fastp JSON; pairs for paired-end data."""
    summary = json.loads(text)["summary"]
    before = int(summary["before_filtering"]["total_reads"])
    after = int(summary["after_filtering"]["total_reads"])
    return (before // 2, after // 2) if paired else (before, after)


SUMMARY_COLUMNS = [
    "sample", "units", "layout", "reads_in", "reads_after_trimming", "uniquely_aligned",
    "multi_aligned", "assigned", "percent_uniquely_aligned", "percent_assigned",
    "declared_strandedness", "inferred_strandedness", "used_strandedness", "fraction_sense",
    "strandedness_warning",
]  # fmt: skip


def qc_summary(rows: Sequence[Mapping]) -> pd.DataFrame:
    """One row per sample from per-unit records.

    Each record: sample, unit, paired, reads_in, reads_after_trimming, uniquely_aligned,
    multi_aligned, assigned, declared, inferred, used, fraction_sense, warning. Reads are read
    pairs for paired-end samples, reads otherwise.
    """
    frame = pd.DataFrame(list(rows))
    out = []
    for sample, group in frame.groupby("sample", sort=False):

        def joined(column):
            values = [str(v) for v in group[column] if str(v) != ""]
            return ",".join(dict.fromkeys(values))

        totals = {
            c: int(group[c].sum())
            for c in ("reads_in", "reads_after_trimming", "uniquely_aligned", "multi_aligned", "assigned")
        }
        after = totals["reads_after_trimming"]
        out.append(
            {
                "sample": sample,
                "units": len(group),
                "layout": "paired" if group["paired"].all() else "single",
                **totals,
                "percent_uniquely_aligned": round(100 * totals["uniquely_aligned"] / after, 2) if after else 0.0,
                "percent_assigned": round(100 * totals["assigned"] / after, 2) if after else 0.0,
                "declared_strandedness": joined("declared"),
                "inferred_strandedness": joined("inferred"),
                "used_strandedness": joined("used"),
                "fraction_sense": joined("fraction_sense"),
                "strandedness_warning": "; ".join(
                    f"{u}: {w}" for u, w in zip(group["unit"], group["warning"]) if w
                ),
            }
        )
    return pd.DataFrame(out, columns=SUMMARY_COLUMNS)
