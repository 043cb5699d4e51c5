# Input functions, params helpers and targets of the smallrna stage (smallrna.smk).

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
