# smallrna stage: see docs/ARCHITECTURE.md and docs/smallrna.md.
# Per unit: (QIAseq) UMI extraction on raw reads -> fastp trimming, its output counted as it
# streams out (no trimmed FASTQ is written). Per sample: collapse to unique sequences ->
# hierarchical annotation. Across samples: streaming merge to count matrices,
# QC summary and plots.


include: "smallrna_inputs.smk"


rule detect_smallrna_adapter:
    input:
        fq=get_smallrna_raw_fastq,
        adapters=config["references"]["adapters"],
    output:
        tsv="results/smallrna/adapters/{sample}/{unit}.tsv",
    log:
        "logs/detect_smallrna_adapter/{sample}/{unit}.log",
    conda:
        "../../envs/smallrna.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime="10m",
    params:
        n_reads=config["smallrna"]["adapter_detection_reads"],
        min_fraction=config["smallrna"]["adapter_detection_min_fraction"],
    script:
        "../scripts/smallrna_detect_adapter.py"


rule extract_smallrna_umis:
    input:
        fq=get_smallrna_raw_fastq,
    output:
        fastq=temp("results/smallrna/umi/{sample}/{unit}.fastq"),
        stats="results/smallrna/umi/{sample}/{unit}.json",
    log:
        "logs/extract_smallrna_umis/{sample}/{unit}.log",
    conda:
        "../../envs/smallrna.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=lambda wildcards, input: f"{max(10, int(input_size_mb(input) * 2))}m",
    params:
        protocol=get_smallrna_protocol,
        umi_length=config["smallrna"]["umi_length"],
        min_fraction=config["smallrna"]["adapter_detection_min_fraction"],
    script:
        "../scripts/smallrna_extract_umis.py"


rule trim_smallrna_reads:
    input:
        unpack(get_smallrna_trim_input),
    output:
        counts=temp("results/smallrna/trimmed/{sample}/{sample}_{unit}.counts.tsv"),
        json="results/smallrna/trimmed/{sample}/{sample}_{unit}.fastp.json",
        html="results/smallrna/trimmed/{sample}/{sample}_{unit}.fastp.html",
        stats="results/smallrna/trimmed/{sample}/{sample}_{unit}.trim.json",
    log:
        "logs/trim_smallrna_reads/{sample}/{unit}.log",
    conda:
        "../../envs/fastp.yaml"
    threads: 2
    resources:
        mem_mb=1000,
        runtime=lambda wildcards, input: f"{max(10, int(input_size_mb(input)))}m",
    params:
        protocol=get_smallrna_protocol,
        min_quality=config["smallrna"]["min_base_quality"],
        min_adapter_fraction=config["smallrna"]["adapter_detection_min_fraction"],
    script:
        "../scripts/smallrna_trim_reads.py"


rule collapse_smallrna_reads:
    input:
        unpack(get_smallrna_collapse_input),
    output:
        table="results/smallrna/collapsed/{sample}.tsv.gz",
        stats="results/smallrna/collapsed/{sample}.json",
    log:
        "logs/collapse_smallrna_reads/{sample}.log",
    conda:
        "../../envs/smallrna.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, input: max(1000, int(input_size_mb(input) * 4)),
        runtime=lambda wildcards, input: f"{max(10, int(input_size_mb(input) / 50))}m",
    params:
        units=get_smallrna_unit_settings,
        raw_fastqs=lambda wildcards: get_units(wildcards.sample)["fq1"].tolist(),
        min_length=config["smallrna"]["min_length"],
        max_length=config["smallrna"]["max_length"],
    script:
        "../scripts/smallrna_collapse_reads.py"


rule build_smallrna_bowtie_index:
    input:
        fasta=get_smallrna_bowtie_fasta,
    output:
        multiext(
            "results/smallrna/index/{target}/{target}",
            ".1.ebwt",
            ".2.ebwt",
            ".3.ebwt",
            ".4.ebwt",
            ".rev.1.ebwt",
            ".rev.2.ebwt",
        ),
    log:
        "logs/build_smallrna_bowtie_index/{target}.log",
    conda:
        "../../envs/bowtie.yaml"
    threads: 2
    resources:
        mem_mb=lambda wildcards, input: max(2000, int(input_size_mb(input) * 8)),
        runtime=lambda wildcards, input: f"{max(10, int(input_size_mb(input)))}m",
    params:
        prefix=lambda wildcards, output: output[0][: -len(".1.ebwt")],
    shell:
        "bowtie-build --threads {threads} {input.fasta} {params.prefix} > {log} 2>&1"


