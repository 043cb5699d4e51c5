"""End-to-end small-RNA runs through snakemake on the bundled real reads, and bad input.

Real tools only (fastp, bowtie); each run uses its own temporary working directory.
"""

import gzip
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = ROOT / ".venv" / "bin" / "snakemake"
REAL = "resources/testdata/smallrna/real"
TARGETS = [
    "results/smallrna/qc/summary.tsv",
    "results/smallrna/counts/mature_counts.tsv",
    "results/smallrna/counts/hairpin_counts.tsv",
    "results/smallrna/counts/spikein_counts.tsv",
    "results/smallrna/counts/isomir_counts.tsv",
    "results/smallrna/qc/biotypes.png",
    "results/smallrna/qc/read_lengths.png",
]
TRNA = "GCATTGGTGGTTCAGTGGTAGAATTCTCGCCTGCCACGCGGGAGGCGGGGGTTCGATTCCCCGCCAATGCACCA"


def make_workdir(tmp: Path, units: list[tuple[str, str, str, str]]) -> Path:
    """A working directory with the repository's resources, a small-RNA-only sheet and config."""
    (tmp / "config").mkdir()
    (tmp / "resources").mkdir()
    for name in ("testdata", "adapters", "signatures.yaml", "mirna_targets.tsv"):
        (tmp / "resources" / name).symlink_to(ROOT / "resources" / name)
    (tmp / "resources" / "trna.fa").write_text(f">tRNA-Gly-GCC\n{TRNA}\n")
    (tmp / "resources" / "spikeins.fa").write_text(">cel-miR-39-3p\nTCACCGGGTGTAAATCAGCTTG\n")
    with open(tmp / "config" / "samples.tsv", "w") as out:
        out.write("sample\tassay\tcell_type\tcondition\n")
        for sample, *_ in units:
            out.write(f"{sample}\tsmallrna\tpublic\tpublic\n")
    with open(tmp / "config" / "units.tsv", "w") as out:
        out.write("sample\tunit\tfq1\tprotocol\tadapter\n")
        for sample, fq, protocol, adapter in units:
            out.write(f"{sample}\tL001\t{fq}\t{protocol}\t{adapter}\n")
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["samples"], config["units"] = "config/samples.tsv", "config/units.tsv"
    config["references"]["smallrna_classes"] = {"tRNA": "resources/trna.fa"}
    config["references"]["spikeins"] = "resources/spikeins.fa"
    config["contrasts"] = []
    (tmp / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return tmp


def run(workdir: Path, targets=TARGETS):
    return subprocess.run(
        [str(SNAKEMAKE), "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
         "--cores", "2", "--show-failed-logs", *targets],
        capture_output=True, text=True, timeout=900,
    )


@pytest.mark.slow
def test_real_reads_end_to_end(tmp_path):
    workdir = make_workdir(tmp_path, [
        ("hsa_truseq_1", f"{REAL}/sample1.fastq.gz", "illumina", "auto"),
        ("hsa_truseq_2", f"{REAL}/sample2.fastq.gz", "illumina", ""),
        ("hsa_illumina_v15", f"{REAL}/sample3.fastq.gz", "custom", "auto"),
        ("mmu_qiaseq", f"{REAL}/qiaseq_mmu.fastq.gz", "qiaseq", ""),
    ])
    proc = run(workdir)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = pd.read_csv(workdir / "results/smallrna/qc/summary.tsv", sep="\t").set_index("sample")
    # detected adapters: TruSeq small RNA for sample1, Illumina v1.5 for sample3
    assert summary.loc["hsa_truseq_1", "adapter"] == "TGGAATTCTCGGGTGCCAAGG"
    assert summary.loc["hsa_illumina_v15", "adapter"] == "ATCTCGTATGCCGTCTTCTGCTTG"
    assert summary.loc["mmu_qiaseq", "adapter"] == "AACTGTAGGCACCATCAAT"
    # every sample: most reads carry the adapter and a sizeable miRNA fraction
    assert (summary["input_reads"] == 10000).all()
    assert (summary["adapter_fraction"] > 0.7).all()
    assert (summary["mirna_fraction"] > 0.3).all(), summary["mirna_fraction"]
    # classes partition the kept molecules
    classes = ["spikein", "miRNA", "hairpin", "tRNA", "genome", "unassigned"]
    assert (summary[classes].sum(axis=1) == summary["molecules"]).all()
    assert set(summary["exrna_qc"]) <= {"PASS", "FAIL"}
    # QIAseq went through the UMI path: no_umi counted, molecules <= kept reads
    assert summary.loc["mmu_qiaseq", "no_umi"] > 0
    assert summary.loc["mmu_qiaseq", "molecules"] <= summary.loc["mmu_qiaseq", "kept_reads"]
    assert (workdir / "results/smallrna/umi/mmu_qiaseq/L001.json").exists()
    mature = pd.read_csv(workdir / "results/smallrna/counts/mature_counts.tsv", sep="\t")
    assert list(mature.columns) == ["feature", "hsa_truseq_1", "hsa_truseq_2", "hsa_illumina_v15", "mmu_qiaseq"]
    assert mature["feature"].is_monotonic_increasing
    sums = mature.drop(columns="feature").sum()
    assert (sums == summary.loc[sums.index, "miRNA"]).all()
    # well-known abundant miRNAs are among the top ones of the human TruSeq sample
    top = set(mature.nlargest(15, "hsa_truseq_1")["feature"])
    assert top & {"hsa-miR-10a-5p", "hsa-miR-92a-3p", "hsa-miR-10b-5p", "hsa-miR-191-5p", "hsa-let-7a-5p"}
    isomirs = pd.read_csv(workdir / "results/smallrna/counts/isomir_counts.tsv", sep="\t")
    assert {"sequence", "feature", "isomir_type"} <= set(isomirs.columns) and len(isomirs) > 100
    gff = (workdir / "results/smallrna/isomirs/mmu_qiaseq.gff3").read_text().splitlines()
    assert gff[0].startswith("## mirGFF3") and len(gff) > 50


def bad_inputs(tmp: Path) -> dict[str, Path]:
    src = ROOT / REAL / "sample1.fastq.gz"
    data = src.read_bytes()
    out = {}
    out["truncated"] = tmp / "truncated.fastq.gz"
    out["truncated"].write_bytes(data[: len(data) // 2])
    lines = gzip.decompress(data).decode().splitlines(True)[:400]
    lines[199] = lines[199][:-2] + "\n"  # quality one base short in record 50
    out["badlength"] = tmp / "badlength.fastq.gz"
    out["badlength"].write_bytes(gzip.compress("".join(lines).encode()))
    out["empty"] = tmp / "empty.fastq.gz"
    out["empty"].write_bytes(b"")
    out["wrongadapter"] = tmp / "wrongadapter.fastq.gz"
    shutil.copy(src, out["wrongadapter"])
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    "case, protocol, message",
    [
        ("truncated", "illumina", "truncated or corrupt"),
        ("badlength", "illumina", "sequence and quality have different length"),
        ("empty", "illumina", "empty file"),
        ("wrongadapter", "qiaseq", "QIAseq adapter AACTGTAGGCACCATCAAT"),
    ],
)
def test_bad_input_fails_with_one_line_naming_the_file(tmp_path, case, protocol, message):
    (tmp_path / "in").mkdir()
    (tmp_path / "wd").mkdir()
    files = bad_inputs(tmp_path / "in")
    workdir = make_workdir(tmp_path / "wd", [("bad", str(files[case]), protocol, "")])
    proc = run(workdir, ["results/smallrna/collapsed/bad.tsv.gz"])
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith(f"stromir: error: {files[case]}: ")]
    assert errors, proc.stderr[-2000:]
    assert message in errors[0], errors[0]
    assert not (workdir / "results/smallrna/collapsed/bad.tsv.gz").exists()
    assert not list((workdir / "results/smallrna").glob("trimmed/bad/*.trim.json"))


@pytest.mark.slow
def test_protocol_adapter_absent_fails(tmp_path):
    """The illumina protocol on Illumina v1.5 reads: the TruSeq adapter is not there."""
    workdir = make_workdir(tmp_path, [("v15", f"{REAL}/sample3.fastq.gz", "illumina", "")])
    proc = run(workdir, ["results/smallrna/collapsed/v15.tsv.gz"])
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("stromir: error: ")]
    assert errors and "stromir: error: resources/testdata/smallrna/real/sample3.fastq.gz: adapter TGGAATTCTCGGGTGCCAAGG (illumina) found in only" in errors[0]
