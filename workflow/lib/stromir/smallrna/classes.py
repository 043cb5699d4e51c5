"""Other small-RNA classes and the genome, by bowtie1 on the still-unassigned unique sequences."""

from __future__ import annotations

import gzip
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from . import SmallRnaInputError

# Best hits kept per sequence and class in the per-feature table (bowtie -k); a sequence with
# more equally good hits (a repeat) is reported with its first MAX_HITS and n_hits = MAX_HITS.
MAX_HITS = 100


class ClassHit(NamedTuple):
    """One best alignment of a unique sequence to a feature of a non-miRNA class."""

    rna_class: str
    feature: str
    start: int  # 0-based leftmost position on the feature
    strand: str  # + or -


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


def parse_bowtie_hits(lines: Iterable[str]) -> dict[str, list[tuple[str, int, str]]]:
    """Read name -> [(reference, 0-based offset, strand)] of bowtie1's default output."""
    hits: dict[str, list[tuple[str, int, str]]] = {}
    for line in lines:
        if not line.strip():
            continue
        name, strand, ref, offset = line.split("\t", 4)[:4]
        hits.setdefault(name, []).append((ref, int(offset), strand))
    return hits


def bowtie_command(index: str, fasta: str, max_mismatches: int, threads: int, all_best: bool = False) -> list[str]:
    """bowtie1 end-to-end with <= max_mismatches; the first hit only (each read is assigned
    once), or with ``all_best`` every hit of the best mismatch stratum (up to MAX_HITS)."""
    report = ["-k", str(MAX_HITS), "--best", "--strata"] if all_best else ["-k", "1"]
    return [
        "bowtie", "-f", "-v", str(max_mismatches), *report, "-p", str(threads),
        "--no-unal", "-x", index, fasta,
    ]


def align_to_targets(
    remaining: Mapping[str, int],
    targets: Iterable[tuple[str, str]],
    workdir: str | Path,
    max_mismatches: int,
    threads: int = 1,
    log=None,
    feature_hits: dict[str, list[ClassHit]] | None = None,
    per_feature: Iterable[str] = (),
) -> dict[str, str]:
    """Assign sequences to targets (class name, bowtie index prefix) in the given order.

    A sequence aligned to one target is not offered to the next. Returns sequence -> class.
    For the classes named in ``per_feature``, every best hit (fewest mismatches; ties all
    kept) of each assigned sequence is added to ``feature_hits`` (sequence -> [ClassHit]).
    """
    assigned: dict[str, str] = {}
    left = [s for s in remaining]
    workdir = Path(workdir)
    per_feature = set(per_feature)
    for name, index in targets:
        if not left:
            break
        fasta = workdir / f"query_{name}.fa"
        names = write_query_fasta(left, fasta)
        all_best = feature_hits is not None and name in per_feature
        cmd = bowtie_command(index, str(fasta), max_mismatches, threads, all_best)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if log is not None:
            log.write(" ".join(cmd) + "\n" + proc.stderr)
        if proc.returncode != 0:
            raise SmallRnaInputError(
                f"bowtie failed on index {index} ({name}): {proc.stderr.strip().splitlines()[-1:]}"
            )
        lines = proc.stdout.splitlines()
        if all_best:
            for read_name, hits in parse_bowtie_hits(lines).items():
                seq = names[read_name]
                assigned[seq] = name
                feature_hits[seq] = [ClassHit(name, ref, pos, strand) for ref, pos, strand in sorted(hits)]
        else:
            for read_name in parse_bowtie_names(lines):
                assigned[names[read_name]] = name
        left = [s for s in left if s not in assigned]
        fasta.unlink()
    return assigned


def write_class_hits(
    feature_hits: Mapping[str, list[ClassHit]],
    table: Mapping[str, tuple[int, int]],
    path: str | Path,
    umis: bool,
) -> int:
    """The per-feature table of the other classes (gzip TSV, sorted by sequence then hit):
    ``sequence``, ``class``, ``feature``, ``start`` (0-based on the feature), ``strand``,
    ``n_hits`` (best hits of the sequence: each of its rows carries its full ``reads``, so divide
    by n_hits to split them), ``reads`` and, for UMI samples, ``umis`` (molecules).
    ``table``: sequence -> (molecules, reads). Written atomically; returns the row count."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    with gzip.open(tmp, "wt", compresslevel=3) as out:
        out.write("sequence\tclass\tfeature\tstart\tstrand\tn_hits\treads" + ("\tumis" if umis else "") + "\n")
        for seq in sorted(feature_hits):
            hits = feature_hits[seq]
            molecules, reads = table[seq]
            tail = f"\t{len(hits)}\t{reads}" + (f"\t{molecules}" if umis else "") + "\n"
            for hit in hits:
                out.write(f"{seq}\t{hit.rna_class}\t{hit.feature}\t{hit.start}\t{hit.strand}{tail}")
                n += 1
    os.replace(tmp, path)
    return n
