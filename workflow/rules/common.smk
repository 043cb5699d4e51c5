# Config and sheet loading, validation, wildcard constraints and every get_* input function.
# Validation runs here, before any job starts, so bad sheets fail in seconds with one line.
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


# ---- general input functions ----


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

# smallrna core (smallrna-core)

from stromir.smallrna import protocols as _srna_protocols  # noqa: E402

_SMALLRNA_UNITS = [
    (s, u) for s, u in units.index if samples.loc[s, "assay"] == "smallrna"
]


def smallrna_units():
    """(sample, unit) of every small-RNA unit, in sheet order."""
    return _SMALLRNA_UNITS


def get_smallrna_raw_fastq(wildcards):
    return get_unit(wildcards)["fq1"]


def _smallrna_protocol(sample, unit):
    row = units.loc[(sample, unit)]
    try:
        return _srna_protocols.resolve_protocol(
            row["protocol"],
            row.get("adapter", ""),
            row.get("clip_5p", ""),
            row.get("clip_3p", ""),
            where=f"{config['units']}: sample '{sample}' unit '{unit}'",
        )
    except ValueError as error:
        _fail(str(error))


def get_smallrna_protocol(wildcards):
    """Effective protocol of a unit as a dict (name, adapter or 'auto', clip_5p, clip_3p, umi,
    poly_a)."""
    p = _smallrna_protocol(wildcards.sample, wildcards.unit)
    return {
        "name": p.name,
        "adapter": p.adapter,
        "clip_5p": p.clip_5p,
        "clip_3p": p.clip_3p,
        "umi": p.umi,
        "poly_a": p.poly_a,
    }


def get_smallrna_trim_input(wildcards):
    """fastp input: the raw FASTQ, or the UMI-extracted inserts (QIAseq), plus the adapter
    detection report when the unit's adapter is 'auto'."""
    p = _smallrna_protocol(wildcards.sample, wildcards.unit)
    if p.umi:
        inputs = {
            "fq": f"results/smallrna/umi/{wildcards.sample}/{wildcards.unit}.fastq",
            "umi_stats": f"results/smallrna/umi/{wildcards.sample}/{wildcards.unit}.json",
        }
    else:
        inputs = {"fq": get_unit(wildcards)["fq1"]}
    if p.adapter == "auto" and not p.umi:
        inputs["adapter_report"] = (
            f"results/smallrna/adapters/{wildcards.sample}/{wildcards.unit}.tsv"
        )
    return inputs


def get_smallrna_collapse_input(wildcards):
    keys = [u for s, u in smallrna_units() if s == wildcards.sample]
    return {
        "counts": [
            f"results/smallrna/trimmed/{wildcards.sample}/{wildcards.sample}_{u}.counts.tsv"
            for u in keys
        ],
        "stats": [
            f"results/smallrna/trimmed/{wildcards.sample}/{wildcards.sample}_{u}.trim.json"
            for u in keys
        ],
    }


def get_smallrna_unit_settings(wildcards):
    """Per unit of the sample (same order as the collapse inputs): unit, clip_3p, umi, poly_a."""
    out = []
    for s, u in smallrna_units():
        if s == wildcards.sample:
            p = _smallrna_protocol(s, u)
            out.append(
                {"unit": u, "clip_3p": p.clip_3p, "umi": p.umi, "poly_a": p.poly_a}
            )
    return out


def get_smallrna_targets(wildcards=None):
    """bowtie targets after the miRNA steps, in order: [[name, index prefix], ...]."""
    targets = [
        [name, f"results/smallrna/index/{name}/{name}"]
        for name in get_smallrna_class_references()
    ]
    if config["smallrna"].get("genome_alignment", False):
        targets.append(["genome", "results/smallrna/index/genome/genome"])
    return targets


def get_smallrna_bowtie_fasta(wildcards):
    if wildcards.target == "genome":
        return get_genome_fasta()
    classes = get_smallrna_class_references()
    if wildcards.target not in classes:
        raise WorkflowError(
            f"no small-RNA class {wildcards.target!r} in references: smallrna_classes"
        )
    return classes[wildcards.target]


def get_smallrna_annotation_input(wildcards):
    inputs = {
        "collapsed": f"results/smallrna/collapsed/{wildcards.sample}.tsv.gz",
        "hairpin": "resources/references/mirna/hairpin.fa",
        "positions": "resources/references/mirna/mature_positions.tsv",
        "indexes": [f"{prefix}.1.ebwt" for _, prefix in get_smallrna_targets()],
    }
    if config["references"].get("spikeins"):
        inputs["spikeins"] = "resources/references/smallrna/spikeins.fa"
    return inputs


