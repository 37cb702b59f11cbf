"""The committed ``schema/*.schema.json`` files are what ``python -m build_tools schema`` writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.commands import schema as schema_command
from build_tools.rules.schema import SCHEMAS, schema_text

REPO = Path(__file__).resolve().parents[1]
REGENERATE = ("schema/{} is out of date with build_tools/schema.py: regenerate it with "
              "`python -m build_tools schema` and commit it")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_up_to_date(name: str) -> None:
    committed = REPO / "schema" / name
    assert committed.is_file(), REGENERATE.format(name)
    assert committed.read_text(encoding="utf-8") == schema_text(name), REGENERATE.format(name)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_text_is_stable_json_with_a_final_newline(name: str) -> None:
    text = schema_text(name)
    assert text == schema_text(name)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert json.loads(text) == SCHEMAS[name]()


def test_schema_command_writes_the_committed_text(tmp_path: Path) -> None:
    out = tmp_path / "nested"
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    r = subprocess.run([sys.executable, "-m", "build_tools", "schema", "--output", str(out)],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                       check=False)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(SCHEMAS)
    for name in SCHEMAS:
        assert (out / name).read_text(encoding="utf-8") == schema_text(name)
    assert Path("schema") == schema_command.DEFAULT_DIR
