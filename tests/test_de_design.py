"""Contrast validation (stromir.de.design): each config error is one line naming contrast and key."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from stromir.de import design

ROOT = Path(__file__).resolve().parents[1]


def sheet():
    rows = []
    for cell, levels in (("cancer", ("sensitive", "resistant")), ("fibroblast", ("NF", "CAF"))):
        for level in levels:
            for i in (1, 2, 3):
                rows.append(
                    dict(sample=f"{level}_{i}", assay="smallrna", cell_type=cell, condition=level,
                         batch=f"b{i}", biosample="", age=str(40 + i * 3 + len(level)))
                )
    return pd.DataFrame(rows)


def contrast(**overrides):
    base = dict(name="res_vs_sens", assay="smallrna", design="~ condition", factor="condition",
                test="resistant", reference="sensitive", filter='cell_type == "cancer"')
    base.update(overrides)
    return base


def check_error(c, samples=None, match=None):
    with pytest.raises(ValueError) as info:
        design.check_contrast(c, sheet() if samples is None else samples)
    message = str(info.value)
    assert "\n" not in message
    assert f"'{c['name']}'" in message
    if match:
        assert match in message, message
    return message


def test_valid_contrasts_pass():
    design.check_contrast(contrast(), sheet())
    design.check_contrast(contrast(design="~ batch + condition"), sheet())
    design.check_contrast(
        contrast(name="caf", test="CAF", reference="NF", filter='cell_type == "fibroblast"'), sheet()
    )


def test_default_config_contrasts_pass():
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    samples = pd.read_csv(ROOT / "config" / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    design.check_contrasts(config["contrasts"], samples)
    assert {c["assay"] for c in config["contrasts"]} == {"smallrna", "rnaseq"}


def test_metadata_puts_reference_first():
    meta = design.contrast_metadata(contrast(design="~ batch + condition"), sheet())
    assert list(meta["condition"].cat.categories) == ["sensitive", "resistant"]
    assert sorted(meta.index) == sorted(f"{lv}_{i}" for lv in ("sensitive", "resistant") for i in (1, 2, 3))
    matrix = design.design_matrix("~ batch + condition", meta)
    assert design.coefficient_name(contrast()) in matrix.columns


def test_unknown_level():
    check_error(contrast(test="resistnat"), match="test level 'resistnat'")
    check_error(contrast(reference="CAF"), match="reference level 'CAF'")  # filtered away


def test_factor_absent_from_sheet():
    check_error(contrast(factor="treatment", design="~ treatment"), match="factor 'treatment' is not a column")


def test_design_variable_absent():
    check_error(contrast(design="~ lane + condition"), match="'lane'")


def test_factor_not_in_design():
    check_error(contrast(design="~ batch"), match="does not appear in design")


def test_not_full_rank():
    samples = sheet()
    samples["run"] = samples["condition"].map({"sensitive": "r1", "resistant": "r2", "NF": "r3", "CAF": "r4"})
    check_error(contrast(design="~ run + condition"), samples=samples, match="not full rank")


def test_too_few_replicates():
    samples = sheet()
    samples = samples[~samples["sample"].isin(["resistant_2", "resistant_3"])]
    check_error(contrast(), samples=samples, match="at least 2 replicates")


def test_no_residual_degrees_of_freedom():
    samples = sheet()
    samples["pair"] = samples["sample"]
    check_error(contrast(design="~ pair + condition"), samples=samples)


def test_bad_filter_and_bad_design_syntax():
    check_error(contrast(filter="cell_type === 1"), match="filter")
    check_error(contrast(design="condition"), match="must start with '~'")


def test_same_test_and_reference():
    check_error(contrast(test="sensitive"), match="both")


def test_normalization_keys():
    check_error(contrast(normalization="tmm"), match="normalization 'tmm'")
    check_error(contrast(normalization="control_features"), match="control_features")
    check_error(contrast(assay="rnaseq", normalization="spikein"),
                samples=sheet().assign(assay="rnaseq"), match="spikein")
    design.check_contrast(contrast(normalization="control_features", control_features=["a"]), sheet())


def test_continuous_covariate():
    c = contrast(design="~ age + condition", continuous=["age"])
    design.check_contrast(c, sheet())
    assert design.contrast_metadata(c, sheet())["age"].dtype == float
    bad = sheet()
    bad.loc[0, "age"] = "old"
    check_error(c, samples=bad, match="non-numeric")


def test_duplicate_contrast():
    with pytest.raises(ValueError, match="defined twice"):
        design.check_contrasts([contrast(), contrast()], sheet())


def test_effective_normalization():
    assert design.effective_normalization(contrast(), "spikein") == "spikein"
    assert design.effective_normalization(contrast(assay="rnaseq"), "spikein") == "median_of_ratios"
    assert design.effective_normalization(contrast(normalization="control_features"), "spikein") == "control_features"