_SMALLRNA_LEVEL_FILES = {
    "mature": ("mature.tsv", "resources/references/mirna/mature.fa"),
    "hairpin": ("hairpin.tsv", "resources/references/mirna/hairpin.fa"),
    "spikein": ("spikein.tsv", "resources/references/smallrna/spikeins.fa"),
    "isomir": ("isomirs.tsv.gz", None),
}


def get_smallrna_count_input(wildcards):
    suffix, reference = _SMALLRNA_LEVEL_FILES[wildcards.level]
    inputs = {
        "tables": expand(
            "results/smallrna/annotation/{sample}.{suffix}",
            sample=SMALLRNA_SAMPLES,
            suffix=suffix,
        )
    }
    if reference and (
        wildcards.level != "spikein" or config["references"].get("spikeins")
    ):
        inputs["reference"] = reference
    return inputs


def final_smallrna_outputs():
    if not SMALLRNA_SAMPLES:
        return []
    levels = ["mature", "hairpin", "isomir"]
    if config["references"].get("spikeins"):
        levels.append("spikein")
    return (
        [f"results/smallrna/counts/{level}_counts.tsv" for level in levels]
        + [
            "results/smallrna/qc/summary.tsv",
            "results/smallrna/qc/smallrna_biotypes_mqc.tsv",
            "results/smallrna/qc/biotypes.png",
            "results/smallrna/qc/read_lengths.png",
        ]
        + expand("results/smallrna/isomirs/{sample}.gff3", sample=SMALLRNA_SAMPLES)
        + [
            f"results/smallrna/trimmed/{s}/{s}_{u}.fastp.json"
            for s, u in smallrna_units()
        ]
    )


# end smallrna core (smallrna-core)


# ---- end smallrna input functions ----

# ---- rnaseq input functions (RNA-seq engineer) ----

# Pinned GENCODE release used when references: download_genome is true (primary assembly:
# chromosomes and scaffolds, no haplotypes/patches, as recommended for STAR and featureCounts).
GENCODE_RELEASE = 44
GENOME_DOWNLOADS = {
    "genome.fa.gz": (
        "https://ftp.ebi.ac.uk/pub/databases/gencode/Gencode_human/release_{release}/"
        "GRCh38.primary_assembly.genome.fa.gz"
    ),
    "genes.gtf.gz": (
        "https://ftp.ebi.ac.uk/pub/databases/gencode/Gencode_human/release_{release}/"
        "gencode.v{release}.primary_assembly.annotation.gtf.gz"
    ),
}


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


def get_genome_download_url(wildcards):
    key = f"{wildcards.genome_db}/{wildcards.genome_file}"
    urls = dict(config["references"].get("urls") or {})
    if key in urls:
        return urls[key]
    return GENOME_DOWNLOADS[wildcards.genome_file].format(release=GENCODE_RELEASE)


def get_genome_download_checksum(wildcards):
    checksums = config["references"].get("checksums") or {}
    return checksums.get(f"{wildcards.genome_db}/{wildcards.genome_file}", "")


_RNASEQ_UNITS = units.loc[units["sample"].isin(RNASEQ_SAMPLES)]


def rnaseq_units():
    """units.tsv rows of RNA-seq samples, in sheet order."""
    return _RNASEQ_UNITS


def get_rnaseq_unit_keys():
    """'sample/unit' of every RNA-seq unit (passed to scripts to label per-unit inputs)."""
    return [
        f"{s}/{u}" for s, u in zip(rnaseq_units()["sample"], rnaseq_units()["unit"])
    ]


def get_rnaseq_unit_layouts():
    return [bool(fq2) for fq2 in rnaseq_units()["fq2"]]


def get_rnaseq_unit_files(stage, suffix):
    """results/rnaseq/<stage>/<sample>/<sample>_<unit><suffix> for every RNA-seq unit."""
    return [
        f"results/rnaseq/{stage}/{s}/{s}_{u}{suffix}"
        for s, u in zip(rnaseq_units()["sample"], rnaseq_units()["unit"])
    ]


def _fastp_json(sample, unit):
    layout = "pe" if is_paired(sample, unit) else "se"
    return f"results/rnaseq/qc/fastp/{sample}/{sample}_{unit}.{layout}.fastp.json"


def get_rnaseq_fastp_jsons():
    return [
        _fastp_json(s, u)
        for s, u in zip(rnaseq_units()["sample"], rnaseq_units()["unit"])
    ]


def get_trimmed_fastqs(wildcards):
    """{'reads': [R1] or [R1, R2]} trimmed FASTQs of one unit."""
    base = (
        f"results/rnaseq/trimmed/{wildcards.sample}/{wildcards.sample}_{wildcards.unit}"
    )
    if is_paired(wildcards.sample, wildcards.unit):
        return {"reads": [f"{base}_R1.fastq.gz", f"{base}_R2.fastq.gz"]}
    return {"reads": [f"{base}_SE.fastq.gz"]}


