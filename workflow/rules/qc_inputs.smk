# Input functions and targets of the qc stage (qc.smk).


def get_multiqc_inputs(wildcards):
    """Tool QC files MultiQC reads: fastp JSON, samtools stats, featureCounts summaries, STAR
    logs (those of the stages present in this run)."""
    return final_smallrna_outputs() + final_rnaseq_outputs()


def final_qc_outputs():
    return ["results/qc/multiqc_report.html"] if ASSAYS else []
