"""``topics``: the topic words the claims use, most used first, with how many claims use each;
and ``schema/topics.schema.json`` rewritten from them, so that an editor with the YAML language
server is offered those words while typing a claim's ``topics``."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from build_tools.core.problems import CannotRun
from build_tools.knowledge_base import load
from build_tools.rules.schema import TOPICS_SCHEMA, topics_json_schema

EXIT_OK, EXIT_CANNOT_RUN = 0, 2


def counts(root: Path) -> dict[str, int]:
    """Each topic word in use, with the number of claims that use it."""
    return dict(Counter(t for c in load(root).claims for t in dict.fromkeys(c.topics)))


def topics_text(used: dict[str, int]) -> str:
    return json.dumps(topics_json_schema(used), indent=2, ensure_ascii=False) + "\n"


def run(root: Path = Path("."), out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        used = counts(root)
    except CannotRun as exc:
        print(f"error: {exc}", file=err)
        return EXIT_CANNOT_RUN
    for topic in sorted(used, key=lambda t: (-used[t], t)):
        print(f"{used[topic]:5d}  {topic}", file=out)
    path = root / "schema" / TOPICS_SCHEMA
    text = topics_text(used)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.as_posix()} (the words offered while typing topics)", file=err)
    return EXIT_OK
