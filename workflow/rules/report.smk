# report stage: one-page summary per contrast and a summary table of all contrasts, for
# `snakemake --report` (see workflow/report/workflow.rst).


include: "report_inputs.smk"


rule summarise_contrast:
    input:
        de="results/de/{assay}/{contrast}.tsv",
        tests="results/signatures/tests.tsv",
        integration="results/signatures/integration.tsv",
        qc="results/{assay}/qc/summary.tsv",
    output:
        page=report(
            "results/report/contrasts/{assay}.{contrast}.html",
            caption="../report/summary_contrast.rst",
            category="Summary",
            subcategory="{assay}",
            labels={"assay": "{assay}", "contrast": "{contrast}", "page": "summary"},
        ),
    log:
        "logs/summarise_contrast/{assay}.{contrast}.log",
    conda:
        "../../envs/scanpy.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="10m",
    params:
        contrast=get_contrast,
        samples=get_sample_records,
        alpha=config["de"]["alpha"],
    script:
        "../scripts/report_contrast.py"


rule tabulate_contrast_summary:
    input:
        de=[f"results/de/{c['assay']}/{c['name']}.tsv" for c in config["contrasts"]],
        tests="results/signatures/tests.tsv",
    output:
        table=report(
            "results/report/contrast_summary.tsv",
            caption="../report/summary_table.rst",
            category="Summary",
            labels={"table": "all contrasts"},
        ),
    log:
        "logs/tabulate_contrast_summary/tabulate_contrast_summary.log",
    conda:
        "../../envs/scanpy.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="10m",
    params:
        contrasts=config["contrasts"],
        samples=get_sample_records,
        alpha=config["de"]["alpha"],
    script:
        "../scripts/report_summary.py"
