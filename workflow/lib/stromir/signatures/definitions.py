"""Signature definitions: load and validate resources/signatures.yaml (format: docs/signatures.md).

Every error is one line naming the file, the signature (name or entry number) and the key, and
says how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SCHEMA = Path(__file__).resolve().parents[3] / "schemas" / "signatures.schema.yaml"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
ASSAYS = ("smallrna", "rnaseq")
DIRECTIONS = ("up", "down")
SIGNATURE_KEYS = {"name", "assay", "members", "expected", "rationale", "source", "doi", "min_members"}
MEMBER_KEYS = {"name", "sign", "from_source", "note"}


class SignatureError(ValueError):
    """A malformed signatures file; str() is a one-line message."""


@dataclass(frozen=True)
class Member:
    name: str
    sign: str = "up"
    from_source: bool = True
    note: str = ""


@dataclass(frozen=True)
class Signature:
    name: str
    assay: str
    members: tuple[Member, ...]
    expected: dict = field(default_factory=dict)
    rationale: str = ""
    source: str = ""
    doi: str = ""
    min_members: int | None = None

    @property
    def up(self) -> list[str]:
        return [m.name for m in self.members if m.sign == "up"]

    @property
    def down(self) -> list[str]:
        return [m.name for m in self.members if m.sign == "down"]

    @property
    def signed(self) -> bool:
        return bool(self.down)


def _where(path, index, entry) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    if isinstance(name, str) and name:
        return f"{path}: signature {name!r}"
    return f"{path}: signature entry {index + 1}"


def _fix(message: str) -> SignatureError:
    return SignatureError(f"{message} (format: docs/signatures.md)")


def parse_member(raw, where: str, position: int) -> Member:
    """One member: a plain name or a mapping {name, sign, from_source, note}."""
    key = f"key 'members[{position}]'"
    if isinstance(raw, str):
        if not raw.strip():
            raise _fix(f"{where}, {key}: empty member name; give a miRBase name or gene symbol")
        return Member(raw.strip())
    if not isinstance(raw, dict):
        raise _fix(f"{where}, {key}: member must be a name or a mapping with 'name', got {raw!r}")
    unknown = sorted(set(raw) - MEMBER_KEYS)
    if unknown:
        raise _fix(f"{where}, {key}: unknown key {unknown[0]!r}; allowed: {sorted(MEMBER_KEYS)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fix(f"{where}, {key}.name: missing or empty; give a miRBase name or gene symbol")
    sign = raw.get("sign", "up")
    if sign not in DIRECTIONS:
        raise _fix(f"{where}, {key}.sign: {sign!r} is not 'up' or 'down'")
    from_source = raw.get("from_source", True)
    if not isinstance(from_source, bool):
        raise _fix(f"{where}, {key}.from_source: {from_source!r} is not true or false")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise _fix(f"{where}, {key}.note: must be text")
    return Member(name.strip(), sign, from_source, note)


def parse_signature(entry, index: int, path="signatures file") -> Signature:
    """Validate one entry of the `signatures:` list and return a Signature."""
    where = _where(path, index, entry)
    if not isinstance(entry, dict):
        raise _fix(f"{where}: must be a mapping with name, assay, members, expected, rationale, source")
    unknown = sorted(set(entry) - SIGNATURE_KEYS)
    if unknown:
        raise _fix(f"{where}, key {unknown[0]!r}: unknown key; allowed: {sorted(SIGNATURE_KEYS)}")
    for key in ("name", "assay", "members", "expected", "rationale", "source"):
        if key not in entry or entry[key] is None:
            raise _fix(f"{where}, key {key!r}: missing; every signature needs it")
    name = entry["name"]
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise _fix(f"{where}, key 'name': {name!r} must match {NAME_RE.pattern}")
    if entry["assay"] not in ASSAYS:
        raise _fix(f"{where}, key 'assay': {entry['assay']!r} is not one of {list(ASSAYS)}")
    members = entry["members"]
    if not isinstance(members, list) or not members:
        raise _fix(f"{where}, key 'members': must be a non-empty list of names")
    parsed = tuple(parse_member(raw, where, i) for i, raw in enumerate(members))
    seen = set()
    for member in parsed:
        if member.name in seen:
            raise _fix(f"{where}, key 'members': {member.name!r} listed twice; keep one")
        seen.add(member.name)
    expected = entry["expected"]
    if not isinstance(expected, dict):
        raise _fix(f"{where}, key 'expected': must map contrast names to 'up' or 'down'")
    for contrast, direction in expected.items():
        if direction not in DIRECTIONS:
            raise _fix(
                f"{where}, key 'expected.{contrast}': {direction!r} is not 'up' or 'down'"
            )
    for key in ("rationale", "source", "doi"):
        value = entry.get(key, "")
        if not isinstance(value, str) or (key != "doi" and not value.strip()):
            raise _fix(f"{where}, key {key!r}: must be non-empty text")
    min_members = entry.get("min_members")
    if min_members is not None and (
        isinstance(min_members, bool) or not isinstance(min_members, int) or min_members < 1
    ):
        raise _fix(f"{where}, key 'min_members': {min_members!r} must be an integer >= 1")
    return Signature(
        name=name,
        assay=entry["assay"],
        members=parsed,
        expected={str(k): v for k, v in expected.items()},
        rationale=entry["rationale"].strip(),
        source=entry["source"].strip(),
        doi=entry.get("doi", "").strip(),
        min_members=min_members,
    )


def _schema_check(data, path, schema_path) -> None:
    """Second line of defence: the JSON schema, reported as one line."""
    import jsonschema

    with open(schema_path) as handle:
        schema = yaml.safe_load(handle)
    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path)
    )
    if not errors:
        return
    error = errors[0]
    parts = list(error.absolute_path)
    where = f"{path}"
    if len(parts) >= 2 and parts[0] == "signatures" and isinstance(parts[1], int):
        where = _where(path, parts[1], data["signatures"][parts[1]])
        parts = parts[2:]
    key = ".".join(str(p) for p in parts) or "(top level)"
    message = error.message.splitlines()[0][:200]
    raise _fix(f"{where}, key {key!r}: {message}")


def parse_signatures(data, path="signatures file", schema_path=SCHEMA) -> list[Signature]:
    """Validate the parsed YAML document and return its signatures."""
    if not isinstance(data, dict) or "signatures" not in data:
        raise _fix(f"{path}: top-level key 'signatures' missing; the file must hold 'signatures: [...]'")
    unknown = sorted(set(data) - {"signatures"})
    if unknown:
        raise _fix(f"{path}: unknown top-level key {unknown[0]!r}; only 'signatures' is allowed")
    entries = data["signatures"]
    if not isinstance(entries, list) or not entries:
        raise _fix(f"{path}, key 'signatures': must be a non-empty list of signatures")
    signatures = [parse_signature(entry, i, path) for i, entry in enumerate(entries)]
    names = [s.name for s in signatures]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise _fix(f"{path}: signature {name!r}, key 'name': used twice; names must be unique")
    if schema_path is not None and Path(schema_path).exists():
        _schema_check(data, path, schema_path)
    return signatures


def load_signatures(path, schema_path=SCHEMA) -> list[Signature]:
    """Read and validate a signatures YAML file."""
    try:
        with open(path) as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError:
        raise _fix(f"{path}: file not found; set config key signatures.file to an existing file")
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        at = f" at line {line + 1}" if line is not None else ""
        raise _fix(f"{path}: not valid YAML{at}; check indentation and quoting")
    return parse_signatures(data, str(path), schema_path)
