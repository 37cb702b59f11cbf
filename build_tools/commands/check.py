"""``check``: load and check the knowledge base, print every problem, return the exit code."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from build_tools.config.mkdocs_yml import read_policy
from build_tools.core.cache import Cache, on_stderr
from build_tools.core.problems import CannotRun
from build_tools.knowledge_base import load
from build_tools.model.knowledge_base import KnowledgeBase
from build_tools.rules import readability as reading

log = logging.getLogger(__name__)

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


def run(root: Path | str = ".", strict: bool = False, out: TextIO | None = None,
        github: bool | None = None, no_cache: bool = False) -> int:
    """Check ``root``; print problems as ``path:line:col: severity: message``.

    With ``strict``, warnings are errors (except reminders of overdue reviews). The review
    period comes from ``<root>/mkdocs.yml``
    (:func:`build_tools.config.mkdocs_yml.read_policy`). With ``github`` (default: when
    ``GITHUB_ACTIONS`` is ``true``), each problem is also printed as a workflow command that
    annotates the line. What the last run worked out is kept in ``<root>/.kb-cache/build/``
    and used again where its inputs did not change; ``no_cache`` neither reads nor writes it.
    """
    out = out or sys.stdout
    if github is None:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
    try:
        months, policy_problems = read_policy(root)
        kb = load(root, review_months=months, cache=Cache.at(root, not no_cache, note=on_stderr),
                  readability=True)
    except CannotRun as exc:
        print(f"error: {exc}", file=out)
        return EXIT_CANNOT_RUN
    kb.report.extend(policy_problems)
    if not reading.available():
        print(f"note: {reading.MISSING}", file=sys.stderr)
    return report(kb, strict, out, github)


def report(kb: KnowledgeBase, strict: bool, out: TextIO, github: bool) -> int:
    """Print every problem of ``kb`` and the summary line; the exit code of ``check``."""
    problems = kb.report.sorted()
    for p in problems:
        if strict and p.severity.value == "warning" and not p.reminder:
            p = type(p)(p.path, p.line, p.col, type(p.severity)("error"), p.message)
        print(p.format(), file=out)
        if github:
            print(p.format_github(), file=out)
    escalated = len(kb.report.escalated) if strict else 0
    errors = len(kb.report.errors) + escalated
    warnings = len(kb.report.warnings) - escalated
    flagged = sum(1 for c in kb.claims if c.flags)
    summary = (f"{len(kb.claims)} claims, {len(kb.sources)} sources, {flagged} flagged: "
               f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    print(summary, file=out if problems else sys.stderr)
    return EXIT_PROBLEMS if kb.report.failed(strict) else EXIT_CLEAN
