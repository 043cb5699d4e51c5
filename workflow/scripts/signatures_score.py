"""Rule score_signatures: members, per-sample scores and per-contrast tests of every signature."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

import pandas as pd  # noqa: E402

from stromir.signatures import definitions, io, tables  # noqa: E402

samples = pd.DataFrame(snakemake.params.samples)
try:
    signatures = definitions.load_signatures(snakemake.input.signatures)
    matrices = io.read_assay_matrices(
        snakemake.params.assays, snakemake.input.vst, snakemake.input.counts, samples
    )
    de_tables = io.read_de_tables(snakemake.params.de_keys, snakemake.input.de)
    members = tables.members_table(signatures, matrices)
    scores = tables.scores_table(
        signatures, matrices, members, samples, snakemake.params.min_members, snakemake.params.seed
    )
    tests = tables.contrast_tests(
        signatures, snakemake.params.contrasts, matrices, de_tables, members, scores, samples,
        snakemake.params.min_members, snakemake.params.permutations, snakemake.params.seed,
        snakemake.params.alpha,
    )
except (definitions.SignatureError, ValueError, KeyError) as error:
    errors.fail(error)

for _, row in tests.iterrows():
    print(f"{row['signature']} / {row['assay']} {row['contrast']}: {row['verdict']}", file=sys.stderr)
io.write_table(members, snakemake.output.members)
io.write_table(scores, snakemake.output.scores)
io.write_table(tests, snakemake.output.tests)
