"""``find``: existing claims ranked by the weight of the words their statement and quotes share
with some words (BM25, :mod:`build_tools.intake.similar`), each with the words it matched, to
add an appearance to a claim rather than write it twice.

Exit codes: 0 something found, 1 no claim shares a content word, 2 cannot run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from build_tools.core.problems import CannotRun
from build_tools.intake.similar import rank, read_claims

EXIT_FOUND, EXIT_NONE, EXIT_CANNOT_RUN = 0, 1, 2


def run(root: Path, words: list[str], limit: int = 10, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    query = " ".join(words)
    if not (root / "claims").is_dir():
        print(f"error: {root / 'claims'}: no such directory (expected the root of a knowledge "
              "base; see --root)", file=err)
        return EXIT_CANNOT_RUN
    skipped: list[str] = []
    try:
        matches = rank(query, read_claims(root, skipped), limit=limit)
    except CannotRun as exc:
        print(f"error: {exc}", file=err)
        return EXIT_CANNOT_RUN
    for path in skipped:
        print(f"warning: {path}: not searched (it does not read as a claim record; run "
              "`python -m build_tools check`)", file=err)
    if not matches:
        print(f"no claim shares a word with {query!r} (stop words such as 'the' and 'for' "
              "do not count; try other words)", file=err)
        return EXIT_NONE
    for m in matches:
        verdict = m.claim.verdict or "no verdict"
        print(f"{m.score:5.1f}  {m.claim.id}  [{verdict}]  {m.claim.statement}", file=out)
        print(f"       matched: {', '.join(m.matched)}", file=out)
    return EXIT_FOUND
