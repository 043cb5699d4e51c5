"""AnnData export of one assay: samples as observations, features as variables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def build_anndata(
    counts: pd.DataFrame,
    names: pd.Series,
    normalized: pd.DataFrame,
    vst: pd.DataFrame,
    samples: pd.DataFrame,
    de_tables: dict[str, pd.DataFrame],
    assay: str,
):
    """X = raw counts (samples x features); layers 'counts', 'normalized', 'vst'; obs = sample
    sheet rows; var['feature_name']; varm['de_<contrast>'] = DE table aligned to the features
    (NaN where a feature was filtered out); uns['de'][<contrast>] = the DE table as written."""
    import anndata as ad

    features = counts.index.astype(str)
    sample_ids = list(counts.columns)
    obs = samples.set_index("sample", drop=False).reindex(sample_ids)
    obs.index = pd.Index(sample_ids, name=None)
    obs = obs.astype(str)
    var = pd.DataFrame({"feature_name": names.reindex(counts.index).astype(str).to_numpy()}, index=features)
    adata = ad.AnnData(
        X=counts.T.to_numpy(dtype=np.float32),
        obs=obs,
        var=var,
    )
    adata.layers["counts"] = counts.T.to_numpy(dtype=np.int64)
    adata.layers["normalized"] = normalized.reindex(index=counts.index, columns=sample_ids).T.to_numpy(dtype=float)
    adata.layers["vst"] = vst.reindex(index=counts.index, columns=sample_ids).T.to_numpy(dtype=float)
    adata.uns["de"] = {}
    adata.uns["assay"] = assay
    numeric = ["baseMean", "log2FoldChange", "lfcSE", "stat", "pvalue", "padj", "log2FoldChange_shrunk", "lfcSE_shrunk"]
    for name, table in de_tables.items():
        aligned = table.set_index(table["feature"].astype(str))[numeric].reindex(features).astype(float)
        adata.varm[f"de_{name}"] = aligned
        adata.uns["de"][name] = table.reset_index(drop=True).astype({"feature": str, "feature_name": str})
    return adata


def write_h5ad(adata, path) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp.h5ad")
    adata.write_h5ad(tmp)
    tmp.replace(path)
