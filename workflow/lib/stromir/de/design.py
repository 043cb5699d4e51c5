"""Checks of one `contrasts:` entry against the sample sheet, before any job runs.

Every problem raises ValueError with a one-line message naming the contrast, the config key and
the fix. The samples of a contrast are those of its assay that pass its `filter` query and carry
the test or reference level of its factor.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

NORMALIZATIONS = ("median_of_ratios", "spikein", "control_features")
REQUIRED_KEYS = ("name", "assay", "design", "factor", "test", "reference")
_TERM = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_FUNCTIONS = {"C", "Q", "I", "np", "log", "log2", "log10", "exp", "center", "scale"}


def label(contrast: dict) -> str:
    return f"config contrasts '{contrast.get('name', '?')}' ({contrast.get('assay', '?')})"


def design_variables(design: str) -> list[str]:
    """Sample-sheet columns named in a formula such as '~ batch + condition' (in order)."""
    text = design.strip()
    if not text.startswith("~"):
        raise ValueError(f"design {design!r} must start with '~', e.g. '~ batch + condition'")
    names = []
    for token in _TERM.findall(text[1:]):
        if token not in _FUNCTIONS and token not in names:
            names.append(token)
    return names


def filter_samples(contrast: dict, samples: pd.DataFrame) -> pd.DataFrame:
    """Rows of the sample sheet of the contrast's assay that pass its `filter` query."""
    subset = samples[samples["assay"] == contrast["assay"]]
    query = contrast.get("filter") or ""
    if query:
        try:
            subset = subset.query(query, engine="python")
        except Exception as error:  # pandas raises many types for a bad query
            raise ValueError(
                f"{label(contrast)}: filter {query!r} is not a valid query on the sample sheet "
                f"({error.__class__.__name__}); write e.g. cell_type == \"cancer\""
            ) from None
    return subset


def select_samples(contrast: dict, samples: pd.DataFrame) -> pd.DataFrame:
    """Rows of the sample sheet used by a contrast (assay, filter, test/reference level)."""
    subset = filter_samples(contrast, samples)
    factor = contrast["factor"]
    if factor not in subset.columns:
        return subset.iloc[0:0]
    return subset[subset[factor].isin([contrast["test"], contrast["reference"]])]


def contrast_metadata(contrast: dict, samples: pd.DataFrame) -> pd.DataFrame:
    """Design-ready metadata: one row per sample (index = sample). Design variables are
    categorical (sorted levels) unless listed in the contrast's optional `continuous` list; the
    factor has the reference level first, so its design coefficient is '<factor>[T.<test>]'."""
    subset = select_samples(contrast, samples)
    variables = design_variables(contrast["design"])
    columns = list(dict.fromkeys(variables + [contrast["factor"]]))
    meta = subset.set_index("sample", drop=False)[columns].copy()
    meta.index.name = None
    for column in columns:
        values = meta[column]
        if column in (contrast.get("continuous") or []) and column != contrast["factor"]:
            meta[column] = pd.to_numeric(values, errors="raise").astype(float)
            continue
        levels = sorted(values.astype(str).unique())
        if column == contrast["factor"]:
            levels = [contrast["reference"], contrast["test"]]
        meta[column] = pd.Categorical(values.astype(str), categories=levels)
    return meta


def design_matrix(design: str, metadata: pd.DataFrame) -> pd.DataFrame:
    """The model matrix pydeseq2 builds for a formula (formulaic, treatment coding)."""
    from formulaic import model_matrix

    return pd.DataFrame(model_matrix(design, metadata))


def coefficient_name(contrast: dict) -> str:
    return f"{contrast['factor']}[T.{contrast['test']}]"


