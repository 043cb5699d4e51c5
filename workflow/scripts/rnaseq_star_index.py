"""Build the STAR index with --genomeSAindexNbases from the genome length and --sjdbOverhang
from the configured read length (rnaseq.read_length)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import subprocess
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir.rnaseq import align  # noqa: E402

length = align.genome_length_from_fai(open(snakemake.input.fai))
nbases = align.star_sa_index_nbases(length)
read_length = int(snakemake.params.read_length)
overhang = align.star_sjdb_overhang(read_length)
print(f"genome {length} bp -> --genomeSAindexNbases {nbases}; read length {read_length} "
      f"-> --sjdbOverhang {overhang}", file=sys.stderr)
out = Path(snakemake.output.index)
out.mkdir(parents=True, exist_ok=True)
command = [
    "STAR", "--runMode", "genomeGenerate", "--runThreadN", str(snakemake.threads),
    "--genomeDir", str(out), "--genomeFastaFiles", snakemake.input.fasta,
    "--sjdbGTFfile", snakemake.input.gtf, "--sjdbOverhang", str(overhang),
    "--genomeSAindexNbases", str(nbases), "--outFileNamePrefix", f"{out}/",
]  # fmt: skip
print(" ".join(command), file=sys.stderr)
result = subprocess.run(command, stdout=sys.stderr, stderr=sys.stderr)
if result.returncode != 0:
    errors.fail(f"STAR genomeGenerate failed ({result.returncode}); see {snakemake.log[0]}")