def get_hisat2_read_args(wildcards):
    reads = get_trimmed_fastqs(wildcards)["reads"]
    if len(reads) == 2:
        return f"-1 {reads[0]} -2 {reads[1]}"
    return f"-U {reads[0]}"


def _rnaseq_bam(sample, unit):
    if config["rnaseq"]["aligner"] == "hisat2":
        return f"results/rnaseq/align/hisat2/{sample}/{sample}_{unit}.bam"
    return f"results/rnaseq/align/star/{sample}/{sample}_{unit}.Aligned.sortedByCoord.out.bam"


def get_rnaseq_bam(wildcards):
    """Sorted BAM of one unit from the configured aligner."""
    return _rnaseq_bam(wildcards.sample, wildcards.unit)


def get_rnaseq_bai(wildcards):
    return _rnaseq_bam(wildcards.sample, wildcards.unit) + ".bai"


def _aligner_log(sample, unit):
    if config["rnaseq"]["aligner"] == "hisat2":
        return f"results/rnaseq/align/hisat2/{sample}/{sample}_{unit}.hisat2.txt"
    return f"results/rnaseq/align/star/{sample}/{sample}_{unit}.Log.final.out"


def get_rnaseq_aligner_logs():
    return [
        _aligner_log(s, u)
        for s, u in zip(rnaseq_units()["sample"], rnaseq_units()["unit"])
    ]


def get_declared_strandedness(wildcards):
    """strandedness of the unit in units.tsv; empty means auto."""
    return units.loc[(wildcards.sample, wildcards.unit), "strandedness"] or "auto"


def get_featurecounts_pair_args(wildcards):
    """featureCounts counts fragments (read pairs) for paired-end units."""
    return "-p --countReadPairs" if is_paired(wildcards.sample, wildcards.unit) else ""


def get_star_mem_mb(wildcards, input):
    """STAR needs about 11 bytes per genome base (~32 GB for human); at least 4 GB."""
    fasta = Path(input.fasta)
    if fasta.exists():
        return max(4000, int(11 * fasta.stat().st_size / 1e6))
    return 32000


def get_rnaseq_multiqc_inputs():
    """RNA-seq files MultiQC parses: fastp JSON, aligner logs, samtools stats/flagstat,
    featureCounts summaries."""
    if not RNASEQ_SAMPLES:
        return []
    return (
        get_rnaseq_fastp_jsons()
        + get_rnaseq_aligner_logs()
        + get_rnaseq_unit_files("qc/samtools", ".stats.txt")
        + get_rnaseq_unit_files("qc/samtools", ".flagstat.txt")
        + get_rnaseq_unit_files("featurecounts", ".txt.summary")
    )


def final_rnaseq_outputs():
    if not RNASEQ_SAMPLES:
        return []
    return [
        "results/rnaseq/counts/gene_counts.tsv",
        "results/rnaseq/counts/featurecounts_summary.tsv",
        "results/rnaseq/qc/summary.tsv",
        "results/rnaseq/qc/plots/read_fates.svg",
        "results/rnaseq/qc/plots/strandedness.svg",
    ] + get_rnaseq_multiqc_inputs()


# ---- end rnaseq input functions ----

# ---- de input functions (DE engineer) ----


DE_COUNTS = {
    "smallrna": "results/smallrna/counts/mature_counts.tsv",
    "rnaseq": "results/rnaseq/counts/gene_counts.tsv",
}
DE_SPIKEINS = "results/smallrna/counts/spikein_counts.tsv"


def get_de_counts(wildcards):
    """Count matrix of {assay}."""
    return DE_COUNTS[wildcards.assay]


def get_de_settings(wildcards):
    """The de: config section (defaults filled by the schema)."""
    return dict(config["de"])


def get_de_contrast_normalization(wildcards):
    """Size-factor method of {assay}/{contrast} (contrast key, else de.normalization)."""
    return de_design.effective_normalization(
        get_contrast(wildcards), config["de"].get("normalization", "median_of_ratios")
    )


def get_de_assay_normalization(wildcards):
    """Size-factor method for the assay-wide matrices: de.normalization (spikein: smallrna only)."""
    method = config["de"].get("normalization", "median_of_ratios")
    if method == "spikein" and wildcards.assay != "smallrna":
        return "median_of_ratios"
    return method


def get_de_inputs(wildcards):
    """Counts of {assay}, plus the spike-in counts when {contrast} uses normalization spikein."""
    inputs = {"counts": get_de_counts(wildcards)}
    if get_de_contrast_normalization(wildcards) == "spikein":
        inputs["spikeins"] = DE_SPIKEINS
    return inputs