def check_contrast(contrast: dict, samples: pd.DataFrame) -> None:
    """Raise ValueError (one line) if a contrast cannot be fitted on the sample sheet."""
    where = label(contrast)
    missing = [k for k in REQUIRED_KEYS if not str(contrast.get(k) or "").strip()]
    if missing:
        raise ValueError(f"{where}: key '{missing[0]}' is missing; every contrast needs {', '.join(REQUIRED_KEYS)}")
    assay = contrast["assay"]
    if not (samples["assay"] == assay).any():
        raise ValueError(f"{where}: no sample has assay '{assay}'; fix contrasts[].assay (smallrna or rnaseq)")
    factor = contrast["factor"]
    if factor not in samples.columns:
        raise ValueError(
            f"{where}: factor '{factor}' is not a column of the sample sheet; "
            f"fix contrasts[].factor (columns: {', '.join(samples.columns)})"
        )
    try:
        variables = design_variables(contrast["design"])
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    absent = [v for v in variables if v not in samples.columns]
    if absent:
        raise ValueError(
            f"{where}: design {contrast['design']!r} names '{absent[0]}', which is not a column "
            f"of the sample sheet; fix contrasts[].design"
        )
    if factor not in variables:
        raise ValueError(
            f"{where}: factor '{factor}' does not appear in design {contrast['design']!r}; "
            f"add it, e.g. '~ {factor}'"
        )
    if contrast["test"] == contrast["reference"]:
        raise ValueError(f"{where}: test and reference are both '{contrast['test']}'; give two different levels")
    subset = select_samples(contrast, samples)
    present = sorted(set(filter_samples(contrast, samples)[factor].astype(str)))
    for key in ("test", "reference"):
        level = contrast[key]
        if level not in present:
            raise ValueError(
                f"{where}: {key} level '{level}' of factor '{factor}' has no sample after the "
                f"filter (levels present: {', '.join(present) or 'none'}); fix contrasts[].{key}"
            )
    counts = subset[factor].value_counts()
    for key in ("test", "reference"):
        level = contrast[key]
        if counts.get(level, 0) < 2:
            raise ValueError(
                f"{where}: {key} level '{level}' has {counts.get(level, 0)} sample(s); "
                f"DE needs at least 2 replicates per level (add samples or change the filter)"
            )
    for variable in variables:
        empty = subset.loc[subset[variable].astype(str).str.strip() == "", "sample"].tolist()
        if empty:
            raise ValueError(
                f"{where}: design variable '{variable}' is empty for sample '{empty[0]}'; "
                f"fill it in the sample sheet or drop it from contrasts[].design"
            )
    normalization = contrast.get("normalization") or "median_of_ratios"
    if normalization not in NORMALIZATIONS:
        raise ValueError(
            f"{where}: normalization '{normalization}' is unknown; use one of {', '.join(NORMALIZATIONS)}"
        )
    if normalization == "spikein" and assay != "smallrna":
        raise ValueError(f"{where}: normalization 'spikein' needs assay smallrna (spike-in counts come from the small-RNA pipeline)")
    if normalization == "control_features" and not contrast.get("control_features"):
        raise ValueError(
            f"{where}: normalization 'control_features' needs a non-empty contrasts[].control_features list"
        )
    for variable in contrast.get("continuous") or []:
        if pd.to_numeric(subset[variable], errors="coerce").isna().any():
            raise ValueError(
                f"{where}: continuous design variable '{variable}' has non-numeric values; "
                f"fix the sample sheet or remove it from contrasts[].continuous"
            )
    meta = contrast_metadata(contrast, samples)
    try:
        matrix = design_matrix(contrast["design"], meta)
    except Exception as error:  # formulaic raises several types
        raise ValueError(
            f"{where}: design {contrast['design']!r} cannot be built ({error.__class__.__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''}); fix contrasts[].design"
        ) from None
    rank = np.linalg.matrix_rank(matrix.to_numpy(dtype=float))
    if rank < matrix.shape[1]:
        raise ValueError(
            f"{where}: design {contrast['design']!r} is not full rank on its {len(meta)} samples "
            f"(a variable is confounded with another, e.g. one batch per condition); "
            f"drop or recode the confounded variable in contrasts[].design"
        )
    if matrix.shape[0] <= matrix.shape[1]:
        raise ValueError(
            f"{where}: design {contrast['design']!r} has {matrix.shape[1]} coefficients for "
            f"{matrix.shape[0]} samples, leaving no residual degrees of freedom; simplify the design"
        )


def check_contrasts(contrasts: list[dict], samples: pd.DataFrame) -> None:
    """check_contrast for every entry, plus unique (name, assay) pairs."""
    seen = set()
    for contrast in contrasts:
        key = (contrast.get("name"), contrast.get("assay"))
        if key in seen:
            raise ValueError(f"{label(contrast)}: defined twice; contrast names must be unique per assay")
        seen.add(key)
        check_contrast(contrast, samples)


def effective_normalization(contrast: dict, default: str) -> str:
    """The contrast's size-factor method: its own key, else the de default; the de-wide
    default 'spikein' applies to small-RNA contrasts only (RNA-seq falls back to median of
    ratios)."""
    method = contrast.get("normalization") or default or "median_of_ratios"
    if method == "spikein" and contrast["assay"] != "smallrna" and not contrast.get("normalization"):
        return "median_of_ratios"
    return method
