"""Rule plot_de_contrast: volcano, MA and top-feature heatmap of one {assay}/{contrast}."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

import pandas as pd  # noqa: E402

from stromir.de import plots  # noqa: E402

contrast = dict(snakemake.params.contrast)
settings = dict(snakemake.params.settings)
table = pd.read_csv(snakemake.input.table, sep="\t", dtype={"feature": str, "feature_name": str})
vst = pd.read_csv(snakemake.input.vst, sep="\t", index_col=0)
vst.index = vst.index.astype(str)
alpha = float(settings["alpha"])
title = f"{contrast['assay']}: {contrast['name']} ({contrast['test']} vs {contrast['reference']})"
plots.volcano(table, snakemake.output.volcano, alpha=alpha, title=title)
plots.ma_plot(table, snakemake.output.ma, alpha=alpha, title=title)
plots.top_feature_heatmap(table, vst, snakemake.output.heatmap, n=int(settings["top_features"]), title=title)
print(f"plotted {len(table)} features", file=sys.stderr)
