"""Plots of DE results (volcano, MA, top-feature heatmap) and of an assay (PCA, distances)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _save(fig, path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def volcano(table: pd.DataFrame, path, alpha: float = 0.05, title: str = "", label_top: int = 10) -> None:
    """log2 fold change vs -log10 p-value; significant (padj < alpha) features in red."""
    t = table.dropna(subset=["pvalue", "log2FoldChange"])
    sig = t["padj"].lt(alpha)
    y = -np.log10(t["pvalue"].clip(lower=1e-300))
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.scatter(t.loc[~sig, "log2FoldChange"], y[~sig], s=6, c="grey", alpha=0.6, label="n.s.")
    ax.scatter(t.loc[sig, "log2FoldChange"], y[sig], s=10, c="firebrick", label=f"padj < {alpha}")
    for _, row in t[sig].nsmallest(label_top, "padj").iterrows():
        ax.annotate(str(row["feature_name"]), (row["log2FoldChange"], -np.log10(max(row["pvalue"], 1e-300))), fontsize=6)
    ax.axvline(0, c="black", lw=0.5)
    ax.set_xlabel("log2 fold change")
    ax.set_ylabel("-log10 p-value")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    _save(fig, path)


def ma_plot(table: pd.DataFrame, path, alpha: float = 0.05, title: str = "") -> None:
    """Mean of normalised counts vs log2 fold change (shrunk when available)."""
    column = "log2FoldChange_shrunk" if table["log2FoldChange_shrunk"].notna().any() else "log2FoldChange"
    t = table.dropna(subset=[column])
    t = t[t["baseMean"] > 0]
    sig = t["padj"].lt(alpha)
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.scatter(t.loc[~sig, "baseMean"], t.loc[~sig, column], s=6, c="grey", alpha=0.6)
    ax.scatter(t.loc[sig, "baseMean"], t.loc[sig, column], s=10, c="firebrick")
    ax.set_xscale("log")
    ax.axhline(0, c="black", lw=0.5)
    ax.set_xlabel("mean of normalised counts")
    ax.set_ylabel(column.replace("_", " "))
    ax.set_title(title, fontsize=9)
    _save(fig, path)


def heatmap(matrix: pd.DataFrame, path, title: str = "", col_labels=None, cmap="RdBu_r", center=True) -> None:
    """A plain matplotlib heatmap (rows z-scored by the caller if wanted)."""
    values = matrix.to_numpy(dtype=float)
    height = max(3.0, 0.18 * matrix.shape[0] + 1.5)
    width = max(4.0, 0.35 * matrix.shape[1] + 3)
    fig, ax = plt.subplots(figsize=(width, height))
    if center and values.size:
        lim = np.nanmax(np.abs(values)) or 1.0
        im = ax.imshow(values, aspect="auto", cmap=cmap, vmin=-lim, vmax=lim)
    else:
        im = ax.imshow(values, aspect="auto", cmap=cmap)
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index], fontsize=6)
    ax.set_xticks(range(matrix.shape[1]), col_labels or [str(c) for c in matrix.columns], fontsize=7, rotation=90)
    fig.colorbar(im, ax=ax, shrink=0.6)
    ax.set_title(title, fontsize=9)
    _save(fig, path)


def top_feature_heatmap(table: pd.DataFrame, vst: pd.DataFrame, path, n: int = 30, title: str = "") -> None:
    """Row-z-scored VST values of the n features with the smallest padj."""
    top = table.dropna(subset=["padj"]).head(n)
    top = top[top["feature"].isin(vst.index)]
    sub = vst.loc[top["feature"]]
    z = sub.sub(sub.mean(axis=1), axis=0).div(sub.std(axis=1).replace(0, 1), axis=0)
    z.index = top["feature_name"].astype(str).to_numpy()
    if z.empty:
        z = pd.DataFrame(np.zeros((1, vst.shape[1])), index=["(no tested feature)"], columns=vst.columns)
    heatmap(z, path, title=title or f"top {n} features (VST, row z-score)")


def pca(vst: pd.DataFrame, metadata: pd.DataFrame, path, n_top: int = 500, title: str = "") -> pd.DataFrame:
    """PCA of the n_top most variable VST features (as DESeq2 plotPCA); colour = condition,
    marker = cell type. Returns the sample coordinates."""
    var = vst.var(axis=1).sort_values(ascending=False)
    x = vst.loc[var.index[:n_top]].T
    x = x - x.mean(axis=0)
    u, s, _ = np.linalg.svd(x.to_numpy(dtype=float), full_matrices=False)
    explained = s**2 / max((s**2).sum(), 1e-12)
    coords = pd.DataFrame(u[:, :2] * s[:2], index=x.index, columns=["PC1", "PC2"][: min(2, len(s))])
    if coords.shape[1] < 2:
        coords["PC2"] = 0.0
    meta = metadata.reindex(coords.index)
    conditions = sorted(meta["condition"].astype(str).unique())
    cell_types = sorted(meta["cell_type"].astype(str).unique())
    colors = plt.get_cmap("tab10")
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for sample, row in coords.iterrows():
        ci = conditions.index(str(meta.loc[sample, "condition"]))
        mi = cell_types.index(str(meta.loc[sample, "cell_type"]))
        ax.scatter(row["PC1"], row["PC2"], color=colors(ci % 10), marker=markers[mi % len(markers)], s=40)
    for ci, cond in enumerate(conditions):
        ax.scatter([], [], color=colors(ci % 10), marker="o", label=f"condition: {cond}")
    for mi, cell in enumerate(cell_types):
        ax.scatter([], [], color="black", marker=markers[mi % len(markers)], label=f"cell type: {cell}")
    ax.legend(fontsize=6, bbox_to_anchor=(1.02, 1), loc="upper left")
    ax.set_xlabel(f"PC1 ({100 * explained[0]:.1f}%)")
    ax.set_ylabel(f"PC2 ({100 * (explained[1] if len(explained) > 1 else 0):.1f}%)")
    ax.set_title(title, fontsize=9)
    _save(fig, path)
    return coords


def sample_distances(vst: pd.DataFrame) -> pd.DataFrame:
    """Euclidean distances between samples on VST values (as in the DESeq2 vignette)."""
    x = vst.T.to_numpy(dtype=float)
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    return pd.DataFrame(d, index=vst.columns, columns=vst.columns)


def distance_heatmap(vst: pd.DataFrame, path, title: str = "") -> None:
    heatmap(sample_distances(vst), path, title=title or "sample distances (VST)", cmap="viridis_r", center=False)
