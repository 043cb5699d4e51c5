"""Unit tests of stromir.signatures on small hand-checked matrices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import REPO
from stromir.signatures import (
    Member, Signature, SignatureError, TargetsError, camera_like, compare_groups,
    contrast_samples, integrate, load_signatures, load_targets, match_member, match_members,
    matched_contrasts, members_table, paired_samples, parse_signatures, permutation_p,
    scanpy_score, scores_table, singscore, split_matrix, contrast_tests,
)
from stromir.signatures.stats import bh_adjust, direction_matches, inter_member_correlation, verdict

# ---- signatures file ----------------------------------------------------------------------------


def test_shipped_signatures_file_is_valid():
    signatures = load_signatures(REPO / "resources/signatures.yaml")
    by_name = {s.name: s for s in signatures}
    assert set(by_name) == {"exosomal_trastuzumab_resistance", "her2_restraining_mirnas",
                            "taf_fgf5_fgfr2_axis", "fibroblast_activation"}
    assert by_name["exosomal_trastuzumab_resistance"].up == [
        "hsa-miR-146a-5p", "hsa-miR-1246", "hsa-miR-155-5p", "hsa-miR-21-5p"]
    assert by_name["her2_restraining_mirnas"].expected == {"resistant_vs_sensitive": "down"}
    assert by_name["taf_fgf5_fgfr2_axis"].up == ["FGF5", "FGFR2", "SRC", "ERBB2"]
    fibro = {m.name: m for m in by_name["fibroblast_activation"].members}
    assert fibro["ACTA2"].from_source and fibro["FGF5"].from_source
    assert not any(fibro[g].from_source for g in ("FAP", "PDGFRB", "COL1A1", "TAGLN", "POSTN"))
    assert all(s.source and s.rationale for s in signatures)


def _entry(**changes):
    entry = {"name": "caf_axis", "assay": "rnaseq", "members": ["FGF5", "FGFR2"],
             "expected": {"caf_vs_nf": "up"}, "rationale": "r", "source": "s"}
    entry.update(changes)
    return entry


@pytest.mark.parametrize(
    "entry, key",
    [
        (_entry(assay="proteomics"), "'assay'"),
        (_entry(members=[]), "'members'"),
        (_entry(expected={"caf_vs_nf": "sideways"}), "'expected.caf_vs_nf'"),
        (_entry(members=["FGF5", {"name": "ACTA2", "sign": "left"}]), "'members[1]'.sign"),
        (_entry(colour="red"), "'colour'"),
        ({k: v for k, v in _entry().items() if k != "source"}, "'source'"),
        (_entry(members=["FGF5", "FGF5"]), "'members'"),
        (_entry(min_members=0), "'min_members'"),
    ],
)
def test_malformed_signature_gives_one_line_error_naming_signature_and_key(entry, key):
    with pytest.raises(SignatureError) as error:
        parse_signatures({"signatures": [entry]}, "sigs.yaml")
    message = str(error.value)
    assert "\n" not in message
    assert "sigs.yaml" in message and "'caf_axis'" in message and key in message


def test_malformed_file_on_disk(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"signatures": [_entry(), _entry(name="caf_axis")]}))
    with pytest.raises(SignatureError, match=r"signature 'caf_axis', key 'name': used twice"):
        load_signatures(path)
    path.write_text("signatures:\n  - name: [unclosed\n")
    with pytest.raises(SignatureError, match="not valid YAML at line"):
        load_signatures(path)
    with pytest.raises(SignatureError, match="signatures.file"):
        load_signatures(tmp_path / "absent.yaml")


def test_unnamed_entry_is_reported_by_position():
    with pytest.raises(SignatureError, match=r"signature entry 2, key 'name'"):
        parse_signatures({"signatures": [_entry(), {"assay": "rnaseq"}]}, "f.yaml")


def test_schema_file_agrees_with_parser():
    import jsonschema

    schema = yaml.safe_load((REPO / "workflow/schemas/signatures.schema.yaml").read_text())
    document = yaml.safe_load((REPO / "resources/signatures.yaml").read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    bad = {"signatures": [_entry(assay="proteomics")]}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


# ---- member matching ----------------------------------------------------------------------------


def genes_matrix():
    table = pd.DataFrame({
        "gene_id": ["ENSG1", "ENSG2", "ENSG3", "ENSG4", "ENSG5", "ENSG6"],
        "gene_name": ["FGF5", "FGFR2", "ACTA2", "GAPDH", "acta2", "TAGLN"],
        "s1": [1.0, 2.0, 9.0, 4.0, 1.0, 3.0],
        "s2": [2.0, 2.0, 3.0, 4.0, 1.0, 3.0],
    })
    return split_matrix(table, ["s1", "s2"])


def test_split_matrix_treats_non_sample_columns_as_annotation():
    values, names = genes_matrix()
    assert list(values.columns) == ["s1", "s2"]
    assert list(values.index) == ["ENSG1", "ENSG2", "ENSG3", "ENSG4", "ENSG5", "ENSG6"]
    assert names["ENSG3"] == "ACTA2"
    values2, _ = split_matrix(pd.DataFrame({"feature": ["a"], "feature_name": ["A"], "x": [1]}))
    assert list(values2.columns) == ["x"]


def test_gene_members_match_by_symbol_and_missing_are_listed():
    values, names = genes_matrix()
    signature = Signature("caf", "rnaseq", (Member("FGF5"), Member("FGFR2"), Member("ACTA2"),
                                            Member("FAP", from_source=False), Member("ENSG6")))
    table = match_members(signature, values, names)
    assert table["member"].tolist() == ["FGF5", "FGFR2", "ACTA2", "FAP", "ENSG6"]
    assert table["feature"].tolist()[:3] == ["ENSG1", "ENSG2", "ENSG3"]
    assert table.loc[3, "present"] == False  # noqa: E712
    assert table.loc[3, "note"] == "not in the data"
    assert table.loc[4, "match"] == "id"
    # exact symbol wins over a case-insensitive one (ACTA2 vs acta2)
    assert table.loc[2, "match"] == "name"


def test_mirna_member_matches_identical_sequence_group():
    features = ["hsa-miR-21-5p", "hsa-miR-125b-5p/hsa-miR-125a-5p", "hsa-miR-1246"]
    assert match_member("hsa-miR-125a-5p", features)[:2] == (features[1], "group")
    assert match_member("hsa-miR-21-5p", features)[:2] == ("hsa-miR-21-5p", "id")
    assert match_member("hsa-miR-342-5p", features)[:2] == (None, "missing")
    # two members in one group: counted once, noted
    values = pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=features)
    signature = Signature("x", "smallrna", (Member("hsa-miR-125a-5p"), Member("hsa-miR-125b-5p")))
    table = match_members(signature, values)
    assert table["present"].all()
    assert "counted once" in table.loc[1, "note"]


def test_duplicate_gene_names_use_most_expressed():
    feature, how, note = match_member("SRC", ["G1", "G2"], ["SRC", "SRC"], means=[1.0, 5.0])
    assert (feature, how) == ("G2", "name") and "G1" in note


# ---- scores -------------------------------------------------------------------------------------


def test_singscore_hand_checked():
    # 4 features x 2 samples; in s1 FGF5 has the top rank (4 of 4), in s2 the bottom (1 of 4).
    values = pd.DataFrame({"s1": [10.0, 1.0, 2.0, 3.0], "s2": [0.0, 1.0, 2.0, 3.0]},
                          index=["FGF5", "FGFR2", "ACTA2", "GAPDH"])
    result = singscore(values, ["FGF5"])
    assert result.loc["s1", "score"] == pytest.approx(0.5)
    assert result.loc["s2", "score"] == pytest.approx(-0.5)
    # two members FGF5+ACTA2 in s1: ranks 4 and 2 -> mean 3/4; min (3/8), max (7/8) -> 0.25
    two = singscore(values, ["FGF5", "ACTA2"])
    assert two.loc["s1", "score"] == pytest.approx((0.75 - 3 / 8) / 0.5 - 0.5)
    # signed: up FGF5, down FGFR2 -> in s1: 0.5 - (rank 1 -> -0.5) = 1.0
    signed = singscore(values, ["FGF5"], ["FGFR2"])
    assert signed.loc["s1", "score"] == pytest.approx(1.0)
    assert signed.loc["s1", "down_score"] == pytest.approx(-0.5)


def test_singscore_is_rank_based():
    rng = np.random.default_rng(1)
    values = pd.DataFrame(rng.normal(size=(20, 3)), index=[f"g{i}" for i in range(20)],
                          columns=["a", "b", "c"])
    shifted = values * 3 + 7  # library-size like monotone transform
    pd.testing.assert_frame_equal(singscore(values, ["g1", "g2"]), singscore(shifted, ["g1", "g2"]))


def test_scanpy_score_matches_hand_computation_with_one_bin():
    # 12 features; members g0, g1 raised by 5 in s2. With every non-member as control, the
    # score_genes result is mean(members) - mean(controls).
    values = pd.DataFrame({"s1": np.arange(12, dtype=float), "s2": np.arange(12, dtype=float)},
                          index=[f"g{i}" for i in range(12)])
    values.loc[["g0", "g1"], "s2"] += 5
    result = scanpy_score(values, ["g0", "g1"], seed=0)
    controls = values.drop(["g0", "g1"])
    expected = values.loc[["g0", "g1"]].mean() - controls.mean()
    # bins may restrict controls; the difference between samples is what the members changed
    assert result.loc["s2", "score"] - result.loc["s1", "score"] == pytest.approx(5.0)
    assert result["score"].notna().all()
    assert expected["s2"] - expected["s1"] == pytest.approx(5.0)


def test_scanpy_signed_is_up_minus_down():
    rng = np.random.default_rng(3)
    values = pd.DataFrame(rng.normal(5, 1, size=(60, 4)), index=[f"g{i}" for i in range(60)],
                          columns=list("abcd"))
    up = scanpy_score(values, ["g1", "g2"])["score"]
    down = scanpy_score(values, ["g3", "g4"])["score"]
    signed = scanpy_score(values, ["g1", "g2"], ["g3", "g4"])["score"]
    pd.testing.assert_series_equal(signed, up - down, check_names=False)


# ---- group and competitive tests ----------------------------------------------------------------


def test_compare_groups_hand_checked():
    result = compare_groups([3.0, 4.0, 5.0], [1.0, 2.0, 3.0])
    assert result["difference"] == pytest.approx(2.0)
    # pooled SD 1, Hedges correction 1 - 3/(4*6-9) = 0.8
    assert result["hedges_g"] == pytest.approx(1.6)
    # Welch t = 2 / sqrt(1/3 + 1/3) = 2.449
    assert result["welch_t"] == pytest.approx(2 / np.sqrt(2 / 3))
    assert 0.05 < result["welch_p"] < 0.1
    assert result["mannwhitney_u"] == pytest.approx(8.5)


def test_contrast_samples_uses_filter_and_levels():
    samples = pd.DataFrame({"sample": ["a", "b", "c", "d", "e"],
                            "assay": ["smallrna"] * 4 + ["rnaseq"],
                            "cell_type": ["cancer", "cancer", "fibroblast", "cancer", "cancer"],
                            "condition": ["resistant", "sensitive", "resistant", "resistant", "resistant"]})
    contrast = {"name": "r", "assay": "smallrna", "factor": "condition", "test": "resistant",
                "reference": "sensitive", "filter": 'cell_type == "cancer"'}
    assert contrast_samples(samples, contrast) == (["a", "d"], ["b"])


def test_camera_like_detects_shift_and_vif_deflates():
    rng = np.random.default_rng(0)
    stat = pd.Series(rng.normal(size=500), index=[f"g{i}" for i in range(500)])
    members = ["g0", "g1", "g2", "g3"]
    stat[members] += 3
    independent = camera_like(stat, members, {}, correlation=0.0)
    correlated = camera_like(stat, members, {}, correlation=0.5)
    assert independent["camera_p"] < 1e-5
    assert correlated["vif"] == pytest.approx(2.5)
    assert correlated["camera_p"] > independent["camera_p"]
    # down members are flipped: a down set that went down scores a positive shift
    stat_down = stat.copy()
    stat_down[members] *= -1
    flipped = camera_like(stat_down, members, {m: "down" for m in members})
    assert flipped["shift"] == pytest.approx(independent["shift"])


def test_permutation_p_is_seeded_and_small_for_shifted_set():
    rng = np.random.default_rng(0)
    stat = pd.Series(rng.normal(size=300), index=[f"g{i}" for i in range(300)])
    stat[["g0", "g1", "g2"]] += 4
    p1 = permutation_p(stat, ["g0", "g1", "g2"], {}, 2000, seed=7)
    p2 = permutation_p(stat, ["g0", "g1", "g2"], {}, 2000, seed=7)
    assert p1 == p2 and p1 < 0.01
    null = permutation_p(stat, ["g10", "g11", "g12"], {}, 2000, seed=7)
    assert null > 0.05


def test_inter_member_correlation_hand_checked():
    resid = pd.DataFrame([[1.0, -1.0, 0.0, 0.0], [2.0, -2.0, 0.0, 0.0], [-1.0, 1.0, 0.0, 0.0]],
                         index=["a", "b", "c"])
    assert inter_member_correlation(resid, ["a", "b"], {}) == pytest.approx(1.0)
    assert inter_member_correlation(resid, ["a", "c"], {}) == pytest.approx(-1.0)
    assert inter_member_correlation(resid, ["a", "c"], {"c": "down"}) == pytest.approx(1.0)


def test_direction_helpers_and_bh():
    assert direction_matches("up", "up") is True
    assert direction_matches("down", "up") is False
    assert direction_matches(None, "up") is None
    assert verdict(False, "up", "none", np.nan) == "not scorable"
    assert verdict(True, "up", "up", 0.01) == "matches expected, significant"
    np.testing.assert_allclose(bh_adjust([0.01, 0.04, np.nan, 0.03]), [0.03, 0.04, np.nan, 0.04])


# ---- whole tables on a planted-truth design -----------------------------------------------------


def planted():
    """12 small-RNA samples x 40 miRNAs; the exosomal set is 2 log2 units higher in resistant."""
    rng = np.random.default_rng(42)
    mirnas = ["hsa-miR-146a-5p", "hsa-miR-1246", "hsa-miR-155-5p", "hsa-miR-21-5p",
              "hsa-miR-205-5p", "hsa-miR-125b-5p/hsa-miR-125a-5p"] + [f"hsa-miR-{i}" for i in range(34)]
    samples = pd.DataFrame({
        "sample": [f"s{i}" for i in range(6)], "assay": "smallrna", "cell_type": "cancer",
        "condition": ["sensitive"] * 3 + ["resistant"] * 3, "biosample": [f"b{i}" for i in range(6)]})
    values = pd.DataFrame(rng.normal(8, 0.3, size=(40, 6)), index=mirnas, columns=samples["sample"])
    values.iloc[:40] += rng.normal(0, 2, size=(40, 1))  # feature baseline differences
    values.loc[mirnas[:4], ["s3", "s4", "s5"]] += 2.0
    values.loc[mirnas[4:6], ["s3", "s4", "s5"]] -= 1.5
    lfc = values[["s3", "s4", "s5"]].mean(axis=1) - values[["s0", "s1", "s2"]].mean(axis=1)
    de = pd.DataFrame({"feature": mirnas, "feature_name": mirnas, "baseMean": 2 ** values.mean(axis=1),
                       "log2FoldChange": lfc.to_numpy(), "lfcSE": 0.25, "padj": 0.01})
    de["stat"] = de["log2FoldChange"] / de["lfcSE"]
    return samples, values, de


def test_tables_on_planted_truth():
    samples, values, de = planted()
    signatures = load_signatures(REPO / "resources/signatures.yaml")
    contrast = {"name": "resistant_vs_sensitive", "assay": "smallrna", "factor": "condition",
                "test": "resistant", "reference": "sensitive", "filter": 'cell_type == "cancer"'}
    matrices = {"smallrna": (values, pd.Series(values.index, index=values.index))}
    members = members_table(signatures, matrices)
    # missing members are listed, not dropped; RNA-seq signatures are reported as absent assay
    her2 = members[members["signature"] == "her2_restraining_mirnas"].set_index("member")
    assert her2.loc["hsa-miR-342-5p", "present"] == False  # noqa: E712
    assert her2.loc["hsa-miR-125a-5p", "match"] == "group"
    assert (members.loc[members["assay"] == "rnaseq", "present"] == False).all()  # noqa: E712
    scores = scores_table(signatures, matrices, members, samples, min_members=2, seed=1)
    assert set(scores["method"]) == {"singscore", "scanpy"}
    assert set(scores["signature"]) == {"exosomal_trastuzumab_resistance", "her2_restraining_mirnas"}
    tests = contrast_tests(signatures, [contrast], matrices, {("smallrna", contrast["name"]): de},
                        members, scores, samples, min_members=2, permutations=500, seed=1)
    row = tests.set_index("signature").loc["exosomal_trastuzumab_resistance"]
    assert row["singscore_mean_test"] > row["singscore_mean_reference"]
    assert row["singscore_welch_p"] < 0.05 and row["scanpy_welch_p"] < 0.05
    assert row["observed_direction"] == "up" and row["direction_matches"] == True  # noqa: E712
    assert row["camera_p"] < 0.05 and row["n_tested_members"] == 4
    down = tests.set_index("signature").loc["her2_restraining_mirnas"]
    assert down["missing_members"] == "hsa-miR-342-5p"
    # 125a and 125b share one group feature: 2 distinct features present (205 + group)
    assert down["n_present"] == 2 and down["scorable"] == True  # noqa: E712
    assert down["observed_direction"] == "down" and down["direction_matches"] == True  # noqa: E712
    # raising min_members makes it not scorable, still reported with its missing members
    strict = contrast_tests(signatures, [contrast], matrices, {}, members,
                         scores_table(signatures, matrices, members, samples, 3), samples,
                         min_members=3, permutations=10, seed=1).set_index("signature")
    assert strict.loc["her2_restraining_mirnas", "verdict"] == "not scorable"
    assert strict.loc["her2_restraining_mirnas", "missing_members"] == "hsa-miR-342-5p"


# ---- integration --------------------------------------------------------------------------------


def test_targets_table_checks(tmp_path):
    targets = load_targets(REPO / "resources/mirna_targets.tsv")
    assert {"mirna", "target", "source"} <= set(targets.columns)
    assert ("hsa-miR-205-5p", "ERBB3") in set(zip(targets["mirna"], targets["target"]))
    bad = tmp_path / "t.tsv"
    bad.write_text("mirna\tgene\tsource\nhsa-miR-205-5p\tERBB3\tpaper\n")
    with pytest.raises(TargetsError, match=r"column 'target' missing"):
        load_targets(bad)
    bad.write_text("mirna\ttarget\tsource\nhsa-miR-205-5p\tERBB3\t\n")
    with pytest.raises(TargetsError, match=r"row 2, column 'source' is empty"):
        load_targets(bad)


def test_integration_flags_anticorrelation_and_paired_correlation():
    targets = pd.DataFrame({"mirna": ["hsa-miR-205-5p", "hsa-miR-205-5p", "hsa-miR-999"],
                            "target": ["ERBB3", "FGFR2", "ERBB3"], "source": ["p", "p", "p"]})
    mirna_de = pd.DataFrame({"feature": ["hsa-miR-205-5p"], "feature_name": ["hsa-miR-205-5p"],
                             "log2FoldChange": [-1.5], "padj": [0.01]})
    gene_de = pd.DataFrame({"feature": ["ENSG1", "ENSG2"], "feature_name": ["ERBB3", "FGFR2"],
                            "log2FoldChange": [1.2, -0.4], "padj": [0.02, 0.5]})
    mirna_values = pd.DataFrame({"m1": [1.0], "m2": [2.0], "m3": [3.0], "m4": [4.0]},
                                index=["hsa-miR-205-5p"])
    gene_values = pd.DataFrame({"r1": [8.0, 1.0], "r2": [6.0, 2.0], "r3": [5.0, 3.0], "r4": [1.0, 4.0]},
                               index=["ENSG1", "ENSG2"])
    pairs = [("m1", "r1"), ("m2", "r2"), ("m3", "r3"), ("m4", "r4")]
    table = integrate(targets, mirna_de, gene_de, "rvs", "rvs", mirna_values, gene_values, pairs)
    first, second, third = table.to_dict("records")
    assert first["anticorrelated"] is True and first["target_feature"] == "ENSG1"
    assert first["paired_spearman_r"] == pytest.approx(-1.0) and first["n_paired_samples"] == 4
    assert second["anticorrelated"] is False and second["paired_spearman_r"] == pytest.approx(1.0)
    assert third["anticorrelated"] is None and "miRNA not in" in third["note"]


def test_matched_contrasts_and_pairs():
    contrasts = [
        {"name": "rvs", "assay": "smallrna", "factor": "condition", "test": "resistant", "reference": "sensitive"},
        {"name": "rvs", "assay": "rnaseq", "factor": "condition", "test": "resistant", "reference": "sensitive"},
        {"name": "cvn", "assay": "rnaseq", "factor": "condition", "test": "CAF", "reference": "NF"},
    ]
    pairs = matched_contrasts(contrasts)
    assert [(a["name"], b["name"]) for a, b in pairs] == [("rvs", "rvs")]
    samples = pd.DataFrame({"sample": ["m1", "m2", "r1", "r2"], "biosample": ["b1", "", "b1", "b2"]})
    assert paired_samples(samples, ["m1", "m2"], ["r1", "r2"]) == [("m1", "r1")]
