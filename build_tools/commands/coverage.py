"""``coverage``: for each captured article, how many passages are claimed, set aside and still
unreviewed, and where each unreviewed passage is."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from build_tools.core import vocabulary as v
from build_tools.core.problems import CannotRun, did_you_mean
from build_tools.knowledge_base import load
from build_tools.model.coverage import CLAIMED, SET_ASIDE, UNREVIEWED, ArticleCoverage

EXIT_COMPLETE, EXIT_UNREVIEWED, EXIT_CANNOT_RUN = 0, 1, 2


def summary(cov: ArticleCoverage) -> str:
    """``112 passages: 63 claimed, 49 set aside (20 headings, ...), 0 unreviewed``."""
    reasons = ", ".join(f"{n} {v.SET_ASIDE_REASONS[r].label.lower()}"
                        for r, n in cov.by_reason.items())
    aside = f"{cov.count(SET_ASIDE)} set aside" + (f" ({reasons})" if reasons else "")
    return (f"{len(cov.passages)} passages: {cov.count(CLAIMED)} claimed, {aside}, "
            f"{cov.count(UNREVIEWED)} unreviewed")


def run(root: Path | str = ".", keys: list[str] | None = None, as_json: bool = False,
        out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the coverage of the articles ``keys`` (default: every captured article).

    Exit 0 when every passage shown is reviewed, 1 when some are not, 2 when it cannot run.
    """
    out, err = out or sys.stdout, err or sys.stderr
    try:
        kb = load(root)
    except CannotRun as exc:
        print(f"error: {exc}", file=err)
        return EXIT_CANNOT_RUN
    chosen = list(kb.coverage) if not keys else list(dict.fromkeys(keys))
    for key in chosen:
        if key not in kb.coverage:
            hint = did_you_mean(key, kb.coverage) or (
                f" (expected one of: {', '.join(kb.coverage)})" if kb.coverage
                else " (expected a key with a capture in sources/captures/)")
            print(f"error: no captured article '{key}'{hint}", file=err)
            return EXIT_CANNOT_RUN
    articles = [kb.coverage[k] for k in chosen]
    if as_json:
        json.dump({"articles": [c.as_json() for c in articles]}, out, ensure_ascii=False,
                  indent=2)
        out.write("\n")
    else:
        for cov in articles:
            print(f"{cov.key}: {summary(cov)}", file=out)
            for p in cov.unreviewed:
                print(f"  {cov.capture_path}:{p.line}: {p.text}", file=out)
    errors = len(kb.report.errors)
    if errors:
        print(f"note: the knowledge base has {errors} error{'s' * (errors != 1)}; run "
              "`python -m build_tools check` to see them", file=err)
    return EXIT_COMPLETE if all(c.complete for c in articles) else EXIT_UNREVIEWED
