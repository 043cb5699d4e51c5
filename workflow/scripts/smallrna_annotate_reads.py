"""Rule annotate_smallrna_reads: spike-in -> mature -> hairpin -> classes -> genome -> unassigned."""

import gzip
import json
import os
import tempfile
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent / "lib"))

from stromir import errors  # noqa: E402

import pandas as pd  # noqa: E402

from stromir.smallrna import SmallRnaInputError  # noqa: E402
from stromir.smallrna.annotate import IsomirParams, MirnaReference, annotate_sequences  # noqa: E402
from stromir.smallrna.classes import align_to_targets, write_class_hits  # noqa: E402
from stromir.smallrna.collapse import read_collapsed  # noqa: E402
from stromir.smallrna.merge import write_sorted_counts  # noqa: E402
from stromir.smallrna.mirgff import write_mirgff3  # noqa: E402
from stromir.smallrna.reads import read_fasta  # noqa: E402

try:
    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from mirtop.mirna.realign import make_id
except ImportError:  # mirtop absent: GFF without UID (mirtop can still derive it from Read)
    make_id = None

try:
    params = IsomirParams.from_config(snakemake.params.isomir)
    table = read_collapsed(snakemake.input.collapsed)
    hairpins = read_fasta(snakemake.input.hairpin)
    positions = pd.read_csv(snakemake.input.positions, sep="\t")
    mirna = MirnaReference.build(hairpins, positions)
    spikeins = None
    if "spikeins" in snakemake.input.keys():
        spikeins = MirnaReference.from_sequences(read_fasta(snakemake.input.spikeins))
    annotation = annotate_sequences(table, mirna, params, spikeins, threads=snakemake.threads)
    remaining = {s: v[0] for s, v in table.items() if s not in annotation.classes}
    feature_hits = {}
    with tempfile.TemporaryDirectory(dir=os.path.dirname(snakemake.output.classes)) as tmp:
        other = align_to_targets(
            remaining,
            [tuple(t) for t in snakemake.params.targets],
            tmp,
            params.max_mismatches,
            snakemake.threads,
            log=sys.stderr,
            feature_hits=feature_hits,
            per_feature=snakemake.params.classes,
        )
except (SmallRnaInputError, ValueError) as error:
    errors.fail(error)

class_counts = dict(annotation.class_counts)
for seq, name in other.items():
    class_counts[name] = class_counts.get(name, 0) + remaining[seq]
total = sum(v[0] for v in table.values())
class_counts["unassigned"] = total - sum(class_counts.values())

write_class_hits(feature_hits, table, snakemake.output.other, umis=snakemake.params.umi)
write_sorted_counts(annotation.mature, snakemake.output.mature, ["feature"])
write_sorted_counts(annotation.hairpin, snakemake.output.hairpin, ["feature"])
write_sorted_counts(annotation.spikein, snakemake.output.spikein, ["feature"])
isomir_counts = {}
for seq, feature, variant, count, _ in annotation.isomirs:
    key = (seq, feature, "canonical" if variant == "NA" else variant)
    isomir_counts[key] = isomir_counts.get(key, 0) + count
write_sorted_counts(isomir_counts, snakemake.output.isomirs, ["sequence", "feature", "isomir_type"])
tmp_gff = snakemake.output.gff + ".tmp"
with open(tmp_gff, "w") as handle:
    n_gff = write_mirgff3(
        handle,
        snakemake.wildcards.sample,
        annotation.isomirs,
        hairpins,
        database="miRBasev22" if snakemake.params.database == "mirbase" else "MirGeneDB",
        uid=make_id,
    )
os.replace(tmp_gff, snakemake.output.gff)
with open(snakemake.output.classes, "w") as out:
    json.dump(
        {
            "molecules": total,
            "classes": class_counts,
            "detected_mirnas": sum(1 for v in annotation.mature.values() if v > 0),
            "isomir_records": n_gff,
        },
        out,
        indent=1,
    )
print(json.dumps(class_counts), file=sys.stderr)
