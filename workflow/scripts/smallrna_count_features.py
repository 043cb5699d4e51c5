"""Rule count_smallrna_features: streaming merge of per-sample tables into one count matrix."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir.smallrna import SmallRnaInputError  # noqa: E402
from stromir.smallrna.merge import merge_tables  # noqa: E402
from stromir.smallrna.reads import read_fasta  # noqa: E402

level = snakemake.wildcards.level
keys = ["sequence", "feature", "isomir_type"] if level == "isomir" else ["feature"]
all_keys = None
if "reference" in snakemake.input.keys():
    names = list(read_fasta(snakemake.input.reference))
    all_keys = [(name,) for name in names]
try:
    rows = merge_tables(
        snakemake.input.tables, snakemake.params.samples, snakemake.output.tsv, keys, "count", all_keys
    )
except SmallRnaInputError as error:
    errors.fail(error)
print(f"{level}: {rows} rows x {len(snakemake.params.samples)} samples", file=sys.stderr)
