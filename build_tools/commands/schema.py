"""``schema``: write the JSON Schemas of claim and set-aside files, for editors and validators."""

from __future__ import annotations

from pathlib import Path

from build_tools.rules.schema import SCHEMAS, schema_text

DEFAULT_DIR = Path("schema")


def run(directory: Path = DEFAULT_DIR) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        path = directory / name
        path.write_text(schema_text(name), encoding="utf-8")
        print(f"wrote {path}")
    return 0
