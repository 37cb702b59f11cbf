"""The committed ``schema/claim.schema.json`` is what ``python -m build_tools schema`` writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from build_tools.commands import schema as schema_command
from build_tools.schema import claim_json_schema, claim_json_schema_text

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "schema" / "claim.schema.json"
REGENERATE = ("schema/claim.schema.json is out of date with build_tools/schema.py: regenerate "
              "it with `python -m build_tools schema` and commit it")


def test_committed_schema_is_up_to_date() -> None:
    assert COMMITTED.is_file(), REGENERATE
    assert COMMITTED.read_text(encoding="utf-8") == claim_json_schema_text(), REGENERATE


def test_schema_text_is_stable_json_with_a_final_newline() -> None:
    text = claim_json_schema_text()
    assert text == claim_json_schema_text()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert json.loads(text) == claim_json_schema()


def test_schema_command_writes_the_committed_text(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "claim.schema.json"
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    r = subprocess.run([sys.executable, "-m", "build_tools", "schema", "--output", str(out)],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                       check=False)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == claim_json_schema_text()
    assert Path("schema/claim.schema.json") == schema_command.DEFAULT_PATH
