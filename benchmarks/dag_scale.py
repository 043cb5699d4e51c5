"""How fast stromir plans large cohorts: wall time of `snakemake -n` for generated sheets.

Usage: .venv/bin/python benchmarks/dag_scale.py [N ...]   (default: 1000 10000)

For each N it writes a sample and unit sheet with N samples (half small RNA, half paired-end
RNA-seq, two conditions per cell type) pointing at tiny placeholder FASTQ files, then times a dry
run of the whole workflow in a scratch copy. Goal: <= 15 s for 1,000 samples. Input functions
never open FASTQ files, so placeholder files are enough.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import SNAKEMAKE, copy_workflow  # noqa: E402

GROUPS = [("cancer", "sensitive"), ("cancer", "resistant"), ("fibroblast", "NF"), ("fibroblast", "CAF")]


def write_cohort(workdir: Path, n: int) -> None:
    data = workdir / "cohort"
    data.mkdir()
    samples = ["sample\tassay\tcell_type\tcondition\tbatch"]
    units = ["sample\tunit\tfq1\tfq2\tprotocol\tadapter\tstrandedness"]
    for i in range(n):
        assay = "smallrna" if i % 2 == 0 else "rnaseq"
        cell_type, condition = GROUPS[(i // 2) % 4]
        name = f"{assay}_{i:05d}"
        samples.append(f"{name}\t{assay}\t{cell_type}\t{condition}\tb{i % 3}")
        fq1 = data / f"{name}_R1.fastq.gz"
        fq1.touch()
        if assay == "rnaseq":
            fq2 = data / f"{name}_R2.fastq.gz"
            fq2.touch()
            units.append(f"{name}\tL001\t{fq1.relative_to(workdir)}\t{fq2.relative_to(workdir)}\t\t\treverse")
        else:
            units.append(f"{name}\tL001\t{fq1.relative_to(workdir)}\t\tillumina\t\t")
    (workdir / "cohort_samples.tsv").write_text("\n".join(samples) + "\n")
    (workdir / "cohort_units.tsv").write_text("\n".join(units) + "\n")


def time_dry_run(n: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = copy_workflow(Path(tmp) / "wf")
        write_cohort(workdir, n)
        start = time.perf_counter()
        result = subprocess.run(
            [SNAKEMAKE, "-n", "--cores", "2", "--quiet", "rules",
             "--config", "samples=cohort_samples.tsv", "units=cohort_units.tsv"],
            cwd=workdir, capture_output=True, text=True,
        )
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(f"dry run of {n} samples failed:\n{result.stderr[-3000:]}")
        jobs = 0
        for line in result.stdout.splitlines():
            if line.startswith("total"):
                jobs = int(line.split()[1])
        return elapsed, jobs


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    print(f"{'samples':>8} {'jobs':>8} {'dry-run wall s':>15} {'goal':>8}")
    for n in sizes:
        elapsed, jobs = time_dry_run(n)
        goal = "<= 15 s" if n == 1000 else ""
        print(f"{n:>8} {jobs:>8} {elapsed:>15.1f} {goal:>8}")


if __name__ == "__main__":
    main()
