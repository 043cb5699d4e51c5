"""Rule extract_smallrna_umis: QIAseq insert + UMI from raw reads, before any trimming."""

import json
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir.smallrna import SmallRnaInputError  # noqa: E402
from stromir.smallrna.pipeline import extract_umis_file  # noqa: E402

protocol = snakemake.params.protocol
adapter = protocol["adapter"]
if adapter == "auto":
    adapter = "AACTGTAGGCACCATCAAT"
try:
    stats = extract_umis_file(
        snakemake.input.fq,
        snakemake.output.fastq,
        adapter,
        snakemake.params.umi_length,
        snakemake.params.min_fraction,
    )
except SmallRnaInputError as error:
    errors.fail(error)
with open(snakemake.output.stats, "w") as out:
    json.dump(stats, out, indent=1)
print(json.dumps(stats), file=sys.stderr)
