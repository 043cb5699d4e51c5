# rnaseq stage: see docs/ARCHITECTURE.md and docs/rnaseq.md.
# Per unit: fastp -> STAR (or HISAT2) sorted BAM -> samtools stats/flagstat -> strandedness
# inference -> featureCounts with the declared or inferred strandedness. Lanes are merged at the
# count level into results/rnaseq/counts/gene_counts.tsv.


include: "rnaseq_inputs.smk"


rule trim_reads_pe:
    input:
        unpack(get_fastqs),
    output:
        r1=temp("results/rnaseq/trimmed/{sample}/{sample}_{unit}_R1.fastq.gz"),
        r2=temp("results/rnaseq/trimmed/{sample}/{sample}_{unit}_R2.fastq.gz"),
        json="results/rnaseq/qc/fastp/{sample}/{sample}_{unit}.pe.fastp.json",
        html="results/rnaseq/qc/fastp/{sample}/{sample}_{unit}.pe.fastp.html",
    log:
        "logs/trim_reads_pe/{sample}_{unit}.log",
    conda:
        "../../envs/fastp.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=lambda wc, input: f"{max(10, int(input_size_mb(input) / 100))}m",
    params:
        extra=config["rnaseq"].get("fastp_extra", ""),
    script:
        "../scripts/rnaseq_fastp.py"


rule trim_reads_se:
    input:
        unpack(get_fastqs),
    output:
        r1=temp("results/rnaseq/trimmed/{sample}/{sample}_{unit}_SE.fastq.gz"),
        json="results/rnaseq/qc/fastp/{sample}/{sample}_{unit}.se.fastp.json",
        html="results/rnaseq/qc/fastp/{sample}/{sample}_{unit}.se.fastp.html",
    log:
        "logs/trim_reads_se/{sample}_{unit}.log",
    conda:
        "../../envs/fastp.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=lambda wc, input: f"{max(10, int(input_size_mb(input) / 100))}m",
    params:
        extra=config["rnaseq"].get("fastp_extra", ""),
    script:
        "../scripts/rnaseq_fastp.py"


rule index_star:
    input:
        fasta=get_genome_fasta(),
        fai="results/references/genome/genome.fa.fai",
        gtf=get_gtf(),
        check="results/references/genome/annotation_check.tsv",
    output:
        index=directory("results/rnaseq/index/star"),
    log:
        "logs/index_star/index_star.log",
    conda:
        "../../envs/star.yaml"
    threads: 8
    resources:
        mem_mb=get_star_mem_mb,
        runtime="4h",
    params:
        # from config, not from the reads: adding a sample must not rebuild the index
        read_length=config["rnaseq"]["read_length"],
    script:
        "../scripts/rnaseq_star_index.py"


rule align_star:
    input:
        unpack(get_trimmed_fastqs),
        index="results/rnaseq/index/star",
        fasta=get_genome_fasta(),
    output:
        bam="results/rnaseq/align/star/{sample}/{sample}_{unit}.Aligned.sortedByCoord.out.bam",
        bai="results/rnaseq/align/star/{sample}/{sample}_{unit}.Aligned.sortedByCoord.out.bam.bai",
        log_final="results/rnaseq/align/star/{sample}/{sample}_{unit}.Log.final.out",
        junctions="results/rnaseq/align/star/{sample}/{sample}_{unit}.SJ.out.tab",
    log:
        "logs/align_star/{sample}_{unit}.log",
    conda:
        "../../envs/star.yaml"
    threads: 8
    resources:
        mem_mb=get_star_mem_mb,
        runtime=lambda wc, input: f"{max(20, int(input_size_mb(input) / 20))}m",
    params:
        prefix=lambda wc: f"results/rnaseq/align/star/{wc.sample}/{wc.sample}_{wc.unit}.",
    shell:
        "(STAR --runThreadN {threads} --genomeDir {input.index}"
        " --readFilesIn {input.reads} --readFilesCommand gzip -cd"
        " --outSAMtype BAM SortedByCoordinate --outSAMattributes NH HI AS nM"
        " --outSAMunmapped Within"
        " --outSAMattrRGline ID:{wildcards.sample}_{wildcards.unit} SM:{wildcards.sample}"
        " --outFileNamePrefix {params.prefix}"
        " && samtools index {output.bam}"
        " && rm -rf {params.prefix}_STARtmp {params.prefix}Log.progress.out) > {log} 2>&1"


