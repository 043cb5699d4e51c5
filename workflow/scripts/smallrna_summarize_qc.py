"""Rule summarize_smallrna_qc: per-sample read fates, exRNA verdict and miRTrace-style flags."""

import json
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

import pandas as pd  # noqa: E402

from stromir.smallrna.qc import summarize_sample  # noqa: E402
from stromir.smallrna.reads import read_fasta  # noqa: E402

known = len(read_fasta(snakemake.input.mature))
rows = []
for sample, cpath, apath in zip(
    snakemake.params.samples, snakemake.input.collapse, snakemake.input.classes
):
    with open(cpath) as handle:
        collapsed = json.load(handle)
    with open(apath) as handle:
        classes = json.load(handle)
    rows.append(
        summarize_sample(
            sample,
            collapsed["trim"],
            collapsed["collapse"],
            classes["classes"],
            snakemake.params.classes,
            {int(k): v for k, v in collapsed["lengths"].items()},
            classes["detected_mirnas"],
            known,
            snakemake.params.thresholds,
            snakemake.params.genome_alignment,
        )
    )
summary = pd.DataFrame(rows)
summary.to_csv(snakemake.output.summary + ".tmp", sep="\t", index=False)
Path(snakemake.output.summary + ".tmp").replace(snakemake.output.summary)
columns = ["spikein", "miRNA", "hairpin", *snakemake.params.classes, "genome", "unassigned"]
with open(snakemake.output.multiqc, "w") as out:
    out.write("# id: 'stromir_smallrna_biotypes'\n")
    out.write("# section_name: 'Small RNA biotypes'\n")
    out.write("# description: 'Kept reads (molecules) per class, hierarchical, each read once.'\n")
    out.write("# plot_type: 'bargraph'\n")
    summary[["sample", *columns]].to_csv(out, sep="\t", index=False)
