"""Biotype-composition and read-length plots of the small-RNA QC summary."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def parse_lengths(text: str) -> dict[int, int]:
    if not isinstance(text, str) or not text:
        return {}
    return {int(k): int(v) for k, v in (item.split(":") for item in text.split(";"))}


def plot_biotypes(summary: pd.DataFrame, classes: list[str], path: str) -> None:
    """Stacked bars: fraction of each sample's kept molecules per class (hierarchy order)."""
    columns = [c for c in ["spikein", "miRNA", "hairpin", *classes, "genome", "unassigned"] if c in summary]
    data = summary.set_index("sample")[columns].astype(float)
    frac = data.div(data.sum(axis=1).where(lambda s: s > 0, 1), axis=0)
    fig, ax = plt.subplots(figsize=(max(6, 0.45 * len(frac) + 3), 4.5))
    frac.plot.bar(stacked=True, ax=ax, width=0.85, colormap="tab20")
    ax.set_ylabel("fraction of kept reads")
    ax.set_xlabel("")
    ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_lengths(summary: pd.DataFrame, path: str) -> None:
    """Read-length distribution (after trimming and clipping) per sample, as fractions."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for row in summary.itertuples(index=False):
        hist = parse_lengths(row.length_distribution)
        total = sum(hist.values())
        if not total:
            continue
        xs = sorted(hist)
        ax.plot(xs, [hist[x] / total for x in xs], label=row.sample, linewidth=1)
    ax.axvspan(20, 25, color="grey", alpha=0.15)
    ax.set_xlabel("read length after trimming (nt)")
    ax.set_ylabel("fraction of reads")
    ax.set_xlim(0, 60)
    ax.legend(fontsize=6, ncol=2, bbox_to_anchor=(1.01, 1), loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
