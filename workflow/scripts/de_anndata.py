"""Rule build_anndata: one AnnData (.h5ad) per assay with counts, normalised/VST layers, DE."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

import pandas as pd  # noqa: E402

from stromir.de import anndata_io, matrix  # noqa: E402

samples = pd.DataFrame(snakemake.params.samples)
sample_ids = samples["sample"].tolist()
counts, names = matrix.read_count_matrix(snakemake.input.counts, sample_ids)
normalized = pd.read_csv(snakemake.input.normalized, sep="\t", index_col=0)
normalized.index = normalized.index.astype(str)
vst = pd.read_csv(snakemake.input.vst, sep="\t", index_col=0)
vst.index = vst.index.astype(str)
tables = {
    name: pd.read_csv(path, sep="\t", dtype={"feature": str, "feature_name": str})
    for name, path in zip(snakemake.params.contrasts, snakemake.input.tables)
}
adata = anndata_io.build_anndata(
    counts, names, normalized, vst, samples, tables, assay=snakemake.wildcards.assay
)
print(adata, file=sys.stderr)
anndata_io.write_h5ad(adata, snakemake.output.h5ad)
