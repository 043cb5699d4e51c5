"""RNA-seq part of the workflow run for real (STAR and HISAT2, real tools) on the bundled data,
in scratch copies, plus dry runs and bad-input cases."""

from __future__ import annotations

import gzip
import shutil

import pandas as pd
import pytest
import yaml

from conftest import REPO, run_snakemake

# Real HER2+ cell-line reads (BT474, SKBR3; fusion-enriched, see their PROVENANCE.md) for
# plumbing only: their genes are not on the bundled genome, so they align to almost nothing and
# are kept out of the default design (a zero-count sample cannot be normalised).
HER2_PLUMBING = [
    ("bt474_her2", "resources/testdata/rnaseq/real/BT474f_1.fq.gz", "resources/testdata/rnaseq/real/BT474f_2.fq.gz"),
    ("skbr3_her2", "resources/testdata/rnaseq/real/SKBR3f_1.fq.gz", "resources/testdata/rnaseq/real/SKBR3f_2.fq.gz"),
]

TARGETS = (
    "results/rnaseq/counts/gene_counts.tsv",
    "results/rnaseq/qc/summary.tsv",
    "results/rnaseq/qc/plots/read_fates.svg",
)


def make_rnaseq_workdir(dest, samples=None, config_changes=None, unit_changes=None, plumbing=False):
    """A scratch copy holding only what the RNA-seq part reads, with an RNA-seq-only design."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "Snakefile", dest / "Snakefile")
    for name in ("workflow", "envs"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for sub in ("testdata/references/genome", "testdata/rnaseq"):
        shutil.copytree(REPO / "resources" / sub, dest / "resources" / sub)
    for name in ("signatures.yaml", "mirna_targets.tsv"):
        if (REPO / "resources" / name).exists():
            shutil.copy2(REPO / "resources" / name, dest / "resources" / name)
    (dest / "config").mkdir()
    config = yaml.safe_load((REPO / "config/config.yaml").read_text())
    config["contrasts"] = [c for c in config["contrasts"] if c["assay"] == "rnaseq"]
    config.update(config_changes or {})
    sheet = pd.read_csv(REPO / "config/samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    units = pd.read_csv(REPO / "config/units.tsv", sep="\t", dtype=str, keep_default_na=False)
    sheet = sheet[sheet["assay"] == "rnaseq"]
    if samples is not None:
        sheet = sheet[sheet["sample"].isin(samples)]
    if plumbing:
        sheet = pd.concat([sheet, pd.DataFrame(
            [{"sample": name, "assay": "rnaseq", "cell_type": "public", "condition": "public",
              "batch": "public"} for name, _, _ in HER2_PLUMBING])]).fillna("")
        units = pd.concat([units, pd.DataFrame(
            [{"sample": name, "unit": "L001", "fq1": fq1, "fq2": fq2, "strandedness": "auto"}
             for name, fq1, fq2 in HER2_PLUMBING])]).fillna("")
    units = units[units["sample"].isin(sheet["sample"])].copy()
    # keep only contrasts the subset can still run (two replicates per level)
    levels = sheet["condition"].value_counts()
    config["contrasts"] = [
        c for c in config["contrasts"]
        if levels.get(c["test"], 0) >= 2 and levels.get(c["reference"], 0) >= 2
    ]
    for (sample, unit, column), value in (unit_changes or {}).items():
        units.loc[(units["sample"] == sample) & (units["unit"] == unit), column] = value
    sheet.to_csv(dest / "config/samples.tsv", sep="\t", index=False)
    units.to_csv(dest / "config/units.tsv", sep="\t", index=False)
    (dest / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return dest


def rnaseq_samples(workdir):
    sheet = pd.read_csv(workdir / "config/samples.tsv", sep="\t", dtype=str)
    return sheet.loc[sheet["assay"] == "rnaseq", "sample"].tolist()


def featurecounts_assigned(workdir):
    """Assigned reads per sample from featureCounts' own per-unit .summary files."""
    units = pd.read_csv(workdir / "config/units.tsv", sep="\t", dtype=str)
    units = units[units["sample"].isin(rnaseq_samples(workdir))]
    assigned = {}
    for sample, unit in zip(units["sample"], units["unit"]):
        path = workdir / f"results/rnaseq/featurecounts/{sample}/{sample}_{unit}.txt.summary"
        table = pd.read_csv(path, sep="\t", index_col=0)
        assigned[sample] = assigned.get(sample, 0) + int(table.loc["Assigned"].iloc[0])
    return assigned


