"""Size factors, pre-filter, spike-in normalisation and planted-truth recovery (seeded data)."""

import numpy as np
import pandas as pd
import pytest

from stromir.de import anndata_io, deseq, design, matrix, normalize, simulate, truth

SETTINGS = dict(min_count=10, min_samples=2, alpha=0.05, cooks_filter=True, lfc_shrink=True,
                normalization="median_of_ratios", control_features=[], top_features=30)
GROUPS = {"sensitive": ["s1", "s2", "s3"], "resistant": ["r1", "r2", "r3"]}


def sheet(samples=("s1", "s2", "s3", "r1", "r2", "r3")):
    return pd.DataFrame(
        [dict(sample=s, assay="smallrna", cell_type="cancer",
              condition="sensitive" if s.startswith("s") else "resistant", batch="x", biosample="")
         for s in samples]
    )


CONTRAST = dict(name="res_vs_sens", assay="smallrna", design="~ condition", factor="condition",
                test="resistant", reference="sensitive", filter='cell_type == "cancer"')


def test_prefilter_keeps_features_reaching_min_count_in_min_samples():
    counts = pd.DataFrame({"a": [10, 9, 0, 50], "b": [10, 9, 0, 0], "c": [0, 100, 0, 0]}, index=list("wxyz"))
    assert list(normalize.prefilter(counts, 10, 2).index) == ["w"]
    assert list(normalize.prefilter(counts, 10, 1).index) == ["w", "x", "z"]


def test_median_of_ratios_recovers_library_size():
    depth = {"s1": 1.0, "s2": 2.0, "s3": 0.5, "r1": 1.5, "r2": 1.0, "r3": 3.0}
    counts, _ = simulate.nb_counts(400, GROUPS, {}, "sensitive", "resistant", seed=3, depth=depth)
    sf = normalize.size_factors(counts, "median_of_ratios")
    ratio = sf / pd.Series(depth)
    assert (ratio / ratio.mean()).sub(1).abs().max() < 0.05


def test_poscounts_fallback_when_every_feature_has_a_zero():
    counts = pd.DataFrame({"a": [0, 5, 9, 4], "b": [3, 0, 8, 4], "c": [6, 10, 0, 8]}, index=list("wxyz"))
    counts.loc["z", "a"] = 0
    sf = normalize.size_factors(counts, "median_of_ratios")
    assert np.isfinite(sf).all() and (sf > 0).all()
    assert abs(np.exp(np.log(sf).mean()) - 1) < 1e-9


def test_control_features_use_only_those_features():
    counts = pd.DataFrame({"a": [100, 10, 7], "b": [200, 10, 9], "c": [50, 10, 3]}, index=["ctl", "f1", "f2"])
    sf = normalize.size_factors(counts, "control_features", control_features=["ctl"])
    assert np.allclose(sf.to_numpy() / sf.iloc[0], [1.0, 2.0, 0.5])
    with pytest.raises(ValueError, match="control_features"):
        normalize.size_factors(counts, "control_features", control_features=["nope"])


def test_spikein_errors_name_the_sample():
    spikes = pd.DataFrame({"a": [100, 50], "b": [3, 2]}, index=["cel-miR-39", "cel-miR-54"])
    with pytest.raises(ValueError, match="sample 'b'"):
        normalize.spikein_size_factors(spikes, ["a", "b"])
    with pytest.raises(ValueError, match="sample 'c'"):
        normalize.spikein_size_factors(spikes, ["a", "c"])


