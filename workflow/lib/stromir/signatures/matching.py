"""Reading feature matrices and matching signature members to their features.

Small RNA features are mature miRNA names, or groups of identical-sequence miRNAs joined by "/"
(e.g. "hsa-miR-125b-5p/hsa-miR-125a-5p"): a member matches a group that contains it. RNA-seq
features are gene ids with a gene name column: a member matches its gene id, else its gene name
(exactly, then ignoring case). When several features share a name, the one with the highest mean
value in the matrix is used and the others are listed in the `note` column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

NAME_COLUMNS = ("feature_name", "gene_name")
MEMBER_COLUMNS = ["member", "sign", "from_source", "feature", "feature_name", "match", "present", "note"]


def split_matrix(table: pd.DataFrame, samples: Sequence[str] | None = None):
    """Split a matrix table into (values: features x samples, names: Series of feature names).

    The first column is the feature id. Sample columns are `samples` (in that order) when given,
    else every numeric column; every other column is annotation. The name Series comes from
    feature_name or gene_name when present, else the feature id.
    """
    if table.shape[1] < 2:
        raise ValueError("matrix needs a feature column and at least one sample column")
    ids = table.iloc[:, 0].astype(str)
    if samples is None:
        samples = [
            c for c in table.columns[1:] if c not in NAME_COLUMNS and pd.api.types.is_numeric_dtype(table[c])
        ]
    else:
        absent = [s for s in samples if s not in table.columns]
        if absent:
            raise ValueError(f"sample column(s) {absent} missing from the matrix")
    values = table[list(samples)].astype(float)
    values.index = pd.Index(ids, name="feature")
    names = ids.copy()
    for column in NAME_COLUMNS:
        if column in table.columns:
            names = table[column].where(table[column].notna() & (table[column] != ""), ids).astype(str)
            break
    names.index = values.index
    return values, names


def feature_parts(feature: str) -> list[str]:
    """Names inside a feature id: identical-sequence groups are joined by '/'."""
    return [part for part in str(feature).split("/") if part]


def match_member(member: str, features: Sequence[str], names: Sequence[str] | None = None, means=None):
    """Find the feature of one member. Returns (feature or None, match type, note)."""
    features = list(features)
    names = list(names) if names is not None else features
    candidates, how = [], "missing"
    if member in features:
        candidates, how = [features.index(member)], "id"
    if not candidates:
        candidates = [i for i, f in enumerate(features) if member in feature_parts(f) and f != member]
        how = "group" if candidates else how
    if not candidates:
        candidates = [i for i, n in enumerate(names) if n == member]
        how = "name" if candidates else how
    if not candidates:
        lower = member.lower()
        candidates = [i for i, n in enumerate(names) if str(n).lower() == lower]
        how = "name_ignoring_case" if candidates else how
    if not candidates:
        return None, "missing", "not in the data"
    note = ""
    if len(candidates) > 1:
        order = candidates
        if means is not None:
            order = sorted(candidates, key=lambda i: (-float(means[i]), i))
        others = [features[i] for i in order[1:]]
        note = f"also matches {', '.join(others)}; used the most expressed"
        candidates = order
    return features[candidates[0]], how, note


def match_members(signature, values: pd.DataFrame, names: pd.Series | None = None) -> pd.DataFrame:
    """Table of a signature's members with the matched feature (one row per member).

    Missing members stay in the table with present = False, so they are reported, never dropped.
    """
    features = list(values.index)
    name_list = list(names.loc[values.index]) if names is not None else features
    means = np.nanmean(values.to_numpy(dtype=float), axis=1) if values.shape[1] else None
    rows = []
    used = {}
    for member in signature.members:
        feature, how, note = match_member(member.name, features, name_list, means)
        if feature is not None and feature in used:
            note = (note + "; " if note else "") + f"same feature as {used[feature]}; counted once"
        elif feature is not None:
            used[feature] = member.name
        rows.append(
            {
                "member": member.name,
                "sign": member.sign,
                "from_source": member.from_source,
                "feature": feature,
                "feature_name": name_list[features.index(feature)] if feature is not None else None,
                "match": how,
                "present": feature is not None,
                "note": note,
            }
        )
    return pd.DataFrame(rows, columns=MEMBER_COLUMNS)


def present_features(matched: pd.DataFrame, sign: str) -> list[str]:
    """Unique matched features of one sign, in member order."""
    rows = matched[(matched["present"]) & (matched["sign"] == sign)]
    return list(dict.fromkeys(rows["feature"]))


def n_present(matched: pd.DataFrame) -> int:
    """Number of distinct features the members matched."""
    return int(matched.loc[matched["present"], "feature"].nunique())


def is_scorable(matched: pd.DataFrame, min_members: int) -> bool:
    """A signature is scorable when at least min_members distinct members are present."""
    return n_present(matched) >= min_members