rule annotate_smallrna_reads:
    input:
        unpack(get_smallrna_annotation_input),
    output:
        mature="results/smallrna/annotation/{sample}.mature.tsv",
        hairpin="results/smallrna/annotation/{sample}.hairpin.tsv",
        spikein="results/smallrna/annotation/{sample}.spikein.tsv",
        isomirs="results/smallrna/annotation/{sample}.isomirs.tsv.gz",
        classes="results/smallrna/annotation/{sample}.classes.json",
        other="results/smallrna/annotation/{sample}.other_classes.tsv.gz",
        gff="results/smallrna/isomirs/{sample}.gff3",
    log:
        "logs/annotate_smallrna_reads/{sample}.log",
    conda:
        "../../envs/smallrna.yaml"
    threads: 2
    resources:
        mem_mb=lambda wildcards, input: max(2000, int(input_size_mb(input) * 20)),
        runtime=lambda wildcards, input: f"{max(10, int(input_size_mb(input)))}m",
    params:
        isomir=config["smallrna"]["isomir"],
        targets=get_smallrna_targets,
        classes=lambda wildcards: list(get_smallrna_class_references()),
        umi=lambda wildcards: any(
            u["umi"] for u in get_smallrna_unit_settings(wildcards)
        ),
        database=config["references"]["mirna_source"],
    script:
        "../scripts/smallrna_annotate_reads.py"


rule count_smallrna_features:
    input:
        unpack(get_smallrna_count_input),
    output:
        tsv="results/smallrna/counts/{level}_counts.tsv",
    log:
        "logs/count_smallrna_features/{level}.log",
    wildcard_constraints:
        level="mature|hairpin|spikein|isomir",
    conda:
        "../../envs/smallrna.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime="30m",
    params:
        samples=SMALLRNA_SAMPLES,
    script:
        "../scripts/smallrna_count_features.py"


rule summarize_smallrna_qc:
    input:
        collapse=expand(
            "results/smallrna/collapsed/{sample}.json", sample=SMALLRNA_SAMPLES
        ),
        classes=expand(
            "results/smallrna/annotation/{sample}.classes.json",
            sample=SMALLRNA_SAMPLES,
        ),
        mature="resources/references/mirna/mature.fa",
    output:
        summary=report(
            "results/smallrna/qc/summary.tsv",
            caption="../report/smallrna_qc_summary.rst",
            category="Small RNA QC",
            labels={"table": "per-sample QC and exRNA verdict"},
        ),
        multiqc="results/smallrna/qc/smallrna_biotypes_mqc.tsv",
    log:
        "logs/summarize_smallrna_qc/summary.log",
    conda:
        "../../envs/smallrna.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="10m",
    params:
        samples=SMALLRNA_SAMPLES,
        classes=list(get_smallrna_class_references()),
        genome_alignment=config["smallrna"]["genome_alignment"],
        thresholds=config["smallrna"]["qc"],
    script:
        "../scripts/smallrna_summarize_qc.py"


rule plot_smallrna_qc:
    input:
        summary="results/smallrna/qc/summary.tsv",
    output:
        biotypes=report(
            "results/smallrna/qc/biotypes.png",
            caption="../report/smallrna_biotypes.rst",
            category="Small RNA QC",
        ),
        lengths=report(
            "results/smallrna/qc/read_lengths.png",
            caption="../report/smallrna_read_lengths.rst",
            category="Small RNA QC",
        ),
    log:
        "logs/plot_smallrna_qc/plots.log",
    conda:
        "../../envs/smallrna.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="10m",
    params:
        classes=list(get_smallrna_class_references()),
    script:
        "../scripts/smallrna_plot_qc.py"
