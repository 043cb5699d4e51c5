"""Seeded small-RNA-seq read simulator with a known truth.

What one call draws (all randomness from ``numpy.random.default_rng``):

* **Baseline profile** (``profile_seed``): a heavy-tailed (log-normal, sigma 2.5) abundance for
  every mature miRNA feature of the reference, with a random 40% not expressed. Samples that
  share ``profile_seed`` share the baseline; ``seed`` only drives sample-level randomness.
  Features are the identical-sequence groups of :mod:`stromir.references` (names joined by "/").
* **Sample effects** (``seed``): ``fold_changes`` multiply the baseline of named features, then
  optional biological noise multiplies every miRNA and fragment abundance by a gamma variate
  with mean 1 and variance ``dispersion`` (negative-binomial-like counts). The miRNA block is
  renormalised so the class composition stays as configured.
* **Composition**: ``fragment_fraction`` of molecules come from ``fragment_fastas`` (classes
  share equally; records log-normal within a class), ``spikein_fraction`` from ``spikeins``
  (equal per record, no biological noise), the rest are miRNAs.
* **isomiRs**: with probability ``isomir_fraction`` a miRNA molecule gets one modification
  chosen among those its hairpin context allows: 5' shift (-2, -1, +1, +2; negative shifts take
  upstream hairpin bases), 3' trimming (1-3 nt), templated 3' extension (1-3 hairpin bases),
  non-templated A or T addition (1-2 nt). The molecule still counts for its canonical feature.
* **Fragments**: a random 18-35 nt window of a class record (the whole record when shorter).
* **Library layout** per protocol, then cut/padded to ``read_length``:
  ``illumina``/``nextflex_v4``/``custom``: insert + adapter + downstream;
  ``nextflex_v3``: 4 random nt + insert + 4 random nt + adapter + downstream;
  ``qiaseq``: insert + AACTGTAGGCACCATCAAT + UMI + AGATCGGAAGAGCACACGTCTGAACTCCAGTCAC
  (``adapter`` is ignored). Only QIAseq has PCR duplicates: ``n_reads`` reads come from about
  ``n_reads / pcr_duplication`` molecules, each read of a molecule shares its UMI.
* **Sequencing**: substitutions at ``error_rate`` per base over the whole read (low quality at
  those bases), binned Phred+33 qualities (2/12/23/37) that worsen toward the 3' end.

The truth table has one row per (feature, class) with ``molecules`` (distinct molecules) and
``reads`` (equal to molecules except for qiaseq); ``reads`` sums to ``n_reads``.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from stromir import references

__all__ = [
    "PROTOCOLS",
    "QIASEQ_ADAPTER",
    "QIASEQ_DOWNSTREAM",
    "TRUSEQ_SMALL_RNA_ADAPTER",
    "load_mirna_features",
    "mirna_profile",
    "resolve_feature",
    "sample_profile",
    "simulate_smallrna",
    "write_truth",
]

TRUSEQ_SMALL_RNA_ADAPTER = "TGGAATTCTCGGGTGCCAAGG"
# What follows the TruSeq small-RNA 3' adapter in the library: the rest of the RNA PCR
# primer (index) read-through; reads shorter than this never reach it.
_TRUSEQ_DOWNSTREAM = "AACTCCAGTCACGCCAATATCTCGTATGCCGTCTTCTGCTTG"
QIASEQ_ADAPTER = "AACTGTAGGCACCATCAAT"
QIASEQ_DOWNSTREAM = "AGATCGGAAGAGCACACGTCTGAACTCCAGTCAC"
PROTOCOLS = ("illumina", "nextflex_v3", "nextflex_v4", "custom", "qiaseq")
_BASES = np.array(list("ACGT"))
_MIN_INSERT = 15


def load_mirna_features(
    mature_fa: str | os.PathLike, hairpin_fa: str | os.PathLike, species: str | None = None
) -> tuple[dict[str, str], dict[str, list[tuple[str, int, int]]], dict[str, str]]:
    """Mature features, their hairpin contexts and the hairpins.

    Returns ``(features, contexts, hairpins)``: group name -> sequence (T alphabet), group name
    -> list of (hairpin, start, end), hairpin name -> sequence.
    """
    matures, hairpins, positions = references.build_mirna_reference(
        references.read_fasta(mature_fa),
        references.read_fasta(hairpin_fa),
        species or "",
        mature_path=str(mature_fa),
        hairpin_path=str(hairpin_fa),
    )
    contexts: dict[str, list[tuple[str, int, int]]] = {name: [] for name in matures}
    for row in positions.itertuples(index=False):
        contexts[row.mature].append((row.hairpin, int(row.start), int(row.end)))
    return matures, contexts, hairpins


def mirna_profile(
    features: list[str], profile_seed: int, *, sigma: float = 2.5, silent_fraction: float = 0.4
) -> pd.Series:
    """Heavy-tailed baseline abundance (sums to 1) over ``features``, fixed by ``profile_seed``.

    Features are sorted first, so the profile depends only on the feature set and the seed.
    """
    names = sorted(features)
    rng = np.random.default_rng(profile_seed)
    weights = rng.lognormal(mean=0.0, sigma=sigma, size=len(names))
    silent = rng.random(len(names)) < silent_fraction
    weights[silent] = 0.0
    if weights.sum() == 0:
        weights[:] = 1.0
    return pd.Series(weights / weights.sum(), index=names, name="weight")


def sample_profile(
    baseline: pd.Series,
    *,
    fold_changes: Mapping[str, float] | None = None,
    dispersion: float = 0.0,
    seed: int = 0,
) -> pd.Series:
    """One biological sample's miRNA abundance (sums to 1).

    ``baseline`` (feature -> weight) times ``fold_changes`` (keys may be group members, see
    :func:`simulate_smallrna`) times gamma noise with mean 1 and variance ``dispersion`` drawn
    from ``seed``. Use it when several sequencing units share one biological sample: pass the
    result as ``profile`` to every unit's :func:`simulate_smallrna` call.
    """
    effects = _resolve_fold_changes(fold_changes, list(baseline.index))
    weights = baseline.astype(float) * np.array([effects.get(n, 1.0) for n in baseline.index])
    if dispersion > 0:
        rng = np.random.default_rng(seed)
        weights = weights * rng.gamma(1.0 / dispersion, dispersion, size=len(weights))
    return weights / weights.sum()


def resolve_feature(name: str, features: list[str]) -> str:
    """The feature (identical-sequence group) that a mature name belongs to."""
    return next(iter(_resolve_fold_changes({name: 1.0}, features)))


def _class_weights(records: Mapping[str, str], seed_parts: list[int]) -> np.ndarray:
    rng = np.random.default_rng(seed_parts)
    weights = rng.lognormal(0.0, 1.0, size=len(records))
    return weights / weights.sum()


def _isomir(
    seq: str,
    contexts: list[tuple[str, int, int]],
    hairpins: Mapping[str, str],
    rng: np.random.Generator,
) -> str:
    """One random isomiR modification of ``seq`` allowed by a random hairpin context."""
    options = []
    if contexts:
        hairpin, start, end = contexts[rng.integers(len(contexts))]
        hseq = hairpins[hairpin]
    else:
        hseq, start, end = None, 0, len(seq)
    for shift in (-2, -1, 1, 2):
        if shift < 0 and hseq is not None and start + shift >= 0:
            options.append(("5p", shift))
        if shift > 0 and len(seq) - shift >= _MIN_INSERT:
            options.append(("5p", shift))
    for k in (1, 2, 3):
        if len(seq) - k >= _MIN_INSERT:
            options.append(("3p_trim", k))
        if hseq is not None and end + k <= len(hseq):
            options.append(("3p_ext", k))
    for k in (1, 2):
        options.append(("nta", k))
    kind, k = options[rng.integers(len(options))]
    if kind == "5p":
        return hseq[start + k : start] + seq if k < 0 else seq[k:]
    if kind == "3p_trim":
        return seq[:-k]
    if kind == "3p_ext":
        return seq + hseq[end : end + k]
    return seq + ("A" if rng.random() < 0.5 else "T") * k


def _fragment(seq: str, rng: np.random.Generator) -> str:
    if len(seq) <= 18:
        return seq
    length = int(rng.integers(18, min(35, len(seq)) + 1))
    start = int(rng.integers(0, len(seq) - length + 1))
    return seq[start : start + length]


def _random_nt(rng: np.random.Generator, n: int) -> str:
    return "".join(_BASES[rng.integers(0, 4, size=n)]) if n else ""


def _layout(insert: str, protocol: str, adapter: str, umi: str, rng) -> str:
    if protocol == "qiaseq":
        return insert + QIASEQ_ADAPTER + umi + QIASEQ_DOWNSTREAM
    downstream = _TRUSEQ_DOWNSTREAM if adapter.startswith(TRUSEQ_SMALL_RNA_ADAPTER) else ""
    if protocol == "nextflex_v3":
        return _random_nt(rng, 4) + insert + _random_nt(rng, 4) + adapter + downstream
    return insert + adapter + downstream


# Binned Phred scores as written by current Illumina instruments (RTA3: 2, 12, 23, 37).
_QUAL_BINS = np.array([2, 12, 23, 37])


def _sequence_read(template: str, read_length: int, error_rate: float, rng) -> tuple[str, str]:
    """Cut/pad to read_length, add substitution errors and binned Phred+33 qualities.

    Most bases get Q37; the chance of Q23/Q12 rises toward the 3' end; substituted bases get
    Q12 or Q2 (binned qualities also keep the bundled files small).
    """
    read = (template + "A" * read_length)[:read_length]
    bases = np.array(list(read))
    position = np.arange(read_length) / read_length
    draw = rng.random(read_length)
    quals = np.where(draw < 0.02 + 0.10 * position**2, 23, 37)
    quals = np.where(draw < 0.003 + 0.02 * position**2, 12, quals)
    errors = rng.random(read_length) < error_rate
    if errors.any():
        n_err = int(errors.sum())
        index = np.searchsorted(_BASES, bases[errors])
        index = np.where(bases[errors] == "N", 0, index)
        bases[errors] = _BASES[(index + rng.integers(1, 4, size=n_err)) % 4]
        quals[errors] = np.where(rng.random(n_err) < 0.5, 12, 2)
    return "".join(bases), "".join(chr(q + 33) for q in quals)


def _resolve_fold_changes(
    fold_changes: Mapping[str, float] | None, features: list[str]
) -> dict[str, float]:
    """Map fold-change keys to features; a member name of a group selects the group."""
    if not fold_changes:
        return {}
    member_of = {}
    for feature in features:
        member_of[feature] = feature
        for member in feature.split("/"):
            member_of.setdefault(member, feature)
    resolved = {}
    for name, factor in fold_changes.items():
        if name not in member_of:
            raise ValueError(
                f"fold_changes: unknown feature {name!r}; use a mature name from the mature "
                "FASTA, a fragment or spike-in record name"
            )
        if not factor > 0:
            raise ValueError(f"fold_changes: factor of {name!r} must be > 0, got {factor!r}")
        resolved[member_of[name]] = resolved.get(member_of[name], 1.0) * float(factor)
    return resolved


def simulate_smallrna(
    out_fastq_gz: str | os.PathLike,
    *,
    mature_fa: str | os.PathLike,
    hairpin_fa: str | os.PathLike,
    n_reads: int,
    seed: int,
    profile_seed: int = 1,
    adapter: str = TRUSEQ_SMALL_RNA_ADAPTER,
    read_length: int = 51,
    protocol: str = "illumina",
    fold_changes: Mapping[str, float] | None = None,
    error_rate: float = 0.003,
    isomir_fraction: float = 0.3,
    fragment_fraction: float = 0.1,
    fragment_fastas: Mapping[str, str | os.PathLike] | None = None,
    spikeins: str | os.PathLike | None = None,
    umi_length: int = 0,
    spikein_fraction: float = 0.02,
    dispersion: float = 0.0,
    profile: Mapping[str, float] | None = None,
    pcr_duplication: float = 2.0,
    species: str | None = None,
    read_prefix: str = "r",
) -> pd.DataFrame:
    """Write a gzipped small-RNA FASTQ and return its truth (see the module docstring).

    Extra keyword arguments beyond the documented API: ``spikein_fraction``, ``dispersion``
    (gamma replicate noise), ``profile`` (baseline weights per miRNA feature, replacing
    :func:`mirna_profile`), ``pcr_duplication`` (qiaseq reads per molecule), ``species``
    (name prefix filter of the miRNA FASTA files) and ``read_prefix`` (read names are
    ``<prefix><n>``). The output is written under a temporary name and renamed when complete;
    identical arguments give byte-identical files.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"protocol {protocol!r} is not simulated; use one of {', '.join(PROTOCOLS)}")
    if n_reads < 1:
        raise ValueError(f"n_reads must be >= 1, got {n_reads}")
    if not 0 <= fragment_fraction < 1 or not 0 <= spikein_fraction < 1:
        raise ValueError("fragment_fraction and spikein_fraction must be in [0, 1)")
    if fragment_fraction + spikein_fraction >= 1:
        raise ValueError("fragment_fraction + spikein_fraction must leave room for miRNAs")
    if protocol == "qiaseq" and umi_length < 1:
        raise ValueError("protocol qiaseq needs umi_length >= 1 (QIAseq uses 12)")
    if protocol != "qiaseq" and not adapter:
        raise ValueError(f"protocol {protocol} needs a 3' adapter sequence")
    adapter = references.normalize_sequence(adapter or "")

    features, contexts, hairpins = load_mirna_features(mature_fa, hairpin_fa, species)
    mirna_names = sorted(features)
    base = (
        mirna_profile(mirna_names, profile_seed)
        if profile is None
        else pd.Series({n: float(profile.get(n, 0.0)) for n in mirna_names})
    )
    if base.sum() <= 0:
        raise ValueError("profile gives no miRNA any abundance")

    blocks = []  # (class, names, sequences, weights) in a fixed order
    frag_fraction = fragment_fraction if fragment_fastas else 0.0
    spike_fraction = spikein_fraction if spikeins else 0.0
    if fragment_fastas:
        classes = sorted(fragment_fastas)
        for index, rna_class in enumerate(classes):
            recs = references.prepare_plain_reference(fragment_fastas[rna_class])
            weights = _class_weights(recs, [profile_seed, index + 1])
            blocks.append((rna_class, list(recs), list(recs.values()), weights * frag_fraction / len(classes)))
    if spikeins:
        recs = references.prepare_plain_reference(spikeins)
        blocks.append(("spikein", list(recs), list(recs.values()), np.full(len(recs), spike_fraction / len(recs))))

    all_names = mirna_names + [n for block in blocks for n in block[1]]
    effects = _resolve_fold_changes(fold_changes, all_names)
    rng = np.random.default_rng(seed)

    mirna_w = base.to_numpy(dtype=float) * np.array([effects.get(n, 1.0) for n in mirna_names])
    if dispersion > 0:
        mirna_w = mirna_w * rng.gamma(1.0 / dispersion, dispersion, size=len(mirna_w))
    mirna_w = mirna_w / mirna_w.sum() * (1.0 - frag_fraction - spike_fraction)
    names, classes_, sequences, weights = list(mirna_names), ["miRNA"] * len(mirna_names), [
        features[n] for n in mirna_names
    ], [mirna_w]
    for rna_class, recnames, seqs, w in blocks:
        w = w * np.array([effects.get(n, 1.0) for n in recnames])
        if dispersion > 0 and rna_class != "spikein":
            w = w * rng.gamma(1.0 / dispersion, dispersion, size=len(w))
        names += recnames
        classes_ += [rna_class] * len(recnames)
        sequences += seqs
        weights.append(w)
    p = np.concatenate(weights)
    p = p / p.sum()

    if protocol == "qiaseq":
        n_molecules = max(1, min(n_reads, int(round(n_reads / max(pcr_duplication, 1.0)))))
    else:
        n_molecules = n_reads
    mol_counts = rng.multinomial(n_molecules, p)
    mol_feature = np.repeat(np.arange(len(names)), mol_counts)
    copies = np.ones(n_molecules, dtype=int)
    if n_reads > n_molecules:
        efficiency = rng.gamma(2.0, 0.5, size=n_molecules)
        copies += rng.multinomial(n_reads - n_molecules, efficiency / efficiency.sum())

    reads = []
    for mol, feature_index in enumerate(mol_feature):
        rna_class = classes_[feature_index]
        seq = sequences[feature_index]
        if rna_class == "miRNA":
            if rng.random() < isomir_fraction:
                seq = _isomir(seq, contexts[names[feature_index]], hairpins, rng)
        elif rna_class != "spikein":
            seq = _fragment(seq, rng)
        umi = _random_nt(rng, umi_length) if protocol == "qiaseq" else ""
        for _ in range(copies[mol]):
            template = _layout(seq, protocol, adapter, umi, rng)
            reads.append(_sequence_read(template, read_length, error_rate, rng))
    order = rng.permutation(len(reads))

    out = Path(out_fastq_gz)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        lines = []
        for number, index in enumerate(order, 1):
            seq, qual = reads[index]
            lines.append(f"@{read_prefix}{number}\n{seq}\n+\n{qual}\n")
        gz.write("".join(lines).encode())
    os.replace(tmp, out)

    truth = pd.DataFrame(
        {
            "feature": names,
            "class": classes_,
            "molecules": mol_counts,
            "reads": np.bincount(mol_feature, weights=copies, minlength=len(names)).astype(int),
        }
    )
    truth = truth.loc[truth["molecules"] > 0]
    truth = truth.sort_values(["class", "feature"], kind="stable").reset_index(drop=True)
    return truth


def write_truth(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a truth table as TSV (atomically)."""
    references.write_table(df, path)
