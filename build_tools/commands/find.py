"""``find``: existing claims ranked by how much their statement and quotes resemble some words
(:mod:`build_tools.intake.similar`), to add an appearance to a claim rather than write it twice.

Exit codes: 0 something found, 1 nothing scored at least ``min_score``, 2 cannot run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from build_tools.core.problems import CannotRun
from build_tools.intake.similar import rank, read_claims

EXIT_FOUND, EXIT_NONE, EXIT_CANNOT_RUN = 0, 1, 2
MIN_SCORE = 50.0


def run(root: Path, words: list[str], limit: int = 10, min_score: float = MIN_SCORE,
        out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    query = " ".join(words)
    if not (root / "claims").is_dir():
        print(f"error: {root / 'claims'}: no such directory (expected the root of a knowledge "
              "base; see --root)", file=err)
        return EXIT_CANNOT_RUN
    skipped: list[str] = []
    try:
        matches = rank(query, read_claims(root, skipped), limit=limit, minimum=min_score)
    except CannotRun as exc:
        print(f"error: {exc}", file=err)
        return EXIT_CANNOT_RUN
    for path in skipped:
        print(f"warning: {path}: not searched (it does not read as a claim record; run "
              "`python -m build_tools check`)", file=err)
    if not matches:
        print(f"no claim scores {min_score:g} or more for {query!r}", file=err)
        return EXIT_NONE
    for m in matches:
        verdict = m.claim.verdict or "no verdict"
        print(f"{m.score:5.1f}  {m.claim.id}  [{verdict}]  {m.claim.statement}", file=out)
    return EXIT_FOUND
