"""Rule integrate_mirna_targets: miRNA and target log2 fold changes, anti-correlation flags."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

import pandas as pd  # noqa: E402

from stromir.signatures import integration, io, stats  # noqa: E402

samples = pd.DataFrame(snakemake.params.samples)
try:
    targets = integration.load_targets(snakemake.input.targets)
    de_tables = io.read_de_tables(snakemake.params.de_keys, snakemake.input.de)
    vst = {}
    for assay, path in zip(snakemake.params.assays, snakemake.input.vst):
        values, _ = io.split_matrix(io.read_table(path))
        vst[assay] = values
    table = integration.integration_table(
        targets, snakemake.params.contrasts, de_tables, vst, samples, stats.contrast_samples
    )
except (integration.TargetsError, ValueError, KeyError) as error:
    errors.fail(error)

if table.empty:
    print("no pair of small-RNA and RNA-seq contrasts on the same factor levels: empty table", file=sys.stderr)
print(f"{len(table)} interaction rows", file=sys.stderr)
io.write_table(table, snakemake.output.table)
