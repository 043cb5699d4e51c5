# qc stage: MultiQC over the tool QC files of the run (fastp JSON, samtools stats, featureCounts
# summaries, STAR Log.final.out) in results/ and logs/.


include: "qc_inputs.smk"


rule aggregate_multiqc:
    input:
        get_multiqc_inputs,
    output:
        html=report(
            "results/qc/multiqc_report.html",
            caption="../report/multiqc.rst",
            category="Tool QC",
            labels={"report": "MultiQC"},
        ),
        data=directory("results/qc/multiqc_report_data"),
    log:
        "logs/aggregate_multiqc/aggregate_multiqc.log",
    conda:
        "../../envs/multiqc.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime="30m",
    params:
        dirs=lambda wildcards: " ".join(
            d
            for d in ("results/smallrna", "results/rnaseq", "logs")
            if Path(d).exists()
        ),
        title="stromir tool QC",
    shell:
        "multiqc --force --no-ai --no-version-check --data-dir --title '{params.title}' "
        "--outdir results/qc --filename multiqc_report.html "
        "--ignore 'results/qc/*' --ignore '*multiqc*' {params.dirs} > {log} 2>&1; "
        "test -s {output.html} || {{ echo 'aggregate_multiqc: MultiQC found no tool QC file "
        "(fastp JSON, samtools stats, featureCounts summary, STAR log) under results/ or logs/' "
        "| tee -a {log} >&2; exit 1; }}"