@pytest.fixture(scope="module")
def star_run(default_run):
    """Every RNA-seq sample of the default design through STAR: the suite's default run."""
    return default_run


def test_star_gene_counts_match_featurecounts_summary(star_run):
    samples = rnaseq_samples(star_run)
    counts = pd.read_csv(star_run / "results/rnaseq/counts/gene_counts.tsv", sep="\t")
    assert list(counts.columns) == ["gene_id", "gene_name", *samples]
    assert counts["gene_id"].is_unique and counts["gene_id"].is_monotonic_increasing
    assert all(pd.api.types.is_integer_dtype(counts[s]) for s in samples)
    assert counts[samples].sum().to_dict() == featurecounts_assigned(star_run)
    # both contigs of the bundled genome get reads; signature genes are named by symbol
    assert counts.loc[counts["gene_id"].str.startswith("ENSG"), samples].to_numpy().sum() > 0
    assert {"ERBB2", "FGF5", "FGFR2", "SRC", "ACTA2"} <= set(counts["gene_name"])


def test_star_planted_effects_are_visible(star_run):
    counts = pd.read_csv(star_run / "results/rnaseq/counts/gene_counts.tsv", sep="\t")
    counts = counts.set_index("gene_name")
    cpm = counts.drop(columns="gene_id") / counts.drop(columns="gene_id").sum() * 1e6
    res = cpm[["rna_res_1", "rna_res_2", "rna_res_3"]].mean(axis=1)
    sens = cpm[["rna_sens_1", "rna_sens_2", "rna_sens_3"]].mean(axis=1)
    caf = cpm[["rna_caf_1", "rna_caf_2", "rna_caf_3"]].mean(axis=1)
    nf = cpm[["rna_nf_1", "rna_nf_2", "rna_nf_3"]].mean(axis=1)
    for gene in ("ERBB2", "FGFR2", "SRC", "ERBB3"):
        assert res[gene] > 2 * sens[gene], gene
    for gene in ("ACTA2", "FGF5", "FAP", "POSTN"):
        assert caf[gene] > 2 * nf[gene], gene


def test_star_qc_summary_reports_strandedness(star_run):
    summary = pd.read_csv(star_run / "results/rnaseq/qc/summary.tsv", sep="\t", keep_default_na=False)
    summary = summary.set_index("sample")
    assert summary.index.tolist() == rnaseq_samples(star_run)
    simulated = [s for s in summary.index if s.startswith("rna_")]
    assert (summary.loc[simulated, "inferred_strandedness"] == "reverse").all()
    assert summary.loc["rna_res_3", "declared_strandedness"] == "auto"
    assert summary.loc["rna_res_3", "used_strandedness"] == "reverse"
    assert (summary.loc[simulated, "strandedness_warning"] == "").all()
    assert summary.loc["rna_sens_1", "units"] == 2
    assert summary.loc["rna_nf_3", "layout"] == "single"
    row = summary.loc["rna_sens_2"]
    assert row["reads_in"] >= row["reads_after_trimming"] >= row["uniquely_aligned"] >= row["assigned"] > 0
    assert summary["assigned"].to_dict() == featurecounts_assigned(star_run)


def test_hisat2_dry_run(tmp_path):
    workdir = make_rnaseq_workdir(tmp_path / "w", config_changes={})
    config = yaml.safe_load((workdir / "config/config.yaml").read_text())
    config["rnaseq"]["aligner"] = "hisat2"
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    result = run_snakemake(workdir, "-n", "--cores", "2", *TARGETS)
    assert "align_hisat2" in result.stdout and "index_hisat2" in result.stdout
    assert "align_star" not in result.stdout


