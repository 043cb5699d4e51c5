"""Trim one RNA-seq unit with fastp after checking that mate files hold the same number of reads.

fastp silently stops at the end of the shorter mate file, so the check runs first.
"""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import shlex
import subprocess
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir.rnaseq import checks  # noqa: E402


def fail(message):
    errors.fail(f"sample '{snakemake.wildcards.sample}' unit '{snakemake.wildcards.unit}': {message}")


paired = "fq2" in snakemake.input.keys()
try:
    if paired:
        n = checks.check_mate_counts(snakemake.input.fq1, snakemake.input.fq2)
    else:
        n = checks.count_fastq_records(snakemake.input.fq1)
except checks.InputError as error:
    fail(str(error))
print(f"{n} reads{' per mate' if paired else ''} in {snakemake.input.fq1}", file=sys.stderr)

command = ["fastp", "--thread", str(snakemake.threads), "-i", snakemake.input.fq1,
           "-o", snakemake.output.r1, "-j", snakemake.output.json, "-h", snakemake.output.html]
if paired:
    command += ["-I", snakemake.input.fq2, "-O", snakemake.output.r2, "--detect_adapter_for_pe"]
command += shlex.split(snakemake.params.extra or "")
print(" ".join(command), file=sys.stderr)
result = subprocess.run(command, stderr=sys.stderr)
if result.returncode != 0:
    fail(f"fastp exited with status {result.returncode}; see {snakemake.log[0]}")
