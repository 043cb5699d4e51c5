# Input functions, params helpers and targets of the de stage (de.smk).

DE_COUNTS = {
    "smallrna": "results/smallrna/counts/mature_counts.tsv",
    "rnaseq": "results/rnaseq/counts/gene_counts.tsv",
}
DE_SPIKEINS = "results/smallrna/counts/spikein_counts.tsv"


def get_de_counts(wildcards):
    """Count matrix of {assay}."""
    return DE_COUNTS[wildcards.assay]


def get_de_settings(wildcards):
    """The de: config section (defaults filled by the schema)."""
    return dict(config["de"])


def get_de_contrast_normalization(wildcards):
    """Size-factor method of {assay}/{contrast} (contrast key, else de.normalization)."""
    return de_design.effective_normalization(
        get_contrast(wildcards), config["de"].get("normalization", "median_of_ratios")
    )


def get_de_assay_normalization(wildcards):
    """Size-factor method for the assay-wide matrices: de.normalization (spikein: smallrna only)."""
    method = config["de"].get("normalization", "median_of_ratios")
    if method == "spikein" and wildcards.assay != "smallrna":
        return "median_of_ratios"
    return method


def get_de_inputs(wildcards):
    """Counts of {assay}, plus the spike-in counts when {contrast} uses normalization spikein."""
    inputs = {"counts": get_de_counts(wildcards)}
    if get_de_contrast_normalization(wildcards) == "spikein":
        inputs["spikeins"] = DE_SPIKEINS
    return inputs


def get_de_assay_inputs(wildcards):
    """Counts of {assay}, plus spike-in counts when the assay-wide method is spikein."""
    inputs = {"counts": get_de_counts(wildcards)}
    if get_de_assay_normalization(wildcards) == "spikein":
        inputs["spikeins"] = DE_SPIKEINS
    return inputs


def get_de_samples(wildcards):
    """Sample-sheet rows of {assay}, as a list of dicts (sheet order)."""
    rows = samples.loc[samples["assay"] == wildcards.assay]
    return rows.reset_index(drop=True).to_dict("records")


def get_de_contrast_names(wildcards):
    return [c["name"] for c in get_contrasts(wildcards.assay)]


def get_de_tables(wildcards):
    """DE tables of every contrast of {assay}, in config order."""
    return [
        f"results/de/{wildcards.assay}/{name}.tsv"
        for name in get_de_contrast_names(wildcards)
    ]


def final_de_outputs():
    """DE tables and plots of every configured contrast; matrices, plots, AnnData per assay."""
    outputs = []
    for assay in ASSAYS:
        contrasts = get_contrasts(assay)
        if not contrasts:
            continue
        for contrast in contrasts:
            name = contrast["name"]
            outputs.append(f"results/de/{assay}/{name}.tsv")
            for plot in ("volcano", "ma", "heatmap"):
                outputs.append(f"results/de/{assay}/plots/{name}.{plot}.png")
        outputs += [
            f"results/de/{assay}/normalized_counts.tsv",
            f"results/de/{assay}/vst.tsv",
            f"results/de/{assay}/plots/pca.png",
            f"results/de/{assay}/plots/sample_distances.png",
            f"results/anndata/{assay}.h5ad",
        ]
    return outputs
