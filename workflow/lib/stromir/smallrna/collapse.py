"""Per-sample collapsing of trimmed reads to unique sequences with counts (and UMI dedup).

Everything downstream works on unique sequences weighted by their counts. A collapsed table is a
gzip TSV with columns ``sequence``, ``count`` (molecules: UMI-deduplicated for QIAseq, else reads)
and ``reads``, sorted by sequence so that tables of many samples merge by a streaming k-way merge.
"""

from __future__ import annotations

import gzip
import io
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from . import SmallRnaInputError


def count_fastq_stream(stream: BinaryIO, chunk_bytes: int = 1 << 22) -> Counter:
    """Counter of the read sequences of a binary FASTQ stream (a file or fastp's stdout).

    Reads blocks of bytes and counts every fourth line with Counter.update (C speed) instead
    of a Python loop per line; only the unique sequences are decoded.
    """
    counts: Counter = Counter()
    phase = 0  # index modulo 4 of the next line
    carry = b""
    while True:
        block = stream.read(chunk_bytes)
        if not block:
            break
        cut = block.rfind(b"\n")
        if cut < 0:
            carry += block
            continue
        lines = (carry + block[:cut]).split(b"\n")
        carry = block[cut + 1 :]
        counts.update(lines[(1 - phase) % 4 :: 4])
        phase = (phase + len(lines)) % 4
    if carry:
        counts.update(carry.split(b"\n")[(1 - phase) % 4 :: 4])
    return Counter({seq.decode(): n for seq, n in counts.items()})


def count_fastq_stream_umi(stream: BinaryIO, source: str | Path) -> dict[str, Counter]:
    """sequence -> Counter(UMI -> reads) of a binary FASTQ stream whose read ids end in _<UMI>."""
    table: dict[str, Counter] = {}
    text = io.TextIOWrapper(stream, encoding="ascii", errors="replace")
    while True:
        header = text.readline()
        if not header:
            break
        seq = text.readline().rstrip("\n")
        text.readline()
        text.readline()
        read_id = header[1:].split(None, 1)[0]
        if "_" not in read_id:
            raise SmallRnaInputError(
                f"{source}: read {read_id} carries no UMI (expected <id>_<UMI>); "
                f"UMI reads must come from extract_smallrna_umis"
            )
        umi = read_id.rsplit("_", 1)[1]
        table.setdefault(seq, Counter())[umi] += 1
    text.detach()
    return table