def test_spikein_normalisation_recovers_global_shift():
    """Exosome case: the resistant vesicles carry 2x more of most miRNAs. Spike-ins (fixed amount
    per input volume, scaled only by each sample's capture efficiency) keep the true scale;
    median of ratios assumes most features unchanged and shifts everything."""
    n = 250
    up = {i: 1.0 for i in range(200)}  # 80 % of miRNAs up 2x, the rest unchanged
    efficiency = {"s1": 1.0, "s2": 0.7, "s3": 1.3, "r1": 0.8, "r2": 1.2, "r3": 1.0}
    counts, _ = simulate.nb_counts(n, GROUPS, up, "sensitive", "resistant", seed=11, depth=efficiency,
                                   dispersion=0.02, prefix="miR-")
    spikes, _ = simulate.nb_counts(3, GROUPS, {}, "sensitive", "resistant", seed=12, depth=efficiency,
                                   mean_range=(2000, 8000), dispersion=0.005, prefix="cel-miR-")
    names = pd.Series(counts.index, index=counts.index)
    by_spike, _, sf = deseq.analyse_contrast(
        counts, names, sheet(), {**CONTRAST, "normalization": "spikein"}, SETTINGS, spikein_counts=spikes
    )
    by_mor, _, _ = deseq.analyse_contrast(counts, names, sheet(), CONTRAST, SETTINGS)
    unchanged = [f"miR-{i:04d}" for i in range(200, n)]
    changed = [f"miR-{i:04d}" for i in range(200)]
    spike_unchanged = by_spike.set_index("feature").loc[unchanged, "log2FoldChange"].median()
    spike_changed = by_spike.set_index("feature").loc[changed, "log2FoldChange"].median()
    mor_unchanged = by_mor.set_index("feature").loc[unchanged, "log2FoldChange"].median()
    assert abs(spike_unchanged) < 0.2
    assert abs(spike_changed - 1.0) < 0.2
    assert mor_unchanged < -0.7  # the bias spike-ins remove
    ratio = sf / pd.Series(efficiency)
    assert (ratio / ratio.mean()).sub(1).abs().max() < 0.15  # 3 noisy spike-ins


@pytest.fixture(scope="module")
def planted_run():
    rng = np.random.default_rng(5)
    idx = rng.choice(600, size=30, replace=False)
    planted = {int(i): float(rng.choice([-1, 1]) * rng.uniform(1.5, 3.0)) for i in idx}
    counts, effects = simulate.nb_counts(600, GROUPS, planted, "sensitive", "resistant", seed=7)
    names = pd.Series("name_" + counts.index, index=counts.index)
    table, vst, _ = deseq.analyse_contrast(counts, names, sheet(), CONTRAST, SETTINGS, threads=1)
    return counts, effects, table, vst


def test_planted_differences_found_with_right_sign(planted_run):
    _, effects, table, _ = planted_run
    result = truth.evaluate_planted(table, effects)
    print("planted truth:", {k: v for k, v in result.items() if k != "false_positive_features"})
    assert result["n_planted"] == 30
    assert result["found"] >= 28
    assert result["right_sign"] == result["found"]
    assert result["false_positives"] <= 0.02 * result["n_tested_unplanted"]


def test_truth_matches_by_name_and_filters_contrast():
    table = pd.DataFrame({"feature": ["g1", "g2", "g3"], "feature_name": ["A", "B", "C"],
                          "log2FoldChange": [2.0, -1.0, 0.5], "padj": [0.001, 0.01, 0.2]})
    effects = pd.DataFrame({"gene_name": ["A", "B", "C"], "log2fc": [1.0, 1.0, 0.0],
                            "contrast": ["x", "x", "x"]})
    result = truth.evaluate_planted(table, effects, contrast="x")
    assert (result["found"], result["right_sign"], result["wrong_sign"]) == (2, 1, ["B"])
    assert result["false_positives"] == 0
    assert truth.evaluate_planted(table, effects, contrast="y")["n_planted"] == 0


def test_result_table_layout_and_order(planted_run, tmp_path):
    _, _, table, _ = planted_run
    assert list(table.columns) == deseq.RESULT_COLUMNS
    padj = table["padj"].dropna()
    assert padj.is_monotonic_increasing
    assert table["padj"].isna().sum() == 0 or table["padj"].isna().iloc[-1]
    assert table["feature_name"].str.startswith("name_").all()
    path = tmp_path / "t.tsv"
    deseq.write_results(table, path)
    first = path.read_bytes()
    # same results in another row order give byte-identical output
    raw = table.set_index("feature").drop(columns="feature_name").sample(frac=1, random_state=1)
    names = table.set_index("feature")["feature_name"]
    deseq.write_results(deseq.format_results(raw, names), path)
    assert path.read_bytes() == first
    assert first.splitlines()[0].split(b"\t")[:3] == [b"feature", b"feature_name", b"baseMean"]
    assert not (tmp_path / "t.tsv.tmp").exists()


