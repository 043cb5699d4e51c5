# Reference preparation. Tests and the default config use bundled local files; the download rules
# (pinned URLs and checksums) are for real use and run only when a download_* key is true.


include: "references_inputs.smk"


# ---- miRNA and small-RNA references ----


# Species-filtered, T-alphabet miRNA references. Mature miRNAs with identical sequences are
# merged into one feature named by their sorted names joined with "/" (stromir.references).
rule prepare_mirna_reference:
    input:
        unpack(get_mirna_reference_inputs),
    output:
        mature="resources/references/mirna/mature.fa",
        hairpin="resources/references/mirna/hairpin.fa",
        positions="resources/references/mirna/mature_positions.tsv",
    log:
        "logs/prepare_mirna_reference/mirna.log",
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime="10m",
    params:
        species=config["references"]["species"],
        source=config["references"]["mirna_source"],
    script:
        "../scripts/prepare_mirna_reference.py"


rule prepare_spikein_reference:
    input:
        fasta=get_spikein_fasta,
    output:
        fasta="resources/references/smallrna/spikeins.fa",
    log:
        "logs/prepare_spikein_reference/spikeins.log",
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="5m",
    script:
        "../scripts/prepare_smallrna_reference.py"


rule prepare_smallrna_class_reference:
    input:
        fasta=get_smallrna_class_fasta,
    output:
        fasta="resources/references/smallrna/classes/{rna_class}.fa",
    log:
        "logs/prepare_smallrna_class_reference/{rna_class}.log",
    wildcard_constraints:
        rna_class=smallrna_class_regex(),
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="5m",
    script:
        "../scripts/prepare_smallrna_reference.py"


# Used only with references: download_mirbase: true. The upstream URLs are not versioned
# (miRBase serves its current release, 22.1, under /download/), so each file's SHA-256 is
# printed to the log and checked against references: checksums: "<db>/<file>" when set.
rule download_mirna_reference:
    output:
        file="resources/references/download/{mirna_db}/{mirna_file}",
    log:
        "logs/download_mirna_reference/{mirna_db}/{mirna_file}.log",
    wildcard_constraints:
        mirna_db="mirbase|mirgenedb",
        mirna_file=r"mature\.fa|hairpin\.fa|mirna\.gff3",
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime="30m",
    params:
        url=get_mirna_download_url,
        sha256=get_mirna_download_checksum,
        key=lambda wildcards: f"{wildcards.mirna_db}/{wildcards.mirna_file}",
    script:
        "../scripts/prepare_download.py"


# ---- end miRNA and small-RNA references ----

# ---- genome and annotation references ----


# Used only with references: download_genome: true. GENCODE release URLs are versioned (see
# GENOME_DOWNLOADS in references_inputs.smk); each file's SHA-256 is printed to the log and checked against
# references: checksums: "genome/<file>" when set.
rule download_genome_reference:
    output:
        file="resources/references/download/{genome_db}/{genome_file}",
    log:
        "logs/download_genome_reference/{genome_db}/{genome_file}.log",
    wildcard_constraints:
        genome_db="genome",
        genome_file=r"genome\.fa\.gz|genes\.gtf\.gz",
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime="2h",
    params:
        url=get_genome_download_url,
        sha256=get_genome_download_checksum,
        key=lambda wildcards: f"{wildcards.genome_db}/{wildcards.genome_file}",
    script:
        "../scripts/prepare_download.py"


rule decompress_genome_reference:
    input:
        gz="resources/references/download/genome/{genome_file}.gz",
    output:
        plain="resources/references/genome/{genome_file}",
    log:
        "logs/decompress_genome_reference/{genome_file}.log",
    wildcard_constraints:
        genome_file=r"genome\.fa|genes\.gtf",
    conda:
        "../../envs/samtools.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime="1h",
    shell:
        "(gzip -cd {input.gz} > {output.plain}.part && mv {output.plain}.part {output.plain})"
        " 2> {log}"


rule index_genome_fasta:
    input:
        fasta=get_genome_fasta(),
    output:
        fai="results/references/genome/genome.fa.fai",
    log:
        "logs/index_genome_fasta/index_genome_fasta.log",
    conda:
        "../../envs/samtools.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="30m",
    shell:
        "samtools faidx --fai-idx {output.fai} {input.fasta} > {log} 2>&1"


# Fails with one line when the GTF's chromosomes are not sequences of the genome FASTA.
rule check_genome_annotation:
    input:
        fai="results/references/genome/genome.fa.fai",
        gtf=get_gtf(),
    output:
        tsv="results/references/genome/annotation_check.tsv",
    log:
        "logs/check_genome_annotation/check_genome_annotation.log",
    conda:
        "../../envs/python.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="30m",
    params:
        fasta=get_genome_fasta(),
    script:
        "../scripts/rnaseq_check_annotation.py"


# ---- end genome and annotation references ----
