"""Plots of the RNA-seq QC summary: read fates per sample and strandedness evidence."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

summary = pd.read_csv(snakemake.input.summary, sep="\t", keep_default_na=False)
samples = summary["sample"]
height = max(3, 0.3 * len(samples) + 1.5)

fig, ax = plt.subplots(figsize=(7, height))
fates = pd.DataFrame({
    "assigned to genes": summary["assigned"],
    "aligned, not assigned": (summary["uniquely_aligned"] - summary["assigned"]).clip(lower=0),
    "multi-mapped": summary["multi_aligned"],
    "unaligned": (summary["reads_after_trimming"] - summary["uniquely_aligned"]
                  - summary["multi_aligned"]).clip(lower=0),
    "removed by trimming": summary["reads_in"] - summary["reads_after_trimming"],
})
fractions = fates.div(summary["reads_in"].where(summary["reads_in"] > 0, 1), axis=0)
left = pd.Series(0.0, index=fractions.index)
for column in fractions:
    ax.barh(samples, fractions[column], left=left, label=column)
    left += fractions[column]
ax.invert_yaxis()
ax.set_xlabel("fraction of input reads (pairs for paired-end)")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize="small")
fig.tight_layout()
fig.savefig(snakemake.output.reads)

fig, ax = plt.subplots(figsize=(7, height))
sense = pd.to_numeric(summary["fraction_sense"].astype(str).str.split(",").str[0], errors="coerce")
colors = ["tab:red" if w else "tab:blue" for w in summary["strandedness_warning"]]
ax.barh(samples, sense.fillna(0), color=colors)
for x in (0.2, 0.5, 0.8):
    ax.axvline(x, color="grey", linestyle=":", linewidth=1)
ax.set_xlim(0, 1)
ax.invert_yaxis()
ax.set_xlabel("fraction of reads sense to the gene (0 = reverse, 0.5 = unstranded, 1 = forward)")
ax.set_title("red: strandedness warning")
fig.tight_layout()
fig.savefig(snakemake.output.strandedness)
