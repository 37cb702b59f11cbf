"""``coverage``: for each captured article, how many passages are claimed, set aside and still
unreviewed, and where each unreviewed passage is, the likeliest claims first, each with what
suggests one (:mod:`build_tools.intake.passage_hints`); with ``--scaffold``, every unreviewed
passage appended to the article's set-aside file with ``reason: TODO``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from build_tools.core import vocabulary as v
from build_tools.core.cache import Cache, on_stderr
from build_tools.core.problems import CannotRun, IntakeError, did_you_mean
from build_tools.intake import set_aside_scaffold
from build_tools.intake.files import write_all
from build_tools.intake.passage_hints import hint, strength
from build_tools.intake.set_aside_scaffold import pending
from build_tools.knowledge_base import load
from build_tools.model.coverage import CLAIMED, SET_ASIDE, UNREVIEWED, ArticleCoverage
from build_tools.model.knowledge_base import CAPTURES_DIR

EXIT_COMPLETE, EXIT_UNREVIEWED, EXIT_CANNOT_RUN = 0, 1, 2


def summary(cov: ArticleCoverage) -> str:
    """``112 passages: 63 claimed, 49 set aside (20 headings, ...), 0 unreviewed``."""
    reasons = ", ".join(f"{n} {v.SET_ASIDE_REASONS[r].label.lower()}"
                        for r, n in cov.by_reason.items())
    aside = f"{cov.count(SET_ASIDE)} set aside" + (f" ({reasons})" if reasons else "")
    return (f"{len(cov.passages)} passages: {cov.count(CLAIMED)} claimed, {aside}, "
            f"{cov.count(UNREVIEWED)} unreviewed")


def run(root: Path | str = ".", keys: list[str] | None = None, as_json: bool = False,
        scaffold: bool = False, out: TextIO | None = None, err: TextIO | None = None,
        no_cache: bool = False) -> int:
    """Print the coverage of the articles ``keys`` (default: every captured article).

    Exit 0 when every passage shown is reviewed, 1 when some are not, 2 when it cannot run.
    """
    out, err = out or sys.stdout, err or sys.stderr
    try:
        kb = load(root, cache=Cache.at(root, not no_cache, note=on_stderr))
    except CannotRun as exc:
        print(f"error: {exc}", file=err)
        return EXIT_CANNOT_RUN
    chosen = list(kb.coverage) if not keys else list(dict.fromkeys(keys))
    for key in chosen:
        if key not in kb.coverage:
            expected = did_you_mean(key, kb.coverage) or (
                f" (expected one of: {', '.join(kb.coverage)})" if kb.coverage
                else " (expected a key with a capture in sources/captures/)")
            print(f"error: no captured article '{key}'{expected}", file=err)
            return EXIT_CANNOT_RUN
    articles = [kb.coverage[k] for k in chosen]
    if scaffold:
        if not keys:
            print("error: --scaffold needs the article's key (expected coverage KEY "
                  "--scaffold)", file=err)
            return EXIT_CANNOT_RUN
        return _scaffold(Path(root), articles, out, err)
    if as_json:
        json.dump({"articles": [c.as_json() for c in articles]}, out, ensure_ascii=False,
                  indent=2)
        out.write("\n")
    else:
        for cov in articles:
            print(f"{cov.key}: {summary(cov)}", file=out)
            for p in sorted(cov.unreviewed, key=lambda p: (-strength(p.text), p.line)):
                why = hint(p.text)
                print(f"  {cov.capture_path}:{p.line}: {p.text}"
                      + (f"  [may hold a claim: {why}]" if why else ""), file=out)
    errors = len(kb.report.errors)
    if errors:
        print(f"note: the knowledge base has {errors} error{'s' * (errors != 1)}; run "
              "`python -m build_tools check` to see them", file=err)
    return EXIT_COMPLETE if all(c.complete for c in articles) else EXIT_UNREVIEWED


def _scaffold(root: Path, articles: list[ArticleCoverage], out: TextIO, err: TextIO) -> int:
    texts: dict[Path, str] = {}
    said = []
    for cov in articles:
        path = root / CAPTURES_DIR / f"{cov.key}.yml"
        shown = f"{CAPTURES_DIR}/{cov.key}.yml"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        todo = pending(old, cov.unreviewed)
        if not todo:
            said.append(f"{cov.key}: no unreviewed passage to scaffold")
            continue
        try:
            texts[path] = set_aside_scaffold.scaffold(old, todo, shown)
        except IntakeError as exc:
            print(f"error: {exc}; nothing was written", file=err)
            return EXIT_CANNOT_RUN
        said.append(f"{'appended' if old else 'wrote'} {len(todo)} passage"
                    f"{'s' * (len(todo) != 1)} to {shown} with reason: TODO; delete each item "
                    "that makes a claim (and quote it in a claim), choose a reason for the "
                    "others; `python -m build_tools check` lists the TODOs left")
    write_all(texts)
    for line in said:
        print(line, file=out)
    return EXIT_UNREVIEWED if texts else EXIT_COMPLETE
