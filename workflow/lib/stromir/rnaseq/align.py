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
