"""Seeded bulk RNA-seq simulator: a synthetic contig with genes, and stranded reads with a known truth.

Two parts:

* :func:`make_sim_contig` builds ``chrSim``: a seeded uniform-random DNA sequence that carries
  synthetic genes (1-3 exons, canonical GT..AG introns, both strands). Genes are named with real
  HGNC symbols for the signature genes and ``SIMG###`` for neutral background genes. **Only the
  names are real; the sequences are random.**
* :func:`simulate_sample` draws fragments from spliced transcripts and writes reads as a
  reverse-stranded library (TruSeq stranded / dUTP): read 1 is antisense to the gene, read 2 is
  sense. Per-gene fragment counts are negative-binomial around a baseline times planted fold
  changes, so that replicate noise is realistic and the truth is known.

Everything is deterministic given the seed (numpy ``default_rng``).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "SIGNATURE_GENES",
    "PLANTED_EFFECTS",
    "SimGene",
    "make_sim_contig",
    "parse_gtf_transcripts",
    "gtf_lines",
    "expected_means",
    "draw_counts",
    "simulate_sample",
    "reverse_complement",
    "write_fastq_gz",
]

# Real HGNC symbols given to synthetic genes: the CAF FGF5/FGFR2/SRC/ERBB2 axis, fibroblast
# activation markers, HER2 pathway genes and validated targets of the signature miRNAs.
SIGNATURE_GENES = (
    "FGF5", "FGFR2", "SRC", "ERBB2", "ERBB3", "ACTA2", "FAP", "PDGFRB", "COL1A1", "TAGLN",
    "POSTN", "FGFR1", "FGF2", "EGFR", "GRB7", "STARD3", "PTEN", "PDCD4", "SOCS1", "TRAF6",
    "IRAK1", "ZEB1", "ZEB2", "PIK3CA", "AKT1", "MYC", "CDH1", "VIM", "KRT8", "KRT18", "ESR1",
    "TWIST1", "SNAI1", "TGFB1", "IL6", "CXCL12", "MMP2", "MMP9", "FN1", "COL1A2", "COL3A1",
    "SPARC", "TNC", "S100A4", "PDGFRA", "MYH11", "CNN1", "THBS1", "GAPDH", "ACTB",
)  # fmt: skip

# contrast -> {gene_name: log2 fold change (test over reference)}
PLANTED_EFFECTS = {
    "resistant_vs_sensitive": {
        "FGFR2": 1.8, "SRC": 1.6, "ERBB2": 1.9, "ERBB3": 1.7,
        "SIMG001": -1.6, "SIMG002": -1.6, "SIMG003": -1.8, "SIMG004": -2.0,
    },
    "caf_vs_nf": {
        "ACTA2": 2.0, "FGF5": 2.0, "FAP": 2.0, "PDGFRB": 2.0, "COL1A1": 2.0, "TAGLN": 2.0,
        "POSTN": 2.0,
        "SIMG005": -2.0, "SIMG006": -1.8, "SIMG007": -1.6, "SIMG008": -2.0,
    },
}  # fmt: skip

TRUSEQ_R1_ADAPTER = "AGATCGGAAGAGCACACGTCTGAACTCCAGTCA"
TRUSEQ_R2_ADAPTER = "AGATCGGAAGAGCGTCGTGTAGGGAAAGAGTGT"
_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def reverse_complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)[::-1]


@dataclass
class SimGene:
    """One gene with one transcript; exons are 1-based inclusive genomic intervals, ascending."""

    gene_id: str
    gene_name: str
    chrom: str
    strand: str
    exons: list[tuple[int, int]]
    biotype: str = "protein_coding"
    transcript_id: str = ""
    source: str = "stromir_sim"
    transcripts: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def transcript_sequence(self, genome: Mapping[str, str], exons=None) -> str:
        """Spliced sequence in the gene's sense orientation."""
        exons = exons if exons is not None else self.exons
        seq = "".join(genome[self.chrom][start - 1 : end] for start, end in exons)
        return reverse_complement(seq) if self.strand == "-" else seq


