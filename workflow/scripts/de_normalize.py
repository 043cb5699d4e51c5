"""Rule normalize_counts: assay-wide normalised counts, blind VST, PCA and sample distances."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

import pandas as pd  # noqa: E402

from stromir.de import deseq, matrix, normalize, plots  # noqa: E402

samples = pd.DataFrame(snakemake.params.samples)
sample_ids = samples["sample"].tolist()
method = snakemake.params.normalization
try:
    counts, names = matrix.read_count_matrix(snakemake.input.counts, sample_ids)
    spikeins = None
    if snakemake.input.get("spikeins"):
        spikeins, _ = matrix.read_count_matrix(snakemake.input.spikeins, sample_ids)
    expressed = counts.loc[counts.sum(axis=1) > 0]
    factors = deseq.assay_size_factors(
        expressed, method, spikein_counts=spikeins, control_features=snakemake.params.control_features
    )
    normalized = normalize.normalized_counts(counts, factors)
    transformed = deseq.vst(expressed, factors)
except ValueError as error:
    errors.fail(error)

print(f"size factors ({method}):", file=sys.stderr)
print(factors.to_string(), file=sys.stderr)
assay = snakemake.wildcards.assay
meta = samples.set_index("sample")
plots.pca(transformed, meta, snakemake.output.pca, title=f"{assay}: PCA of VST (top 500 features)")
plots.distance_heatmap(transformed, snakemake.output.distances, title=f"{assay}: sample distances (VST)")
matrix.write_matrix(normalized, snakemake.output.normalized)
matrix.write_matrix(transformed, snakemake.output.vst)
