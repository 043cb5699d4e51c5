"""Rule detect_smallrna_adapter: which known 3' adapter a unit's reads carry (adapter: auto)."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir.smallrna import SmallRnaInputError  # noqa: E402
from stromir.smallrna.pipeline import detect_adapter_file  # noqa: E402
from stromir.smallrna.reads import read_fasta  # noqa: E402

try:
    adapters = read_fasta(snakemake.input.adapters)
    result = detect_adapter_file(
        snakemake.input.fq, adapters, snakemake.params.n_reads, snakemake.params.min_fraction
    )
except SmallRnaInputError as error:
    errors.fail(error)
with open(snakemake.output.tsv, "w") as out:
    out.write("adapter\tsequence\tfraction\treads_sampled\tchosen\n")
    for name, fraction in sorted(result["fractions"].items(), key=lambda kv: -kv[1]):
        chosen = "yes" if name == result["best"] else "no"
        out.write(f"{name}\t{adapters[name]}\t{fraction:.4f}\t{result['reads']}\t{chosen}\n")
print(
    f"{snakemake.input.fq}: adapter {result['best']} ({result['sequence']}) in "
    f"{result['best_fraction']:.1%} of {result['reads']} reads",
    file=sys.stderr,
)
