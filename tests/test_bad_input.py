"""The bad-input catalogue: each case exits non-zero with one line naming the culprit and the fix.

Validation cases run as dry runs (they must stop before any job starts); job-level cases (file
contents) run the one job that meets the bad file and check that it leaves no output behind.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import copy_workflow, run_snakemake

ERROR = "stromir: error:"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return copy_workflow(tmp_path_factory.mktemp("pristine"))


@pytest.fixture
def wf(pristine, tmp_path) -> Path:
    dest = tmp_path / "wf"
    shutil.copytree(pristine, dest, symlinks=True)
    return dest


def edit_tsv(path: Path, edit) -> None:
    lines = path.read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")


def edit_config(wf: Path, edit) -> None:
    path = wf / "config/config.yaml"
    config = yaml.safe_load(path.read_text())
    edit(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def error_lines(wf: Path, *args: str):
    result = run_snakemake(wf, *args, "--cores", "1", check=False, timeout=600)
    text = result.stdout + result.stderr
    return result.returncode, [l[l.index(ERROR):] for l in text.splitlines() if ERROR in l]


def assert_one_line(wf: Path, *needles: str, args=("-n",)):
    code, lines = error_lines(wf, *args)
    assert code != 0, "bad input was accepted"
    assert len(set(lines)) == 1, f"expected one error line, got {lines}"
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


# ---- validation: stops before any job starts ----


def test_duplicate_sample(wf):
    edit_tsv(wf / "config/samples.tsv", lambda l: l + [l[1]])
    assert_one_line(wf, "samples.tsv", "srna_sens_1", "more than once")


@pytest.mark.parametrize("bad", ["srna sens 1", "srna;rm", "s$(id)"])
def test_sample_name_with_spaces_or_shell_characters(wf, bad):
    for sheet in ("samples", "units"):
        edit_tsv(wf / f"config/{sheet}.tsv", lambda l: [x.replace("srna_sens_2\t", f"{bad}\t") for x in l])
    assert_one_line(wf, "samples.tsv", bad)


def test_unit_for_unknown_sample(wf):
    edit_tsv(wf / "config/units.tsv", lambda l: l + [l[1].replace("srna_sens_1", "ghost", 1)])
    assert_one_line(wf, "units.tsv", "ghost", "unknown sample")


def test_unknown_assay(wf):
    edit_tsv(wf / "config/samples.tsv", lambda l: [x.replace("\tsmallrna\t", "\tchipseq\t", 1) if x.startswith("srna_res_1") else x for x in l])
    assert_one_line(wf, "samples.tsv", "chipseq", "smallrna")


def test_unknown_protocol(wf):
    edit_tsv(wf / "config/units.tsv", lambda l: [x.replace("\tillumina\t", "\tsmartseq\t") if x.startswith("srna_res_2") else x for x in l])
    assert_one_line(wf, "units.tsv", "smartseq", "illumina")


def test_missing_input_file(wf):
    edit_tsv(wf / "config/units.tsv", lambda l: [x.replace("srna_res_1.fastq.gz", "srna_res_1_gone.fastq.gz") for x in l])
    assert_one_line(wf, "units.tsv", "srna_res_1", "srna_res_1_gone.fastq.gz", "not found")


def test_contrast_level_that_no_sample_has(wf):
    edit_config(wf, lambda c: c["contrasts"][0].update(test="resistent"))
    assert_one_line(wf, "resistant_vs_sensitive", "resistent", "no sample")


def test_fewer_than_two_replicates(wf):
    def drop(lines):
        return [x for x in lines if not x.startswith(("srna_res_2\t", "srna_res_3\t"))]

    edit_tsv(wf / "config/samples.tsv", drop)
    edit_tsv(wf / "config/units.tsv", drop)
    assert_one_line(wf, "resistant_vs_sensitive", "resistant", "at least 2 replicates")


def test_missing_reference_file(wf):
    (wf / "resources/testdata/references/mirbase/hairpin.fa.gz").unlink()
    assert_one_line(wf, "references.hairpin", "hairpin.fa.gz", "not found")


def test_sheet_given_as_csv(wf):
    path = wf / "config/samples.tsv"
    path.write_text(path.read_text().replace("\t", ","))
    assert_one_line(wf, "samples.tsv", "comma-separated", "TSV")


def test_unknown_config_value(wf):
    edit_config(wf, lambda c: c["rnaseq"].update(aligner="bwa"))
    assert_one_line(wf, "aligner", "bwa")


def test_design_not_full_rank(wf):
    """batch confounded with condition: one batch per level."""
    def confound(lines):
        out = [lines[0]]
        for line in lines[1:]:
            fields = line.split("\t")
            if fields[0].startswith("srna_res_"):
                fields[4] = "b2"
            elif fields[0].startswith("srna_sens_"):
                fields[4] = "b1"
            out.append("\t".join(fields))
        return out

    edit_tsv(wf / "config/samples.tsv", confound)
    edit_config(wf, lambda c: c["contrasts"][0].update(design="~ batch + condition"))
    assert_one_line(wf, "resistant_vs_sensitive", "not full rank")


def test_malformed_signatures_file(wf):
    path = wf / "resources/signatures.yaml"
    path.write_text(path.read_text().replace("resistant_vs_sensitive: up", "resistant_vs_sensitive: upward", 1))
    assert_one_line(wf, "signatures.yaml", "exosomal_trastuzumab_resistance", "expected")


# ---- job level: the job that reads the bad file fails and leaves no output ----

SMALLRNA_FASTQ = "resources/testdata/smallrna/simulated/srna_res_1.fastq.gz"
COLLAPSED = "results/smallrna/collapsed/srna_res_1.tsv.gz"


def run_job(wf: Path, target: str, *needles: str):
    line = assert_one_line(wf, *needles, args=(target,))
    assert not (wf / target).exists(), f"{target} left behind after the error"
    return line


def write_fastq_gz(path: Path, records) -> None:
    with gzip.open(path, "wt") as out:
        for i, (seq, qual) in enumerate(records):
            out.write(f"@r{i}\n{seq}\n+\n{qual}\n")


def test_not_a_fastq(wf):
    with gzip.open(wf / SMALLRNA_FASTQ, "wt") as out:
        out.write(">hsa-miR-21-5p\nTAGCTTATCAGACTGATGTTGA\n" * 50)
    run_job(wf, COLLAPSED, SMALLRNA_FASTQ)


def test_truncated_gzip(wf):
    path = wf / SMALLRNA_FASTQ
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    run_job(wf, COLLAPSED, SMALLRNA_FASTQ, "truncated")


def test_all_reads_too_short_after_trimming(wf):
    adapter = "TGGAATTCTCGGGTGCCAAGG"
    reads = [("ACGTACGTAC" + adapter + "ATCTCGTATGCCGTCT")[:51] for _ in range(500)]
    write_fastq_gz(wf / SMALLRNA_FASTQ, [(r, "I" * len(r)) for r in reads])
    run_job(wf, COLLAPSED, SMALLRNA_FASTQ, "min_length")


def test_sample_with_zero_counts_in_de(wf):
    """Reads that match no gene (HER2 fusion reads on the bundled genome): DE names the sample."""
    real = "resources/testdata/rnaseq/real"
    edit_tsv(wf / "config/units.tsv", lambda l: [
        f"rna_res_1\tL001\t{real}/BT474f_1.fq.gz\t{real}/BT474f_2.fq.gz\t\t\treverse"
        if x.startswith("rna_res_1\t") else x for x in l])
    target = "results/de/rnaseq/resistant_vs_sensitive.tsv"
    run_job(wf, target, "rna_res_1", "count")
