"""Stage 6, cover: every passage of every captured article is claimed, set aside or
unreviewed.

A passage (:mod:`build_tools.rules.passages`) is **claimed** when an appearance of some claim,
from that article, quotes it in whole or in part; **set aside** when the article's set-aside file
(``sources/captures/<key>.yml``) quotes it with a reason; **unreviewed** otherwise. This stage
reads the set-aside files, checks them against the captures and ``sources/``, and reports what
is left to review, so that ``check --strict`` proves an article complete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping

from build_tools.core.problems import Problem, Severity, did_you_mean
from build_tools.model.capture import CAPTURED_NOTE, SplitCapture
from build_tools.model.claim import Appearance, Claim
from build_tools.model.coverage import (
    CLAIMED,
    SET_ASIDE,
    UNREVIEWED,
    ArticleCoverage,
    Reading,
    SetAside,
    SetAsideFile,
)
from build_tools.model.source import Source
from build_tools.rules.quote_hint import hint

log = logging.getLogger(__name__)

SHOWN_UNREVIEWED = 5
"""How many unreviewed passages the check's warning names by line."""

Use = tuple[Claim, int, Appearance, list[tuple[int, int]]]
"""An appearance of a claim (the claim, its index, itself) and where its quote stands in its
article's capture (:meth:`~build_tools.model.capture.SplitCapture.places`; empty when not found)."""


def _problem(path: str, at: tuple[int, int], severity: Severity, message: str) -> Problem:
    return Problem(path, at[0], at[1], severity, message)


Covered = tuple[ArticleCoverage, list[Problem]]
"""One article's coverage and the problems found in it."""

def placements(claim: Claim, splits: Mapping[str, SplitCapture]) -> list[list[tuple[int, int]]]:
    """Where each appearance's quote stands in its article's capture (empty: not found, or no
    capture)."""
    out = []
    for a in claim.appearances:
        split = splits.get(a.source)
        out.append(split.places(a.quote) if split is not None and a.quote else [])
    return out


def cover(claims: Iterable[Claim], sources: Mapping[str, Source],
          splits: Mapping[str, SplitCapture], capture_paths: Mapping[str, str],
          set_asides: Mapping[str, SetAsideFile], all_read: bool = True,
          broken: Iterable[str] = (),
          places: Callable[[Claim], list[list[tuple[int, int]]]] | None = None,
          ) -> tuple[dict[str, ArticleCoverage], list[Problem]]:
    """The coverage of every captured article, and the problems found on the way.

    ``capture_paths`` names every capture file, read or not; ``splits`` holds those that
    could be read. While some claim file could not be read as a record (``all_read`` false), or
    some appearance cannot be placed (its source is unknown, or its quote is not in the
    capture), what the claims quote is not fully known: no passage is reported unreviewed then,
    and the problem that hides it is reported instead. The same holds for an article whose
    set-aside file (named in ``broken``) or its decisions have errors.

    ``places`` gives :func:`placements` of a claim (the orchestrator keeps them with the claim's
    link results).
    """
    broken = set(broken)
    problems: list[Problem] = []
    appearances: dict[str, list[Use]] = {}
    for claim in claims:
        where = places(claim) if places else placements(claim, splits)
        for i, (a, found) in enumerate(zip(claim.appearances, where, strict=True)):
            split = splits.get(a.source)
            appearances.setdefault(a.source, []).append((claim, i, a, found))
            if a.source not in sources or (split is not None and a.quote and not found):
                all_read = False

    for key, f in sorted(set_asides.items()):
        if key not in splits:
            problems.append(Problem(f.path, 1, 1, Severity.ERROR,
                                    f"set-aside file for a capture that does not exist "
                                    f"(expected {capture_paths.get(key) or _capture(key)} "
                                    "beside it)"))

    out: dict[str, ArticleCoverage] = {}
    for key, split in sorted(splits.items()):
        if key not in sources:  # reported as a capture for an unknown source
            continue
        cov, in_article = _cover_one(key, split, capture_paths.get(key) or _capture(key),
                                     appearances.get(key, []), set_asides.get(key), sources,
                                     key in broken, all_read)
        out[key] = cov
        problems.extend(in_article)

    interrupted = {key for key, source in sources.items() if source.is_article
                   and key not in capture_paths and (source.get("note") or "").startswith(
                       CAPTURED_NOTE)}
    for key in sorted(interrupted):
        entry = sources[key]
        problems.append(Problem(entry.path, entry.line, 1, Severity.WARNING,
                                f"{key}: its capture {_capture(key)} is missing: `add article` "
                                "wrote the entry and was stopped before the capture (expected "
                                f"the capture; run `python -m build_tools add article "
                                f"{entry.get('url')} --key {key}` to complete it)"))
    for key, uses in sorted(appearances.items()):
        source = sources.get(key)
        if source is None or key in capture_paths or not source.is_article or key in interrupted:
            continue
        problems.append(Problem(source.path, source.line, 1, Severity.WARNING,
                                f"{key}: quotes not verified: {len(uses)} appearance"
                                f"{'s' if len(uses) != 1 else ''} quote this article, which has "
                                f"no capture (expected its text in {_capture(key)})"))
    return out, problems


