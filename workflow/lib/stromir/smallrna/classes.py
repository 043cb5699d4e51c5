"""Other small-RNA classes and the genome, by bowtie1 on the still-unassigned unique sequences."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import SmallRnaInputError


def write_query_fasta(sequences: Iterable[str], path: str | Path) -> dict[str, str]:
    """Write sequences as FASTA named s0, s1, ...; returns name -> sequence."""
    names = {}
    with open(path, "w") as out:
        for i, seq in enumerate(sequences):
            name = f"s{i}"
            names[name] = seq
            out.write(f">{name}\n{seq}\n")
    return names


def parse_bowtie_names(lines: Iterable[str]) -> set[str]:
    """Read names of aligned reads in bowtie1's default output (first column)."""
    return {line.split("\t", 1)[0] for line in lines if line.strip()}


def bowtie_command(index: str, fasta: str, max_mismatches: int, threads: int) -> list[str]:
    """bowtie1 end-to-end, <= max_mismatches, first hit only (each read is assigned once)."""
    return [
        "bowtie", "-f", "-v", str(max_mismatches), "-k", "1", "-p", str(threads),
        "--no-unal", "-x", index, fasta,
    ]


def align_to_targets(
    remaining: Mapping[str, int],
    targets: Iterable[tuple[str, str]],
    workdir: str | Path,
    max_mismatches: int,
    threads: int = 1,
    log=None,
) -> dict[str, str]:
    """Assign sequences to targets (class name, bowtie index prefix) in the given order.

    A sequence aligned to one target is not offered to the next. Returns sequence -> class.
    """
    assigned: dict[str, str] = {}
    left = [s for s in remaining]
    workdir = Path(workdir)
    for name, index in targets:
        if not left:
            break
        fasta = workdir / f"query_{name}.fa"
        names = write_query_fasta(left, fasta)
        cmd = bowtie_command(index, str(fasta), max_mismatches, threads)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if log is not None:
            log.write(" ".join(cmd) + "\n" + proc.stderr)
        if proc.returncode != 0:
            raise SmallRnaInputError(
                f"bowtie failed on index {index} ({name}): {proc.stderr.strip().splitlines()[-1:]}"
            )
        hit = parse_bowtie_names(proc.stdout.splitlines())
        for read_name in hit:
            assigned[names[read_name]] = name
        left = [s for s in left if s not in assigned]
        fasta.unlink()
    return assigned
