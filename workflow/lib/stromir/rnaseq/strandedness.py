"""Library strandedness from the orientation of reads relative to the genes they overlap.

A read is put in read-1 orientation (read 2 of a pair is flipped). It is *sense* when that
orientation equals the strand of the gene it overlaps, *antisense* otherwise; reads that overlap
genes on both strands, or no gene, are ignored. Forward-stranded libraries (e.g. Ligation,
SOLiD) are mostly sense, reverse-stranded (TruSeq stranded, dUTP) mostly antisense, unstranded
libraries about half and half.

Names follow units.tsv: ``none``, ``forward``, ``reverse``; featureCounts codes are -s 0/1/2.
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable

STRANDEDNESS = ("none", "forward", "reverse")
FEATURECOUNTS_CODE = {"none": 0, "forward": 1, "reverse": 2}
UNDETERMINED = "undetermined"


class GeneStrandIndex:
    """Merged exon intervals per chromosome and strand, for 'which strands does this overlap'."""

    def __init__(self, exons: Iterable[tuple[str, int, int, str]]):
        """exons: (chrom, start, end, strand) with 0-based half-open coordinates."""
        by_key = defaultdict(list)
        for chrom, start, end, strand in exons:
            if strand in "+-" and end > start:
                by_key[(chrom, strand)].append((start, end))
        self._starts, self._ends = {}, {}
        for key, intervals in by_key.items():
            intervals.sort()
            merged = [list(intervals[0])]
            for start, end in intervals[1:]:
                if start <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            self._starts[key] = [s for s, _ in merged]
            self._ends[key] = [e for _, e in merged]

    def _overlaps(self, chrom: str, strand: str, start: int, end: int) -> bool:
        starts = self._starts.get((chrom, strand))
        if not starts:
            return False
        i = bisect_right(starts, end - 1) - 1
        return i >= 0 and self._ends[(chrom, strand)][i] > start

    def strands(self, chrom: str, start: int, end: int) -> set[str]:
        return {s for s in "+-" if self._overlaps(chrom, s, start, end)}


def exons_from_gtf(lines: Iterable[str], feature_type: str = "exon"):
    """(chrom, start0, end, strand) of every feature_type line of a GTF."""
    for line in lines:
        if line.startswith("#"):
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) >= 8 and fields[2] == feature_type:
            yield fields[0], int(fields[3]) - 1, int(fields[4]), fields[6]


def read1_strand(is_reverse: bool, is_read2: bool) -> str:
    """Strand of the read in read-1 orientation."""
    return "-" if is_reverse != is_read2 else "+"


def count_orientations(
    reads: Iterable[tuple[str, int, int, bool, bool]], index: GeneStrandIndex
) -> tuple[int, int]:
    """(sense, antisense) for reads given as (chrom, start0, end, is_reverse, is_read2)."""
    sense = antisense = 0
    for chrom, start, end, is_reverse, is_read2 in reads:
        strands = index.strands(chrom, start, end)
        if len(strands) != 1:
            continue
        if read1_strand(is_reverse, is_read2) in strands:
            sense += 1
        else:
            antisense += 1
    return sense, antisense


def keep_read(name: str, fraction: float) -> bool:
    """Deterministic subsample by read name (both mates of a pair agree)."""
    if fraction >= 1:
        return True
    return (zlib.crc32(name.encode()) % 1_000_000) < fraction * 1_000_000


def infer_strandedness(
    sense: int, antisense: int, threshold: float = 0.8, min_reads: int = 50
) -> dict:
    """Call the strandedness from sense/antisense read counts.

    ``forward`` when the sense fraction reaches ``threshold``, ``reverse`` when the antisense
    fraction does, ``none`` when the two fractions differ by at most ``1 - threshold``;
    ``undetermined`` in between or with fewer than ``min_reads`` informative reads.
    """
    if not 0.5 <= threshold <= 1:
        raise ValueError(f"strandedness threshold {threshold} must lie in [0.5, 1]")
    total = sense + antisense
    if total == 0:
        fraction_sense = float("nan")
    else:
        fraction_sense = sense / total
    if total < min_reads:
        call = UNDETERMINED
    elif fraction_sense >= threshold:
        call = "forward"
    elif 1 - fraction_sense >= threshold:
        call = "reverse"
    elif abs(2 * fraction_sense - 1) <= 1 - threshold:
        call = "none"
    else:
        call = UNDETERMINED
    return {
        "informative_reads": total,
        "sense_reads": sense,
        "antisense_reads": antisense,
        "fraction_sense": round(fraction_sense, 4) if total else "",
        "inferred": call,
    }


def resolve_strandedness(declared: str, inferred: str, fraction_sense="") -> tuple[str, str]:
    """The strandedness used for counting and a warning ('' if none).

    A declared value wins (it is the user's statement) but is flagged when the reads contradict
    it; ``auto`` or empty takes the inferred value, or ``none`` when inference is undetermined.
    """
    declared = (declared or "auto").strip()
    if declared not in STRANDEDNESS + ("auto",):
        raise ValueError(
            f"strandedness {declared!r} is not one of none, forward, reverse, auto (units.tsv)"
        )
    evidence = f" (sense fraction {fraction_sense})" if fraction_sense != "" else ""
    if declared == "auto":
        if inferred in STRANDEDNESS:
            return inferred, ""
        return "none", (
            f"strandedness could not be inferred{evidence}; counted as unstranded, "
            f"declare it in units.tsv"
        )
    if inferred in STRANDEDNESS and inferred != declared:
        return declared, (
            f"WARNING: declared {declared} but reads look {inferred}{evidence}; "
            f"check the strandedness column of units.tsv"
        )
    return declared, ""
