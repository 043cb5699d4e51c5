# Input functions, params helpers and targets of the signatures stage (signatures.smk).

SIGNATURE_MATRICES = {
    "smallrna": "results/smallrna/counts/mature_counts.tsv",
    "rnaseq": "results/rnaseq/counts/gene_counts.tsv",
}


def get_signature_inputs(wildcards):
    """VST matrices, count matrices (feature names) and DE tables of every assay in the run."""
    return {
        "vst": expand("results/de/{assay}/vst.tsv", assay=ASSAYS),
        "counts": [SIGNATURE_MATRICES[assay] for assay in ASSAYS],
        "de": [
            f"results/de/{c['assay']}/{c['name']}.tsv"
            for c in config["contrasts"]
            if c["assay"] in ASSAYS
        ],
    }


def get_signature_de_keys(wildcards):
    """(assay, contrast) of each DE table in get_signature_inputs, in the same order."""
    return [
        [c["assay"], c["name"]] for c in config["contrasts"] if c["assay"] in ASSAYS
    ]


def get_integration_inputs(wildcards):
    """DE tables and VST matrices of both assays (empty lists when one assay is absent)."""
    both = "smallrna" in ASSAYS and "rnaseq" in ASSAYS
    return {
        "de": (
            [f"results/de/{c['assay']}/{c['name']}.tsv" for c in config["contrasts"]]
            if both
            else []
        ),
        "vst": expand("results/de/{assay}/vst.tsv", assay=ASSAYS) if both else [],
    }


def get_signature_lfc_plots():
    return [
        f"results/signatures/plots/{c['assay']}.{c['name']}.lfc.png"
        for c in config["contrasts"]
        if c["assay"] in ASSAYS
    ]


def final_signature_outputs():
    if not ASSAYS:
        return []
    tables = [
        "results/signatures/members.tsv",
        "results/signatures/scores.tsv",
        "results/signatures/tests.tsv",
        "results/signatures/integration.tsv",
        "results/signatures/plots/scores.png",
        "results/signatures/plots/members_heatmap.png",
    ]
    return tables + get_signature_lfc_plots()
