"""Rule plot_signatures: scores by condition and member heatmap."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

import pandas as pd  # noqa: E402

from stromir.signatures import io, plots  # noqa: E402

samples = pd.DataFrame(snakemake.params.samples)
scores = io.read_table(snakemake.input.scores)
members = io.read_table(snakemake.input.members)
members["present"] = members["present"].astype(str).str.lower() == "true"
matrices = io.read_assay_matrices(snakemake.params.assays, snakemake.input.vst, snakemake.input.counts, samples)
plots.plot_scores(scores, snakemake.output.scores)
plots.plot_member_heatmap(members, matrices, samples, snakemake.output.heatmap)