def make_sim_contig(
    seed: int,
    n_genes: int = 150,
    named: Sequence[str] = SIGNATURE_GENES,
    chrom: str = "chrSim",
) -> tuple[str, list[SimGene]]:
    """A seeded random contig and its genes: the named genes first, then SIMG### background."""
    if n_genes < len(named):
        raise ValueError(f"n_genes={n_genes} is smaller than the {len(named)} named genes")
    rng = np.random.default_rng(seed)
    names = list(named) + [f"SIMG{i:03d}" for i in range(1, n_genes - len(named) + 1)]
    # Interleave named and background genes along the contig so neither clusters at one end.
    order = rng.permutation(len(names))
    layout = []
    pos = 1 + int(rng.integers(300, 800))
    for rank, index in enumerate(order):
        n_exons = int(rng.choice([1, 2, 3], p=[0.3, 0.35, 0.35]))
        exon_lengths = rng.integers(250, 700, size=n_exons)
        intron_lengths = rng.integers(80, 400, size=n_exons - 1)
        exons = []
        start = pos
        for i, length in enumerate(exon_lengths):
            exons.append((start, start + int(length) - 1))
            start += int(length)
            if i < n_exons - 1:
                start += int(intron_lengths[i])
        strand = "-" if rng.random() < 0.4 else "+"
        layout.append((index, strand, exons))
        pos = exons[-1][1] + 1 + int(rng.integers(300, 900))
    length = pos + 500
    bases = np.array(list("ACGT"))[rng.integers(0, 4, size=length)]
    genes = []
    for index, strand, exons in layout:
        # Canonical splice motifs in genomic orientation: GT..AG (+), CT..AC (-).
        donor, acceptor = ("GT", "AG") if strand == "+" else ("CT", "AC")
        for (_, end1), (start2, _) in zip(exons[:-1], exons[1:]):
            bases[end1 : end1 + 2] = list(donor)  # 0-based end1 is the first intron base
            bases[start2 - 3 : start2 - 1] = list(acceptor)
        gene_number = index + 1
        genes.append(
            SimGene(
                gene_id=f"SIMGENE{gene_number:04d}",
                gene_name=names[index],
                chrom=chrom,
                strand=strand,
                exons=exons,
                transcript_id=f"SIMTX{gene_number:04d}",
            )
        )
    genes.sort(key=lambda g: g.exons[0][0])
    return "".join(bases), genes


def _attributes(text: str) -> dict[str, str]:
    attrs = {}
    for part in text.strip().split(";"):
        part = part.strip()
        if not part:
            continue
        key, _, value = part.partition(" ")
        attrs[key] = value.strip().strip('"')
    return attrs


def parse_gtf_transcripts(lines: Iterable[str]) -> list[SimGene]:
    """Genes of a GTF with one entry per gene and every transcript's exons (for read drawing)."""
    genes: dict[str, SimGene] = {}
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 9 or fields[2] != "exon":
            continue
        attrs = _attributes(fields[8])
        gene = genes.setdefault(
            attrs["gene_id"],
            SimGene(
                gene_id=attrs["gene_id"],
                gene_name=attrs.get("gene_name", attrs["gene_id"]),
                chrom=fields[0],
                strand=fields[6],
                exons=[],
                biotype=attrs.get("gene_biotype", ""),
            ),
        )
        gene.transcripts.setdefault(attrs["transcript_id"], []).append(
            (int(fields[3]), int(fields[4]))
        )
    for gene in genes.values():
        for exons in gene.transcripts.values():
            exons.sort()
        # The longest transcript stands for the gene.
        tx, exons = max(gene.transcripts.items(), key=lambda kv: sum(e - s + 1 for s, e in kv[1]))
        gene.transcript_id, gene.exons = tx, exons
    return list(genes.values())


