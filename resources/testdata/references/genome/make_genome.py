"""Build the bundled test genome: the real chr22 slice (nf-core test data) plus synthetic chrSim.

Run from the repository root: `.venv/bin/python resources/testdata/references/genome/make_genome.py`.
Writes genome.fa and genes.gtf next to this script. The chr22 part is read from the original
nf-core files genome.fasta/genome.gtf when present, otherwise from the chr22 records of the
existing genome.fa/genes.gtf, so the script can be re-run after the originals were removed.
The chrSim sequence is seeded random DNA; only its gene names are real (see PROVENANCE.md).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3] / "workflow" / "lib"))

from stromir.simulate.rnaseq import gtf_lines, make_sim_contig  # noqa: E402

SEED = 20260122
N_GENES = 150


def read_fasta(path):
    records, name = {}, None
    for line in open(path):
        line = line.strip()
        if line.startswith(">"):
            name = line[1:].split()[0]
            records[name] = []
        elif name:
            records[name].append(line)
    return {k: "".join(v) for k, v in records.items()}


def main():
    if (HERE / "genome.fasta").exists():
        chr22 = read_fasta(HERE / "genome.fasta")["chr22"]
        chr22_gtf = (HERE / "genome.gtf").read_text().splitlines()
    else:
        chr22 = read_fasta(HERE / "genome.fa")["chr22"]
        chr22_gtf = [
            line for line in (HERE / "genes.gtf").read_text().splitlines()
            if line.startswith("chr22\t")
        ]
    sim_seq, genes = make_sim_contig(SEED, n_genes=N_GENES)
    with open(HERE / "genome.fa", "w") as out:
        for name, seq in (("chr22", chr22), ("chrSim", sim_seq)):
            out.write(f">{name}\n")
            for i in range(0, len(seq), 60):
                out.write(seq[i : i + 60] + "\n")
    lines = [line for line in chr22_gtf if line and not line.startswith("#")]
    lines += gtf_lines(genes)
    (HERE / "genes.gtf").write_text("\n".join(lines) + "\n")
    print(f"chr22 {len(chr22)} bp, chrSim {len(sim_seq)} bp, {len(genes)} synthetic genes")


if __name__ == "__main__":
    main()
