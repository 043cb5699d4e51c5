"""Rule plot_signature_lfc: members' log2 fold changes against all features of one contrast."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir.signatures import io, plots  # noqa: E402

de = io.read_table(snakemake.input.de)
members = io.read_table(snakemake.input.members)
members["present"] = members["present"].astype(str).str.lower() == "true"
members = members[members["assay"] == snakemake.wildcards.assay]
title = f"{snakemake.wildcards.assay}: {snakemake.wildcards.contrast}"
plots.plot_lfc_background(de, members, snakemake.output.plot, title)
