"""Per-sample collapsing of trimmed reads to unique sequences with counts (and UMI dedup).

Everything downstream works on unique sequences weighted by their counts. A collapsed table is a
gzip TSV with columns ``sequence``, ``count`` (molecules: UMI-deduplicated for QIAseq, else reads)
and ``reads``, sorted by sequence so that tables of many samples merge by a streaming k-way merge.
"""

from __future__ import annotations

import gzip
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from . import SmallRnaInputError

_COMPLEMENT_ALPHABET = "ACGTN"


def count_sequences(path: str | Path) -> Counter:
    """Counter of read sequences of an (uncompressed or gzip) FASTQ file."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        return Counter(line.rstrip("\n") for line in islice(handle, 1, None, 4))


def count_sequences_umi(path: str | Path) -> dict[str, Counter]:
    """sequence -> Counter(UMI -> reads); the UMI is the suffix after the last '_' of the read id."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    table: dict[str, Counter] = {}
    with opener(path, "rt") as handle:
        while True:
            header = handle.readline()
            if not header:
                break
            seq = handle.readline().rstrip("\n")
            handle.readline()
            handle.readline()
            read_id = header[1:].split(None, 1)[0]
            if "_" not in read_id:
                raise SmallRnaInputError(
                    f"{path}: read {read_id} carries no UMI (expected <id>_<UMI>); "
                    f"UMI reads must come from extract_smallrna_umis"
                )
            umi = read_id.rsplit("_", 1)[1]
            table.setdefault(seq, Counter())[umi] += 1
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
    length_hist: Counter, stats: Counter,
) -> str | None:
    """The sequence after the 3' clip, or None when it falls outside the length window; the
    read-length histogram and the too_short / too_long counts are updated either way."""
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
) -> dict[str, tuple[int, int]]:
    """Apply the 3' clip and the length window to {sequence: (count, reads)}; updates the length
    histogram (after clipping, all reads) and the too_short / too_long read counts in ``stats``.
    """
    out: dict[str, tuple[int, int]] = {}
    for seq, (count, reads) in counts.items():
        seq = clip_to_window(seq, clip_3p, min_length, max_length, reads, length_hist, stats)
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
    """Collapse the trimmed FASTQ files of one sample.

    ``units``: dicts with ``path`` (trimmed FASTQ), ``clip_3p`` (int) and ``umi`` (bool).
    UMI dedup is per unit and per final (clipped) sequence. Returns ({sequence: (count, reads)},
    read-length histogram, stats with trimmed_reads, too_short, too_long, kept_reads,
    kept_molecules, umi_duplicates, unique_sequences).
    """
    merged: dict[str, tuple[int, int]] = {}
    length_hist: Counter = Counter()
    stats: Counter = Counter()
    for unit in units:
        clip = int(unit.get("clip_3p", 0) or 0)
        if unit.get("umi"):
            table = count_sequences_umi(unit["path"])
            by_final: dict[str, Counter] = {}
            for seq, umis in table.items():
                reads = sum(umis.values())
                stats["trimmed_reads"] += reads
                final = clip_to_window(seq, clip, min_length, max_length, reads, length_hist, stats)
                if final is not None:
                    by_final.setdefault(final, Counter()).update(umis)
            for seq, umis in by_final.items():
                reads = sum(umis.values())
                molecules = dedup_umis(umis)
                c, r = merged.get(seq, (0, 0))
                merged[seq] = (c + molecules, r + reads)
        else:
            counts = count_sequences(unit["path"])
            stats["trimmed_reads"] += sum(counts.values())
            kept = clip_and_filter(
                {s: (c, c) for s, c in counts.items()}, clip, min_length, max_length, length_hist, stats
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