def write_unit_counts(counts: Mapping, path: str | Path) -> None:
    """One unit's trimmed reads as a table (sequence, umi, reads), written atomically: the
    streaming hand-over from fastp to the collapse step (``counts``: a Counter of sequences,
    or sequence -> Counter of UMIs)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as out:
        out.write("sequence\tumi\treads\n")
        for seq, value in counts.items():
            if isinstance(value, Counter):
                out.writelines(f"{seq}\t{umi}\t{n}\n" for umi, n in value.items())
            else:
                out.write(f"{seq}\t\t{value}\n")
    os.replace(tmp, path)


def read_unit_counts(path: str | Path, umi: bool) -> Counter | dict[str, Counter]:
    """The table of write_unit_counts: a Counter of sequences, or (``umi``) sequence ->
    Counter(UMI -> reads)."""
    with open(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header != ["sequence", "umi", "reads"]:
            raise SmallRnaInputError(f"{path}: not a unit count table (header {header})")
        if not umi:
            counts: Counter = Counter()
            for line in handle:
                seq, _, n = line.rstrip("\n").split("\t")
                counts[seq] += int(n)
            return counts
        table: dict[str, Counter] = {}
        for line in handle:
            seq, tag, n = line.rstrip("\n").split("\t")
            table.setdefault(seq, Counter())[tag] += int(n)
        return table


def _neighbours(umi: str) -> Iterator[str]:
    for i, base in enumerate(umi):
        for other in "ACGT":
            if other != base:
                yield umi[:i] + other + umi[i + 1 :]


def dedup_umis(umis: Counter) -> int:
    """Number of molecules behind a Counter of UMIs, by umi_tools' directional method.

    A UMI b is absorbed into a UMI a one substitution away when count(a) >= 2*count(b) - 1
    (b is probably a sequencing error of a). Components are grown from the most abundant UMI.
    """
    if len(umis) <= 1:
        return len(umis)
    seen: set[str] = set()
    molecules = 0
    for umi, _ in sorted(umis.items(), key=lambda kv: (-kv[1], kv[0])):
        if umi in seen:
            continue
        molecules += 1
        seen.add(umi)
        stack = [umi]
        while stack:
            current = stack.pop()
            threshold = umis[current]
            for nb in _neighbours(current):
                if nb in umis and nb not in seen and threshold >= 2 * umis[nb] - 1:
                    seen.add(nb)
                    stack.append(nb)
    return molecules


def clip_to_window(
    seq: str, clip_3p: int, min_length: int, max_length: int, reads: int,
    length_hist: Counter, stats: Counter, poly_a: bool = False,
) -> str | None:
    """The sequence after the poly(A) strip (``poly_a``, CATS) and the 3' clip, or None when it
    falls outside the length window; the read-length histogram and the too_short / too_long
    counts are updated either way."""
    if poly_a:
        seq = seq.rstrip("A")
    if clip_3p:
        seq = seq[:-clip_3p] if len(seq) > clip_3p else ""
    n = len(seq)
    length_hist[n] += reads
    if n < min_length:
        stats["too_short"] += reads
        return None
    if n > max_length:
        stats["too_long"] += reads
        return None
    return seq


def clip_and_filter(
    counts: dict[str, tuple[int, int]],
    clip_3p: int,
    min_length: int,
    max_length: int,
    length_hist: Counter,
    stats: Counter,
    poly_a: bool = False,
) -> dict[str, tuple[int, int]]:
    """Apply the 3' clip and the length window to {sequence: (count, reads)}; updates the length
    histogram (after clipping, all reads) and the too_short / too_long read counts in ``stats``.
    """
    out: dict[str, tuple[int, int]] = {}
    for seq, (count, reads) in counts.items():
        seq = clip_to_window(seq, clip_3p, min_length, max_length, reads, length_hist, stats, poly_a)
        if seq is None:
            continue
        if seq in out:
            c, r = out[seq]
            out[seq] = (c + count, r + reads)
        else:
            out[seq] = (count, reads)
    return out


def collapse_units(
    units: Iterable[dict], min_length: int, max_length: int
) -> tuple[dict[str, tuple[int, int]], Counter, dict]:
    """Collapse the trimmed units of one sample.

    ``units``: dicts with ``counts`` (the unit count table of write_unit_counts), ``clip_3p``
    (int), ``umi`` (bool) and optionally ``poly_a`` (bool).
    UMI dedup is per unit and per final (clipped) sequence. Returns ({sequence: (count, reads)},
    read-length histogram, stats with trimmed_reads, too_short, too_long, kept_reads,
    kept_molecules, umi_duplicates, unique_sequences).
    """
    merged: dict[str, tuple[int, int]] = {}
    length_hist: Counter = Counter()
    stats: Counter = Counter()
    for unit in units:
        clip = int(unit.get("clip_3p", 0) or 0)
        poly_a = bool(unit.get("poly_a", False))
        if unit.get("umi"):
            table = read_unit_counts(unit["counts"], umi=True)
            by_final: dict[str, Counter] = {}
            for seq, umis in table.items():
                reads = sum(umis.values())
                stats["trimmed_reads"] += reads
                final = clip_to_window(
                    seq, clip, min_length, max_length, reads, length_hist, stats, poly_a
                )
                if final is not None:
                    by_final.setdefault(final, Counter()).update(umis)
            for seq, umis in by_final.items():
                reads = sum(umis.values())
                molecules = dedup_umis(umis)
                c, r = merged.get(seq, (0, 0))
                merged[seq] = (c + molecules, r + reads)
        else:
            counts = read_unit_counts(unit["counts"], umi=False)
            stats["trimmed_reads"] += sum(counts.values())
            kept = clip_and_filter(
                {s: (c, c) for s, c in counts.items()}, clip, min_length, max_length, length_hist,
                stats, poly_a,
            )
            for seq, (c, r) in kept.items():
                c0, r0 = merged.get(seq, (0, 0))
                merged[seq] = (c0 + c, r0 + r)
    stats["kept_reads"] = sum(r for _, r in merged.values())
    stats["kept_molecules"] = sum(c for c, _ in merged.values())
    stats["umi_duplicates"] = stats["kept_reads"] - stats["kept_molecules"]
    stats["unique_sequences"] = len(merged)
    return merged, length_hist, dict(stats)


def write_collapsed(table: dict[str, tuple[int, int]], path: str | Path) -> None:
    """Write {sequence: (count, reads)} sorted by sequence as gzip TSV (atomic rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with gzip.open(tmp, "wt", compresslevel=3) as out:
        out.write("sequence\tcount\treads\n")
        out.writelines(f"{s}\t{c}\t{r}\n" for s, (c, r) in sorted(table.items()))
    os.replace(tmp, path)


def read_collapsed(path: str | Path) -> dict[str, tuple[int, int]]:
    """{sequence: (count, reads)} of a collapsed table."""
    out: dict[str, tuple[int, int]] = {}
    with gzip.open(path, "rt") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header[:2] != ["sequence", "count"]:
            raise SmallRnaInputError(f"{path}: not a collapsed table (header {header})")
        for line in handle:
            seq, count, reads = line.rstrip("\n").split("\t")
            out[seq] = (int(count), int(reads))
    return out


def check_reads_kept(stats: dict, raw_fastqs: list[str], min_length: int, max_length: int) -> None:
    """No read in the length window (every read too short or too long after trimming) is an
    input problem, not an empty result: say which files and what to check."""
    if stats.get("kept_reads", 0) > 0:
        return
    raise SmallRnaInputError(
        f"{', '.join(raw_fastqs)}: no read is {min_length}-{max_length} nt after adapter trimming "
        f"and clipping ({stats.get('too_short', 0)} too short, {stats.get('too_long', 0)} too long, "
        f"of {stats.get('trimmed_reads', 0)}); check the unit's protocol/adapter or the config keys "
        f"smallrna.min_length and smallrna.max_length"
    )
