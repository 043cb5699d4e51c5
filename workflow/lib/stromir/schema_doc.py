"""Render the config schema as a Markdown table (config/README.md embeds it; a test keeps it in sync)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def config_keys(schema: dict, prefix: str = "") -> list[tuple[str, object, str]]:
    """(dotted key, default, description) for every property, depth first, in schema order."""
    rows = []
    for name, spec in schema.get("properties", {}).items():
        key = f"{prefix}{name}"
        rows.append((key, spec.get("default", "(required)"), spec.get("description", "")))
        if spec.get("type") == "object":
            rows.extend(config_keys(spec, key + "."))
        if spec.get("type") == "array" and isinstance(spec.get("items"), dict):
            rows.extend(config_keys(spec["items"], key + "[]."))
    return rows


def markdown_table(schema_path: str | Path) -> str:
    schema = yaml.safe_load(Path(schema_path).read_text())
    lines = ["| key | default | meaning |", "|---|---|---|"]
    for key, default, description in config_keys(schema):
        shown = json.dumps(default) if default != "(required)" else default
        lines.append(f"| `{key}` | `{shown}` | {description} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table(Path(__file__).parents[2] / "schemas" / "config.schema.yaml"))
