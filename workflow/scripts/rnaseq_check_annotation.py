"""Check that the GTF's chromosomes are sequences of the genome FASTA (one-line error if not)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir.rnaseq import checks  # noqa: E402

fasta_chroms = checks.fasta_names(open(snakemake.input.fai))
gtf_chroms = checks.gtf_chromosomes(open(snakemake.input.gtf))
try:
    missing = checks.check_gtf_matches_fasta(
        gtf_chroms, fasta_chroms, snakemake.input.gtf, snakemake.params.fasta
    )
except checks.InputError as error:
    errors.fail(error)
if missing:
    print(f"WARNING: {len(missing)} GTF chromosome(s) not in the FASTA, their genes get no "
          f"reads: {', '.join(missing[:10])}", file=sys.stderr)
with open(snakemake.output.tsv, "w") as out:
    out.write("gtf_chromosome\tin_fasta\n")
    for chrom in gtf_chroms:
        out.write(f"{chrom}\t{'no' if chrom in missing else 'yes'}\n")
