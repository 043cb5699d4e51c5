"""Species-filtered, T-alphabet mature/hairpin FASTA and mature-on-hairpin positions."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

from stromir import references  # noqa: E402

try:
    mature_records = references.read_fasta(snakemake.input.mature)
    hairpin_records = references.read_fasta(snakemake.input.hairpin)
    matures, hairpins, positions = references.build_mirna_reference(
        mature_records,
        hairpin_records,
        snakemake.params.species,
        mature_path=snakemake.input.mature,
        hairpin_path=snakemake.input.hairpin,
    )
except references.ReferenceDataError as error:
    errors.fail(error)

unplaced = sorted(set(matures) - set(positions["mature"]))
print(
    f"source={snakemake.params.source} species={snakemake.params.species}: "
    f"{len(mature_records)} mature records -> {len(matures)} features "
    f"({sum('/' in name for name in matures)} identical-sequence groups); "
    f"{len(hairpins)} hairpins; {len(positions)} mature-on-hairpin positions; "
    f"{len(unplaced)} features in no hairpin",
    file=sys.stderr,
)
for name in unplaced[:20]:
    print(f"  not found in any hairpin: {name}", file=sys.stderr)

references.write_fasta(matures, snakemake.output.mature)
references.write_fasta(hairpins, snakemake.output.hairpin)
references.write_table(positions, snakemake.output.positions)
