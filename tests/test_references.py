"""Unit tests for stromir.references (FASTA I/O, species filter, grouping, positions)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from stromir import references as ref

REPO = Path(__file__).resolve().parents[1]
MIRBASE = REPO / "resources" / "testdata" / "references" / "mirbase"
MIRGENEDB = REPO / "resources" / "testdata" / "references" / "mirgenedb"


def write(path: Path, text: str, gz: bool = False) -> Path:
    if gz:
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_read_fasta_plain_and_gz_wrapped_u_to_t(tmp_path, gz):
    path = write(tmp_path / ("x.fa.gz" if gz else "x.fa"), ">a desc here\nacgu\nUUA\n\n>b\nNNAC\n", gz)
    assert ref.read_fasta(path) == [("a", "a desc here", "ACGTTTA"), ("b", "b", "NNAC")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no FASTA records"),
        ("ACGT\n>a\nAC\n", "before the first"),
        (">a\n>b\nAC\n", "has no sequence"),
        (">a\nACXQ\n", "non-nucleotide"),
    ],
)
def test_read_fasta_rejects_bad_input_with_file_name(tmp_path, text, message):
    path = write(tmp_path / "bad.fa", text)
    with pytest.raises(ref.ReferenceDataError, match=message) as info:
        ref.read_fasta(path)
    assert "bad.fa" in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_names_path(tmp_path):
    with pytest.raises(ref.ReferenceDataError, match="nope.fa: file not found"):
        ref.read_fasta(tmp_path / "nope.fa")


def test_filter_species_case_insensitive_and_exact_prefix():
    records = [
        ("hsa-miR-1", "", "A"),
        ("Hsa-Let-7-P1_5p", "", "C"),
        ("hsal-miR-9", "", "G"),
        ("mmu-miR-1", "", "T"),
    ]
    assert [r[0] for r in ref.filter_species(records, "hsa")] == ["hsa-miR-1", "Hsa-Let-7-P1_5p"]
    assert [r[0] for r in ref.filter_species(records, "HSA-")] == ["hsa-miR-1", "Hsa-Let-7-P1_5p"]
    assert len(ref.filter_species(records, "")) == 4


def test_group_identical_joins_sorted_names():
    groups = ref.group_identical({"hsa-miR-b": "ACGT", "hsa-miR-a": "ACGT", "hsa-miR-c": "TTTT"})
    assert groups == {"hsa-miR-a/hsa-miR-b": ["hsa-miR-a", "hsa-miR-b"], "hsa-miR-c": ["hsa-miR-c"]}


def test_locate_matures_all_occurrences_half_open():
    hairpins = {"h1": "GGACGTAAACGT", "h2": "TTTT", "h3": "ACGT"}
    table = ref.locate_matures({"m": ["m"]}, {"m": "ACGT"}, hairpins)
    assert list(table.columns) == ref.POSITION_COLUMNS
    hits = list(table[["hairpin", "start", "end"]].itertuples(index=False, name=None))
    assert hits == [("h1", 2, 6), ("h1", 8, 12), ("h3", 0, 4)]
    for row in table.itertuples():
        assert hairpins[row.hairpin][row.start : row.end] == row.sequence
    # a mature must not match across the boundary of two concatenated hairpins
    spanning = ref.locate_matures({"x": ["x"]}, {"x": "GTTT"}, {"a": "ACG", "b": "TTTG"})
    assert spanning.empty


def test_build_mirna_reference_small(tmp_path):
    mature = write(
        tmp_path / "mature.fa",
        ">hsa-miR-1-5p MIMAT1\nUAGC\n>hsa-miR-2-5p MIMAT2\nUAGC\n>hsa-miR-3 MIMAT3\nGGGA\n"
        ">mmu-miR-1 MIMAT4\nCCCC\n",
    )
    hairpin = write(tmp_path / "hairpin.fa", ">hsa-mir-1 MI1\nAAUAGCAA\nGGGA\n>mmu-mir-1\nCCCC\n")
    matures, hairpins, positions = ref.build_mirna_reference(
        ref.read_fasta(mature), ref.read_fasta(hairpin), "hsa"
    )
    assert matures == {"hsa-miR-1-5p/hsa-miR-2-5p": "TAGC", "hsa-miR-3": "GGGA"}
    assert hairpins == {"hsa-mir-1": "AATAGCAAGGGA"}
    assert positions.to_dict("records") == [
        {
            "mature": "hsa-miR-1-5p/hsa-miR-2-5p",
            "mature_names": "hsa-miR-1-5p,hsa-miR-2-5p",
            "hairpin": "hsa-mir-1",
            "start": 2,
            "end": 6,
            "sequence": "TAGC",
        },
        {
            "mature": "hsa-miR-3",
            "mature_names": "hsa-miR-3",
            "hairpin": "hsa-mir-1",
            "start": 8,
            "end": 12,
            "sequence": "GGGA",
        },
    ]


def test_build_mirna_reference_wrong_species_is_one_line(tmp_path):
    mature = write(tmp_path / "m.fa", ">mmu-miR-1\nACGU\n")
    with pytest.raises(ref.ReferenceDataError, match="references: species") as info:
        ref.build_mirna_reference(ref.read_fasta(mature), ref.read_fasta(mature), "hsa", mature_path="m.fa")
    assert str(info.value).startswith("m.fa:")


def test_duplicate_name_with_different_sequence_fails(tmp_path):
    records = [("hsa-miR-1", "", "ACGT"), ("hsa-miR-1", "", "ACGA")]
    with pytest.raises(ref.ReferenceDataError, match="appears twice"):
        ref.build_mirna_reference(records, [("hsa-mir-1", "", "ACGT")], "hsa")


def test_bundled_mirbase_known_biology():
    matures, hairpins, positions = ref.build_mirna_reference(
        ref.read_fasta(MIRBASE / "mature.fa.gz"), ref.read_fasta(MIRBASE / "hairpin.fa.gz"), "hsa"
    )
    assert all(set(seq) <= set("ACGTN") for seq in matures.values())
    # miR-124-3p sits in all three mir-124 loci
    hits = positions.loc[positions["mature"] == "hsa-miR-124-3p", "hairpin"].tolist()
    assert hits == ["hsa-mir-124-1", "hsa-mir-124-2", "hsa-mir-124-3"]
    # identical 3p arms of mir-199a/b are one feature
    assert "hsa-miR-199a-3p/hsa-miR-199b-3p" in matures
    assert "hsa-miR-199a-3p" not in matures
    assert matures["hsa-miR-21-5p"] == "TAGCTTATCAGACTGATGTTGA"
    # every bundled mature is found in at least one hairpin, and the coordinates are exact
    assert set(positions["mature"]) == set(matures)
    for row in positions.itertuples():
        assert hairpins[row.hairpin][row.start : row.end] == row.sequence == matures[row.mature]


def test_bundled_mirgenedb_names_and_positions():
    matures, hairpins, positions = ref.build_mirna_reference(
        ref.read_fasta(MIRGENEDB / "hsa_matures_miRgeneDB_v2.fa.gz"),
        ref.read_fasta(MIRGENEDB / "hsa_hairpins_miRgeneDB_v2.fa.gz"),
        "hsa",
    )
    assert any(name.startswith("Hsa-Let-7") for group in matures for name in group.split("/"))
    assert set(positions["mature"]) == set(matures)
    assert all(name.endswith("_pri") for name in hairpins)


def test_write_fasta_one_line_and_atomic(tmp_path):
    out = tmp_path / "sub" / "o.fa"
    ref.write_fasta({"a": "ACGT" * 30, "b": "TT"}, out)
    assert out.read_text() == f">a\n{'ACGT' * 30}\n>b\nTT\n"
    assert not list(out.parent.glob("*.tmp"))


def test_prepare_plain_reference_duplicates(tmp_path):
    path = write(tmp_path / "s.fa", ">cel-miR-39-3p\nUCACCGGGUGUAAAUCAGCUUG\n")
    assert ref.prepare_plain_reference(path) == {"cel-miR-39-3p": "TCACCGGGTGTAAATCAGCTTG"}
    dup = write(tmp_path / "d.fa", ">x\nAC\n>x\nAC\n")
    with pytest.raises(ref.ReferenceDataError, match="duplicate record name"):
        ref.prepare_plain_reference(dup)


def test_read_mirna_gff3_bundled():
    gff = ref.read_mirna_gff3(MIRBASE / "hsa.gff3.gz")
    row = gff.loc[gff["name"] == "hsa-miR-21-5p"].iloc[0]
    assert row["type"] == "miRNA" and row["seqid"] == "chr17" and row["derives_from"]
    mg = ref.read_mirna_gff3(MIRGENEDB / "hsa_miRgeneDB_v2.gff3.gz")
    assert set(mg["type"]) == {"pre_miRNA", "miRNA"}
    assert isinstance(gff, pd.DataFrame)


def test_checksum_verification(tmp_path):
    path = write(tmp_path / "f.txt", "abc")
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert ref.verify_checksum(path, None) == expected
    assert ref.verify_checksum(path, expected.upper()) == expected
    with pytest.raises(ref.ReferenceDataError, match="config references: checksums: mirbase/mature.fa"):
        ref.verify_checksum(path, "0" * 64, key="references: checksums: mirbase/mature.fa")