def test_hisat2_real_run_flags_wrong_declared_strandedness(tmp_path):
    samples = ["rna_sens_2", "rna_sens_3", "rna_res_1", "rna_res_2", "rna_nf_3", "rna_caf_1"]
    workdir = make_rnaseq_workdir(
        tmp_path / "w", samples=samples, unit_changes={("rna_caf_1", "L001", "strandedness"): "forward"},
        plumbing=True,
    )
    samples += [name for name, _, _ in HER2_PLUMBING]
    config = yaml.safe_load((workdir / "config/config.yaml").read_text())
    config["rnaseq"]["aligner"] = "hisat2"
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    run_snakemake(workdir, "--cores", "2", *TARGETS)
    counts = pd.read_csv(workdir / "results/rnaseq/counts/gene_counts.tsv", sep="\t")
    assert counts[samples].sum().to_dict() == featurecounts_assigned(workdir)
    summary = pd.read_csv(workdir / "results/rnaseq/qc/summary.tsv", sep="\t", keep_default_na=False)
    summary = summary.set_index("sample")
    assert "declared forward but reads look reverse" in summary.loc["rna_caf_1", "strandedness_warning"]
    assert summary.loc["rna_caf_1", "used_strandedness"] == "forward"
    assert summary.loc["rna_sens_2", "strandedness_warning"] == ""
    # counted against the wrong strand, almost nothing is assigned
    assert summary.loc["rna_caf_1", "assigned"] < 0.1 * summary.loc["rna_sens_2", "assigned"]
    assert summary.loc["rna_nf_3", "uniquely_aligned"] > 0.9 * summary.loc["rna_nf_3", "reads_in"]
    for name, _, _ in HER2_PLUMBING:  # real HER2+ paired reads went through fastp and HISAT2
        assert summary.loc[name, "reads_in"] > 900
        assert summary.loc[name, "layout"] == "paired"


FOUR = ["rna_sens_2", "rna_sens_3", "rna_res_1", "rna_res_2"]


def _one_line_error(result, *needles):
    lines = [line for line in (result.stdout + result.stderr).splitlines() if all(n in line for n in needles)]
    assert result.returncode != 0
    assert lines, (result.stdout + result.stderr)[-3000:]


def test_gtf_with_other_chromosome_names_fails(tmp_path):
    workdir = make_rnaseq_workdir(tmp_path / "w", samples=FOUR)
    gtf = workdir / "resources/testdata/references/genome/genes.gtf"
    gtf.write_text("".join(line.removeprefix("chr") + "\n" for line in gtf.read_text().splitlines()))
    result = run_snakemake(
        workdir, "--cores", "1", "results/references/genome/annotation_check.tsv", check=False
    )
    _one_line_error(result, "genes.gtf", "none of its chromosomes", "genome.fa")
    assert not (workdir / "results/references/genome/annotation_check.tsv").exists()


def test_mismatched_mate_counts_fail(tmp_path):
    workdir = make_rnaseq_workdir(tmp_path / "w", samples=FOUR)
    r2 = workdir / "resources/testdata/rnaseq/simulated/rna_sens_2_R2.fastq.gz"
    lines = gzip.open(r2, "rt").read().splitlines()
    with gzip.open(r2, "wt") as out:
        out.write("\n".join(lines[:-40]) + "\n")
    target = "results/rnaseq/qc/fastp/rna_sens_2/rna_sens_2_L001.pe.fastp.json"
    result = run_snakemake(workdir, "--cores", "1", target, check=False)
    _one_line_error(result, "rna_sens_2_R2.fastq.gz", "mate", "rna_sens_2_R1.fastq.gz")
    assert not (workdir / target).exists()


def test_paired_sample_unit_without_fq2_fails(tmp_path):
    workdir = make_rnaseq_workdir(
        tmp_path / "w", unit_changes={("rna_sens_1", "L002", "fq2"): ""}
    )
    result = run_snakemake(workdir, "-n", "--cores", "1", *TARGETS, check=False)
    _one_line_error(result, "units.tsv", "rna_sens_1", "fq2")
