# signatures stage: score published signatures per sample and per contrast, and relate miRNA
# changes to their targets' mRNA changes. Methods and file formats: docs/signatures.md.


include: "signatures_inputs.smk"


rule score_signatures:
    input:
        unpack(get_signature_inputs),
        signatures=config["signatures"]["file"],
    output:
        members=report(
            "results/signatures/members.tsv",
            caption="../report/signatures_members.rst",
            category="Signatures",
            labels={"table": "members"},
        ),
        scores=report(
            "results/signatures/scores.tsv",
            caption="../report/signatures_scores_table.rst",
            category="Signatures",
            labels={"table": "scores"},
        ),
        tests=report(
            "results/signatures/tests.tsv",
            caption="../report/signatures_tests.rst",
            category="Signatures",
            labels={"table": "tests"},
        ),
    log:
        "logs/score_signatures/score_signatures.log",
    conda:
        "../../envs/scanpy.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, input: 2000 + 10 * int(input_size_mb(input)),
        runtime="30m",
    params:
        assays=ASSAYS,
        de_keys=get_signature_de_keys,
        samples=get_sample_records,
        contrasts=config["contrasts"],
        min_members=config["signatures"]["min_members"],
        permutations=config["signatures"]["permutations"],
        seed=config["signatures"]["seed"],
        alpha=config["de"]["alpha"],
    script:
        "../scripts/signatures_score.py"


rule integrate_mirna_targets:
    input:
        unpack(get_integration_inputs),
        targets=config["signatures"]["targets"],
    output:
        table=report(
            "results/signatures/integration.tsv",
            caption="../report/signatures_integration.rst",
            category="miRNA-target integration",
            labels={"table": "integration"},
        ),
    log:
        "logs/integrate_mirna_targets/integrate_mirna_targets.log",
    conda:
        "../../envs/scanpy.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, input: 1000 + 10 * int(input_size_mb(input)),
        runtime="15m",
    params:
        assays=ASSAYS,
        de_keys=get_signature_de_keys,
        samples=get_sample_records,
        contrasts=config["contrasts"],
    script:
        "../scripts/signatures_integrate.py"


rule plot_signatures:
    input:
        unpack(get_signature_inputs),
        scores="results/signatures/scores.tsv",
        members="results/signatures/members.tsv",
    output:
        scores=report(
            "results/signatures/plots/scores.png",
            caption="../report/signatures_scores.rst",
            category="Signatures",
            labels={"plot": "scores by condition"},
        ),
        heatmap=report(
            "results/signatures/plots/members_heatmap.png",
            caption="../report/signatures_heatmap.rst",
            category="Signatures",
            labels={"plot": "member heatmap"},
        ),
    log:
        "logs/plot_signatures/plot_signatures.log",
    conda:
        "../../envs/scanpy.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime="15m",
    params:
        assays=ASSAYS,
        samples=get_sample_records,
    script:
        "../scripts/signatures_plot.py"


rule plot_signature_lfc:
    input:
        de="results/de/{assay}/{contrast}.tsv",
        members="results/signatures/members.tsv",
    output:
        plot=report(
            "results/signatures/plots/{assay}.{contrast}.lfc.png",
            caption="../report/signatures_lfc.rst",
            category="Signatures",
            subcategory="{assay}",
            labels={
                "assay": "{assay}",
                "contrast": "{contrast}",
                "plot": "log2FC vs background",
            },
        ),
    log:
        "logs/plot_signature_lfc/{assay}.{contrast}.log",
    conda:
        "../../envs/scanpy.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime="15m",
    script:
        "../scripts/signatures_plot_lfc.py"
