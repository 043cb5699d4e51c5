"""Hierarchical, isomiR-tolerant annotation of unique sequences (each read counted once).

Order: spike-ins -> mature miRNA -> hairpin -> other classes (bowtie, see classes.py) -> genome
-> unassigned. Mature and spike-in assignment use an exact ungapped aligner written here:

* an alignment at hairpin position p splits the read into a templated part of length t (at most
  ``max_mismatches`` mismatches) and a non-templated 3' tail of 0..``max_nontemplated`` A/T bases
  that do not match the hairpin;
* it is a mature hit when p is within ``max_5p_shift`` of the arm start and p + t ends between
  ``max_3p_trim`` nt before and ``max_3p_extension`` nt after the arm end;
* candidate placements of a read: the arm placements whose 12-nt reference prefix is within
  ``max_mismatches`` substitutions of the read's prefix (this finds every mature hit, see
  MirnaReference.mature_or_alignments); reads without a mature hit use 8-nt seeds (read
  offsets 0, 8, 16, ... and the last 8 nt) over the whole hairpins, which find every hairpin
  alignment with <= 1 mismatch of reads >= 19 nt.

Ties (a sequence hitting several different mature features): keep the hits with the fewest
mismatches, then the smallest distance to canonical (|5' shift| + |3' shift| + tail length);
hits of one identical-sequence group at several loci are one feature. Sequences still tied
between different features are allocated proportionally to the features' unambiguous counts
(equal split when all are zero), with largest-remainder integer rounding over the whole sample,
so each read is counted once and totals are preserved.
"""

from __future__ import annotations

import gc
import multiprocessing
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, product
from typing import NamedTuple

SEED = 8
# length of the read prefix looked up, with its substitutions, among the mature-arm placements
# (see MirnaReference.mature_or_alignments)
PREFIX = 12


@dataclass(frozen=True)
class IsomirParams:
    max_5p_shift: int = 2
    max_3p_trim: int = 4
    max_3p_extension: int = 3
    max_nontemplated: int = 3
    max_mismatches: int = 1

    @classmethod
    def from_config(cls, cfg: Mapping | None) -> IsomirParams:
        cfg = dict(cfg or {})
        fields = cls.__dataclass_fields__
        unknown = sorted(set(cfg) - set(fields))
        if unknown:
            raise ValueError(
                f"config smallrna.isomir: unknown key {unknown[0]!r}; use {', '.join(fields)}"
            )
        values = {k: int(v) for k, v in cfg.items()}
        for key, value in values.items():
            if value < 0:
                raise ValueError(f"config smallrna.isomir.{key}: {value} must be >= 0")
        return cls(**values)


class MatureHit(NamedTuple):
    """One alignment on a mature arm (a NamedTuple: built for every candidate, so cheap)."""

    feature: str
    ref: str
    pos: int
    templated: int
    nontemplated: int
    mismatches: tuple[int, ...]
    shift_5p: int  # read start - arm start (mirGFF3 iso_5p sign)
    shift_3p: int  # templated end - arm end (mirGFF3 iso_3p sign)

    @property
    def distance(self) -> int:
        return abs(self.shift_5p) + abs(self.shift_3p) + self.nontemplated


