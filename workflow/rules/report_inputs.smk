# Targets of the report stage (report.smk).


def final_report_outputs():
    """The cohort summary table and one summary page per contrast."""
    if not ASSAYS:
        return []
    pages = [
        f"results/report/contrasts/{c['assay']}.{c['name']}.html"
        for c in config["contrasts"]
        if c["assay"] in ASSAYS
    ]
    return ["results/report/contrast_summary.tsv"] + pages
