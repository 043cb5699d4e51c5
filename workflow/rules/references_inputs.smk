# Input functions, download sources and targets of the references stage (references.smk).

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


def get_genome_download_url(wildcards):
    key = f"{wildcards.genome_db}/{wildcards.genome_file}"
    urls = dict(config["references"].get("urls") or {})
    if key in urls:
        return urls[key]
    return GENOME_DOWNLOADS[wildcards.genome_file].format(release=GENCODE_RELEASE)


def get_genome_download_checksum(wildcards):
    checksums = config["references"].get("checksums") or {}
    return checksums.get(f"{wildcards.genome_db}/{wildcards.genome_file}", "")
