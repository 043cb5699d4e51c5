"""File-level input checks that run inside jobs; each raises InputError with a one-line message."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path


class InputError(ValueError):
    """Bad input file, with a one-line message naming the file and the fix."""


def _open_binary(path):
    path = str(path)
    with open(path, "rb") as handle:
        magic = handle.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def count_fastq_records(path) -> int:
    """Records in a (gzipped) FASTQ: line count / 4; errors if the line count is not a multiple of 4."""
    lines = 0
    last = b"\n"
    try:
        with _open_binary(path) as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, EOFError) as error:
        raise InputError(f"{path}: cannot read FASTQ ({error}); re-download or re-compress the file")
    if last != b"\n":
        lines += 1
    if lines % 4:
        raise InputError(
            f"{path}: {lines} lines is not a multiple of 4, the FASTQ is truncated or corrupt; "
            f"replace the file"
        )
    return lines // 4


def check_mate_counts(fq1, fq2) -> int:
    """Both mates of a pair have the same number of reads; returns it."""
    n1, n2 = count_fastq_records(fq1), count_fastq_records(fq2)
    if n1 != n2:
        raise InputError(
            f"{fq2}: {n2} reads but its mate {fq1} has {n1}; mate files must hold the same reads "
            f"in the same order (re-export the pair or fix fq1/fq2 in units.tsv)"
        )
    return n1


def fasta_names(lines: Iterable[str]) -> list[str]:
    """Sequence names from FASTA header lines or from a .fai index (first column)."""
    names = []
    for line in lines:
        if line.startswith(">"):
            names.append(line[1:].split()[0])
        elif "\t" in line and not line.startswith("#"):
            names.append(line.split("\t", 1)[0])
    return names


def gtf_chromosomes(lines: Iterable[str]) -> list[str]:
    seen = {}
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 9:
            continue
        seen.setdefault(fields[0], None)
    return list(seen)


def check_gtf_matches_fasta(gtf_chroms: list[str], fasta_chroms: list[str], gtf, fasta) -> list[str]:
    """GTF chromosomes must be genome sequences; returns GTF chromosomes missing from the FASTA.

    Raises when the GTF has no feature line or none of its chromosomes is in the FASTA (e.g.
    Ensembl '1' against UCSC/GENCODE 'chr1'); partial mismatches are returned for a warning.
    """
    if not gtf_chroms:
        raise InputError(f"{gtf}: no GTF feature lines; set references.gtf to a 9-column GTF file")
    fasta_set = set(fasta_chroms)
    missing = [c for c in gtf_chroms if c not in fasta_set]
    if len(missing) == len(gtf_chroms):
        raise InputError(
            f"{gtf}: none of its chromosomes ({', '.join(gtf_chroms[:3])}...) is in the genome "
            f"{fasta} ({', '.join(fasta_chroms[:3])}...); use a GTF of the same assembly and "
            f"naming (references.gtf / references.genome_fasta)"
        )
    return missing