def test_read_count_matrix_annotation_and_errors(tmp_path):
    path = tmp_path / "gene_counts.tsv"
    path.write_text("gene_id\tgene_name\ts1\ts2\tother\nG1\tERBB2\t5\t7\tx\nG2\t\t0\t3\ty\n")
    counts, names = matrix.read_count_matrix(path, ["s1", "s2"])
    assert list(counts.columns) == ["s1", "s2"] and counts.loc["G1", "s2"] == 7
    assert names.to_dict() == {"G1": "ERBB2", "G2": "G2"}
    with pytest.raises(ValueError, match="sample 's3'"):
        matrix.read_count_matrix(path, ["s1", "s3"])
    path.write_text("feature\ts1\ts2\nmiR-1\t1.5\t2\n")
    with pytest.raises(ValueError, match="'s1'"):
        matrix.read_count_matrix(path, ["s1", "s2"])


def test_anndata_holds_layers_metadata_and_de(planted_run, tmp_path):
    import anndata as ad

    counts, _, table, vst = planted_run
    names = pd.Series("name_" + counts.index, index=counts.index)
    sf = normalize.size_factors(counts, "median_of_ratios")
    adata = anndata_io.build_anndata(counts, names, normalize.normalized_counts(counts, sf), vst,
                                     sheet(), {"res_vs_sens": table}, "smallrna")
    path = tmp_path / "smallrna.h5ad"
    anndata_io.write_h5ad(adata, path)
    back = ad.read_h5ad(path)
    assert back.shape == (6, 600)
    assert list(back.obs["condition"]) == ["sensitive"] * 3 + ["resistant"] * 3
    assert np.array_equal(back.layers["counts"], counts.T.to_numpy())
    assert set(back.layers) == {"counts", "normalized", "vst"}
    de = back.varm["de_res_vs_sens"]
    top = table.iloc[0]
    assert de.loc[top["feature"], "padj"] == pytest.approx(top["padj"])
    assert len(back.uns["de"]["res_vs_sens"]) == len(table)


def test_contrast_writes_its_own_size_factors_and_vst(planted_run, tmp_path):
    """Size factors and VST of a contrast cover exactly its samples and tested features, even
    when the assay has other samples (here two of another cell type the filter drops)."""
    counts, _, table, vst = planted_run
    extra = counts.assign(x1=counts["s1"] * 3, x2=counts["r1"] // 2)
    samples = pd.concat([sheet(), pd.DataFrame([
        dict(sample=s, assay="smallrna", cell_type="fibroblast", condition="NF", batch="x", biosample="")
        for s in ("x1", "x2")])], ignore_index=True)
    names = pd.Series(extra.index, index=extra.index)
    table2, vst2, factors = deseq.analyse_contrast(extra, names, samples, CONTRAST, SETTINGS)
    assert sorted(factors.index) == sorted(GROUPS["sensitive"] + GROUPS["resistant"])
    assert sorted(vst2.columns) == sorted(factors.index)
    assert set(vst2.index) == set(table2["feature"])
    # a monotone transform of the normalised counts, per sample
    normed = extra.loc[vst2.index, "r2"] / factors["r2"]
    assert (np.diff(vst2["r2"].to_numpy()[np.argsort(normed.to_numpy())]) >= -1e-9).all()
    path = tmp_path / "sf.tsv"
    matrix.write_size_factors(factors, path)
    back = pd.read_csv(path, sep="\t")
    assert list(back.columns) == ["sample", "size_factor"]
    np.testing.assert_allclose(back["size_factor"], factors.to_numpy(), rtol=1e-7)
    matrix.write_matrix(vst2, tmp_path / "vst.tsv")
    assert (tmp_path / "vst.tsv").read_text().split("\t", 1)[0] == "feature"
