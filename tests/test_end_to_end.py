"""A real run of the default config on the bundled data (real tools, no mocks): key outputs."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import REPO, run_snakemake

pytestmark = pytest.mark.slow

SAMPLES = pd.read_csv(REPO / "config/samples.tsv", sep="\t", dtype=str, keep_default_na=False)
SMALLRNA = SAMPLES.loc[SAMPLES.assay == "smallrna", "sample"].tolist()
RNASEQ = SAMPLES.loc[SAMPLES.assay == "rnaseq", "sample"].tolist()


def read(run, path):
    return pd.read_csv(run / path, sep="\t")


@pytest.mark.parametrize(
    "path, id_columns, samples",
    [
        ("results/smallrna/counts/mature_counts.tsv", ["feature"], SMALLRNA),
        ("results/smallrna/counts/hairpin_counts.tsv", ["feature"], SMALLRNA),
        ("results/smallrna/counts/spikein_counts.tsv", ["feature"], SMALLRNA),
        ("results/rnaseq/counts/gene_counts.tsv", ["gene_id", "gene_name"], RNASEQ),
    ],
)
def test_count_matrices(default_run, path, id_columns, samples):
    table = read(default_run, path)
    assert list(table.columns) == id_columns + samples
    counts = table[samples]
    assert not counts.isna().any().any(), f"{path} has NaN counts"
    assert all(pd.api.types.is_integer_dtype(t) for t in counts.dtypes), f"{path} is not integer"
    assert (counts >= 0).all().all()
    assert table[id_columns[0]].is_unique
    assert len(table) > 0


def test_every_sample_has_reads(default_run):
    mature = read(default_run, "results/smallrna/counts/mature_counts.tsv")
    genes = read(default_run, "results/rnaseq/counts/gene_counts.tsv")
    assert (mature[SMALLRNA].sum() > 1000).all(), mature[SMALLRNA].sum().to_dict()
    # GM12878 chr22 reads were picked around SNPs, mostly outside genes: few are assigned
    simulated = [s for s in RNASEQ if s.startswith("rna_")]
    assert (genes[simulated].sum() > 3000).all(), genes[simulated].sum().to_dict()
    assert (genes[RNASEQ].sum() > 50).all(), genes[RNASEQ].sum().to_dict()


def test_qc_summaries_cover_every_sample(default_run):
    for assay, samples in (("smallrna", SMALLRNA), ("rnaseq", RNASEQ)):
        summary = read(default_run, f"results/{assay}/qc/summary.tsv")
        assert sorted(summary["sample"]) == sorted(samples)


def test_second_run_has_nothing_to_do(default_run):
    result = run_snakemake(default_run, "-n", "--cores", "1")
    assert "Nothing to be done" in result.stdout + result.stderr


PLANTED = {
    "smallrna": REPO / "resources/testdata/smallrna/simulated/planted_effects.tsv",
    "rnaseq": REPO / "resources/testdata/rnaseq/simulated/planted_effects.tsv",
}
DE_COLUMNS = ["feature", "feature_name", "baseMean", "log2FoldChange", "lfcSE", "stat", "pvalue",
              "padj", "log2FoldChange_shrunk", "lfcSE_shrunk"]


@pytest.mark.parametrize("assay", ["smallrna", "rnaseq"])
@pytest.mark.parametrize("contrast", ["resistant_vs_sensitive", "caf_vs_nf"])
def test_de_finds_planted_differences(default_run, assay, contrast):
    """Every planted difference is found (padj < 0.05, right sign); unplanted ones mostly not."""
    from stromir.de.truth import evaluate_planted

    table = read(default_run, f"results/de/{assay}/{contrast}.tsv")
    assert list(table.columns) == DE_COLUMNS
    planted = pd.read_csv(PLANTED[assay], sep="\t")
    result = evaluate_planted(table, planted, alpha=0.05, contrast=contrast)
    print(f"{assay}/{contrast}: {result['found']}/{result['n_planted']} planted found, "
          f"{result['false_positives']} false positives among {result['n_tested_unplanted']}")
    assert result["n_planted"] >= 5
    assert result["found"] == result["n_planted"], result["missed"]
    assert result["right_sign"] == result["n_planted"], result["wrong_sign"]
    assert result["false_positives"] <= 0.05 * result["n_tested_unplanted"]


def test_signature_directions_on_planted_truth(default_run):
    tests = read(default_run, "results/signatures/tests.tsv").set_index(["signature", "assay", "contrast"])
    expected = [
        ("exosomal_trastuzumab_resistance", "smallrna", "resistant_vs_sensitive"),
        ("her2_restraining_mirnas", "smallrna", "resistant_vs_sensitive"),
        ("fibroblast_activation", "rnaseq", "caf_vs_nf"),
    ]
    for key in expected:
        assert str(tests.loc[key, "direction_matches"]).lower() == "true", key


def test_anndata_has_layers_and_de(default_run):
    import anndata

    for assay, samples in (("smallrna", SMALLRNA), ("rnaseq", RNASEQ)):
        adata = anndata.read_h5ad(default_run / f"results/anndata/{assay}.h5ad")
        assert list(adata.obs_names) == samples
        assert {"normalized", "vst"} <= set(adata.layers)
        assert "condition" in adata.obs


def test_mirtop_reads_the_isomir_gff(default_run, tmp_path):
    """mirGFF3 per sample is readable by mirtop itself (`mirtop stats`), with isomiR counts."""
    import subprocess
    import sys
    from pathlib import Path

    mirtop = Path(sys.executable).parent / "mirtop"
    gff = default_run / "results/smallrna/isomirs/srna_res_1.gff3"
    result = subprocess.run([str(mirtop), "stats", "-o", str(tmp_path), str(gff)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    stats = pd.read_csv(tmp_path / "mirtop_stats.txt", comment="#", index_col=0)
    sums = stats.set_index("category")["counts"]
    assert sums["iso_3p_sum"] > 0 and sums["iso_5p_sum"] > 0 and sums["iso_add3p_sum"] > 0
