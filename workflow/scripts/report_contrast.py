"""Rule summarise_contrast: one static HTML page per contrast (DE, signatures, integration, QC)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

import pandas as pd  # noqa: E402

from stromir.signatures import io, stats, summary  # noqa: E402

contrast = dict(snakemake.params.contrast)
samples = pd.DataFrame(snakemake.params.samples)
test, reference = stats.contrast_samples(samples, contrast)
page = summary.render_contrast_page(
    contrast, test, reference, io.read_table(snakemake.input.de), io.read_table(snakemake.input.tests),
    io.read_table(snakemake.input.integration), io.read_table(snakemake.input.qc), snakemake.params.alpha,
)
out = Path(snakemake.output.page)
tmp = out.with_name(out.name + ".tmp")
tmp.write_text(page)
tmp.replace(out)
