"""Faults: SIGKILL at five points then the README command, inputs untouched, writes confined.

Determinism (two clean runs give byte-identical tables) is shown by tests/test_slurm.py, whose
run from scratch on SLURM must match the suite's local default run table for table.

One chain of interrupted runs in a scratch copy: each run is killed (SIGKILL to its whole process
group, as an OOM killer or a dead node would) once a given rule has started; then `make demo`, the
README's command, must finish and give tables byte-identical to an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO, SNAKEMAKE, copy_workflow

pytestmark = pytest.mark.slow

# (what is running, log folder of a rule): each run is killed when a job of that rule starts
# (its log file appears). Ordered by depth in the DAG, so each point is still ahead.
KILL_POINTS = [
    ("small-RNA trimming", "logs/trim_smallrna_reads"),
    ("RNA-seq alignment", "logs/align_star"),
    ("small-RNA annotation", "logs/annotate_smallrna_reads"),
    ("RNA-seq counting", "logs/count_genes"),
    ("differential expression", "logs/deseq2_contrast"),
]
# Where a run may write (issue: results/, logs/, benchmarks/, resources/, .snakemake/).
ALLOWED_TOP = {"results", "logs", "benchmarks", "resources", ".snakemake"}
FINAL_TABLES = ("results/smallrna/counts", "results/rnaseq/counts", "results/de", "results/signatures")


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".venv" not in p.parts
    }


def tables(run: Path) -> dict[str, bytes]:
    out = {}
    for folder in FINAL_TABLES:
        for path in sorted((run / folder).rglob("*.tsv")):
            out[str(path.relative_to(run))] = path.read_bytes()
    return out


def log_files(folder: Path) -> set[Path]:
    return set(folder.rglob("*")) if folder.is_dir() else set()


def run_until_killed(workdir: Path, marker: str, timeout: float = 600) -> bool:
    """Run the README command (make demo) and SIGKILL its whole process group when a job of the
    marker rule starts in this run (a new log file); False if the run finished first."""
    seen = log_files(workdir / marker)
    output = workdir.parent / "interrupted-run.log"
    with open(output, "w") as log:
        process = subprocess.Popen(
            ["make", "demo"], cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if log_files(workdir / marker) - seen:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return True
            if process.poll() is not None:
                assert process.returncode == 0, output.read_text()[-3000:]
                return False
            time.sleep(0.05)
        raise AssertionError(f"{marker} never appeared within {timeout} s")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_sigkill_then_readme_command_gives_identical_tables(default_run, tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    for name in ("Makefile", "bin", "requirements.txt"):
        src = REPO / name
        if src.is_dir():
            subprocess.run(["cp", "-r", str(src), str(workdir / name)], check=True)
        else:
            (workdir / name).write_bytes(src.read_bytes())
    (workdir / ".venv").symlink_to(REPO / ".venv")
    before = tree_digest(workdir)

    killed = [name for name, marker in KILL_POINTS if run_until_killed(workdir, marker)]
    assert len(killed) == len(KILL_POINTS), f"run finished before kill points: {killed}"

    result = subprocess.run(["make", "demo"], cwd=workdir, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]

    resumed, reference = tables(workdir), tables(default_run)
    assert resumed.keys() == reference.keys()
    different = [k for k in reference if resumed[k] != reference[k]]
    assert not different, f"tables differ from an uninterrupted run: {different}"

    after = tree_digest(workdir)
    changed_inputs = [p for p, digest in before.items() if after.get(p) != digest]
    assert not changed_inputs, f"inputs modified or removed: {changed_inputs[:10]}"
    new_files = {p.split("/")[0] for p in after if p not in before}
    assert new_files <= ALLOWED_TOP, f"run wrote outside the allowed folders: {new_files - ALLOWED_TOP}"

