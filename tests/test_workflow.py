"""Whole-workflow checks that need no tools: dry runs, lint, formatting, env files, config errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SNAKEMAKE, copy_workflow, run_snakemake

STAGES = {
    "smallrna": "results/smallrna/counts/mature_counts.tsv",
    "rnaseq": "results/rnaseq/counts/gene_counts.tsv",
    "de": "results/de/",
    "signatures": "results/signatures/",
}


def dry_run(*extra: str, cwd: Path = REPO, check: bool = True):
    return run_snakemake(cwd, "-n", "--cores", "2", "--quiet", "rules", *extra, check=check, timeout=300)


def test_dry_run_default_config_lists_every_stage():
    result = dry_run()
    jobs = result.stdout + result.stderr
    for rule in ("trim_smallrna_reads", "annotate_smallrna_reads", "count_smallrna_features",
                 "align_star", "count_genes", "deseq2_contrast", "score_signatures",
                 "aggregate_multiqc"):
        assert rule in jobs, f"dry run of the default config has no {rule} job"


BIOINFORMATICS_TOOLS = ("bowtie", "bowtie-build", "STAR", "featureCounts", "samtools", "fastp",
                        "hisat2", "hisat2-build", "multiqc", "pigz")


def test_dry_run_needs_no_bioinformatics_tools(tmp_path):
    """A machine with only the Python packages can plan the default run: PATH holds every
    system command except the aligners, trimmers and counters."""
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in Path("/usr/bin").iterdir():
        if not tool.name.startswith(BIOINFORMATICS_TOOLS):
            (bare / tool.name).symlink_to(tool)
    venv = tmp_path / "venv-bin"
    venv.mkdir()
    for tool in Path(sys.executable).parent.iterdir():
        if tool.name not in BIOINFORMATICS_TOOLS:
            (venv / tool.name).symlink_to(tool)
    result = subprocess.run(
        [str(venv / "snakemake"), "-n", "--cores", "1", "--quiet", "rules"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PATH": f"{venv}:{bare}", "HOME": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "deseq2_contrast" in result.stdout


def test_lint_is_clean():
    result = run_snakemake(REPO, "--lint", check=False, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_snakefmt_is_clean():
    snakefmt = Path(sys.executable).parent / "snakefmt"
    result = subprocess.run(
        [str(snakefmt), "--check", "Snakefile", "workflow"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("env_file", sorted((REPO / "envs").glob("*.yaml")), ids=lambda p: p.name)
def test_conda_envs_are_pinned(env_file):
    env = yaml.safe_load(env_file.read_text())
    assert env["channels"] == ["conda-forge", "bioconda", "nodefaults"]
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            assert "=" in dep, f"{env_file.name}: {dep} is not pinned"


def test_every_rule_env_exists():
    """Every conda: directive points at an existing env file."""
    import re

    for smk in (REPO / "workflow" / "rules").glob("*.smk"):
        for target in re.findall(r'conda:\s*\n?\s*"([^"]+)"', smk.read_text()):
            assert (smk.parent / target).resolve().is_file(), f"{smk.name}: {target} missing"


@pytest.mark.parametrize("overlay", sorted((REPO / "tests/configs").glob("*.yaml")), ids=lambda p: p.stem)
def test_dry_run_of_every_test_config(overlay):
    result = dry_run("--configfile", "config/config.yaml", str(overlay))
    jobs = result.stdout
    assert "deseq2_contrast" in jobs and "score_signatures" in jobs
    if overlay.stem == "hisat2":
        assert "align_hisat2" in jobs and "align_star" not in jobs


def error_of(tmp_path, *config):
    workdir = copy_workflow(tmp_path / "wf")
    result = run_snakemake(workdir, "-n", "--cores", "1", "--config", *config, check=False, timeout=300)
    lines = [l for l in result.stderr.splitlines() if l.startswith("stromir: error:")]
    return result.returncode, lines


def test_unknown_aligner_is_a_one_line_config_error(tmp_path):
    code, lines = error_of(tmp_path, "rnaseq={'aligner': 'bwa'}")
    assert code != 0
    assert len(lines) == 1 and "aligner" in lines[0] and "star" in lines[0]


def test_missing_sample_sheet(tmp_path):
    code, lines = error_of(tmp_path, "samples=config/nope.tsv")
    assert code != 0
    assert lines == ["stromir: error: config/nope.tsv: samples sheet not found; "
                     "set config key 'samples' to an existing TSV file"]
