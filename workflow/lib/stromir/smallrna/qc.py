"""Per-sample small-RNA QC summary: read fates, exRNA verdict (exceRpt) and miRTrace-style flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

FIXED_CLASSES = ("spikein", "miRNA", "hairpin")


def length_fraction(length_hist: Mapping[int, int], low: int = 20, high: int = 25) -> float:
    total = sum(length_hist.values())
    inside = sum(v for k, v in length_hist.items() if low <= int(k) <= high)
    return inside / total if total else 0.0


def format_lengths(length_hist: Mapping[int, int]) -> str:
    """Compact 'length:reads' list, e.g. '18:10;22:300'."""
    return ";".join(f"{int(k)}:{v}" for k, v in sorted(length_hist.items(), key=lambda kv: int(kv[0])) if v)


def summarize_sample(
    sample: str,
    trim: Mapping,
    collapse: Mapping,
    class_counts: Mapping[str, int],
    other_classes: Sequence[str],
    length_hist: Mapping[int, int],
    detected_mirnas: int,
    known_mirnas: int,
    thresholds: Mapping,
    genome_alignment: bool,
) -> dict:
    """One row of results/smallrna/qc/summary.tsv.

    Read fates partition the input: input_reads = no_umi (QIAseq: no adapter/UMI) + too_short +
    too_long + filtered_by_fastp + kept reads; kept molecules = sum of the class columns.
    ``annotated`` = miRNA + hairpin + other classes (transcriptome); the transcriptome/genome
    ratio is annotated / (annotated + genome-only), since every annotated read also maps to the
    genome. ``complexity`` = detected mature miRNAs / known mature miRNAs (miRTrace-style).
    Verdict PASS needs annotated > min_annotated_reads and, with genome alignment on, a ratio >
    min_transcriptome_genome_ratio; flags do not change the verdict.
    """
    kept = int(collapse.get("kept_molecules", 0))
    row = {
        "sample": sample,
        "input_reads": int(trim.get("input_reads", 0)),
        "adapter": trim.get("adapter", ""),
        "adapter_found": int(trim.get("adapter_found", 0)),
        "adapter_fraction": round(trim["adapter_found"] / trim["input_reads"], 4)
        if trim.get("input_reads")
        else 0.0,
        "no_umi": int(trim.get("no_umi", 0)),
        "filtered_by_fastp": int(trim.get("input_reads", 0))
        - int(trim.get("no_umi", 0))
        - int(collapse.get("trimmed_reads", 0)),
        "too_short": int(collapse.get("too_short", 0)),
        "too_long": int(collapse.get("too_long", 0)),
        "kept_reads": int(collapse.get("kept_reads", 0)),
        "umi_duplicates": int(collapse.get("umi_duplicates", 0)),
        "molecules": kept,
        "unique_sequences": int(collapse.get("unique_sequences", 0)),
    }
    for cls in (*FIXED_CLASSES, *other_classes, "genome"):
        row[cls] = int(class_counts.get(cls, 0))
    assigned = sum(row[c] for c in (*FIXED_CLASSES, *other_classes, "genome"))
    row["unassigned"] = kept - assigned
    annotated = row["miRNA"] + row["hairpin"] + sum(row[c] for c in other_classes)
    row["annotated"] = annotated
    denominator = annotated + row["genome"]
    row["transcriptome_genome_ratio"] = (
        round(annotated / denominator, 4) if genome_alignment and denominator else float("nan")
    )
    row["fraction_20_25nt"] = round(length_fraction(length_hist), 4)
    row["mirna_fraction"] = round(row["miRNA"] / kept, 4) if kept else 0.0
    row["complexity"] = round(detected_mirnas / known_mirnas, 4) if known_mirnas else 0.0
    reasons = []
    if annotated <= thresholds["min_annotated_reads"]:
        reasons.append(f"annotated<={thresholds['min_annotated_reads']}")
    if genome_alignment and not (
        denominator and annotated / denominator > thresholds["min_transcriptome_genome_ratio"]
    ):
        reasons.append(f"ratio<={thresholds['min_transcriptome_genome_ratio']}")
    row["exrna_qc"] = "FAIL" if reasons else "PASS"
    row["exrna_qc_reasons"] = ",".join(reasons)
    flags = []
    if row["fraction_20_25nt"] < thresholds["min_fraction_20_25nt"]:
        flags.append("low_20_25nt")
    if row["mirna_fraction"] < thresholds["min_mirna_fraction"]:
        flags.append("low_mirna")
    if row["complexity"] < thresholds["min_complexity"]:
        flags.append("low_complexity")
    row["mirtrace_flags"] = ",".join(flags)
    row["length_distribution"] = format_lengths(length_hist)
    return row
