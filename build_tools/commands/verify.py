"""``verify``: every source with a DOI or PMID against its Crossref or PubMed record; what is
new (retractions, expressions of concern, corrections) written into the entries.

Exit codes: 0 every entry matches its record (news, if any, was written), 1 some entry does not
(each printed as ``path:line:col: error: ...``, and as a GitHub annotation under GitHub
Actions), 2 cannot run (no network: nothing written).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TextIO

from build_tools.core.problems import CannotRun, IntakeError
from build_tools.identifiers import HANDLERS
from build_tools.intake.verifier import verify
from build_tools.knowledge_base import load

EXIT_OK, EXIT_MISMATCH, EXIT_CANNOT_RUN = 0, 1, 2


def run(root: Path | str = ".", keys: list[str] | None = None, out: TextIO | None = None,
        err: TextIO | None = None, github: bool | None = None,
        today: dt.date | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    if github is None:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
    try:
        kb = load(root)
        outcome = verify(kb, keys or [], today)
    except IntakeError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_MISMATCH
    except CannotRun as exc:
        print(f"error: {exc}; nothing was written", file=err)
        return EXIT_CANNOT_RUN
    for p in sorted(outcome.problems):
        print(p.format(), file=out)
        if github:
            print(p.format_github(), file=out)
    for change in outcome.changes:
        s = change.source
        what = "; ".join(change.news) if change.news else "matches its record"
        print(f"{s.path}:{s.line}: {s.key}: {what} (wrote "
              f"{', '.join(f'{k} = {{{v}}}' for k, v in change.fields.items())})", file=out)
        for path in outcome.relying.get(s.key, []):
            print(f"  {path} rests on it as support: `check` will report it until the claim "
                  "is revised", file=out)
    n = len(outcome.problems)
    news = sum(len(c.news) for c in outcome.changes)
    looked_up = ", ".join(f"{outcome.looked_up.get(h.field, 0)} {h.label}s at {h.database}"
                          for h in HANDLERS.values())
    print(f"verified {outcome.checked} sources ({looked_up}): {n} mismatch{'es' * (n != 1)}, "
          f"{news} new "
          f"notice{'s' * (news != 1)}, {len(outcome.changes)} entr"
          f"{'ies' if len(outcome.changes) != 1 else 'y'} updated",
          file=out if (n or outcome.changes) else err)
    return EXIT_MISMATCH if n else EXIT_OK
