"""Loading and cross-field validation of the sample and unit sheets.

Every error is a one-line message that names the file, column, sample or config key and the fix,
so that `snakemake` stops before any job runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
# The same names as a wildcard constraint (no '/', so a name never spans path components).
WILDCARD_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
ASSAYS = ("smallrna", "rnaseq")
# Columns that may be empty; empty cells become "" so that rules never see NaN.
OPTIONAL_UNIT_COLUMNS = ("fq2", "protocol", "adapter", "clip_5p", "clip_3p", "strandedness")
OPTIONAL_SAMPLE_COLUMNS = ("batch", "biosample")
REQUIRED_COLUMNS = {
    "samples": ("sample", "assay", "cell_type", "condition"),
    "units": ("sample", "unit", "fq1"),
}


class SheetError(ValueError):
    """A sheet or config problem, with a one-line message for the user."""


def load_sheet(path: str | Path, kind: str) -> pd.DataFrame:
    """Read a tab-separated sheet as strings, with clear errors for the common mistakes."""
    path = Path(path)
    if not path.is_file():
        raise SheetError(
            f"{path}: {kind} sheet not found; set config key '{kind}' to an existing TSV file"
        )
    with open(path, encoding="utf-8") as handle:
        header = handle.readline()
    if not header.strip():
        raise SheetError(f"{path}: {kind} sheet is empty; it needs a header row and one row per {kind[:-1]}")
    if "\t" not in header and "," in header:
        raise SheetError(
            f"{path}: {kind} sheet looks comma-separated; save it as tab-separated (TSV)"
        )
    sheet = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment=None)
    sheet.columns = [c.strip() for c in sheet.columns]
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in sheet.columns]
    if missing:
        raise SheetError(
            f"{path}: {kind} sheet lacks column(s) {', '.join(missing)}; "
            f"see config/README.md for the required columns"
        )
    sheet = sheet.apply(lambda col: col.str.strip())
    optional = OPTIONAL_UNIT_COLUMNS if kind == "units" else OPTIONAL_SAMPLE_COLUMNS
    for column in optional:
        if column not in sheet.columns:
            sheet[column] = ""
    if sheet.empty:
        raise SheetError(f"{path}: {kind} sheet has no rows; add one row per {kind[:-1]}")
    return sheet


def short_schema_error(source: str, error: Exception) -> str:
    """Condense a jsonschema error raised through snakemake's validate() into one line."""
    text = str(error)
    message = None
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("Error validating", "Failed validating", "On instance")):
            message = line
            break
    path = ""
    match = re.search(r"On instance(\[.*?\])?:", text)
    if match and match.group(1):
        path = match.group(1)
    message = message or text.splitlines()[0]
    message = message.removeprefix("ValidationError: ")
    return f"{source}{path}: {message}; see config/README.md"


