"""miRNA and small-RNA reference preparation: FASTA I/O, species filtering, mature-in-hairpin
positions and identical-sequence grouping.

Conventions used everywhere in stromir:

* Sequences are DNA alphabet (U -> T), upper case, one line per record when written.
* A record's *name* is the first whitespace-separated token of its FASTA header.
* Species filtering keeps records whose name starts with ``<species>-`` compared
  case-insensitively, so ``hsa`` keeps miRBase ``hsa-miR-21-5p`` and MirGeneDB ``Hsa-Mir-21_5p``.
* **Grouping rule.** Mature miRNAs with identical sequences cannot be told apart by reads, so
  they form one feature whose name is the sorted (Python string order) member names joined by
  ``/``, e.g. ``hsa-miR-199a-3p/hsa-miR-199b-3p``. A mature with a unique sequence keeps its own
  name. Mature FASTA output and every count matrix use these group names.
* Positions of a mature on a hairpin are 0-based half-open ``[start, end)``; every exact
  occurrence in every hairpin is reported (hsa-miR-124-3p sits in mir-124-1, -2 and -3).
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd

__all__ = [
    "ReferenceDataError",
    "open_text",
    "read_fasta",
    "normalize_sequence",
    "filter_species",
    "group_identical",
    "locate_matures",
    "build_mirna_reference",
    "write_fasta",
    "write_table",
    "prepare_plain_reference",
    "read_mirna_gff3",
    "sha256_file",
    "verify_checksum",
    "POSITION_COLUMNS",
]

POSITION_COLUMNS = ["mature", "mature_names", "hairpin", "start", "end", "sequence"]
_VALID = re.compile(r"^[ACGTN]*$")


class ReferenceDataError(ValueError):
    """A reference file is unusable; the message is one line naming the file and the fix."""


def open_text(path: str | os.PathLike):
    """Open a plain or gzip-compressed text file for reading (detected from the magic bytes)."""
    path = Path(path)
    if not path.exists():
        raise ReferenceDataError(f"{path}: file not found; check the path in config references")
    with open(path, "rb") as handle:
        magic = handle.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt")
    return open(path, "rt")


def normalize_sequence(sequence: str) -> str:
    """Upper-case, strip whitespace and convert U to T."""
    return "".join(sequence.split()).upper().replace("U", "T")


def read_fasta(path: str | os.PathLike) -> list[tuple[str, str, str]]:
    """Read a FASTA file (plain or .gz, wrapped or not) into (name, header, sequence) tuples.

    Sequences are normalised with :func:`normalize_sequence`. Raises ReferenceDataError for an
    empty file, sequence lines before the first header, a record without sequence, or letters
    outside ACGTUN.
    """
    records: list[tuple[str, str, str]] = []
    name = header = None
    chunks: list[str] = []

    def flush():
        if name is None:
            return
        seq = normalize_sequence("".join(chunks))
        if not seq:
            raise ReferenceDataError(f"{path}: record {name!r} has no sequence; fix the FASTA")
        if not _VALID.match(seq):
            bad = sorted(set(re.sub(r"[ACGTN]", "", seq)))
            raise ReferenceDataError(
                f"{path}: record {name!r} has non-nucleotide letters {''.join(bad)!r}; "
                "give a nucleotide FASTA"
            )
        records.append((name, header, seq))

    with open_text(path) as handle:
        for lineno, line in enumerate(handle, 1):
            line = line.strip()
            if not line:
                continue
            if line.startswith(">"):
                flush()
                header = line[1:].strip()
                if not header:
                    raise ReferenceDataError(f"{path}:{lineno}: empty FASTA header")
                name = header.split()[0]
                chunks = []
            else:
                if name is None:
                    raise ReferenceDataError(
                        f"{path}:{lineno}: sequence before the first '>' header; not a FASTA file"
                    )
                chunks.append(line)
        flush()
    if not records:
        raise ReferenceDataError(f"{path}: no FASTA records; give a non-empty FASTA file")
    return records


def filter_species(
    records: Iterable[tuple[str, str, str]], species: str
) -> list[tuple[str, str, str]]:
    """Keep records whose name starts with ``species + '-'`` (case-insensitive).

    ``species`` empty or None keeps everything (for non-miRBase custom references).
    """
    if not species:
        return list(records)
    prefix = species.lower().rstrip("-") + "-"
    return [r for r in records if r[0].lower().startswith(prefix)]


def group_identical(matures: Mapping[str, str]) -> dict[str, list[str]]:
    """Map each group name to its sorted member names (see the module's grouping rule).

    ``matures`` maps mature name -> normalised sequence. Groups are returned in order of the
    group name.
    """
    by_seq: dict[str, list[str]] = {}
    for name, seq in matures.items():
        by_seq.setdefault(seq, []).append(name)
    groups = {"/".join(sorted(names)): sorted(names) for names in by_seq.values()}
    return dict(sorted(groups.items()))


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    start = haystack.find(needle)
    while start != -1:
        yield start
        start = haystack.find(needle, start + 1)


def locate_matures(
    groups: Mapping[str, list[str]],
    group_sequences: Mapping[str, str],
    hairpins: Mapping[str, str],
) -> pd.DataFrame:
    """Every exact occurrence of every mature group in every hairpin.

    Returns a DataFrame with :data:`POSITION_COLUMNS`, sorted by mature, hairpin, start.
    Matures found in no hairpin are absent (the caller decides whether that is an error).
    """
    # One concatenated text with a separator that no sequence contains: each mature is
    # searched once, and offsets are mapped back to (hairpin, start) with bisect.
    names = list(hairpins)
    offsets = []
    parts = []
    pos = 0
    for name in names:
        offsets.append(pos)
        parts.append(hairpins[name])
        pos += len(hairpins[name]) + 1
    text = "|".join(parts)
    rows = []
    for group, members in groups.items():
        seq = group_sequences[group]
        for hit in _find_all(text, seq):
            index = bisect.bisect_right(offsets, hit) - 1
            start = hit - offsets[index]
            rows.append((group, ",".join(members), names[index], start, start + len(seq), seq))
    table = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    table = table.sort_values(["mature", "hairpin", "start"], kind="stable").reset_index(drop=True)
    return table.astype({"start": "int64", "end": "int64"})


def build_mirna_reference(
    mature_records: Iterable[tuple[str, str, str]],
    hairpin_records: Iterable[tuple[str, str, str]],
    species: str,
    *,
    mature_path: str = "mature FASTA",
    hairpin_path: str = "hairpin FASTA",
) -> tuple[dict[str, str], dict[str, str], pd.DataFrame]:
    """Species-filter, group and locate miRNA references.

    Returns ``(mature_groups, hairpins, positions)``: group name -> sequence, hairpin name ->
    sequence (input order, first record of a duplicated name kept) and the positions table.
    Raises ReferenceDataError when nothing of ``species`` is left or names are duplicated with
    different sequences.
    """
    matures_kept = filter_species(mature_records, species)
    hairpins_kept = filter_species(hairpin_records, species)
    for kept, path in ((matures_kept, mature_path), (hairpins_kept, hairpin_path)):
        if not kept:
            raise ReferenceDataError(
                f"{path}: no record name starts with '{species}-'; set references: species to "
                "the prefix used in the file (e.g. hsa)"
            )
    matures: dict[str, str] = {}
    for name, _, seq in matures_kept:
        if name in matures and matures[name] != seq:
            raise ReferenceDataError(
                f"{mature_path}: mature {name!r} appears twice with different sequences; "
                "deduplicate the FASTA"
            )
        matures[name] = seq
    hairpins: dict[str, str] = {}
    for name, _, seq in hairpins_kept:
        if name in hairpins and hairpins[name] != seq:
            raise ReferenceDataError(
                f"{hairpin_path}: hairpin {name!r} appears twice with different sequences; "
                "deduplicate the FASTA"
            )
        hairpins.setdefault(name, seq)
    groups = group_identical(matures)
    group_seqs = {g: matures[members[0]] for g, members in groups.items()}
    positions = locate_matures(groups, group_seqs, hairpins)
    return group_seqs, hairpins, positions


def _atomic_write(path: str | os.PathLike, text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def write_fasta(records: Mapping[str, str], path: str | os.PathLike) -> None:
    """Write name -> sequence as FASTA, one line per sequence, atomically."""
    _atomic_write(path, "".join(f">{name}\n{seq}\n" for name, seq in records.items()))


def write_table(table: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a TSV atomically (no index)."""
    _atomic_write(path, table.to_csv(sep="\t", index=False))


def prepare_plain_reference(
    path: str | os.PathLike, *, species: str | None = None
) -> dict[str, str]:
    """Read a spike-in or small-RNA class FASTA into name -> T-alphabet sequence.

    Optional species filter; duplicate names raise ReferenceDataError.
    """
    records = read_fasta(path)
    if species:
        records = filter_species(records, species)
        if not records:
            raise ReferenceDataError(f"{path}: no record name starts with '{species}-'")
    out: dict[str, str] = {}
    for name, _, seq in records:
        if name in out:
            raise ReferenceDataError(f"{path}: duplicate record name {name!r}; make names unique")
        out[name] = seq
    return out


_GFF_COLUMNS = ["seqid", "source", "type", "start", "end", "score", "strand", "phase", "attributes"]


def read_mirna_gff3(path: str | os.PathLike) -> pd.DataFrame:
    """Parse a miRBase or MirGeneDB miRNA GFF3.

    Returns one row per feature with columns seqid, type, start (1-based), end, strand, id,
    name, alias, derives_from. MirGeneDB has no Name=, so name falls back to ID.
    """
    rows = []
    with open_text(path) as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 9:
                raise ReferenceDataError(
                    f"{path}:{lineno}: expected 9 tab-separated GFF3 columns, got {len(fields)}"
                )
            attrs = dict(
                item.split("=", 1) for item in fields[8].strip().strip(";").split(";") if "=" in item
            )
            rows.append(
                {
                    "seqid": fields[0],
                    "type": fields[2],
                    "start": int(fields[3]),
                    "end": int(fields[4]),
                    "strand": fields[6],
                    "id": attrs.get("ID", ""),
                    "name": attrs.get("Name", attrs.get("ID", "")),
                    "alias": attrs.get("Alias", ""),
                    "derives_from": attrs.get("Derives_from", ""),
                }
            )
    if not rows:
        raise ReferenceDataError(f"{path}: no GFF3 feature lines")
    return pd.DataFrame(rows)


def sha256_file(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_checksum(path: str | os.PathLike, expected: str | None, *, key: str = "") -> str:
    """Return the file's SHA-256; raise ReferenceDataError when ``expected`` is set and differs.

    ``key`` names the config entry holding ``expected`` so the message says what to fix.
    """
    actual = sha256_file(path)
    if expected and actual.lower() != expected.strip().lower():
        where = f" (config {key})" if key else ""
        raise ReferenceDataError(
            f"{path}: sha256 {actual} does not match the expected {expected}{where}; the "
            "upstream file changed or the download is corrupt: check the file, then update "
            "the checksum"
        )
    return actual
