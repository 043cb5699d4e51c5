# What every stage shares: config and sheet loading and validation, wildcard constraints, the
# sheet lookups and the final target list. Each stage's own input functions and targets live in
# workflow/rules/<stage>_inputs.smk, next to its rules. Validation runs here, before any job
# starts, so bad sheets fail in seconds with one line.
import os
import sys
from pathlib import Path

import pandas as pd
from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "workflow" / "lib"))


envvars:
    "PATH",


# Shell rules call Python tools (multiqc) installed beside snakemake; find them even when the
# virtualenv is not activated (`.venv/bin/snakemake ...`).
_BIN = str(Path(sys.executable).parent)
_PATH = os.environ["PATH"]
if _BIN not in _PATH.split(os.pathsep):
    os.environ["PATH"] = f"{_BIN}{os.pathsep}{_PATH}"

from stromir import sheets  # noqa: E402
from stromir.de import design as de_design  # noqa: E402
from stromir.signatures import definitions as signature_definitions  # noqa: E402
from stromir.signatures import integration as signature_integration  # noqa: E402


def _fail(message):
    """Stop before any job runs with a one-line message (no traceback)."""
    print(f"stromir: error: {message}", file=sys.stderr)
    sys.exit(1)


try:
    validate(config, schema="../schemas/config.schema.yaml")
except WorkflowError as error:
    _fail(sheets.short_schema_error("config", error))

try:
    samples = sheets.load_sheet(config["samples"], "samples")
    units = sheets.load_sheet(config["units"], "units")
except sheets.SheetError as error:
    _fail(str(error))

for _name, _sheet in (("samples", samples), ("units", units)):
    try:
        validate(_sheet, schema=f"../schemas/{_name}.schema.yaml")
    except WorkflowError as error:
        _fail(sheets.short_schema_error(config[_name], error))

try:
    samples, units = sheets.check_sheets(samples, units, config)
    sheets.check_references(config, set(samples["assay"]))
    de_design.check_contrasts(config["contrasts"], samples)
    # Small files: a malformed signature or target table fails now, not after hours of jobs.
    signature_definitions.load_signatures(config["signatures"]["file"])
    if config["signatures"].get("targets"):
        signature_integration.load_targets(config["signatures"]["targets"])
except ValueError as error:  # sheet, DE design, signature and target-table checks
    _fail(str(error))

SMALLRNA_SAMPLES = samples.loc[samples["assay"] == "smallrna", "sample"].tolist()
RNASEQ_SAMPLES = samples.loc[samples["assay"] == "rnaseq", "sample"].tolist()
ASSAYS = [a for a in ("smallrna", "rnaseq") if (samples["assay"] == a).any()]


# A pattern, not an alternation of every name: planning 10,000 samples must stay fast.
wildcard_constraints:
    sample=sheets.WILDCARD_PATTERN,
    unit=sheets.WILDCARD_PATTERN,
    assay="smallrna|rnaseq",
    contrast=sheets.name_regex([c["name"] for c in config["contrasts"]]),


def input_size_mb(input):
    """Size in MB of a job's existing input files, folders summed (a STAR index is a folder).

    Rules scale resources with this rather than `input.size_mb`, which starts an event loop
    per call and took a third of the time needed to plan a 1,000-sample cohort.
    """
    total = 0
    for path in map(str, input):
        if os.path.isdir(path):
            for folder, _, files in os.walk(path):
                total += sum(os.path.getsize(os.path.join(folder, f)) for f in files)
        elif os.path.exists(path):
            total += os.path.getsize(path)
    return total / 1e6


# Per-sample unit tables, built once: input functions run per job, and a scan of the whole sheet
# per call would make planning quadratic in the number of samples.
_UNITS_OF = {sample: table for sample, table in units.groupby(level=0, sort=False)}


def get_units(sample):
    """Unit rows of one sample, in sheet order."""
    return _UNITS_OF[sample]


def get_unit(wildcards):
    """The units.tsv row of {sample}/{unit}."""
    return units.loc[(wildcards.sample, wildcards.unit)]


def is_paired(sample, unit):
    return bool(units.loc[(sample, unit), "fq2"])


def get_fastqs(wildcards):
    """Raw FASTQ files of one unit: {'fq1': ...} or {'fq1': ..., 'fq2': ...}."""
    row = get_unit(wildcards)
    fastqs = {"fq1": row["fq1"]}
    if row["fq2"]:
        fastqs["fq2"] = row["fq2"]
    return fastqs


def get_contrasts(assay):
    """Configured contrasts of one assay."""
    return [c for c in config["contrasts"] if c["assay"] == assay]


def get_contrast(wildcards):
    """The contrast entry for {assay}/{contrast}."""
    for contrast in get_contrasts(wildcards.assay):
        if contrast["name"] == wildcards.contrast:
            return contrast
    raise WorkflowError(
        f"no contrast {wildcards.contrast!r} for assay {wildcards.assay!r}"
    )


def get_final_output():
    """All targets of a full run, assembled from each stage's outputs."""
    return (
        final_smallrna_outputs()
        + final_rnaseq_outputs()
        + final_de_outputs()
        + final_signature_outputs()
        + final_qc_outputs()
        + final_report_outputs()
    )


def get_genome_fasta(wildcards=None):
    """Plain genome FASTA: references.genome_fasta, or the GENCODE download."""
    if config["references"].get("download_genome", False):
        return "resources/references/genome/genome.fa"
    return config["references"]["genome_fasta"]


def get_gtf(wildcards=None):
    """Gene annotation GTF: references.gtf, or the GENCODE download."""
    if config["references"].get("download_genome", False):
        return "resources/references/genome/genes.gtf"
    return config["references"]["gtf"]


def get_sample_records(wildcards=None):
    """The sample sheet as a list of dicts (sheet order)."""
    return samples.reset_index(drop=True).to_dict("records")