class SeedIndex:
    """Exact 8-mer index of reference sequences for ungapped seed-and-verify alignment."""

    def __init__(self, references: Mapping[str, str], k: int = SEED):
        self.k = k
        self.refs = {name: seq.upper().replace("U", "T") for name, seq in references.items()}
        index: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for name, seq in self.refs.items():
            for i in range(len(seq) - k + 1):
                index[seq[i : i + k]].append((name, i))
        self.index = dict(index)

    def candidates(self, read: str) -> set[tuple[str, int]]:
        k, n = self.k, len(read)
        if n < k:
            return set()
        offsets = set(range(0, n - k + 1, k))
        offsets.add(n - k)
        out: set[tuple[str, int]] = set()
        index = self.index
        for off in offsets:
            for name, pos in index.get(read[off : off + k], ()):
                out.add((name, pos - off))
        return out

    def align(
        self, read: str, max_mismatches: int, max_nontemplated: int,
        candidates: Iterable[tuple[str, int]] | None = None,
    ) -> list[tuple]:
        """All ungapped alignment options (ref, pos, t, mismatch positions) of ``read``.

        ``candidates``: the (ref, pos) placements to verify (default: all seed placements).

        For each candidate placement, every split t in [len - max_nontemplated, len] is returned
        whose templated part has <= max_mismatches mismatches, lies inside the reference, and
        whose tail read[t:] is A/T only and does not start with a base matching the reference
        (a matching base would be a templated extension, not an addition).
        """
        n = len(read)
        out = []
        # pigeonhole prefilter: with <= max_mismatches mismatches in read[:n - max_nontemplated],
        # one of max_mismatches + 1 blocks of it matches exactly (cheap C-level comparisons)
        region = n - max_nontemplated
        n_blocks = max_mismatches + 1
        size = max(1, region // n_blocks)
        blocks = [(i * size, region if i == n_blocks - 1 else (i + 1) * size) for i in range(n_blocks)]
        limit = max_mismatches + max_nontemplated
        if candidates is None:
            candidates = self.candidates(read)
        for ref, pos in candidates:
            if pos < 0:
                continue
            seq = self.refs[ref]
            avail = len(seq) - pos
            if avail <= 0:
                continue
            if seq.startswith(read, pos):
                out.append((ref, pos, n, ()))
                continue
            if region > 0:
                for b, e in blocks:
                    if read[b:e] == seq[pos + b : pos + e]:
                        break
                else:
                    continue
            span = min(n, avail)
            mism = [i for i, (a, b) in enumerate(zip(read, seq[pos : pos + span])) if a != b]
            if len(mism) > limit:
                continue
            mism.extend(range(span, n))  # past the reference end: not templated
            for nt in range(0, max_nontemplated + 1):
                t = n - nt
                if t <= 0:
                    break
                if t > avail:
                    continue  # the templated part must lie inside the reference
                k = bisect_left(mism, t)  # mismatches in the templated part
                if k > max_mismatches:
                    continue
                if nt:
                    if read[t:].strip("AT"):
                        continue
                    if t < avail and read[t] == seq[pos + t]:
                        continue
                out.append((ref, pos, t, tuple(mism[:k])))
        return out


def mature_hits(
    alignments: list[tuple], read_length: int, loci: Mapping[str, list[tuple[int, int, str]]],
    params: IsomirParams,
) -> list[MatureHit]:
    """Alignments that fall on a mature arm within the isomiR tolerance."""
    hits = []
    for ref, pos, t, mism in alignments:
        for start, end, feature in loci.get(ref, ()):
            s5 = pos - start
            if abs(s5) > params.max_5p_shift:
                continue
            s3 = pos + t - end
            if s3 < -params.max_3p_trim or s3 > params.max_3p_extension:
                continue
            hits.append(MatureHit(feature, ref, pos, t, read_length - t, mism, s5, s3))
    return hits


def best_hits(hits: list[MatureHit]) -> list[MatureHit]:
    """Hits tied for fewest mismatches, then smallest distance to canonical."""
    if not hits:
        return []
    key = min((len(h.mismatches), h.distance) for h in hits)
    return [h for h in hits if (len(h.mismatches), h.distance) == key]


def best_ref_alignments(alignments: list[tuple], read_length: int) -> list[tuple]:
    """Alignments tied for fewest mismatches, then shortest non-templated tail."""
    if not alignments:
        return []
    key = min((len(a[3]), read_length - a[2]) for a in alignments)
    return [a for a in alignments if (len(a[3]), read_length - a[2]) == key]


def allocate(unique: Mapping[str, int], ambiguous: Mapping[frozenset, int]) -> Counter:
    """Integer counts: unambiguous counts plus ambiguous counts split proportionally to them.

    Each ambiguous set's count is divided among its features in proportion to their unambiguous
    counts (equally when all are zero); shares are rounded by largest remainder (ties broken by
    feature name) so each set's total is preserved exactly.
    """
    result = Counter({k: v for k, v in unique.items() if v})
    for features, count in sorted(ambiguous.items(), key=lambda kv: sorted(kv[0])):
        names = sorted(features)
        weights = [unique.get(f, 0) for f in names]
        total = sum(weights)
        if total == 0:
            weights = [1] * len(names)
            total = len(names)
        exact = [count * w / total for w in weights]
        floors = [int(x) for x in exact]
        left = count - sum(floors)
        order = sorted(range(len(names)), key=lambda i: (-(exact[i] - floors[i]), names[i]))
        for i in order[:left]:
            floors[i] += 1
        for name, value in zip(names, floors):
            if value:
                result[name] += value
    return result


def snv_label(position_1based: int) -> str:
    """mirGFF3 SNV class of a mismatch at a 1-based read position (mirtop's convention)."""
    if 1 < position_1based < 8:
        return "iso_snv_seed"
    if position_1based == 8:
        return "iso_snv_central_offset"
    if 8 < position_1based < 13:
        return "iso_snv_central"
    if 12 < position_1based < 18:
        return "iso_snv_central_supp"
    return "iso_snv"


def isomir_variant(hit: MatureHit) -> str:
    """mirGFF3 Variant attribute of a mature hit ("NA" for the canonical sequence)."""
    return _variant(hit.mismatches, hit.nontemplated, hit.shift_5p, hit.shift_3p)


@lru_cache(maxsize=4096)  # few distinct variants, many reads
def _variant(mismatches: tuple[int, ...], nontemplated: int, shift_5p: int, shift_3p: int) -> str:
    parts = {snv_label(i + 1) for i in mismatches}
    if nontemplated:
        parts.add(f"iso_add3p:{nontemplated}")
    if shift_5p:
        parts.add(f"iso_5p:{shift_5p:+d}")
    if shift_3p:
        parts.add(f"iso_3p:{shift_3p:+d}")
    return ",".join(sorted(parts)) if parts else "NA"


def _substitutions(prefix: str, max_subs: int) -> Iterator[str]:
    """Every string with 1..max_subs bases of ``prefix`` substituted (by A, C, G or T)."""
    if max_subs >= 1:  # the common case, by plain concatenation
        for i, base in enumerate(prefix):
            head, tail = prefix[:i], prefix[i + 1 :]
            for other in "ACGT":
                if other != base:
                    yield head + other + tail
    for k in range(2, max_subs + 1):
        for where in combinations(range(len(prefix)), k):
            choices = [[b for b in "ACGT" if b != prefix[i]] for i in where]
            for bases in product(*choices):
                chars = list(prefix)
                for i, b in zip(where, bases):
                    chars[i] = b
                yield "".join(chars)


@dataclass
class MirnaReference:
    """Hairpin index plus the mature arm loci (from mature_positions.tsv)."""

    index: SeedIndex
    loci: dict[str, list[tuple[int, int, str]]]

    @classmethod
    def build(cls, hairpins: Mapping[str, str], positions) -> MirnaReference:
        loci: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for row in positions.itertuples(index=False):
            loci[row.hairpin].append((int(row.start), int(row.end), row.mature))
        return cls(SeedIndex(hairpins), dict(loci))

    def arm_placements(self, max_5p_shift: int) -> tuple[set, dict, dict]:
        """Placements (ref, pos) within ``max_5p_shift`` of a mature arm start (the only ones
        that can give a mature hit), those placements keyed by the PREFIX-nt reference
        sequence starting there, and an empty cache for mature_or_alignments."""
        placements: set[tuple[str, int]] = set()
        by_prefix: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for ref, arms in self.loci.items():
            seq = self.index.refs[ref]
            for start, _, _ in arms:
                for pos in range(max(0, start - max_5p_shift), start + max_5p_shift + 1):
                    if (ref, pos) in placements:
                        continue
                    placements.add((ref, pos))
                    if pos + PREFIX <= len(seq):  # else no read long enough for a lookup fits
                        by_prefix[seq[pos : pos + PREFIX]].append((ref, pos))
        return placements, dict(by_prefix), {}

    def mature_or_alignments(
        self, seq: str, params: IsomirParams, arms: tuple[set, dict, dict]
    ) -> tuple[list[MatureHit], list[tuple]]:
        """(best mature hits, []) or, when there is none, ([], the hairpin alignments).

        A mature hit's templated part covers the read's first PREFIX nt (when len -
        max_nontemplated >= PREFIX) with at most max_mismatches mismatches there, so every
        mature hit lies among the arm placements whose reference prefix is within that many
        substitutions of the read's prefix: dictionary lookups (36 neighbours for one mismatch,
        cached per prefix) find them all, as checking every placement would. Reads too short for
        that verify the arm placements among their seed placements first. Only a read without
        mature hit goes through the seed search of the whole hairpins.
        """
        mm, nt = params.max_mismatches, params.max_nontemplated
        placements, by_prefix, near_prefix = arms
        n = len(seq)
        index = self.index
        if n - nt >= PREFIX:
            prefix = seq[:PREFIX]
            quick = near_prefix.get(prefix)
            if quick is None:  # reads share prefixes: look each one up once
                quick = list(by_prefix.get(prefix, ()))
                for variant in _substitutions(prefix, mm):
                    quick.extend(by_prefix.get(variant, ()))
                near_prefix[prefix] = quick
            if quick:
                hits = best_hits(mature_hits(index.align(seq, mm, nt, quick), n, self.loci, params))
                if hits:
                    return hits, []
            return [], index.align(seq, mm, nt)
        candidates = index.candidates(seq)
        on_arm = [c for c in candidates if c in placements]
        alignments = index.align(seq, mm, nt, on_arm) if on_arm else []
        hits = best_hits(mature_hits(alignments, n, self.loci, params))
        if hits:
            return hits, []
        off_arm = [c for c in candidates if c not in placements]
        if off_arm:
            alignments += index.align(seq, mm, nt, off_arm)
        return [], alignments

    @classmethod
    def from_sequences(cls, sequences: Mapping[str, str]) -> MirnaReference:
        """Each sequence is its own single 'arm' (used for spike-ins)."""
        return cls(
            SeedIndex(sequences), {name: [(0, len(seq), name)] for name, seq in sequences.items()}
        )


@dataclass
class Annotation:
    classes: dict[str, str]  # sequence -> class for every sequence assigned by this module
    spikein: Counter
    mature: Counter
    hairpin: Counter
    isomirs: list[tuple[str, str, str, int, MatureHit | None]]  # seq, feature, variant, count, hit
    class_counts: Counter  # class -> molecules


def classify_sequence(
    seq: str, mirna: MirnaReference, params: IsomirParams, arms: tuple,
    spikeins: MirnaReference | None = None,
) -> tuple | None:
    """The assignment of one unique sequence: ("spikein", features), ("miRNA", features,
    representative hit), ("hairpin", hairpins), or None (left for the other classes)."""
    n = len(seq)
    if spikeins is not None:
        mm, nt = params.max_mismatches, params.max_nontemplated
        hits = best_hits(mature_hits(spikeins.index.align(seq, mm, nt), n, spikeins.loci, params))
        if hits:
            return ("spikein", frozenset(h.feature for h in hits))
    hits, alignments = mirna.mature_or_alignments(seq, params, arms)
    if hits:
        feats = frozenset(h.feature for h in hits)
        rep = min(hits, key=lambda h: (h.ref, h.pos)) if len(feats) == 1 else None
        return ("miRNA", feats, rep)
    if alignments:
        return ("hairpin", frozenset(a[0] for a in best_ref_alignments(alignments, n)))
    return None


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector: annotation makes no reference cycles, and the
    collector's passes over the many small tuples made per read cost more than the alignment."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_FORKED: tuple = ()  # (sequences, mirna, params, arms, spikeins), inherited by forked workers


def _classify_range(bounds: tuple[int, int]) -> list:
    seqs, mirna, params, arms, spikeins = _FORKED
    out = []
    for seq in seqs[bounds[0] : bounds[1]]:
        got = classify_sequence(seq, mirna, params, arms, spikeins)
        if got is not None and len(got) == 3 and got[2] is not None:
            got = (got[0], got[1], tuple(got[2]))  # a plain tuple pickles faster than a MatureHit
        out.append(got)
    return out


def classify_sequences(
    seqs: list[str], mirna: MirnaReference, params: IsomirParams,
    spikeins: MirnaReference | None = None, threads: int = 1, min_parallel: int = 5000,
) -> list:
    """classify_sequence for each sequence, in order; with threads > 1 and at least
    ``min_parallel`` sequences per worker, split over forked worker processes (they inherit the
    reference and the sequences; only assignments are pickled back): same result as serial.
    """
    global _FORKED
    with gc_paused():
        arms = mirna.arm_placements(params.max_5p_shift)
        workers = min(threads, len(seqs) // max(1, min_parallel))
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [classify_sequence(seq, mirna, params, arms, spikeins) for seq in seqs]
        # contiguous ranges of the sorted sequences: reads sharing a prefix meet in one worker,
        # whose prefix cache (see mature_or_alignments) then serves them all
        order = sorted(range(len(seqs)), key=seqs.__getitem__)
        size = -(-len(seqs) // workers)
        _FORKED = ([seqs[i] for i in order], mirna, params, arms, spikeins)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_classify_range, [(i, i + size) for i in range(0, len(seqs), size)])
        finally:
            _FORKED = ()
        result: list = [None] * len(seqs)
        make_hit = MatureHit._make
        for i, got in zip(order, (got for part in parts for got in part)):
            if got is not None and len(got) == 3 and got[2] is not None:
                got = (got[0], got[1], make_hit(got[2]))
            result[i] = got
        return result


def annotate_sequences(
    table: Mapping[str, tuple[int, int]] | Mapping[str, int],
    mirna: MirnaReference,
    params: IsomirParams,
    spikeins: MirnaReference | None = None,
    threads: int = 1,
    min_parallel: int = 5000,
) -> Annotation:
    """Spike-in, mature and hairpin assignment of unique sequences weighted by their counts."""
    classes: dict[str, str] = {}
    unique: dict[str, Counter] = {"spikein": Counter(), "miRNA": Counter(), "hairpin": Counter()}
    ambiguous: dict[str, Counter] = {"spikein": Counter(), "miRNA": Counter(), "hairpin": Counter()}
    isomirs = []
    class_counts: Counter = Counter()
    seqs = list(table)
    with gc_paused():
        assignments = classify_sequences(seqs, mirna, params, spikeins, threads, min_parallel)
        for seq, assignment in zip(seqs, assignments):
            if assignment is None:
                continue
            value = table[seq]
            count = value[0] if isinstance(value, tuple) else value
            cls, feats = assignment[0], assignment[1]
            classes[seq] = cls
            class_counts[cls] += count
            if len(feats) == 1:
                unique[cls][next(iter(feats))] += count
            else:
                ambiguous[cls][feats] += count
            if cls == "miRNA":
                rep = assignment[2]
                if rep is not None:
                    isomirs.append((seq, rep.feature, isomir_variant(rep), count, rep))
                else:
                    isomirs.append((seq, ";".join(sorted(feats)), "ambiguous", count, None))
    return Annotation(
        classes=classes,
        spikein=allocate(unique["spikein"], ambiguous["spikein"]),
        mature=allocate(unique["miRNA"], ambiguous["miRNA"]),
        hairpin=allocate(unique["hairpin"], ambiguous["hairpin"]),
        isomirs=isomirs,
        class_counts=class_counts,
    )
