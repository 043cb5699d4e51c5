# Input functions, params helpers and targets of the rnaseq stage (rnaseq.smk).

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
