"""Aligner parameters and parsers of aligner logs (STAR Log.final.out, HISAT2 --new-summary)."""

from __future__ import annotations

import math
import re


def genome_length_from_fai(lines) -> int:
    return sum(int(line.split("\t")[1]) for line in lines if line.strip())


def star_sa_index_nbases(genome_length: int) -> int:
    """STAR --genomeSAindexNbases: min(14, floor(log2(genome_length) / 2 - 1)), STAR manual 2.2.5."""
    if genome_length <= 0:
        raise ValueError("genome length must be positive")
    return max(1, min(14, math.floor(math.log2(genome_length) / 2 - 1)))


def star_sjdb_overhang(max_read_length: int) -> int:
    """STAR --sjdbOverhang: read length - 1 (100 when the length is unknown)."""
    return max_read_length - 1 if max_read_length > 1 else 100


def parse_star_log(text: str) -> dict:
    """Input reads (pairs for paired-end), uniquely and multi-mapped, from STAR Log.final.out."""
    values = {}
    for line in text.splitlines():
        if "|" in line:
            key, _, value = line.partition("|")
            values[key.strip()] = value.strip()
    try:
        return {
            "aligner_input": int(values["Number of input reads"]),
            "uniquely_aligned": int(values["Uniquely mapped reads number"]),
            "multi_aligned": int(values["Number of reads mapped to multiple loci"]),
        }
    except KeyError as error:
        raise ValueError(f"not a STAR Log.final.out: no line {error}") from None


def parse_hisat2_summary(text: str) -> dict:
    """Same fields from a HISAT2 --new-summary file (pairs for paired-end, reads otherwise)."""

    def number(label):
        match = re.search(rf"^\s*{re.escape(label)}:\s*(\d+)", text, re.MULTILINE)
        return int(match.group(1)) if match else None

    pairs = number("Total pairs")
    if pairs is not None:
        return {
            "aligner_input": pairs,
            "uniquely_aligned": (number("Aligned concordantly 1 time") or 0)
            + (number("Aligned discordantly 1 time") or 0),
            "multi_aligned": number("Aligned concordantly >1 times") or 0,
        }
    reads = number("Total reads")
    if reads is None:
        raise ValueError("not a HISAT2 --new-summary file: no 'Total pairs' or 'Total reads'")
    return {
        "aligner_input": reads,
        "uniquely_aligned": number("Aligned 1 time") or 0,
        "multi_aligned": number("Aligned >1 times") or 0,
    }


def hisat2_splice_sites(gtf_lines, merge_gap: int = 5) -> list[tuple[str, int, int, str]]:
    """Known introns for HISAT2 --known-splicesite-infile, from GTF exon lines.

    Per transcript, exons are sorted and those separated by <= ``merge_gap`` nt are merged
    (such gaps are annotation artefacts, not introns); each pair of consecutive exons gives
    (chromosome, 0-based position of the last base of the left exon, 0-based position of the
    first base of the right exon, strand), the layout of the HISAT2 manual. Sorted, unique.
    Our own parser, so the workflow does not depend on hisat2_extract_splice_sites.py, which
    some distribution packages of HISAT2 do not install.
    """
    transcripts: dict[str, tuple[str, str, list[list[int]]]] = {}
    for line in gtf_lines:
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 9 or fields[2] != "exon":
            continue
        match = re.search(r'transcript_id "([^"]+)"', fields[8])
        if not match:
            continue
        left, right = int(fields[3]) - 1, int(fields[4]) - 1
        chrom, strand = fields[0], fields[6]
        transcripts.setdefault(match.group(1), (chrom, strand, []))[2].append([left, right])
    junctions = set()
    for chrom, strand, exons in transcripts.values():
        exons.sort()
        merged = [exons[0]]
        for left, right in exons[1:]:
            if left - merged[-1][1] <= merge_gap:
                merged[-1][1] = max(merged[-1][1], right)
            else:
                merged.append([left, right])
        for upstream, downstream in zip(merged, merged[1:]):
            junctions.add((chrom, upstream[1], downstream[0], strand))
    return sorted(junctions)
