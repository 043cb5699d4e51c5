"""Unit tests for the seeded small-RNA read simulator."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from stromir.simulate import smallrna as sim

REPO = Path(__file__).resolve().parents[1]
MIRBASE = REPO / "resources" / "testdata" / "references" / "mirbase"
ADAPTER = sim.TRUSEQ_SMALL_RNA_ADAPTER

HAIRPINS = {
    "hsa-mir-1": "GGCCTTAGCTTATCAGACTGATGTTGACTGTTGAATCTCATGGCAACACCAGTCGATGGGCTGTCAA",
    "hsa-mir-2": "CCTGATGAGAACTGAATTCCATGGGTTGTGTCAGTGTCAGACCTCTGAAATTCAGTTCTTCAGCTGGG",
    "hsa-mir-3": "AATGTGAGGTAGTAGGTTGTATAGTTTTAGGGTCACACCCACCACTGGGAGATAACTATACAATCTAC",
}
MATURES = {
    "hsa-miR-1-5p": "TAGCTTATCAGACTGATGTTGA",
    "hsa-miR-1-3p": "CAACACCAGTCGATGGGCTGT",
    "hsa-miR-2-5p": "TGAGAACTGAATTCCATGGGTT",
    "hsa-miR-3-5p": "TGAGGTAGTAGGTTGTATAGTT",
    "hsa-miR-3b-5p": "TGAGGTAGTAGGTTGTATAGTT",  # identical: grouped with miR-3-5p
    "mmu-miR-9": "TCTTTGGTTATCTAGCTGTATGA",
}


def fasta(path: Path, records: dict[str, str], rna: bool = True) -> Path:
    text = "".join(f">{n}\n{s.replace('T', 'U') if rna else s}\n" for n, s in records.items())
    path.write_text(text)
    return path


@pytest.fixture()
def refs(tmp_path):
    mature = fasta(tmp_path / "mature.fa", MATURES)
    hairpin = fasta(tmp_path / "hairpin.fa", HAIRPINS)
    trna = fasta(tmp_path / "trna.fa", {"tRNA-Gly-GCC-1": "GCATTGGTGGTTCAGTGGTAGAATTCTCGCCTGCCACGCGGGAGGCCCGGGTTCGATTCCCGGCCAATGCA"}, rna=False)
    spike = fasta(tmp_path / "spike.fa", {"cel-miR-39-3p": "TCACCGGGTGTAAATCAGCTTG"}, rna=False)
    return {"mature_fa": mature, "hairpin_fa": hairpin, "trna": trna, "spike": spike}


def read_fastq(path: Path) -> list[tuple[str, str, str]]:
    with gzip.open(path, "rt") as handle:
        lines = handle.read().splitlines()
    assert len(lines) % 4 == 0
    return [(lines[i], lines[i + 1], lines[i + 3]) for i in range(0, len(lines), 4)]


def run(tmp_path, refs, name="x.fq.gz", **kwargs):
    args = dict(mature_fa=refs["mature_fa"], hairpin_fa=refs["hairpin_fa"], n_reads=300, seed=7, species="hsa")
    args.update(kwargs)
    out = tmp_path / name
    return out, sim.simulate_smallrna(out, **args)


def test_deterministic_for_seed_and_different_for_other_seed(tmp_path, refs):
    a, truth_a = run(tmp_path, refs, "a.fq.gz")
    b, truth_b = run(tmp_path, refs, "b.fq.gz")
    c, truth_c = run(tmp_path, refs, "c.fq.gz", seed=8)
    assert a.read_bytes() == b.read_bytes()
    pd.testing.assert_frame_equal(truth_a, truth_b)
    assert a.read_bytes() != c.read_bytes()


def test_truth_totals_equal_reads_and_columns(tmp_path, refs):
    out, truth = run(
        tmp_path, refs, fragment_fastas={"tRNA": refs["trna"]}, spikeins=refs["spike"], n_reads=1000,
        fragment_fraction=0.2, spikein_fraction=0.05,
    )
    records = read_fastq(out)
    assert list(truth.columns) == ["feature", "class", "molecules", "reads"]
    assert truth["reads"].sum() == len(records) == 1000
    assert (truth["molecules"] == truth["reads"]).all()
    assert set(truth["class"]) == {"miRNA", "tRNA", "spikein"}
    by_class = truth.groupby("class")["reads"].sum() / 1000
    assert 0.15 < by_class["tRNA"] < 0.25 and 0.02 < by_class["spikein"] < 0.09
    # species filter: the mmu record is not a feature; identical sequences form one group
    assert "mmu-miR-9" not in set(truth["feature"])
    assert "hsa-miR-3" not in set(truth["feature"])
    assert all(len(seq) == 51 and len(qual) == 51 for _, seq, qual in records)
    assert all(set(qual) <= {"#", "-", "8", "F"} for _, _, qual in records)
    assert len({name for name, _, _ in records}) == 1000


def test_illumina_layout_insert_then_adapter(tmp_path, refs):
    out, truth = run(tmp_path, refs, error_rate=0.0, isomir_fraction=0.0)
    inserts = {s for s in MATURES.values()}
    for _, seq, _ in read_fastq(out):
        cut = seq.find(ADAPTER)
        assert cut > 0, seq
        assert seq[:cut] in inserts
    assert truth["class"].eq("miRNA").all()


def test_nextflex_v3_random_bases_both_sides(tmp_path, refs):
    out, _ = run(tmp_path, refs, protocol="nextflex_v3", error_rate=0.0, isomir_fraction=0.0)
    inserts = {s for s in MATURES.values()}
    firsts = Counter()
    for _, seq, _ in read_fastq(out):
        cut = seq.find(ADAPTER)
        assert seq[4 : cut - 4] in inserts, seq
        firsts[seq[:4]] += 1
    assert len(firsts) > 50  # the 4N are random, not a constant prefix


def test_qiaseq_layout_umi_and_duplicates(tmp_path, refs):
    out, truth = run(tmp_path, refs, protocol="qiaseq", umi_length=12, error_rate=0.0, isomir_fraction=0.0, n_reads=400,
        read_length=75,  # QIAseq needs reads long enough for insert + adapter + UMI
    )
    records = read_fastq(out)
    molecules = set()
    for _, seq, _ in records:
        cut = seq.find(sim.QIASEQ_ADAPTER)
        assert cut > 0
        insert = seq[:cut]
        umi = seq[cut + len(sim.QIASEQ_ADAPTER) : cut + len(sim.QIASEQ_ADAPTER) + 12]
        assert len(umi) == 12
        assert seq[cut + 31 :].startswith(sim.QIASEQ_DOWNSTREAM[: 75 - cut - 31])
        molecules.add((insert, umi))
    assert truth["reads"].sum() == len(records) == 400
    assert truth["molecules"].sum() == len(molecules) < 400  # PCR duplicates share a UMI


def test_isomirs_use_hairpin_context(tmp_path, refs):
    out, _ = run(tmp_path, refs, error_rate=0.0, isomir_fraction=1.0, n_reads=400)
    kinds = Counter()
    for _, seq, _ in read_fastq(out):
        insert = seq[: seq.find(ADAPTER)]
        assert insert not in MATURES.values()
        if any(insert in h for h in HAIRPINS.values()):
            kinds["templated"] += 1
        else:
            assert insert.rstrip("A").rstrip("T") and insert[-1] in "AT"
            kinds["nontemplated"] += 1
    assert kinds["templated"] > 0 and kinds["nontemplated"] > 0


def test_fold_changes_and_group_member_names(tmp_path, refs):
    profile = {name: 1.0 for name in ["hsa-miR-1-5p", "hsa-miR-1-3p", "hsa-miR-2-5p", "hsa-miR-3-5p/hsa-miR-3b-5p"]}
    _, base = run(tmp_path, refs, profile=profile, n_reads=4000, seed=1)
    _, up = run(tmp_path, refs, "u.fq.gz", profile=profile, n_reads=4000, seed=2, fold_changes={"hsa-miR-3b-5p": 8})
    b = base.set_index("feature")["molecules"]
    u = up.set_index("feature")["molecules"]
    group = "hsa-miR-3-5p/hsa-miR-3b-5p"
    ratio = (u[group] / u.drop(group).sum()) / (b[group] / b.drop(group).sum())
    assert 5 < ratio < 12


def test_bad_arguments_fail_clearly(tmp_path, refs):
    with pytest.raises(ValueError, match="unknown feature 'hsa-miR-nope'"):
        run(tmp_path, refs, fold_changes={"hsa-miR-nope": 2})
    with pytest.raises(ValueError, match="protocol 'cats2'"):
        run(tmp_path, refs, protocol="cats2")
    with pytest.raises(ValueError, match="umi_length"):
        run(tmp_path, refs, protocol="qiaseq")
    assert not (tmp_path / "x.fq.gz").exists()


def test_profile_shared_baseline_and_heavy_tail():
    names = [f"m{i}" for i in range(2000)]
    a = sim.mirna_profile(names, 3)
    assert a.equals(sim.mirna_profile(list(reversed(names)), 3))
    assert not a.equals(sim.mirna_profile(names, 4))
    assert a.sum() == pytest.approx(1.0)
    assert a.sort_values().tail(20).sum() > 0.3  # a few miRNAs dominate, as in real libraries


def test_bundled_mirbase_and_write_truth(tmp_path):
    out = tmp_path / "s.fq.gz"
    truth = sim.simulate_smallrna(
        out, mature_fa=MIRBASE / "mature.fa.gz", hairpin_fa=MIRBASE / "hairpin.fa.gz", n_reads=500, seed=3,
        fold_changes={"hsa-miR-199a-3p": 2.0},
    )
    assert truth["feature"].str.startswith("hsa-").all()
    sim.write_truth(truth, tmp_path / "truth.tsv")
    back = pd.read_csv(tmp_path / "truth.tsv", sep="\t")
    pd.testing.assert_frame_equal(back, truth)


def test_sample_profile_applies_fold_changes_and_noise():
    baseline = pd.Series({"a": 0.5, "b/c": 0.25, "d": 0.25})
    plain = sim.sample_profile(baseline, fold_changes={"c": 4.0})
    assert plain["b/c"] / plain["a"] == pytest.approx(2.0)  # "c" selects its group "b/c"
    assert plain.sum() == pytest.approx(1.0)
    noisy = sim.sample_profile(baseline, dispersion=0.05, seed=1)
    assert noisy.equals(sim.sample_profile(baseline, dispersion=0.05, seed=1))
    assert not noisy.equals(baseline)
    assert sim.resolve_feature("c", list(baseline.index)) == "b/c"


def test_bundled_simulated_samples_match_their_truth():
    folder = REPO / "resources" / "testdata" / "smallrna" / "simulated"
    truth = pd.read_csv(folder / "truth.tsv", sep="\t")
    planted = pd.read_csv(folder / "planted_effects.tsv", sep="\t")
    assert list(truth.columns) == ["sample", "feature", "class", "molecules"]
    assert set(planted["contrast"]) == {"resistant_vs_sensitive", "caf_vs_nf"}
    per_sample = truth.groupby("sample")["molecules"].sum()
    n_reads = sum(1 for _ in gzip.open(folder / "srna_res_1.fastq.gz", "rt")) // 4
    assert n_reads == per_sample["srna_res_1"] == 8000
    # planted miRNAs are present in every sample at a detectable level
    pivot = truth.pivot_table(index="feature", columns="sample", values="molecules", aggfunc="sum", fill_value=0)
    assert (pivot.loc[sorted(set(planted["feature"]))] >= 15).all().all()
