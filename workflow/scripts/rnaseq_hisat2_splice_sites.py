"""Rule extract_hisat2_splice_sites: known introns of the GTF for HISAT2."""

import os
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir.rnaseq.align import hisat2_splice_sites  # noqa: E402

with open(snakemake.input.gtf) as handle:
    sites = hisat2_splice_sites(handle)
tmp = snakemake.output.splice_sites + ".tmp"
with open(tmp, "w") as out:
    out.writelines(f"{chrom}\t{left}\t{right}\t{strand}\n" for chrom, left, right, strand in sites)
os.replace(tmp, snakemake.output.splice_sites)
print(f"{len(sites)} splice sites from {snakemake.input.gtf}", file=sys.stderr)