def get_de_assay_inputs(wildcards):
    """Counts of {assay}, plus spike-in counts when the assay-wide method is spikein."""
    inputs = {"counts": get_de_counts(wildcards)}
    if get_de_assay_normalization(wildcards) == "spikein":
        inputs["spikeins"] = DE_SPIKEINS
    return inputs


def get_de_samples(wildcards):
    """Sample-sheet rows of {assay}, as a list of dicts (sheet order)."""
    rows = samples.loc[samples["assay"] == wildcards.assay]
    return rows.reset_index(drop=True).to_dict("records")


def get_de_contrast_names(wildcards):
    return [c["name"] for c in get_contrasts(wildcards.assay)]


def get_de_tables(wildcards):
    """DE tables of every contrast of {assay}, in config order."""
    return [
        f"results/de/{wildcards.assay}/{name}.tsv"
        for name in get_de_contrast_names(wildcards)
    ]


def final_de_outputs():
    """DE tables and plots of every configured contrast; matrices, plots, AnnData per assay."""
    outputs = []
    for assay in ASSAYS:
        contrasts = get_contrasts(assay)
        if not contrasts:
            continue
        for contrast in contrasts:
            name = contrast["name"]
            outputs.append(f"results/de/{assay}/{name}.tsv")
            for plot in ("volcano", "ma", "heatmap"):
                outputs.append(f"results/de/{assay}/plots/{name}.{plot}.png")
        outputs += [
            f"results/de/{assay}/normalized_counts.tsv",
            f"results/de/{assay}/vst.tsv",
            f"results/de/{assay}/plots/pca.png",
            f"results/de/{assay}/plots/sample_distances.png",
            f"results/anndata/{assay}.h5ad",
        ]
    return outputs


# ---- end de input functions ----

# ---- signatures, qc and report input functions (signatures/report engineer) ----

SIGNATURE_MATRICES = {
    "smallrna": "results/smallrna/counts/mature_counts.tsv",
    "rnaseq": "results/rnaseq/counts/gene_counts.tsv",
}


def get_signature_inputs(wildcards):
    """VST matrices, count matrices (feature names) and DE tables of every assay in the run."""
    return {
        "vst": expand("results/de/{assay}/vst.tsv", assay=ASSAYS),
        "counts": [SIGNATURE_MATRICES[assay] for assay in ASSAYS],
        "de": [
            f"results/de/{c['assay']}/{c['name']}.tsv"
            for c in config["contrasts"]
            if c["assay"] in ASSAYS
        ],
    }


def get_signature_de_keys(wildcards):
    """(assay, contrast) of each DE table in get_signature_inputs, in the same order."""
    return [
        [c["assay"], c["name"]] for c in config["contrasts"] if c["assay"] in ASSAYS
    ]


def get_signature_samples(wildcards):
    """The sample sheet as a list of dicts (sheet order)."""
    return samples.reset_index(drop=True).to_dict("records")


def get_integration_inputs(wildcards):
    """DE tables and VST matrices of both assays (empty lists when one assay is absent)."""
    both = "smallrna" in ASSAYS and "rnaseq" in ASSAYS
    return {
        "de": (
            [f"results/de/{c['assay']}/{c['name']}.tsv" for c in config["contrasts"]]
            if both
            else []
        ),
        "vst": expand("results/de/{assay}/vst.tsv", assay=ASSAYS) if both else [],
    }


def get_signature_lfc_plots():
    return [
        f"results/signatures/plots/{c['assay']}.{c['name']}.lfc.png"
        for c in config["contrasts"]
        if c["assay"] in ASSAYS
    ]


def final_signature_outputs():
    if not ASSAYS:
        return []
    tables = [
        "results/signatures/members.tsv",
        "results/signatures/scores.tsv",
        "results/signatures/tests.tsv",
        "results/signatures/integration.tsv",
        "results/signatures/plots/scores.png",
        "results/signatures/plots/members_heatmap.png",
        "results/report/contrast_summary.tsv",
    ]
    pages = [
        f"results/report/contrasts/{c['assay']}.{c['name']}.html"
        for c in config["contrasts"]
        if c["assay"] in ASSAYS
    ]
    return tables + get_signature_lfc_plots() + pages


def get_multiqc_inputs(wildcards):
    """Tool QC files MultiQC reads: fastp JSON, samtools stats, featureCounts summaries, STAR
    logs (those of the stages present in this run)."""
    return final_smallrna_outputs() + final_rnaseq_outputs()


def final_qc_outputs():
    return ["results/qc/multiqc_report.html"] if ASSAYS else []

# ---- end signatures, qc and report input functions ----
