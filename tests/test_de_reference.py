"""stromir.de against R DESeq2 1.34.0 reference outputs (the set PyDESeq2's CI uses).

Tolerance: relative error < 0.02, as in PyDESeq2's tests/test_pydeseq2.py. Data and provenance:
tests/data/deseq2_reference/PROVENANCE.md.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stromir.de import deseq, design, normalize

DATA = Path(__file__).parent / "data" / "deseq2_reference"
TOL = 0.02


def rel_err(ref, ours):
    ref, ours = pd.Series(ref).astype(float), pd.Series(ours).astype(float)
    ours = ours.reindex(ref.index)
    return float((np.abs(ref - ours) / np.abs(ref)).max())


@pytest.fixture(scope="module")
def data():
    counts = pd.read_csv(DATA / "test_counts.csv", index_col=0)  # genes x samples
    meta = pd.read_csv(DATA / "test_metadata.csv", index_col=0)
    sheet = meta.assign(sample=meta.index, assay="rnaseq").reset_index(drop=True)
    return counts, sheet


def read_vector(path):
    return pd.read_csv(path, index_col=0).squeeze("columns")


CASES = {
    "single_factor": "~condition",
    "multi_factor": "~group + condition",
}


@pytest.fixture(scope="module", params=list(CASES))
def fitted(request, data):
    counts, sheet = data
    contrast = dict(
        name="B_vs_A", assay="rnaseq", design=CASES[request.param], factor="condition", test="B", reference="A"
    )
    design.check_contrast(contrast, sheet)
    meta = design.contrast_metadata(contrast, sheet)
    factors = normalize.size_factors(counts, "median_of_ratios")
    # R results() default alpha is 0.1
    results, dds = deseq.fit_contrast(counts, meta, contrast, factors, alpha=0.1, lfc_shrink=True)
    return request.param, factors, results, dds


def test_size_factors_match_r(fitted):
    kind, factors, _, dds = fitted
    r = read_vector(DATA / kind / "r_test_size_factors.csv")
    assert rel_err(r, factors) < TOL
    # and pydeseq2 really used them
    assert rel_err(r, pd.Series(np.asarray(dds.obs["size_factors"]), index=dds.obs_names)) < TOL


def test_dispersions_match_r(fitted):
    kind, _, _, dds = fitted
    r = read_vector(DATA / kind / "r_test_dispersions.csv")
    assert rel_err(r, pd.Series(dds.var["dispersions"].to_numpy(), index=dds.var_names)) < TOL


def test_wald_results_match_r(fitted):
    kind, _, results, _ = fitted
    r = pd.read_csv(DATA / kind / "r_test_res.csv", index_col=0)
    assert (results["pvalue"].isna() == r["pvalue"].isna()).all()
    assert (results["padj"].isna() == r["padj"].isna()).all()
    for column in ("baseMean", "log2FoldChange", "lfcSE", "stat", "pvalue", "padj"):
        assert rel_err(r[column], results[column]) < TOL, column


def test_shrunken_lfc_match_r(fitted):
    kind, _, results, _ = fitted
    r = pd.read_csv(DATA / kind / "r_test_lfc_shrink_res.csv", index_col=0)
    assert rel_err(r["log2FoldChange"], results["log2FoldChange_shrunk"]) < TOL
    # shrinkage pulls every estimate towards zero
    assert (results["log2FoldChange_shrunk"].abs() <= results["log2FoldChange"].abs() + 1e-9).all()


def test_no_independent_filtering_matches_r(data):
    counts, sheet = data
    contrast = dict(name="t", assay="rnaseq", design="~condition", factor="condition", test="B", reference="A")
    meta = design.contrast_metadata(contrast, sheet)
    factors = normalize.size_factors(counts, "median_of_ratios")
    results, _ = deseq.fit_contrast(
        counts, meta, contrast, factors, alpha=0.1, independent_filter=False, lfc_shrink=False
    )
    r = pd.read_csv(DATA / "single_factor" / "r_test_res_no_independent_filtering.csv", index_col=0)
    assert rel_err(r["padj"], results["padj"]) < TOL
    assert results["log2FoldChange_shrunk"].isna().all()


def test_blind_vst_matches_r(data):
    counts, _ = data
    factors = normalize.size_factors(counts, "median_of_ratios")
    ours = deseq.vst(counts, factors)
    r = pd.read_csv(DATA / "single_factor" / "r_vst.csv", index_col=0)
    assert float((np.abs(r - ours.loc[r.index, r.columns]) / r).max().max()) < TOL


def test_vst_with_design_matches_r(data):
    """The per-contrast VST: DESeq2 varianceStabilizingTransformation(dds, blind = FALSE)."""
    counts, sheet = data
    contrast = dict(name="t", assay="rnaseq", design="~condition", factor="condition", test="B", reference="A")
    factors = normalize.size_factors(counts, "median_of_ratios")
    _, dds = deseq.fit_contrast(counts, design.contrast_metadata(contrast, sheet), contrast, factors, lfc_shrink=False)
    ours = deseq.vst_with_design(dds)
    r = pd.read_csv(DATA / "single_factor" / "r_vst_with_design.csv", index_col=0)
    assert ours.shape == r.shape
    assert float((np.abs(r - ours.loc[r.index, r.columns]) / r).max().max()) < TOL


def test_contrast_direction_flips_sign(data):
    counts, sheet = data
    factors = normalize.size_factors(counts, "median_of_ratios")
    out = {}
    for test, ref in (("B", "A"), ("A", "B")):
        c = dict(name="t", assay="rnaseq", design="~condition", factor="condition", test=test, reference=ref)
        out[test], _ = deseq.fit_contrast(counts, design.contrast_metadata(c, sheet), c, factors, lfc_shrink=False)
    np.testing.assert_allclose(out["B"]["log2FoldChange"], -out["A"]["log2FoldChange"], atol=1e-5)
    np.testing.assert_allclose(out["B"]["padj"], out["A"]["padj"], rtol=1e-4)
