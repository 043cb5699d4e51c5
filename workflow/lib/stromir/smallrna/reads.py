"""FASTQ reading with one-line validation errors, 3' adapter detection and QIAseq UMI extraction."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from . import SmallRnaInputError


def open_fastq(path: str | Path):
    """Text handle on a plain or gzip FASTQ (by magic bytes, not by name)."""
    path = Path(path)
    if not path.is_file():
        raise SmallRnaInputError(f"{path}: FASTQ file not found; fix the path in units.tsv")
    with open(path, "rb") as handle:
        magic = handle.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="ascii", errors="replace")
    return open(path, encoding="ascii", errors="replace")


def iter_fastq(path: str | Path, limit: int | None = None) -> Iterator[tuple[str, str, str]]:
    """Yield (name, sequence, quality); raise a one-line SmallRnaInputError on malformed input.

    Checks: '@' header, '+' separator, sequence and quality of equal length, complete records and
    an intact gzip stream. An empty file yields nothing (callers decide whether that is an error).
    """
    n = 0
    try:
        with open_fastq(path) as handle:
            while limit is None or n < limit:
                header = handle.readline()
                if not header:
                    return
                seq = handle.readline().rstrip("\r\n")
                plus = handle.readline()
                qual = handle.readline().rstrip("\r\n")
                n += 1
                if not header.startswith("@") or not plus.startswith("+"):
                    if not header.strip():
                        return
                    raise SmallRnaInputError(
                        f"{path}: record {n} is not FASTQ (expected '@' header and '+' line); "
                        f"give a FASTQ file"
                    )
                if len(seq) != len(qual):
                    raise SmallRnaInputError(
                        f"{path}: record {n} ({header[1:].split()[0] if header[1:].split() else '?'}) "
                        f"has sequence length {len(seq)} but quality length {len(qual)}; "
                        f"the file is corrupt, re-download or re-export it"
                    )
                yield header[1:].rstrip("\r\n"), seq, qual
    except (EOFError, OSError, zlib.error) as error:
        raise SmallRnaInputError(
            f"{path}: cannot read gzip stream ({error}); the file is truncated or corrupt, "
            f"re-download it"
        ) from None


def read_fasta(path: str | Path) -> dict[str, str]:
    """Name -> upper-case DNA sequence (U -> T) of a plain or gzip FASTA file."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    records: dict[str, list[str]] = {}
    name = None
    with opener(path, "rt") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            if line.startswith(">"):
                name = line[1:].split()[0]
                records[name] = []
            elif name is None:
                raise SmallRnaInputError(f"{path}: sequence before the first '>' header; give a FASTA file")
            else:
                records[name].append(line.upper().replace("U", "T"))
    return {k: "".join(v) for k, v in records.items()}


# ---- adapter detection ----


def detect_adapter(
    sequences, adapters: Mapping[str, str], prefix_length: int = 12
) -> dict:
    """Which known 3' adapter the reads carry.

    Each read is assigned to the adapter whose first ``prefix_length`` nt occur earliest in it
    (ties: the adapter that matches more of its following bases), so nested adapters such as
    Illumina v1 (TCGTATGCCG...) inside v1.5 (ATCTCGTATGCCG...) are told apart. Returns
    {"reads": n, "fractions": {name: fraction}, "best": name or None, "best_fraction": f}.
    """
    # An adapter that extends a shorter listed one (Lexogen = TruSeq small RNA + 12 nt) is the
    # same family for trimming: the shorter one is reported.
    nested = {
        name for name, seq in adapters.items()
        if any(o != name and len(other) < len(seq) and seq.startswith(other)
               for o, other in adapters.items())
    }
    prefixes = {
        name: seq[:prefix_length]
        for name, seq in adapters.items()
        if len(seq) >= 6 and name not in nested
    }
    counts = dict.fromkeys(adapters, 0)
    n = 0
    for seq in sequences:
        n += 1
        best = None
        for name, prefix in prefixes.items():
            pos = seq.find(prefix)
            if pos < 0:
                continue
            full = adapters[name]
            tail = seq[pos:]
            extra = sum(1 for a, b in zip(tail, full) if a == b)
            key = (pos, -extra)
            if best is None or key < best[0]:
                best = (key, name)
        if best is not None:
            counts[best[1]] += 1
    fractions = {name: (counts[name] / n if n else 0.0) for name in adapters}
    best_name = max(fractions, key=fractions.get) if fractions and n else None
    return {
        "reads": n,
        "fractions": fractions,
        "best": best_name,
        "best_fraction": fractions.get(best_name, 0.0) if best_name else 0.0,
    }


# ---- QIAseq UMI extraction ----


def find_adapter(seq: str, adapter: str, max_mismatches: int = 2) -> int:
    """Leftmost start of ``adapter`` in ``seq`` with at most ``max_mismatches`` substitutions,
    also accepting an adapter cut off by the read end if >= 10 nt of it are present; -1 if absent.
    """
    pos = seq.find(adapter)
    if pos >= 0:
        return pos
    la = len(adapter)
    for start in range(len(seq) - min(la, 10) + 1):
        mm = 0
        for a, b in zip(seq[start : start + la], adapter):
            if a != b:
                mm += 1
                if mm > max_mismatches:
                    break
        if mm <= max_mismatches:
            return start
    return -1


def extract_umi(
    seq: str, qual: str, adapter: str, umi_length: int = 12, max_mismatches: int = 2
) -> tuple[str, str, str] | None:
    """(insert, insert quality, UMI) of a QIAseq read: insert = bases before the QIAseq adapter,
    UMI = the ``umi_length`` bases after it. None when no adapter or no complete UMI is found.
    """
    pos = find_adapter(seq, adapter, max_mismatches)
    if pos < 0:
        return None
    umi = seq[pos + len(adapter) : pos + len(adapter) + umi_length]
    if len(umi) < umi_length or "N" in umi:
        return None
    return seq[:pos], qual[:pos], umi