rule extract_hisat2_splice_sites:
    input:
        gtf=get_gtf(),
        check="results/references/genome/annotation_check.tsv",
    output:
        splice_sites="results/rnaseq/index/hisat2_splice_sites.txt",
    log:
        "logs/extract_hisat2_splice_sites/extract_hisat2_splice_sites.log",
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=lambda wc, input: max(1000, int(4 * input_size_mb(input))),
        runtime="30m",
    script:
        "../scripts/rnaseq_hisat2_splice_sites.py"


rule index_hisat2:
    input:
        fasta=get_genome_fasta(),
        check="results/references/genome/annotation_check.tsv",
    output:
        index=directory("results/rnaseq/index/hisat2"),
    log:
        "logs/index_hisat2/index_hisat2.log",
    conda:
        "../../envs/hisat2.yaml"
    threads: 8
    resources:
        mem_mb=lambda wc, input: max(4000, int(2 * input_size_mb(input))),
        runtime="4h",
    shell:
        "(mkdir -p {output.index}"
        " && hisat2-build -p {threads} {input.fasta} {output.index}/genome) > {log} 2>&1"


rule align_hisat2:
    input:
        unpack(get_trimmed_fastqs),
        index="results/rnaseq/index/hisat2",
        splice_sites="results/rnaseq/index/hisat2_splice_sites.txt",
    output:
        bam="results/rnaseq/align/hisat2/{sample}/{sample}_{unit}.bam",
        bai="results/rnaseq/align/hisat2/{sample}/{sample}_{unit}.bam.bai",
        summary="results/rnaseq/align/hisat2/{sample}/{sample}_{unit}.hisat2.txt",
    log:
        "logs/align_hisat2/{sample}_{unit}.log",
    conda:
        "../../envs/hisat2.yaml"
    threads: 8
    resources:
        mem_mb=lambda wc, input: max(4000, int(1.5 * input_size_mb(input))),
        runtime=lambda wc, input: f"{max(20, int(input_size_mb(input) / 20))}m",
    params:
        reads=get_hisat2_read_args,
        rg=lambda wc: f"--rg-id {wc.sample}_{wc.unit} --rg SM:{wc.sample}",
    shell:
        "(hisat2 -p {threads} -x {input.index}/genome {params.reads}"
        " --known-splicesite-infile {input.splice_sites} {params.rg}"
        " --new-summary --summary-file {output.summary}"
        " | samtools sort -@ {threads} -o {output.bam} -"
        " && samtools index {output.bam}) > {log} 2>&1"


rule stats_bam:
    input:
        bam=get_rnaseq_bam,
    output:
        stats="results/rnaseq/qc/samtools/{sample}/{sample}_{unit}.stats.txt",
        flagstat="results/rnaseq/qc/samtools/{sample}/{sample}_{unit}.flagstat.txt",
    log:
        "logs/stats_bam/{sample}_{unit}.log",
    conda:
        "../../envs/samtools.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=lambda wc, input: f"{max(10, int(input_size_mb(input) / 50))}m",
    shell:
        "(samtools stats {input.bam} > {output.stats}"
        " && samtools flagstat {input.bam} > {output.flagstat}) 2> {log}"


rule infer_strandedness:
    input:
        bam=get_rnaseq_bam,
        bai=get_rnaseq_bai,
        gtf=get_gtf(),
    output:
        tsv="results/rnaseq/strandedness/{sample}/{sample}_{unit}.tsv",
    log:
        "logs/infer_strandedness/{sample}_{unit}.log",
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime="30m",
    params:
        declared=get_declared_strandedness,
        reads=config["rnaseq"]["strandedness_reads"],
        threshold=config["rnaseq"]["strandedness_threshold"],
        feature_type=config["rnaseq"]["feature_type"],
    script:
        "../scripts/rnaseq_strandedness.py"


