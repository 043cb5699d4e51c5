"""Per-sample RNA-seq QC table: reads in/trimmed/aligned/assigned and strandedness."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir.rnaseq import align, counts  # noqa: E402

parse = align.parse_hisat2_summary if snakemake.params.aligner == "hisat2" else align.parse_star_log
rows = []
for key, paired, fastp, aligner, strand, fc in zip(
    snakemake.params.units, snakemake.params.paired, snakemake.input.fastp,
    snakemake.input.aligner, snakemake.input.strandedness, snakemake.input.featurecounts,
):
    sample, unit = key.split("/", 1)
    reads_in, reads_after = counts.fastp_read_counts(Path(fastp).read_text(), paired)
    aligned = parse(Path(aligner).read_text())
    strandedness = pd.read_csv(strand, sep="\t", dtype=str, keep_default_na=False).iloc[0]
    assigned = counts.read_featurecounts_summary(Path(fc).read_text()).get("Assigned", 0)
    rows.append({
        "sample": sample, "unit": unit, "paired": paired, "reads_in": reads_in,
        "reads_after_trimming": reads_after, "uniquely_aligned": aligned["uniquely_aligned"],
        "multi_aligned": aligned["multi_aligned"], "assigned": int(assigned),
        "declared": strandedness["declared"], "inferred": strandedness["inferred"],
        "used": strandedness["used"], "fraction_sense": strandedness["fraction_sense"],
        "warning": strandedness["warning"],
    })
summary = counts.qc_summary(rows)
summary = summary.set_index("sample").loc[list(snakemake.params.samples)].reset_index()
tmp = Path(snakemake.output.summary + ".part")
summary.to_csv(tmp, sep="\t", index=False)
tmp.replace(snakemake.output.summary)
for _, row in summary[summary["strandedness_warning"] != ""].iterrows():
    print(f"{row['sample']}: {row['strandedness_warning']}", file=sys.stderr)
