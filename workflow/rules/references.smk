# Reference preparation. Tests and the default config use bundled local files; the download rules
# (pinned URLs and checksums) are for real use and run only when a download_* key is true.

# ---- miRNA and small-RNA references (owned by the small-RNA engineer) ----


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

# ---- genome and annotation references (owned by the RNA-seq engineer) ----

# ---- end genome and annotation references ----
