"""``schema``: write the JSON Schema of a claim file, for editors and independent validators."""

from __future__ import annotations

from pathlib import Path

from build_tools.schema import claim_json_schema_text

DEFAULT_PATH = Path("schema/claim.schema.json")


def run(path: Path = DEFAULT_PATH) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(claim_json_schema_text(), encoding="utf-8")
    print(f"wrote {path}")
    return 0
