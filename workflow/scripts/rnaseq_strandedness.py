"""Infer one unit's strandedness from a read subsample of its BAM and resolve it against
the declared value of units.tsv."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path

import pysam

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir.rnaseq import strandedness as st  # noqa: E402

index = st.GeneStrandIndex(st.exons_from_gtf(open(snakemake.input.gtf), snakemake.params.feature_type))
with pysam.AlignmentFile(snakemake.input.bam) as bam:
    mapped = bam.mapped
    # Both mates count, so aim at 2x the requested pairs for paired data (at most all reads).
    fraction = min(1.0, 2 * snakemake.params.reads / mapped) if mapped else 1.0

    def reads():
        for read in bam.fetch(until_eof=True):
            if read.is_unmapped or read.is_secondary or read.is_supplementary:
                continue
            if read.has_tag("NH") and read.get_tag("NH") > 1:
                continue
            if not st.keep_read(read.query_name, fraction):
                continue
            yield (read.reference_name, read.reference_start, read.reference_end,
                   read.is_reverse, read.is_read2)

    sense, antisense = st.count_orientations(reads(), index)

call = st.infer_strandedness(sense, antisense, snakemake.params.threshold)
used, warning = st.resolve_strandedness(snakemake.params.declared, call["inferred"],
                                        call["fraction_sense"])
print(f"{mapped} mapped reads, sampled fraction {fraction:.4f}: {call}", file=sys.stderr)
if warning:
    print(warning, file=sys.stderr)
row = {"sample": snakemake.wildcards.sample, "unit": snakemake.wildcards.unit,
       "declared": snakemake.params.declared, **call, "used": used,
       "featurecounts_s": st.FEATURECOUNTS_CODE[used], "warning": warning}
with open(snakemake.output.tsv, "w") as out:
    out.write("\t".join(row) + "\n")
    out.write("\t".join(str(v) for v in row.values()) + "\n")