def _cover_one(key: str, split: SplitCapture, capture_path: str, uses: list[Use],
               decisions: SetAsideFile | None, sources: Mapping[str, Source], broken: bool,
               all_read: bool) -> Covered:
    """One article's coverage, its problems, and the warning of what is left to review."""
    problems: list[Problem] = []
    cov = _cover_article(key, split, capture_path, uses, decisions, sources, problems)
    decided = not broken and not problems  # else fix those first
    if not cov.complete and all_read and decided:
        todo = cov.unreviewed
        at = list(dict.fromkeys(p.line for p in todo))
        lines = ", ".join(str(n) for n in at[:SHOWN_UNREVIEWED])
        more = ", ..." if len(at) > SHOWN_UNREVIEWED else ""
        verb = "is" if len(todo) == 1 else "are"
        problems.append(Problem(
            cov.capture_path, todo[0].line, 1, Severity.WARNING,
            f"{len(todo)} of {len(cov.passages)} passages {verb} not reviewed (line"
            f"{'s' if len(at) > 1 else ''} {lines}{more}; expected each quoted by a claim "
            f"or set aside in {_set_aside_path(cov.capture_path)}; run `python -m "
            f"build_tools coverage {key}` for the list)"))
    return cov, problems


def _capture(key: str) -> str:
    return f"sources/captures/{key}.txt"


def _set_aside_path(capture_path: str) -> str:
    return capture_path[:-4] + ".yml" if capture_path.endswith(".txt") else capture_path + ".yml"


def _cover_article(key: str, split: SplitCapture, capture_path: str,
                   uses: list[Use], decisions: SetAsideFile | None,
                   sources: Mapping[str, Source], problems: list[Problem]) -> ArticleCoverage:
    n = len(split.passages)
    status = [UNREVIEWED] * n
    claimed_by: dict[int, tuple[Claim, int]] = {}
    readings = []
    for claim, i, a, found in uses:
        for start, end in found:
            for k in split.overlapping(start, end):
                status[k] = CLAIMED
                claimed_by.setdefault(k, (claim, i))
        first = found[0][0] if found else -1
        text = split.excerpt(*found[0]) if found else a.quote
        readings.append(Reading(first, claim, i, text))
    readings.sort(key=lambda r: (r.offset < 0, r.offset, r.claim.id))

    set_at: dict[int, SetAside] = {}
    entries, path = (decisions.entries, decisions.path) if decisions else ([], "")
    for d in entries:
        where = (d.line, d.col)
        if d.reason == "reference-entry":
            if d.source is None:
                problems.append(_problem(path, d.reason_at or where, Severity.ERROR,
                                         "a reference-list entry names the BibTeX entry that "
                                         "records it (expected source: KEY, a key in "
                                         "sources/*.bib; add the entry first if it is missing)"))
            elif d.source and d.source not in sources:
                problems.append(_problem(path, d.source_at or where, Severity.ERROR,
                                         f"unknown source '{d.source}'" + (
                                             did_you_mean(d.source, sources)
                                             or " (expected the key of the BibTeX entry in "
                                                "sources/*.bib that records this reference)")))
        elif d.source is not None:
            problems.append(_problem(path, d.source_at or where, Severity.ERROR,
                                     f"source is only for a reference-list entry (expected no "
                                     f"source with reason {d.reason}, or reason: "
                                     "reference-entry)"))
        hit = split.quoted(d.quote)
        if not hit:
            problems.append(_problem(path, where, Severity.ERROR,
                                     f"quote not found in {capture_path} (expected the "
                                     "passage's words verbatim; only white space, quote marks "
                                     "and dashes may differ)" + hint(d.quote, split)))
            continue
        for k in hit:
            passage = split.passages[k]
            if k in claimed_by:
                claim, i = claimed_by[k]
                line, col = claim.pos(f"appearances[{i}].quote")
                problems.append(_problem(
                    path, where, Severity.ERROR,
                    f"the passage at line {passage.line} of the capture is also quoted by "
                    f"{claim.path}:{line}:{col} (expected each passage either claimed or set "
                    "aside, not both)"))
                continue
            if k in set_at:
                problems.append(_problem(
                    path, where, Severity.ERROR,
                    f"the passage at line {passage.line} of the capture is already set aside at "
                    f"line {set_at[k].line} (expected each passage set aside once)"))
                continue
            set_at[k] = d
            status[k] = SET_ASIDE
    return ArticleCoverage(key, capture_path, split, status, readings,
                           [set_at.get(k) for k in range(n)])
