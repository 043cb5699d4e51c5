"""Merge per-unit featureCounts tables into the gene x sample raw count matrix (lanes summed)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir.rnaseq import counts  # noqa: E402

keys = [tuple(k.split("/", 1)) for k in snakemake.params.units]
tables = {
    key: counts.read_featurecounts(Path(path).read_text(), snakemake.params.gene_name)
    for key, path in zip(keys, snakemake.input.counts)
}
summaries = {
    key: counts.read_featurecounts_summary(Path(path).read_text())
    for key, path in zip(keys, snakemake.input.summaries)
}
matrix = counts.merge_units(tables, snakemake.params.samples)
summary = counts.merge_summaries(summaries, snakemake.params.samples)
for name, table in ((snakemake.output.counts, matrix), (snakemake.output.summary, summary)):
    tmp = Path(name + ".part")
    table.to_csv(tmp, sep="\t", index=False)
    tmp.replace(name)
print(f"{len(matrix)} genes x {len(snakemake.params.samples)} samples", file=sys.stderr)
