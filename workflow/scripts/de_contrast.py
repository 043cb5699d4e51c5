"""Rule deseq2_contrast: pydeseq2 for one {assay}/{contrast}: table, size factors and VST."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

import pandas as pd  # noqa: E402

from stromir.de import deseq, matrix  # noqa: E402

samples = pd.DataFrame(snakemake.params.samples)
contrast = dict(snakemake.params.contrast)
settings = dict(snakemake.params.settings)
sample_ids = samples["sample"].tolist()
try:
    counts, names = matrix.read_count_matrix(snakemake.input.counts, sample_ids)
    spikeins = None
    if snakemake.input.get("spikeins"):
        spikeins, _ = matrix.read_count_matrix(snakemake.input.spikeins, sample_ids)
    table, transformed, factors = deseq.analyse_contrast(
        counts, names, samples, contrast, settings, spikein_counts=spikeins, threads=snakemake.threads
    )
except ValueError as error:
    errors.fail(error)

print(f"size factors ({contrast.get('normalization') or settings['normalization']}):", file=sys.stderr)
print(factors.to_string(), file=sys.stderr)
alpha = float(settings["alpha"])
print(
    f"{len(table)} features tested, {int(table['padj'].lt(alpha).sum())} with padj < {alpha}",
    file=sys.stderr,
)
matrix.write_size_factors(factors, snakemake.output.size_factors)
matrix.write_matrix(transformed, snakemake.output.vst)
# the table last: its presence marks a finished contrast
deseq.write_results(table, snakemake.output.table)
