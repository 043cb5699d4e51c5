"""Unit tests of the RNA-seq package: strandedness, checks, aligner parameters, counts."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from stromir.rnaseq import align, checks, counts
from stromir.rnaseq import strandedness as st
from stromir.simulate import rnaseq as sim


def _gene_reads(seed=1, n=400):
    """Reads of known orientation: simulated dUTP pairs placed back on the genome."""
    sequence, genes = sim.make_sim_contig(seed, n_genes=60)
    genome = {"chrSim": sequence}
    index = st.GeneStrandIndex(
        st.exons_from_gtf(sim.gtf_lines(genes))
    )
    rng = np.random.default_rng(seed)
    reads = []
    for gene in genes[:20]:
        # single-exon stretch inside the first exon: read 1 antisense, read 2 sense
        start, end = gene.exons[0]
        for _ in range(n // 20):
            pos = int(rng.integers(start - 1, end - 50))
            gene_plus = gene.strand == "+"
            # read 1 maps to the strand opposite the gene, read 2 to the gene strand
            reads.append(("chrSim", pos, pos + 50, gene_plus, False))
            reads.append(("chrSim", pos, pos + 50, not gene_plus, True))
    assert genome["chrSim"]
    return reads, index


def test_reverse_stranded_reads_are_called_reverse():
    reads, index = _gene_reads()
    sense, antisense = st.count_orientations(reads, index)
    assert sense == 0 and antisense == len(reads)
    assert st.infer_strandedness(sense, antisense, 0.8)["inferred"] == "reverse"


def test_forward_and_unstranded_reads():
    reads, index = _gene_reads()
    flipped = [(c, s, e, not r, r2) for c, s, e, r, r2 in reads]
    sense, antisense = st.count_orientations(flipped, index)
    assert st.infer_strandedness(sense, antisense)["inferred"] == "forward"
    mixed = reads[: len(reads) // 2] + flipped[len(reads) // 2 :]
    sense, antisense = st.count_orientations(mixed, index)
    assert abs(sense - antisense) <= len(reads) * 0.1
    assert st.infer_strandedness(sense, antisense)["inferred"] == "none"


def test_reads_outside_genes_or_on_both_strands_are_ignored():
    index = st.GeneStrandIndex([("c", 100, 200, "+"), ("c", 150, 300, "-")])
    reads = [("c", 10, 60, False, False), ("c", 160, 190, False, False), ("c", 100, 140, False, False)]
    assert st.count_orientations(reads, index) == (1, 0)


@pytest.mark.parametrize(
    "sense, antisense, call",
    [(95, 5, "forward"), (5, 95, "reverse"), (52, 48, "none"), (70, 30, "undetermined"),
     (3, 1, "undetermined")],
)  # fmt: skip
def test_infer_strandedness_thresholds(sense, antisense, call):
    assert st.infer_strandedness(sense, antisense, 0.8, min_reads=50)["inferred"] == call


def test_resolve_strandedness_warns_on_contradiction():
    used, warning = st.resolve_strandedness("forward", "reverse", 0.02)
    assert used == "forward" and "declared forward but reads look reverse" in warning
    assert st.resolve_strandedness("auto", "reverse") == ("reverse", "")
    used, warning = st.resolve_strandedness("", "undetermined")
    assert used == "none" and "could not be inferred" in warning
    assert st.resolve_strandedness("reverse", "reverse") == ("reverse", "")
    with pytest.raises(ValueError, match="units.tsv"):
        st.resolve_strandedness("stranded", "reverse")


def test_keep_read_is_deterministic_and_keeps_the_fraction():
    names = [f"r{i}" for i in range(20000)]
    kept = [n for n in names if st.keep_read(n, 0.25)]
    assert kept == [n for n in names if st.keep_read(n, 0.25)]
    assert 0.22 < len(kept) / len(names) < 0.28


def _fastq(path, n):
    with gzip.open(path, "wt") as out:
        for i in range(n):
            out.write(f"@r{i}\nACGT\n+\nFFFF\n")


def test_mate_count_mismatch_names_the_file(tmp_path):
    _fastq(tmp_path / "a_1.fq.gz", 10)
    _fastq(tmp_path / "a_2.fq.gz", 9)
    assert checks.check_mate_counts(tmp_path / "a_1.fq.gz", tmp_path / "a_1.fq.gz") == 10
    with pytest.raises(checks.InputError) as error:
        checks.check_mate_counts(tmp_path / "a_1.fq.gz", tmp_path / "a_2.fq.gz")
    message = str(error.value)
    assert "a_2.fq.gz" in message and "\n" not in message


def test_truncated_fastq_is_rejected(tmp_path):
    (tmp_path / "t.fq").write_text("@r1\nACGT\n+\n")
    with pytest.raises(checks.InputError, match="t.fq"):
        checks.count_fastq_records(tmp_path / "t.fq")


def test_gtf_chromosomes_must_match_fasta():
    gtf = ["1\tx\texon\t1\t10\t.\t+\t.\tgene_id \"g\";"]
    with pytest.raises(checks.InputError, match="genes.gtf"):
        checks.check_gtf_matches_fasta(checks.gtf_chromosomes(gtf), ["chr1"], "genes.gtf", "g.fa")
    assert checks.check_gtf_matches_fasta(["chr1", "chrUn"], ["chr1"], "genes.gtf", "g.fa") == ["chrUn"]
    assert checks.fasta_names([">chr1 desc\n", "ACGT\n"]) == ["chr1"]


def test_star_parameters():
    assert align.star_sa_index_nbases(3_100_000_000) == 14
    assert align.star_sa_index_nbases(320_000) == 8
    assert align.star_sa_index_nbases(40_000) == 6
    assert align.star_sjdb_overhang(151) == 150


def test_parse_aligner_logs():
    star = "   Number of input reads |\t100\n   Uniquely mapped reads number |\t90\n" \
           "   Number of reads mapped to multiple loci |\t5\n"  # fmt: skip
    assert align.parse_star_log(star) == {"aligner_input": 100, "uniquely_aligned": 90, "multi_aligned": 5}
    hisat = ("HISAT2 summary stats:\n\tTotal pairs: 100\n\t\tAligned concordantly or discordantly 0 time: 4\n"
             "\t\tAligned concordantly 1 time: 80\n\t\tAligned concordantly >1 times: 10\n"
             "\t\tAligned discordantly 1 time: 6\n")  # fmt: skip
    assert align.parse_hisat2_summary(hisat) == {"aligner_input": 100, "uniquely_aligned": 86, "multi_aligned": 10}
    single = "HISAT2 summary stats:\n\tTotal reads: 50\n\t\tAligned 0 time: 5\n\t\tAligned 1 time: 40\n\t\tAligned >1 times: 5\n"
    assert align.parse_hisat2_summary(single)["uniquely_aligned"] == 40


FC = """# Program:featureCounts v2.0.3
Geneid\tChr\tStart\tEnd\tStrand\tLength\tgene_name\tx.bam
g2\tc\t1\t10\t+\t10\tB\t{b}
g1\tc\t20\t30\t+\t11\tNA\t{a}
"""


def test_merge_units_sums_lanes_and_keeps_names():
    tables = {
        ("s1", "L1"): counts.read_featurecounts(FC.format(a=1, b=2)),
        ("s1", "L2"): counts.read_featurecounts(FC.format(a=3, b=4)),
        ("s0", "L1"): counts.read_featurecounts(FC.format(a=5, b=0)),
    }
    matrix = counts.merge_units(tables, ["s1", "s0"])
    assert list(matrix.columns) == ["gene_id", "gene_name", "s1", "s0"]
    assert matrix["gene_id"].tolist() == ["g1", "g2"]
    assert matrix["gene_name"].tolist() == ["g1", "B"]  # missing name falls back to the id
    assert matrix["s1"].tolist() == [4, 6] and matrix["s0"].tolist() == [5, 0]


def test_qc_summary_joins_units_and_flags_warnings():
    base = dict(paired=True, reads_in=10, reads_after_trimming=9, uniquely_aligned=8, multi_aligned=1,
                assigned=6, declared="reverse", inferred="reverse", used="reverse", fraction_sense=0.01,
                warning="")  # fmt: skip
    rows = [dict(base, sample="a", unit="L1"), dict(base, sample="a", unit="L2", warning="W")]
    table = counts.qc_summary(rows)
    row = table.iloc[0]
    assert row["reads_in"] == 20 and row["assigned"] == 12 and row["units"] == 2
    assert row["strandedness_warning"] == "L2: W"
    assert row["percent_assigned"] == pytest.approx(100 * 12 / 18, abs=0.01)


def test_simulated_truth_matches_planted_effects(repo):
    truth = pd.read_csv(repo / "resources/testdata/rnaseq/simulated/truth.tsv", sep="\t")
    planted = pd.read_csv(repo / "resources/testdata/rnaseq/simulated/planted_effects.tsv", sep="\t")
    wide = truth.pivot_table(index="gene_name", columns="sample", values="fragments")
    res = wide[["rna_res_1", "rna_res_2", "rna_res_3"]].mean(axis=1)
    sens = wide[["rna_sens_1", "rna_sens_2", "rna_sens_3"]].mean(axis=1)
    for gene, lfc in planted.query("contrast == 'resistant_vs_sensitive'")[["gene_name", "log2FC"]].values:
        assert np.sign(np.log2(res[gene] / sens[gene])) == np.sign(lfc), gene
    assert {"chr22", "chrSim"} <= set(truth["contig"])


def test_hisat2_splice_sites_from_gtf_exons():
    """0-based flanking exon bases per intron (HISAT2 manual layout), unique and sorted; exons
    1-5 nt apart are merged, not an intron; single-exon transcripts and non-exon lines give
    nothing."""
    def exon(chrom, start, end, strand, tx):
        return f'{chrom}\tsrc\texon\t{start}\t{end}\t.\t{strand}\t.\tgene_id "g"; transcript_id "{tx}";\n'

    gtf = [
        "# header\n",
        exon("chr1", 300, 400, "+", "t1"),  # given out of order
        exon("chr1", 100, 200, "+", "t1"),
        exon("chr1", 100, 200, "+", "t2"),  # same intron again in a second transcript
        exon("chr1", 300, 400, "+", "t2"),
        exon("chr1", 404, 500, "+", "t2"),  # 3-nt gap: merged into the previous exon
        exon("chr1", 600, 700, "+", "t2"),
        exon("chr2", 50, 60, "-", "t3"),
        'chr1\tsrc\tgene\t100\t700\t.\t+\t.\tgene_id "g";\n',
    ]
    assert align.hisat2_splice_sites(gtf) == [("chr1", 199, 299, "+"), ("chr1", 499, 599, "+")]
    from pathlib import Path

    gtf_path = Path(__file__).resolve().parents[1] / "resources/testdata/references/genome/genes.gtf"
    real = align.hisat2_splice_sites(open(gtf_path))
    assert real and all(left < right for _, left, right, _ in real)