def check_sheets(
    samples: pd.DataFrame, units: pd.DataFrame, config: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cross-field checks; returns the sheets indexed by sample and by (sample, unit)."""
    samples_path, units_path = config["samples"], config["units"]
    duplicated = samples.loc[samples["sample"].duplicated(), "sample"].tolist()
    if duplicated:
        raise SheetError(
            f"{samples_path}: sample '{duplicated[0]}' appears more than once; "
            f"sample names must be unique (put lanes in {units_path})"
        )
    for name in samples["sample"]:
        if not re.match(NAME_PATTERN, name):
            raise SheetError(
                f"{samples_path}: sample name {name!r} is not allowed; use letters, digits, "
                f"'_', '.', '-' only (pattern {NAME_PATTERN})"
            )
    unknown = sorted(set(samples["assay"]) - set(ASSAYS))
    if unknown:
        raise SheetError(
            f"{samples_path}: unknown assay '{unknown[0]}'; use one of {', '.join(ASSAYS)}"
        )
    known = set(samples["sample"])
    orphans = [s for s in units["sample"] if s not in known]
    if orphans:
        raise SheetError(
            f"{units_path}: unit for unknown sample '{orphans[0]}'; add it to {samples_path} "
            f"or fix the name"
        )
    for name in units["unit"]:
        if not re.match(NAME_PATTERN, name):
            raise SheetError(
                f"{units_path}: unit name {name!r} is not allowed; use letters, digits, '_', '.', '-'"
            )
    pairs = units[["sample", "unit"]].apply(tuple, axis=1)
    if pairs.duplicated().any():
        sample, unit = pairs[pairs.duplicated()].iloc[0]
        raise SheetError(f"{units_path}: unit '{unit}' of sample '{sample}' appears twice")
    without_units = sorted(known - set(units["sample"]))
    if without_units:
        raise SheetError(
            f"{samples_path}: sample '{without_units[0]}' has no row in {units_path}; add its FASTQ files"
        )
    assay_of = dict(zip(samples["sample"], samples["assay"]))
    for row in units.itertuples(index=False):
        for column in ("fq1", "fq2"):
            path = getattr(row, column)
            if column == "fq2" and not path:
                continue
            if not path:
                raise SheetError(f"{units_path}: sample '{row.sample}' unit '{row.unit}' has no fq1")
            if not Path(path).is_file():
                raise SheetError(
                    f"{units_path}: {column} of sample '{row.sample}' unit '{row.unit}' "
                    f"not found: {path}; fix the path (relative to the working directory)"
                )
        if assay_of[row.sample] == "smallrna":
            if not row.protocol:
                raise SheetError(
                    f"{units_path}: small-RNA sample '{row.sample}' unit '{row.unit}' needs a protocol "
                    f"(illumina, nextflex_v3, nextflex_v4, qiaseq, cats or custom)"
                )
            if row.protocol == "custom" and not row.adapter:
                raise SheetError(
                    f"{units_path}: sample '{row.sample}' unit '{row.unit}' has protocol custom but "
                    f"no adapter; give the 3' adapter sequence or 'auto'"
                )
    # Paired-end is a per-sample property: lanes of one sample must agree.
    for sample, group in units.groupby("sample", sort=False):
        layouts = {bool(fq2) for fq2 in group["fq2"]}
        if len(layouts) > 1:
            raise SheetError(
                f"{units_path}: sample '{sample}' mixes single-end and paired-end units; "
                f"give fq2 for every unit or for none"
            )
    samples = samples.set_index("sample", drop=False)
    units = units.set_index(["sample", "unit"], drop=False).sort_index(level=[0], sort_remaining=False)
    return samples, units


def name_regex(names) -> str:
    """A wildcard constraint matching exactly the given names."""
    return "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))


def required_reference_keys(config: dict, assays: set[str]) -> list[tuple[str, str]]:
    """(config key, path) of every local reference file the configured run reads."""
    refs = config["references"]
    keys: list[tuple[str, str]] = []
    if "smallrna" in assays:
        if not refs.get("download_mirbase"):
            keys += [(f"references.{k}", refs[k]) for k in ("mature", "hairpin")]
        keys.append(("references.adapters", refs["adapters"]))
        if refs.get("spikeins"):
            keys.append(("references.spikeins", refs["spikeins"]))
        keys += [
            (f"references.smallrna_classes.{name}", path)
            for name, path in (refs.get("smallrna_classes") or {}).items()
            if path
        ]
    genome_needed = "rnaseq" in assays or (
        "smallrna" in assays and config.get("smallrna", {}).get("genome_alignment", True)
    )
    if genome_needed and not refs.get("download_genome"):
        keys.append(("references.genome_fasta", refs["genome_fasta"]))
        if "rnaseq" in assays:
            keys.append(("references.gtf", refs["gtf"]))
    signatures = config.get("signatures", {})
    if signatures.get("file"):
        keys.append(("signatures.file", signatures["file"]))
    if signatures.get("targets"):
        keys.append(("signatures.targets", signatures["targets"]))
    return keys


def check_references(config: dict, assays: set[str]) -> None:
    """Every reference file the run reads exists (downloads are checked by their own rules)."""
    for key, path in required_reference_keys(config, assays):
        if not Path(path).is_file():
            raise SheetError(
                f"config {key}: file not found: {path}; fix the path or set the matching "
                f"download_* key to true"
            )
