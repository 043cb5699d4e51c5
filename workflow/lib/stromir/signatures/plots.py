"""Signature plots: scores by condition, member heatmap, member log2FC vs background."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _save(fig, path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp" + path.suffix)
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    tmp.replace(path)


def _empty(path, message: str) -> None:
    fig, ax = plt.subplots(figsize=(6, 2))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True)
    _save(fig, path)


def plot_scores(scores: pd.DataFrame, path) -> None:
    """Box + strip plot of sample scores per condition; one row per signature, one column per method."""
    if scores.empty:
        _empty(path, "no scorable signature in this run")
        return
    signatures = list(dict.fromkeys(scores["signature"]))
    methods = list(dict.fromkeys(scores["method"]))
    fig, axes = plt.subplots(len(signatures), len(methods), squeeze=False,
                             figsize=(5 * len(methods), 2.8 * len(signatures)))
    rng = np.random.default_rng(0)
    for i, signature in enumerate(signatures):
        for j, method in enumerate(methods):
            ax = axes[i, j]
            sub = scores[(scores["signature"] == signature) & (scores["method"] == method)]
            groups = [f"{c}\n{t}" if t and t != c else str(c)
                      for c, t in zip(sub["condition"].astype(str), sub["cell_type"].astype(str))]
            sub = sub.assign(group=groups)
            order = list(dict.fromkeys(sub["group"]))
            data = [sub.loc[sub["group"] == g, "score"].dropna().to_numpy() for g in order]
            ax.boxplot(data, showfliers=False, widths=0.5)
            for k, values in enumerate(data, start=1):
                ax.scatter(k + rng.uniform(-0.12, 0.12, len(values)), values, s=14, color="tab:red", zorder=3)
            ax.set_xticks(range(1, len(order) + 1), order, fontsize=7)
            ax.set_title(f"{signature} ({method})", fontsize=9)
            ax.set_ylabel("score")
    fig.tight_layout()
    _save(fig, path)


def plot_member_heatmap(members: pd.DataFrame, matrices: dict, samples: pd.DataFrame, path) -> None:
    """Row-centred VST of each signature's present members across the samples of its assay."""
    panels = []
    for (signature, assay), rows in members.groupby(["signature", "assay"], sort=False):
        present = rows[rows["present"]].drop_duplicates("feature")
        if assay not in matrices or present.empty:
            continue
        values, _ = matrices[assay]
        block = values.loc[present["feature"]]
        block = block.sub(block.mean(axis=1), axis=0)
        labels = [f"{m}{' (down)' if s == 'down' else ''}" for m, s in zip(present["member"], present["sign"])]
        panels.append((signature, block, labels))
    if not panels:
        _empty(path, "no signature member present in the data")
        return
    heights = [max(1.2, 0.35 * len(p[1]) + 0.9) for p in panels]
    width = max(6, 0.35 * max(p[1].shape[1] for p in panels) + 3)
    fig, axes = plt.subplots(len(panels), 1, figsize=(width, sum(heights)), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    condition = samples.set_index("sample")["condition"] if "condition" in samples.columns else None
    for ax, (signature, block, labels) in zip(axes[:, 0], panels):
        limit = float(np.nanmax(np.abs(block.to_numpy()))) or 1.0
        image = ax.imshow(block.to_numpy(), aspect="auto", cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_yticks(range(len(labels)), labels, fontsize=7)
        columns = [f"{c} ({condition[c]})" if condition is not None and c in condition.index else c
                   for c in block.columns]
        ax.set_xticks(range(len(columns)), columns, rotation=90, fontsize=6)
        ax.set_title(signature, fontsize=9)
        fig.colorbar(image, ax=ax, fraction=0.02, label="VST - row mean")
    fig.tight_layout()
    _save(fig, path)


def plot_lfc_background(de: pd.DataFrame, members: pd.DataFrame, path, title: str) -> None:
    """Histogram of all features' log2 fold changes with each signature's members marked."""
    lfc = pd.Series(de["log2FoldChange"].to_numpy(float), index=de["feature"].astype(str)).dropna()
    signatures = list(dict.fromkeys(members["signature"]))
    if lfc.empty or not signatures:
        _empty(path, f"{title}: no log2 fold changes or no signature for this assay")
        return
    fig, axes = plt.subplots(len(signatures), 1, figsize=(7, 2.4 * len(signatures)), squeeze=False)
    for ax, signature in zip(axes[:, 0], signatures):
        ax.hist(lfc, bins=40, color="lightgrey", label=f"all features (n={len(lfc)})")
        rows = members[(members["signature"] == signature) & members["present"]]
        shown = 0
        for _, row in rows.drop_duplicates("feature").iterrows():
            if row["feature"] in lfc.index:
                colour = "tab:blue" if row["sign"] == "down" else "tab:red"
                ax.axvline(lfc[row["feature"]], color=colour, lw=1.5)
                ax.text(lfc[row["feature"]], ax.get_ylim()[1] * 0.9, row["member"], rotation=90,
                        fontsize=6, ha="right", va="top")
                shown += 1
        ax.set_title(f"{signature}: {shown} member(s) tested", fontsize=9)
        ax.set_xlabel("log2 fold change")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    _save(fig, path)
