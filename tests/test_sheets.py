"""Unit tests of sheet loading and cross-field validation (stromir.sheets)."""

from __future__ import annotations

import pandas as pd
import pytest

from stromir import sheets


def write(path, rows):
    path.write_text("\n".join("\t".join(r) for r in rows) + "\n")
    return path


@pytest.fixture
def design(tmp_path):
    fq = tmp_path / "r.fastq.gz"
    fq.write_bytes(b"")
    samples = [("sample", "assay", "cell_type", "condition")]
    units = [("sample", "unit", "fq1", "protocol")]
    for i, cond in enumerate(["sensitive", "sensitive", "resistant", "resistant"]):
        samples.append((f"s{i}", "smallrna", "cancer", cond))
        units.append((f"s{i}", "L001", str(fq), "illumina"))
    config = {
        "samples": str(write(tmp_path / "samples.tsv", samples)),
        "units": str(write(tmp_path / "units.tsv", units)),
    }
    return config


def load(config):
    s = sheets.load_sheet(config["samples"], "samples")
    u = sheets.load_sheet(config["units"], "units")
    return sheets.check_sheets(s, u, config)


def test_valid_design_loads_and_indexes(design):
    samples, units = load(design)
    assert list(samples.index) == ["s0", "s1", "s2", "s3"]
    assert units.loc[("s0", "L001"), "fq2"] == ""


def test_csv_sheet_is_named(tmp_path):
    path = tmp_path / "samples.tsv"
    path.write_text("sample,assay,cell_type,condition\na,smallrna,cancer,x\n")
    with pytest.raises(sheets.SheetError, match=r"samples.tsv: .*comma-separated.*TSV"):
        sheets.load_sheet(path, "samples")


def test_missing_sheet_names_config_key(tmp_path):
    with pytest.raises(sheets.SheetError, match="set config key 'units'"):
        sheets.load_sheet(tmp_path / "nope.tsv", "units")


def test_duplicate_sample(design, tmp_path):
    text = open(design["samples"]).read() + "s0\tsmallrna\tcancer\tsensitive\n"
    open(design["samples"], "w").write(text)
    with pytest.raises(sheets.SheetError, match="sample 's0' appears more than once"):
        load(design)


@pytest.mark.parametrize("name", ["bad name", "x;rm -rf", "$(id)", "-lead"])
def test_unsafe_sample_names_rejected(design, name):
    text = open(design["samples"]).read().replace("s3\t", f"{name}\t")
    open(design["samples"], "w").write(text)
    text = open(design["units"]).read().replace("s3\t", f"{name}\t")
    open(design["units"], "w").write(text)
    with pytest.raises(sheets.SheetError, match="is not allowed"):
        load(design)


def test_unit_for_unknown_sample(design):
    fq = open(design["units"]).read().splitlines()[1].split("\t")[2]
    open(design["units"], "a").write(f"ghost\tL001\t{fq}\tillumina\n")
    with pytest.raises(sheets.SheetError, match="unit for unknown sample 'ghost'"):
        load(design)


def test_missing_fastq_named(design):
    text = open(design["units"]).read().replace("r.fastq.gz\tillumina\n", "gone.fastq.gz\tillumina\n", 1)
    open(design["units"], "w").write(text)
    with pytest.raises(sheets.SheetError, match=r"fq1 of sample 's0' unit 'L001' not found: .*gone.fastq.gz"):
        load(design)


def test_unknown_assay(design):
    text = open(design["samples"]).read().replace("s1\tsmallrna", "s1\tchipseq")
    open(design["samples"], "w").write(text)
    with pytest.raises(sheets.SheetError, match="unknown assay 'chipseq'"):
        load(design)


def test_smallrna_unit_needs_protocol(design):
    text = open(design["units"]).read().replace("\tillumina\n", "\t\n", 1)
    open(design["units"], "w").write(text)
    with pytest.raises(sheets.SheetError, match="needs a protocol"):
        load(design)


def test_name_regex_prefers_longer_names():
    regex = sheets.name_regex(["s1", "s10", "a.b"])
    assert regex.split("|")[0] in ("s10", r"a\.b")
    assert r"a\.b" in regex


def test_missing_reference_names_config_key(tmp_path):
    config = {
        "references": {"mature": str(tmp_path / "mature.fa"), "hairpin": str(tmp_path / "none.fa"),
                       "adapters": str(tmp_path / "a.fa"), "genome_fasta": "", "gtf": ""},
        "smallrna": {"genome_alignment": False},
    }
    for name in ("mature.fa", "a.fa"):
        (tmp_path / name).write_text(">x\nACGT\n")
    with pytest.raises(sheets.SheetError, match=r"config references.hairpin: file not found: .*none.fa"):
        sheets.check_references(config, {"smallrna"})
    sheets.check_references(config | {"references": config["references"] | {"download_mirbase": True}},
                            {"smallrna"})


def test_genome_required_for_rnaseq_only_when_used(tmp_path):
    config = {"references": {"genome_fasta": str(tmp_path / "g.fa"), "gtf": str(tmp_path / "g.gtf")}}
    with pytest.raises(sheets.SheetError, match="references.genome_fasta"):
        sheets.check_references(config, {"rnaseq"})
    assert sheets.required_reference_keys(config, set()) == []


def test_config_readme_documents_every_schema_key(repo):
    """config/README.md embeds the table rendered from the schema: keys, defaults, meanings."""
    from stromir.schema_doc import markdown_table

    readme = (repo / "config/README.md").read_text()
    table = markdown_table(repo / "workflow/schemas/config.schema.yaml")
    assert table in readme, "regenerate the table: .venv/bin/python workflow/lib/stromir/schema_doc.py"


def test_every_schema_key_has_description_and_default(repo):
    import yaml

    from stromir.schema_doc import config_keys

    schema = yaml.safe_load((repo / "workflow/schemas/config.schema.yaml").read_text())
    for key, default, description in config_keys(schema):
        assert description, f"{key} has no description"
        if "[]." not in key and key not in ("samples", "units", "references", "contrasts"):
            assert default != "(required)", f"{key} has no default"
