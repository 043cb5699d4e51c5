"""Spike-in or small-RNA class FASTA: T alphabet, upper case, one line per sequence."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir import references  # noqa: E402

try:
    records = references.prepare_plain_reference(snakemake.input.fasta)
except references.ReferenceDataError as error:
    errors.fail(error)
print(f"{snakemake.input.fasta}: {len(records)} records", file=sys.stderr)
references.write_fasta(records, snakemake.output.fasta)
