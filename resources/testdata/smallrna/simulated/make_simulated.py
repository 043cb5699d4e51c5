"""Regenerate the bundled simulated small-RNA samples with planted differential expression.

Run from the repository root:  .venv/bin/python resources/testdata/smallrna/simulated/make_simulated.py

For every sample of config/samples.tsv with assay smallrna and batch simulated it writes the
FASTQ.gz files that config/units.tsv lists for it, then truth.tsv and planted_effects.tsv next
to this script. Deterministic: the same inputs give byte-identical files. See PROVENANCE.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(REPO / "workflow" / "lib"))

from stromir.simulate import smallrna as sim  # noqa: E402

HERE = Path(__file__).resolve().parent
MIRBASE = REPO / "resources" / "testdata" / "references" / "mirbase"
CLASSES = REPO / "resources" / "testdata" / "references" / "smallrna"

READS_PER_SAMPLE = 8000
READ_LENGTH = 51
SPECIES = "hsa"
FRAGMENT_FRACTION = 0.10
SPIKEIN_FRACTION = 0.02
DISPERSION = 0.05  # biological replicate noise: gamma, mean 1, variance 0.05
MIN_EXPECTED_READS = 150  # floor for planted miRNAs at baseline
# One baseline miRNA profile per cell type (cancer cells and fibroblasts differ broadly);
# replicates and conditions of a cell type share it.
PROFILE_SEEDS = {"cancer": 11, "fibroblast": 12}
SAMPLE_SEED_BASE = 20260100

FOLD = 4.0
# Planted effects per contrast (test condition vs reference condition of one cell type).
# resistant vs sensitive: exosomal/cellular miRNAs reported in trastuzumab-resistant HER2+
# breast cancer (up: miR-146a-5p, miR-1246, miR-155-5p, miR-21-5p; down: miR-205-5p,
# miR-342-5p, miR-125a-5p, miR-125b-5p). CAF vs NF: miRNAs reported in cancer-associated
# fibroblasts (up: miR-21-5p, miR-214-3p, miR-199a-3p; down: miR-200c-3p, miR-149-5p).
CONTRASTS = {
    "resistant_vs_sensitive": {
        "cell_type": "cancer",
        "test": "resistant",
        "reference": "sensitive",
        "up": ["hsa-miR-146a-5p", "hsa-miR-1246", "hsa-miR-155-5p", "hsa-miR-21-5p"],
        "down": ["hsa-miR-205-5p", "hsa-miR-342-5p", "hsa-miR-125a-5p", "hsa-miR-125b-5p"],
    },
    "caf_vs_nf": {
        "cell_type": "fibroblast",
        "test": "CAF",
        "reference": "NF",
        "up": ["hsa-miR-21-5p", "hsa-miR-214-3p", "hsa-miR-199a-3p"],
        "down": ["hsa-miR-200c-3p", "hsa-miR-149-5p"],
    },
}


def planted_table(features: list[str]) -> pd.DataFrame:
    rows = []
    for contrast, spec in CONTRASTS.items():
        for direction, factor in (("up", FOLD), ("down", 1.0 / FOLD)):
            for name in spec[direction]:
                feature = sim.resolve_feature(name, features)
                rows.append((contrast, feature, float(np.log2(factor))))
    return pd.DataFrame(rows, columns=["contrast", "feature", "log2FC"])


def baseline_for(cell_type: str, features: list[str], planted: list[str]) -> pd.Series:
    """Heavy-tailed baseline with every planted feature at >= MIN_EXPECTED_READS expected reads."""
    base = sim.mirna_profile(features, PROFILE_SEEDS[cell_type])
    mirna_reads = READS_PER_SAMPLE * (1 - FRAGMENT_FRACTION - SPIKEIN_FRACTION)
    floor = MIN_EXPECTED_READS / mirna_reads
    for _ in range(3):  # raising some weights lowers the others' share: iterate to converge
        base = base / base.sum()
        base[planted] = np.maximum(base[planted], floor * 1.02)
    return base / base.sum()


def main() -> None:
    samples = pd.read_csv(REPO / "config" / "samples.tsv", sep="\t", dtype=str).fillna("")
    units = pd.read_csv(REPO / "config" / "units.tsv", sep="\t", dtype=str).fillna("")
    chosen = samples[(samples["assay"] == "smallrna") & (samples["batch"] == "simulated")]
    if chosen.empty:
        sys.exit("make_simulated: config/samples.tsv has no smallrna sample with batch simulated")

    features, _, _ = sim.load_mirna_features(MIRBASE / "mature.fa.gz", MIRBASE / "hairpin.fa.gz", SPECIES)
    names = sorted(features)
    planted = planted_table(names)
    fragments = {
        rna_class: CLASSES / f"{stem}.fa"
        for rna_class, stem in (("tRNA", "trna"), ("rRNA", "rrna"), ("YRNA", "yrna"), ("snoRNA", "snorna"),
                                ("snRNA", "snrna"), ("piRNA", "pirna"))
        if (CLASSES / f"{stem}.fa").exists()
    }
    baselines = {
        cell_type: baseline_for(cell_type, names, sorted(set(planted["feature"])))
        for cell_type in PROFILE_SEEDS
    }

    truths = []
    for index, row in enumerate(chosen.itertuples(index=False)):
        if row.cell_type not in baselines:
            sys.exit(f"make_simulated: sample {row.sample} has cell_type {row.cell_type!r}; expected cancer or fibroblast")
        effects = {}
        for contrast, spec in CONTRASTS.items():
            if spec["cell_type"] == row.cell_type and row.condition == spec["test"]:
                for rec in planted[planted["contrast"] == contrast].itertuples():
                    effects[rec.feature] = effects.get(rec.feature, 1.0) * 2.0**rec.log2FC
        sample_seed = SAMPLE_SEED_BASE + index
        profile = sim.sample_profile(
            baselines[row.cell_type], fold_changes=effects, dispersion=DISPERSION, seed=sample_seed
        )
        sample_units = units[units["sample"] == row.sample]
        if sample_units.empty:
            sys.exit(f"make_simulated: sample {row.sample} has no row in config/units.tsv")
        shares = np.full(len(sample_units), READS_PER_SAMPLE // len(sample_units))
        shares[0] += READS_PER_SAMPLE - shares.sum()
        for unit_index, (unit, n_reads) in enumerate(zip(sample_units.itertuples(index=False), shares)):
            protocol = unit.protocol or "illumina"
            adapter = unit.adapter if unit.adapter and unit.adapter != "auto" else sim.TRUSEQ_SMALL_RNA_ADAPTER
            truth = sim.simulate_smallrna(
                REPO / unit.fq1,
                mature_fa=MIRBASE / "mature.fa.gz",
                hairpin_fa=MIRBASE / "hairpin.fa.gz",
                species=SPECIES,
                n_reads=int(n_reads),
                seed=sample_seed * 10 + unit_index,
                profile=profile,
                adapter=adapter,
                read_length=READ_LENGTH,
                protocol=protocol,
                fragment_fraction=FRAGMENT_FRACTION if fragments else 0.0,
                fragment_fastas=fragments or None,
                spikeins=CLASSES / "spikeins.fa",
                spikein_fraction=SPIKEIN_FRACTION,
                read_prefix="r",
            )
            truths.append(truth.assign(sample=row.sample))
            print(f"{unit.fq1}: {int(n_reads)} reads, protocol {protocol}")

    truth = pd.concat(truths)
    truth = (
        truth.groupby(["sample", "feature", "class"], sort=False, as_index=False)["molecules"].sum()
    )
    sample_order = {s: i for i, s in enumerate(chosen["sample"])}
    truth = truth.sort_values(["sample", "class", "feature"], key=lambda c: c.map(sample_order) if c.name == "sample" else c)
    sim.write_truth(truth, HERE / "truth.tsv")
    sim.write_truth(planted, HERE / "planted_effects.tsv")
    print(f"truth.tsv: {len(truth)} rows; planted_effects.tsv: {len(planted)} rows")


if __name__ == "__main__":
    main()
