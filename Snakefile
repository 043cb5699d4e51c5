# stromir: small-RNA/exosome miRNA-seq and bulk RNA-seq through differential expression to
# HER2+ breast-cancer resistance signatures. See README.md and docs/ARCHITECTURE.md.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/references.smk"
include: "workflow/rules/smallrna.smk"
include: "workflow/rules/rnaseq.smk"
include: "workflow/rules/qc.smk"
include: "workflow/rules/de.smk"
include: "workflow/rules/signatures.smk"
include: "workflow/rules/report.smk"


# Cheap per-cohort tables and plots: under a cluster executor they run on the submitting host
# instead of queueing a job that would spend longer starting Snakemake than working.
localrules:
    all,
    summarize_smallrna_qc,
    plot_smallrna_qc,
    summarize_rnaseq_qc,
    plot_rnaseq_qc,
    summarise_contrast,
    tabulate_contrast_summary,
    plot_signatures,
    plot_signature_lfc,
    plot_de_contrast,


rule all:
    default_target: True
    input:
        get_final_output(),
