# de stage: see docs/ARCHITECTURE.md and docs/de.md
# pydeseq2 per contrast, assay-wide normalised/VST matrices with PCA and distances, AnnData.


include: "de_inputs.smk"


rule deseq2_contrast:
    input:
        unpack(get_de_inputs),
    output:
        table="results/de/{assay}/{contrast}.tsv",
        size_factors="results/de/{assay}/{contrast}.size_factors.tsv",
        vst="results/de/{assay}/{contrast}.vst.tsv",
    log:
        "logs/deseq2_contrast/{assay}.{contrast}.log",
    conda:
        "../../envs/pydeseq2.yaml"
    threads: 2
    resources:
        mem_mb=lambda wildcards, input: 2000 + 20 * int(input_size_mb(input)),
        runtime="30m",
    params:
        contrast=get_contrast,
        samples=get_de_samples,
        settings=get_de_settings,
    script:
        "../scripts/de_contrast.py"


# Plots read the finished table, so changing a plot never refits the model.
rule plot_de_contrast:
    input:
        table="results/de/{assay}/{contrast}.tsv",
        vst="results/de/{assay}/{contrast}.vst.tsv",
    output:
        volcano=report(
            "results/de/{assay}/plots/{contrast}.volcano.png",
            caption="../report/de_volcano.rst",
            category="Differential expression",
            subcategory="{assay}",
            labels={"assay": "{assay}", "contrast": "{contrast}", "plot": "volcano"},
        ),
        ma=report(
            "results/de/{assay}/plots/{contrast}.ma.png",
            caption="../report/de_ma.rst",
            category="Differential expression",
            subcategory="{assay}",
            labels={"assay": "{assay}", "contrast": "{contrast}", "plot": "MA"},
        ),
        heatmap=report(
            "results/de/{assay}/plots/{contrast}.heatmap.png",
            caption="../report/de_heatmap.rst",
            category="Differential expression",
            subcategory="{assay}",
            labels={"assay": "{assay}", "contrast": "{contrast}", "plot": "heatmap"},
        ),
    log:
        "logs/plot_de_contrast/{assay}.{contrast}.log",
    conda:
        "../../envs/pydeseq2.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime="10m",
    params:
        contrast=get_contrast,
        settings=get_de_settings,
    script:
        "../scripts/de_plot_contrast.py"


rule normalize_counts:
    input:
        unpack(get_de_assay_inputs),
    output:
        normalized="results/de/{assay}/normalized_counts.tsv",
        vst="results/de/{assay}/vst.tsv",
        pca=report(
            "results/de/{assay}/plots/pca.png",
            caption="../report/de_pca.rst",
            category="Differential expression",
            subcategory="{assay}",
            labels={"assay": "{assay}", "plot": "PCA"},
        ),
        distances=report(
            "results/de/{assay}/plots/sample_distances.png",
            caption="../report/de_distances.rst",
            category="Differential expression",
            subcategory="{assay}",
            labels={"assay": "{assay}", "plot": "sample distances"},
        ),
    log:
        "logs/normalize_counts/{assay}.log",
    conda:
        "../../envs/pydeseq2.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, input: 2000 + 20 * int(input_size_mb(input)),
        runtime="30m",
    params:
        samples=get_de_samples,
        normalization=get_de_assay_normalization,
        control_features=config["de"].get("control_features", []),
    script:
        "../scripts/de_normalize.py"


rule build_anndata:
    input:
        counts=get_de_counts,
        normalized="results/de/{assay}/normalized_counts.tsv",
        vst="results/de/{assay}/vst.tsv",
        tables=get_de_tables,
    output:
        h5ad="results/anndata/{assay}.h5ad",
    log:
        "logs/build_anndata/{assay}.log",
    conda:
        "../../envs/pydeseq2.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, input: 2000 + 30 * int(input_size_mb(input)),
        runtime="15m",
    params:
        samples=get_de_samples,
        contrasts=get_de_contrast_names,
    script:
        "../scripts/de_anndata.py"
