"""Rule deseq2_contrast: pydeseq2 for one {assay}/{contrast}, result table and plots."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

import pandas as pd  # noqa: E402

from stromir.de import deseq, matrix, plots  # noqa: E402

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
title = f"{contrast['assay']}: {contrast['name']} ({contrast['test']} vs {contrast['reference']})"
plots.volcano(table, snakemake.output.volcano, alpha=alpha, title=title)
plots.ma_plot(table, snakemake.output.ma, alpha=alpha, title=title)
plots.top_feature_heatmap(table, transformed, snakemake.output.heatmap, n=int(settings["top_features"]), title=title)
deseq.write_results(table, snakemake.output.table)