def gtf_lines(genes: Iterable[SimGene]) -> list[str]:
    """Ensembl-style GTF lines (gene, transcript, exon) for synthetic genes."""
    lines = []
    for g in genes:
        base = f'gene_id "{g.gene_id}"; gene_name "{g.gene_name}"; gene_biotype "{g.biotype}";'
        start, end = g.exons[0][0], g.exons[-1][1]
        cols = f"{g.chrom}\t{g.source}\t{{}}\t{{}}\t{{}}\t.\t{g.strand}\t.\t"
        lines.append(cols.format("gene", start, end) + base)
        tx = f'{base} transcript_id "{g.transcript_id}"; transcript_name "{g.gene_name}-201";'
        lines.append(cols.format("transcript", start, end) + tx)
        numbered = g.exons if g.strand == "+" else list(reversed(g.exons))
        for number, (es, ee) in enumerate(numbered, start=1):
            lines.append(cols.format("exon", es, ee) + f'{tx} exon_number "{number}";')
    return lines


def expected_means(
    baseline: Mapping[str, float],
    library_size: float,
    log2fc: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Expected fragments per gene: baseline weights times 2**log2FC, scaled to library_size."""
    log2fc = log2fc or {}
    weights = {g: w * 2.0 ** log2fc.get(g, 0.0) for g, w in baseline.items()}
    total = sum(weights.values())
    return {g: library_size * w / total for g, w in weights.items()}


def draw_counts(
    means: Mapping[str, float], dispersion: float, rng: np.random.Generator
) -> dict[str, int]:
    """Negative-binomial (gamma-Poisson) counts with variance mu + dispersion * mu**2."""
    out = {}
    for gene, mu in means.items():
        if mu <= 0:
            out[gene] = 0
            continue
        lam = rng.gamma(shape=1.0 / dispersion, scale=mu * dispersion)
        out[gene] = int(rng.poisson(lam))
    return out


def _mutate(seq: str, rate: float, rng: np.random.Generator) -> tuple[str, str]:
    """Substitution errors at the given rate; returns (sequence, quality string)."""
    seq_list = list(seq)
    qual = ["F"] * len(seq_list)
    for i in np.flatnonzero(rng.random(len(seq_list)) < rate):
        seq_list[i] = "ACGT"[(("ACGT".index(seq_list[i]) if seq_list[i] in "ACGT" else 0) + int(rng.integers(1, 4))) % 4]
        qual[i] = ","
    return "".join(seq_list), "".join(qual)


def simulate_sample(
    counts: Mapping[str, int],
    transcripts: Mapping[str, str],
    rng: np.random.Generator,
    read_length: int = 50,
    fragment_mean: float = 200.0,
    fragment_sd: float = 40.0,
    short_fraction: float = 0.03,
    error_rate: float = 0.002,
) -> list[tuple[str, str, str, str]]:
    """Read pairs (r1_seq, r1_qual, r2_seq, r2_qual) of a reverse-stranded library, shuffled.

    A fragment is a window of the sense transcript; read 2 is its sense 5' end, read 1 the
    reverse complement of its 3' end (dUTP). A ``short_fraction`` of fragments are shorter than
    the read, so both reads run into TruSeq adapters (fastp trims them).
    """
    pairs = []
    for gene, n in counts.items():
        tx = transcripts[gene]
        tx_len = len(tx)
        for _ in range(n):
            if rng.random() < short_fraction:
                flen = int(rng.integers(30, read_length))
            else:
                flen = int(round(rng.normal(fragment_mean, fragment_sd)))
            flen = max(30, min(flen, tx_len))
            start = int(rng.integers(0, tx_len - flen + 1))
            fragment = tx[start : start + flen]
            r2 = (fragment + TRUSEQ_R2_ADAPTER * 2)[:read_length]
            r1 = (reverse_complement(fragment) + TRUSEQ_R1_ADAPTER * 2)[:read_length]
            r1, q1 = _mutate(r1, error_rate, rng)
            r2, q2 = _mutate(r2, error_rate, rng)
            pairs.append((r1, q1, r2, q2))
    order = rng.permutation(len(pairs))
    return [pairs[i] for i in order]


def write_fastq_gz(path, records: Iterable[tuple[str, str, str]]) -> None:
    """Write (name, seq, qual) records as reproducible gzip (mtime 0)."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
        for name, seq, qual in records:
            gz.write(f"@{name}\n{seq}\n+\n{qual}\n".encode())
