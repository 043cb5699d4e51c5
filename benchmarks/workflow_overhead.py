"""Workflow overhead: wall time of the default run against the time its jobs themselves took.

Usage: .venv/bin/python benchmarks/workflow_overhead.py [--cores N]   (default 1)

Runs the default config on the bundled data in a scratch copy, then reads the start and end time
Snakemake records for every job (.snakemake/metadata). With --cores 1 the jobs run one after
another, so the sum of their durations is what running the same commands by hand, in order,
would take; the ratio wall / sum is the overhead of the workflow engine (DAG building, scheduling,
bookkeeping). Goal: <= 1.15.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import SNAKEMAKE, copy_workflow  # noqa: E402


def job_durations(workdir: Path) -> dict[tuple[str, int], float]:
    """(rule, job hash) -> duration of every job, from Snakemake's per-output metadata records
    (a job with several outputs has one record per output, all with its job hash)."""
    spans: dict[tuple[str, int], list[float]] = {}
    for record in (workdir / ".snakemake" / "metadata").iterdir():
        try:
            meta = json.loads(record.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        start, end = meta.get("starttime"), meta.get("endtime")
        if start is None or end is None:
            continue
        key = (meta.get("rule", "?"), meta.get("job_hash"))
        span = spans.setdefault(key, [float(start), float(end)])
        span[0], span[1] = min(span[0], float(start)), max(span[1], float(end))
    return {key: end - start for key, (start, end) in spans.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = copy_workflow(Path(tmp) / "wf")
        start = time.perf_counter()
        result = subprocess.run([SNAKEMAKE, "--cores", str(args.cores)], cwd=workdir,
                                capture_output=True, text=True)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(result.stderr[-3000:])
        jobs = job_durations(workdir)
    total = sum(jobs.values())
    by_rule: dict[str, float] = {}
    for (rule, _), seconds in jobs.items():
        by_rule[rule] = by_rule.get(rule, 0.0) + seconds
    print(f"default run, --cores {args.cores}: {len(jobs)} jobs")
    for rule, seconds in sorted(by_rule.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {rule:<32} {seconds:8.1f} s")
    print(f"wall time of the workflow      {wall:8.1f} s")
    print(f"sum of the jobs' own run times {total:8.1f} s")
    print(f"overhead ratio (goal <= 1.15)  {wall / total:8.2f}")


if __name__ == "__main__":
    main()
