"""Hierarchical, isomiR-tolerant annotation of unique sequences (each read counted once).

Order: spike-ins -> mature miRNA -> hairpin -> other classes (bowtie, see classes.py) -> genome
-> unassigned. Mature and spike-in assignment use an exact seed-and-verify aligner written here:

* every unique sequence is aligned ungapped to the hairpins with 8-nt seeds (read offsets 0, 8,
  16, ... and the last 8 nt), so with <= 1 mismatch at least one seed is exact for reads >= 19 nt;
* an alignment at hairpin position p splits the read into a templated part of length t (at most
  ``max_mismatches`` mismatches) and a non-templated 3' tail of 0..``max_nontemplated`` A/T bases
  that do not match the hairpin;
* it is a mature hit when p is within ``max_5p_shift`` of the arm start and p + t ends between
  ``max_3p_trim`` nt before and ``max_3p_extension`` nt after the arm end.

Ties (a sequence hitting several different mature features): keep the hits with the fewest
mismatches, then the smallest distance to canonical (|5' shift| + |3' shift| + tail length);
hits of one identical-sequence group at several loci are one feature. Sequences still tied
between different features are allocated proportionally to the features' unambiguous counts
(equal split when all are zero), with largest-remainder integer rounding over the whole sample,
so each read is counted once and totals are preserved.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

SEED = 8


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


@dataclass(frozen=True)
class MatureHit:
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

    def align(self, read: str, max_mismatches: int, max_nontemplated: int) -> list[tuple]:
        """All ungapped alignment options (ref, pos, t, mismatch positions) of ``read``.

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
        for ref, pos in self.candidates(read):
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
            mism = []
            for i in range(span):
                if read[i] != seq[pos + i]:
                    mism.append(i)
                    if len(mism) > limit:
                        break
            if len(mism) > limit:
                continue
            mism.extend(range(span, n))  # past the reference end: not templated
            for nt in range(0, max_nontemplated + 1):
                t = n - nt
                if t <= 0:
                    break
                if t > avail:
                    continue  # the templated part must lie inside the reference
                m = [i for i in mism if i < t]
                if len(m) > max_mismatches:
                    continue
                if nt:
                    tail = read[t:]
                    if tail.strip("AT"):
                        continue
                    if t < avail and read[t] == seq[pos + t]:
                        continue
                out.append((ref, pos, t, tuple(m)))
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
    parts = {snv_label(i + 1) for i in hit.mismatches}
    if hit.nontemplated:
        parts.add(f"iso_add3p:{hit.nontemplated}")
    if hit.shift_5p:
        parts.add(f"iso_5p:{hit.shift_5p:+d}")
    if hit.shift_3p:
        parts.add(f"iso_3p:{hit.shift_3p:+d}")
    return ",".join(sorted(parts)) if parts else "NA"


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


def annotate_sequences(
    table: Mapping[str, tuple[int, int]] | Mapping[str, int],
    mirna: MirnaReference,
    params: IsomirParams,
    spikeins: MirnaReference | None = None,
) -> Annotation:
    """Spike-in, mature and hairpin assignment of unique sequences weighted by their counts."""
    classes: dict[str, str] = {}
    unique_mature: Counter = Counter()
    ambiguous_mature: Counter = Counter()
    unique_hairpin: Counter = Counter()
    ambiguous_hairpin: Counter = Counter()
    unique_spike: Counter = Counter()
    ambiguous_spike: Counter = Counter()
    isomirs = []
    mm, nt = params.max_mismatches, params.max_nontemplated
    for seq, value in table.items():
        count = value[0] if isinstance(value, tuple) else value
        n = len(seq)
        if spikeins is not None:
            hits = best_hits(mature_hits(spikeins.index.align(seq, mm, nt), n, spikeins.loci, params))
            if hits:
                feats = frozenset(h.feature for h in hits)
                classes[seq] = "spikein"
                if len(feats) == 1:
                    unique_spike[next(iter(feats))] += count
                else:
                    ambiguous_spike[feats] += count
                continue
        alignments = mirna.index.align(seq, mm, nt)
        if not alignments:
            continue
        hits = best_hits(mature_hits(alignments, n, mirna.loci, params))
        if hits:
            classes[seq] = "miRNA"
            feats = frozenset(h.feature for h in hits)
            if len(feats) == 1:
                feature = next(iter(feats))
                unique_mature[feature] += count
                rep = min(hits, key=lambda h: (h.ref, h.pos))
                isomirs.append((seq, feature, isomir_variant(rep), count, rep))
            else:
                ambiguous_mature[feats] += count
                isomirs.append((seq, ";".join(sorted(feats)), "ambiguous", count, None))
            continue
        best = best_ref_alignments(alignments, n)
        classes[seq] = "hairpin"
        refs = frozenset(a[0] for a in best)
        if len(refs) == 1:
            unique_hairpin[next(iter(refs))] += count
        else:
            ambiguous_hairpin[refs] += count
    class_counts = Counter()
    for seq, cls in classes.items():
        value = table[seq]
        class_counts[cls] += value[0] if isinstance(value, tuple) else value
    return Annotation(
        classes=classes,
        spikein=allocate(unique_spike, ambiguous_spike),
        mature=allocate(unique_mature, ambiguous_mature),
        hairpin=allocate(unique_hairpin, ambiguous_hairpin),
        isomirs=isomirs,
        class_counts=class_counts,
    )
