"""Rule plot_smallrna_qc: biotype composition and read-length distribution plots."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

import pandas as pd  # noqa: E402

from stromir.smallrna.plots import plot_biotypes, plot_lengths  # noqa: E402

summary = pd.read_csv(snakemake.input.summary, sep="\t")
plot_biotypes(summary, snakemake.params.classes, snakemake.output.biotypes)
plot_lengths(summary, snakemake.output.lengths)