rule count_genes:
    input:
        bam=get_rnaseq_bam,
        gtf=get_gtf(),
        strandedness="results/rnaseq/strandedness/{sample}/{sample}_{unit}.tsv",
    output:
        counts="results/rnaseq/featurecounts/{sample}/{sample}_{unit}.txt",
        summary="results/rnaseq/featurecounts/{sample}/{sample}_{unit}.txt.summary",
    log:
        "logs/count_genes/{sample}_{unit}.log",
    conda:
        "../../envs/subread.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=lambda wc, input: f"{max(10, int(input_size_mb(input) / 100))}m",
    params:
        pairs=get_featurecounts_pair_args,
        feature_type=config["rnaseq"]["feature_type"],
        gene_id=config["rnaseq"]["gene_id_attribute"],
        gene_name=config["rnaseq"]["gene_name_attribute"],
    shell:
        "(strand=$(awk -F '\\t' 'NR==1{{for(i=1;i<=NF;i++) if($i==\"featurecounts_s\") c=i}}"
        " NR==2{{print $c}}' {input.strandedness})"
        ' && echo "featureCounts -s $strand"'
        " && featureCounts -T {threads} -a {input.gtf} -o {output.counts}"
        " -t {params.feature_type} -g {params.gene_id}"
        " --extraAttributes {params.gene_name} -s $strand {params.pairs} {input.bam})"
        " > {log} 2>&1"


rule merge_gene_counts:
    input:
        counts=get_rnaseq_unit_files("featurecounts", ".txt"),
        summaries=get_rnaseq_unit_files("featurecounts", ".txt.summary"),
    output:
        counts="results/rnaseq/counts/gene_counts.tsv",
        summary="results/rnaseq/counts/featurecounts_summary.tsv",
    log:
        "logs/merge_gene_counts/merge_gene_counts.log",
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=lambda wc, input: max(1000, int(20 * input_size_mb(input))),
        runtime="15m",
    params:
        units=get_rnaseq_unit_keys(),
        samples=RNASEQ_SAMPLES,
        gene_name=config["rnaseq"]["gene_name_attribute"],
    script:
        "../scripts/rnaseq_merge_counts.py"


rule summarize_rnaseq_qc:
    input:
        fastp=get_rnaseq_fastp_jsons(),
        aligner=get_rnaseq_aligner_logs(),
        strandedness=get_rnaseq_unit_files("strandedness", ".tsv"),
        featurecounts=get_rnaseq_unit_files("featurecounts", ".txt.summary"),
    output:
        summary=report(
            "results/rnaseq/qc/summary.tsv",
            caption="../report/rnaseq_qc_summary.rst",
            category="RNA-seq QC",
            labels={"table": "per-sample QC and strandedness"},
        ),
    log:
        "logs/summarize_rnaseq_qc/summarize_rnaseq_qc.log",
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="10m",
    params:
        units=get_rnaseq_unit_keys(),
        paired=get_rnaseq_unit_layouts(),
        samples=RNASEQ_SAMPLES,
        aligner=config["rnaseq"]["aligner"],
    script:
        "../scripts/rnaseq_qc_summary.py"


rule plot_rnaseq_qc:
    input:
        summary="results/rnaseq/qc/summary.tsv",
    output:
        reads=report(
            "results/rnaseq/qc/plots/read_fates.svg",
            caption="../report/rnaseq_read_fates.rst",
            category="RNA-seq QC",
            labels={"plot": "read fates"},
        ),
        strandedness=report(
            "results/rnaseq/qc/plots/strandedness.svg",
            caption="../report/rnaseq_strandedness.rst",
            category="RNA-seq QC",
            labels={"plot": "strandedness"},
        ),
    log:
        "logs/plot_rnaseq_qc/plot_rnaseq_qc.log",
    conda:
        "../../envs/pydeseq2.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="10m",
    script:
        "../scripts/rnaseq_plot_qc.py"
