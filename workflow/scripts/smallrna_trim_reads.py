"""Rule trim_smallrna_reads: fastp (5' clip, 3' quality trim, adapter) with input checks; the
trimmed reads are counted as they stream out of fastp (a unit count table, no FASTQ)."""

import json
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir.smallrna import SmallRnaInputError  # noqa: E402
from stromir.smallrna.pipeline import trim_and_count  # noqa: E402
from stromir.smallrna.protocols import Protocol  # noqa: E402

p = snakemake.params.protocol
protocol = Protocol(p["name"], p["adapter"], p["clip_5p"], p["clip_3p"], p["umi"], p["poly_a"])
adapter = protocol.adapter
if protocol.umi:
    adapter = None  # the UMI step already cut the QIAseq adapter from the raw reads
elif adapter == "auto":
    with open(snakemake.input.adapter_report) as handle:
        next(handle)
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if fields[4] == "yes":
                adapter = fields[1]
try:
    stats = trim_and_count(
        snakemake.input.fq,
        snakemake.output.counts,
        snakemake.output.json,
        snakemake.output.html,
        protocol,
        adapter,
        snakemake.params.min_quality,
        snakemake.threads,
        snakemake.params.min_adapter_fraction,
        umi=protocol.umi,
        log=sys.stderr,
    )
except SmallRnaInputError as error:
    errors.fail(error)
if protocol.umi:
    with open(snakemake.input.umi_stats) as handle:
        umi = json.load(handle)
    stats = {
        "input_reads": umi["input_reads"],
        "adapter": umi["adapter"],
        "adapter_found": umi["adapter_found"],
        "no_umi": umi["no_umi"],
    }
stats.update(protocol=protocol.name, clip_5p=protocol.clip_5p, clip_3p=protocol.clip_3p)
with open(snakemake.output.stats, "w") as out:
    json.dump(stats, out, indent=1)
