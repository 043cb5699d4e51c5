"""Rule collapse_smallrna_reads: one sample's trimmed units -> unique sequences with counts."""

import json
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir.smallrna import SmallRnaInputError  # noqa: E402
from stromir.smallrna.collapse import check_reads_kept, collapse_units, write_collapsed  # noqa: E402

units = [
    {"counts": path, "clip_3p": setting["clip_3p"], "umi": setting["umi"], "poly_a": setting["poly_a"]}
    for path, setting in zip(snakemake.input.counts, snakemake.params.units)
]
try:
    table, lengths, stats = collapse_units(
        units, snakemake.params.min_length, snakemake.params.max_length
    )
    check_reads_kept(
        stats, snakemake.params.raw_fastqs, snakemake.params.min_length, snakemake.params.max_length
    )
except SmallRnaInputError as error:
    errors.fail(error)
trim = {"input_reads": 0, "adapter_found": 0, "no_umi": 0, "adapters": []}
for path in snakemake.input.stats:
    with open(path) as handle:
        unit = json.load(handle)
    for key in ("input_reads", "adapter_found", "no_umi"):
        trim[key] += int(unit.get(key, 0))
    if unit.get("adapter") and unit["adapter"] not in trim["adapters"]:
        trim["adapters"].append(unit["adapter"])
trim["adapter"] = ",".join(trim.pop("adapters"))
write_collapsed(table, snakemake.output.table)
with open(snakemake.output.stats, "w") as out:
    json.dump(
        {"trim": trim, "collapse": stats, "lengths": {str(k): v for k, v in sorted(lengths.items())}},
        out,
        indent=1,
    )
print(json.dumps(stats), file=sys.stderr)
