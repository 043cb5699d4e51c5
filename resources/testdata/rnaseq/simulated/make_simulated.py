"""Write the simulated bulk RNA-seq FASTQs of config/units.tsv (samples with batch `simulated`).

Run from the repository root: `.venv/bin/python resources/testdata/rnaseq/simulated/make_simulated.py`.
Reads are drawn from resources/testdata/references/genome/{genome.fa,genes.gtf}: mostly from the
synthetic chrSim genes, and about 3% from the real chr22 genes. Library: reverse-stranded
(read 1 antisense), 2x50, ~4,000 fragments per sample, negative-binomial replicate noise.
Writes truth.tsv (fragments drawn per sample and gene) and planted_effects.tsv next to this script.
"""

import csv
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(ROOT / "workflow" / "lib"))

from stromir.simulate.rnaseq import (  # noqa: E402
    PLANTED_EFFECTS,
    SIGNATURE_GENES,
    draw_counts,
    expected_means,
    parse_gtf_transcripts,
    simulate_sample,
    write_fastq_gz,
)

SEED = 20260123
DISPERSION = 0.04
CHR22_FRACTION = 0.03
MEAN_FRAGMENTS = 4000
# Which contrast's effects apply to a sample: (cell_type, condition) -> contrast.
TEST_GROUPS = {("cancer", "resistant"): "resistant_vs_sensitive", ("fibroblast", "CAF"): "caf_vs_nf"}


def read_tsv(path):
    with open(path) as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def read_fasta(path):
    records, name = {}, None
    for line in open(path):
        line = line.strip()
        if line.startswith(">"):
            name = line[1:].split()[0]
            records[name] = []
        elif name:
            records[name].append(line)
    return {k: "".join(v) for k, v in records.items()}


def main():
    genome_dir = ROOT / "resources" / "testdata" / "references" / "genome"
    genome = read_fasta(genome_dir / "genome.fa")
    genes = parse_gtf_transcripts(open(genome_dir / "genes.gtf"))
    transcripts = {g.gene_id: g.transcript_sequence(genome) for g in genes}
    name_of = {g.gene_id: g.gene_name for g in genes}
    contig_of = {g.gene_id: g.chrom for g in genes}

    rng = np.random.default_rng(SEED)
    # Baseline weights: log-normal background; named genes get at least a moderate level so
    # their changes are detectable at ~4,000 fragments per sample.
    sim_ids = [g.gene_id for g in genes if g.chrom == "chrSim"]
    chr22_ids = [g.gene_id for g in genes if g.chrom == "chr22"]
    sim_w = {gid: float(rng.lognormal(0.0, 0.8)) for gid in sim_ids}
    for gid in sim_ids:
        if name_of[gid] in SIGNATURE_GENES or name_of[gid] in ("SIMG001", "SIMG002", "SIMG003",
                                                               "SIMG004", "SIMG005", "SIMG006",
                                                               "SIMG007", "SIMG008"):
            sim_w[gid] = max(sim_w[gid], 1.5)
    sim_total = sum(sim_w.values())
    chr22_w = {gid: float(rng.lognormal(0.0, 0.5)) for gid in chr22_ids}
    chr22_total = sum(chr22_w.values())
    baseline = {gid: (1 - CHR22_FRACTION) * w / sim_total for gid, w in sim_w.items()}
    baseline.update({gid: CHR22_FRACTION * w / chr22_total for gid, w in chr22_w.items()})

    samples = {r["sample"]: r for r in read_tsv(ROOT / "config" / "samples.tsv")}
    units = read_tsv(ROOT / "config" / "units.tsv")
    truth_rows = []
    for sample, row in samples.items():
        if row["assay"] != "rnaseq" or row.get("batch") != "simulated":
            continue
        sample_units = [u for u in units if u["sample"] == sample]
        contrast = TEST_GROUPS.get((row["cell_type"], row["condition"]))
        log2fc = {}
        if contrast:
            by_name = PLANTED_EFFECTS[contrast]
            log2fc = {gid: by_name[name_of[gid]] for gid in baseline if name_of[gid] in by_name}
        library = MEAN_FRAGMENTS * float(rng.uniform(0.85, 1.15))
        counts = draw_counts(expected_means(baseline, library, log2fc), DISPERSION, rng)
        pairs = simulate_sample(counts, transcripts, rng)
        # Lanes: split fragments at random between the sample's units.
        lane = rng.choice(len(sample_units), size=len(pairs))
        for index, unit in enumerate(sample_units):
            chosen = [p for p, lane_i in zip(pairs, lane) if lane_i == index]
            write_fastq_gz(ROOT / unit["fq1"], ((f"r{i}", r1, q1) for i, (r1, q1, _, _) in enumerate(chosen)))
            if unit["fq2"]:
                write_fastq_gz(ROOT / unit["fq2"], ((f"r{i}", r2, q2) for i, (_, _, r2, q2) in enumerate(chosen)))
        for gid in sorted(counts):
            truth_rows.append((sample, gid, name_of[gid], contig_of[gid], counts[gid]))
        print(f"{sample}: {len(pairs)} fragments in {len(sample_units)} unit(s)")

    with open(HERE / "truth.tsv", "w") as out:
        out.write("sample\tgene_id\tgene_name\tcontig\tfragments\n")
        for r in truth_rows:
            out.write("\t".join(map(str, r)) + "\n")
    with open(HERE / "planted_effects.tsv", "w") as out:
        out.write("contrast\tgene_name\tlog2FC\n")
        for contrast, effects in PLANTED_EFFECTS.items():
            for gene, lfc in effects.items():
                out.write(f"{contrast}\t{gene}\t{lfc}\n")


if __name__ == "__main__":
    main()
