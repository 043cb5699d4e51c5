# Config and sheet loading, validation, wildcard constraints and every get_* input function.
# Validation runs here, before any job starts, so bad sheets fail in seconds with one line.
import sys
from pathlib import Path

import pandas as pd
from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "workflow" / "lib"))

from stromir import sheets  # noqa: E402


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
    sheets.check_contrasts(config["contrasts"], samples)
except sheets.SheetError as error:
    _fail(str(error))

SMALLRNA_SAMPLES = samples.loc[samples["assay"] == "smallrna", "sample"].tolist()
RNASEQ_SAMPLES = samples.loc[samples["assay"] == "rnaseq", "sample"].tolist()
ASSAYS = [a for a in ("smallrna", "rnaseq") if (samples["assay"] == a).any()]


wildcard_constraints:
    sample=sheets.name_regex(samples["sample"]),
    unit=sheets.name_regex(units["unit"]),
    assay="smallrna|rnaseq",
    contrast=sheets.name_regex([c["name"] for c in config["contrasts"]]),


# ---- general input functions ----


def get_units(sample):
    """Unit rows of one sample, in sheet order."""
    return units.loc[units["sample"] == sample]


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
    raise WorkflowError(f"no contrast {wildcards.contrast!r} for assay {wildcards.assay!r}")


def get_final_output():
    """All targets of a full run, assembled from each stage's outputs."""
    return (
        final_smallrna_outputs()
        + final_rnaseq_outputs()
        + final_de_outputs()
        + final_signature_outputs()
        + final_qc_outputs()
    )


# ---- smallrna input functions (small-RNA engineer) ----

# references (smallrna-references)

# Download sources used when references: download_mirbase is true ({species} is filled in).
# The URLs serve the databases' current release (miRBase 22.1; MirGeneDB: whatever its site
# serves, check that it is 2.1) and are NOT versioned, so pin each file with references:
# checksums: {"<db>/<file>": sha256}; the download log prints the value to paste. No checksum
# is hard-coded here because none could be verified offline. Override a URL with
# references: urls: {"<db>/<file>": url}.
MIRNA_DOWNLOADS = {
    "mirbase": {
        "mature.fa": "https://www.mirbase.org/download/mature.fa",
        "hairpin.fa": "https://www.mirbase.org/download/hairpin.fa",
        "mirna.gff3": "https://www.mirbase.org/download/{species}.gff3",
    },
    "mirgenedb": {
        "mature.fa": "https://mirgenedb.org/fasta/{species}?mat=1",
        "hairpin.fa": "https://mirgenedb.org/fasta/{species}?pri=1",
        "mirna.gff3": "https://mirgenedb.org/gff/{species}?all=1",
    },
}


def _mirna_download_dir():
    return f"resources/references/download/{config['references']['mirna_source']}"


def get_mirna_reference_inputs(wildcards):
    """Mature and hairpin FASTA: local config paths, or the pinned downloads."""
    refs = config["references"]
    if refs.get("download_mirbase", False):
        base = _mirna_download_dir()
        return {"mature": f"{base}/mature.fa", "hairpin": f"{base}/hairpin.fa"}
    return {"mature": refs["mature"], "hairpin": refs["hairpin"]}


def get_mirna_gff3(wildcards=None):
    """The miRNA GFF3 (local references: mirna_gff3, or the download)."""
    refs = config["references"]
    if refs.get("download_mirbase", False):
        return f"{_mirna_download_dir()}/mirna.gff3"
    return refs["mirna_gff3"]


def get_mirna_download_url(wildcards):
    key = f"{wildcards.mirna_db}/{wildcards.mirna_file}"
    urls = dict(config["references"].get("urls") or {})
    if key in urls:
        return urls[key]
    try:
        url = MIRNA_DOWNLOADS[wildcards.mirna_db][wildcards.mirna_file]
    except KeyError:
        raise WorkflowError(
            f"no download URL for {key}; set references: urls: {key} in the config"
        )
    return url.format(species=config["references"]["species"])


def get_mirna_download_checksum(wildcards):
    checksums = config["references"].get("checksums") or {}
    return checksums.get(f"{wildcards.mirna_db}/{wildcards.mirna_file}", "")


def get_spikein_fasta(wildcards):
    path = config["references"].get("spikeins") or ""
    if not path:
        raise WorkflowError(
            "references: spikeins is empty but spike-in counts were requested; "
            "set it to a spike-in FASTA"
        )
    return path


def get_smallrna_class_fasta(wildcards):
    classes = config["references"].get("smallrna_classes") or {}
    path = classes.get(wildcards.rna_class) or ""
    if not path:
        raise WorkflowError(
            f"references: smallrna_classes: {wildcards.rna_class} has no FASTA; "
            "give a path or drop the class"
        )
    return path


def smallrna_class_regex():
    """Wildcard regex of the configured small-RNA classes with a FASTA."""
    classes = config["references"].get("smallrna_classes") or {}
    import re

    names = [name for name, path in classes.items() if path]
    return "|".join(re.escape(name) for name in names) or "__none__"


def get_smallrna_class_references():
    """Prepared class FASTAs in annotation order: {class: path}."""
    classes = config["references"].get("smallrna_classes") or {}
    return {
        name: f"resources/references/smallrna/classes/{name}.fa"
        for name, path in classes.items()
        if path
    }


# end references (smallrna-references)


def final_smallrna_outputs():
    return []


# ---- end smallrna input functions ----

# ---- rnaseq input functions (RNA-seq engineer) ----


def final_rnaseq_outputs():
    return []


# ---- end rnaseq input functions ----

# ---- de input functions (DE engineer) ----


def final_de_outputs():
    return []


# ---- end de input functions ----

# ---- signatures, qc and report input functions (signatures/report engineer) ----


def final_signature_outputs():
    return []


def final_qc_outputs():
    return []


# ---- end signatures, qc and report input functions ----
