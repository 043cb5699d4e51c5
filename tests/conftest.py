"""Shared pytest fixtures: the repository, the venv's snakemake, and one real default run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SNAKEMAKE = str(BIN / "snakemake") if (BIN / "snakemake").exists() else "snakemake"
# What a run of the workflow needs; results/, logs/ and .snakemake/ are never copied.
WORKFLOW_FILES = ("Snakefile", "workflow", "config", "resources", "envs", "profiles")


def copy_workflow(dest: Path) -> Path:
    """A fresh copy of the workflow and its bundled data, so runs never touch the checkout."""
    dest.mkdir(parents=True, exist_ok=True)
    generated = {REPO / "resources" / "references", REPO / "resources" / "index"}

    def ignore(folder, names):
        # Skip caches and references a previous run built in the checkout, not bundled data.
        return {n for n in names if n == "__pycache__" or Path(folder) / n in generated}

    for name in WORKFLOW_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest / name)
    return dest


def run_snakemake(workdir: Path, *args: str, timeout: int = 1500, check: bool = True):
    """Run the snakemake CLI (the stable interface) in workdir; return the CompletedProcess."""
    result = subprocess.run(
        [SNAKEMAKE, *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-60:])
        raise AssertionError(f"snakemake {' '.join(args)} failed ({result.returncode}):\n{tail}")
    return result


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def default_run(tmp_path_factory) -> Path:
    """A completed run of the default config on the bundled data (about 5 minutes on 2 cores).

    STROMIR_DEFAULT_RUN=<dir> reuses a finished run directory while developing tests.
    """
    reuse = os.environ.get("STROMIR_DEFAULT_RUN")
    if reuse:
        return Path(reuse)
    workdir = copy_workflow(tmp_path_factory.mktemp("default_run"))
    run_snakemake(workdir, "--cores", "2")
    return workdir
