"""Rule tabulate_contrast_summary: one row per contrast (DE calls, signature verdicts)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

import pandas as pd  # noqa: E402

from stromir.signatures import io, stats, summary  # noqa: E402

samples = pd.DataFrame(snakemake.params.samples)
tests = io.read_table(snakemake.input.tests)
rows = []
for contrast, path in zip(snakemake.params.contrasts, snakemake.input.de):
    test, reference = stats.contrast_samples(samples, contrast)
    rows.append(summary.summary_row(contrast, test, reference, io.read_table(path), tests, snakemake.params.alpha))
io.write_table(pd.DataFrame(rows, columns=summary.SUMMARY_COLUMNS), snakemake.output.table)
