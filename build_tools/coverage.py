"""Stage 3b, coverage: every passage of every captured article is claimed, set aside or
unreviewed.

A passage (:mod:`build_tools.passages`) is **claimed** when an appearance of some claim, from
that article, quotes it in whole or in part; **set aside** when the article's set-aside file
(``sources/captures/<key>.yml``) quotes it with a reason; **unreviewed** otherwise. This stage
reads the set-aside files, checks them against the captures and ``sources/``, and reports what
is left to review, so that ``check --strict`` proves an article complete.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from build_tools import schema as s
from build_tools import vocabulary as v
from build_tools.loading import load_yaml
from build_tools.model import Appearance, Claim, Source
from build_tools.passages import Passage, SplitCapture
from build_tools.problems import Problem, Severity, did_you_mean
from build_tools.quote_hint import hint
from build_tools.validate import INVALID, NodeValidator

log = logging.getLogger(__name__)

CLAIMED, SET_ASIDE, UNREVIEWED = "claimed", "set-aside", "unreviewed"
SHOWN_UNREVIEWED = 5
"""How many unreviewed passages the check's warning names by line."""


@dataclass
class SetAside:
    """One set-aside decision: a quote that identifies passages, and why they hold no claim."""

    quote: str
    reason: str
    line: int
    col: int
    source: str | None = None
    note: str | None = None
    source_at: tuple[int, int] | None = None
    reason_at: tuple[int, int] | None = None


@dataclass
class SetAsideFile:
    """``sources/captures/<key>.yml``: the passages of one article set aside."""

    key: str
    path: str
    entries: list[SetAside] = field(default_factory=list)
    note: str | None = None


def read_set_aside(path: Path, shown: str) -> tuple[SetAsideFile, list[Problem]]:
    """One set-aside file's decisions and problems (a decision with a problem is left out)."""
    doc = load_yaml(path, shown, expected="the passages set aside (set_aside: [...])")
    out = SetAsideFile(key=path.stem, path=shown)
    if doc.root is None:
        return out, doc.problems
    validator = NodeValidator(shown)
    data = validator.check(s.SET_ASIDE_FILE, doc.root, "")
    if not isinstance(data, dict):
        return out, validator.problems
    pos = validator.positions
    entries = data.get("set_aside")
    for i, item in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("quote"), str) \
                or not isinstance(item.get("reason"), str):
            continue
        at = f"set_aside[{i}]"
        line, col = pos.get(f"{at}.quote", pos.get(at, (1, 1)))
        source = item.get("source")
        if source is INVALID:  # reported; do not report it again as a missing key
            source = ""
        out.entries.append(SetAside(
            quote=item["quote"], reason=item["reason"], line=line, col=col,
            source=source if isinstance(source, str) else None,
            note=item.get("note") if isinstance(item.get("note"), str) else None,
            source_at=pos.get(f"{at}.source"), reason_at=pos.get(f"{at}.reason")))
    if isinstance(data.get("note"), str):
        out.note = data["note"]
    return out, validator.problems


@dataclass
class Reading:
    """An appearance of a claim in an article, at its place in the article."""

    offset: int
    """Where its quote first occurs in the normalised capture (-1: not found)."""
    claim: Claim
    appearance: Appearance
    text: str
    """The quote as it stands in the capture (its typography), or as the claim gives it."""


@dataclass
class ArticleCoverage:
    """What is known of each passage of one captured article."""

    key: str
    capture_path: str
    split: SplitCapture
    status: list[str]
    readings: list[Reading] = field(default_factory=list)
    """The article's appearances in reading order (see :class:`Reading`)."""
    decisions: list[SetAside | None] = field(default_factory=list)
    """The set-aside decision of each passage (None when it is not set aside)."""

    @property
    def passages(self) -> list[Passage]:
        return self.split.passages

    def count(self, status: str) -> int:
        return sum(1 for st in self.status if st == status)

    @property
    def by_reason(self) -> dict[str, int]:
        """How many passages were set aside for each reason, in vocabulary order."""
        counts = Counter(d.reason for d in self.decisions if d)
        return {reason: counts[reason] for reason in v.SET_ASIDE_REASONS if counts[reason]}

    @property
    def unreviewed(self) -> list[Passage]:
        return [p for p, st in zip(self.passages, self.status, strict=True) if st == UNREVIEWED]

    @property
    def complete(self) -> bool:
        return UNREVIEWED not in self.status

    def as_json(self) -> dict[str, object]:
        """The ``coverage --json`` record of this article."""
        return {
            "key": self.key,
            "passages": len(self.passages),
            "claimed": self.count(CLAIMED),
            "set_aside": self.count(SET_ASIDE),
            "unreviewed": self.count(UNREVIEWED),
            "unreviewed_passages": [{"line": p.line, "text": p.text} for p in self.unreviewed],
        }


Use = tuple[Claim, int, Appearance, list[tuple[int, int]]]
"""An appearance of a claim (the claim, its index, itself) and where its quote stands in its
article's capture (:meth:`~build_tools.passages.SplitCapture.places`; empty when not found)."""


def _problem(path: str, at: tuple[int, int], severity: Severity, message: str) -> Problem:
    return Problem(path, at[0], at[1], severity, message)


def cover(claims: Iterable[Claim], sources: Mapping[str, Source],
          splits: Mapping[str, SplitCapture], capture_paths: Mapping[str, str],
          set_asides: Mapping[str, SetAsideFile], all_read: bool = True,
          broken: Iterable[str] = ()) -> tuple[dict[str, ArticleCoverage], list[Problem]]:
    """The coverage of every captured article, and the problems found on the way.

    ``capture_paths`` names every capture file, read or not; ``splits`` holds those that
    could be read. While some claim file could not be read as a record (``all_read`` false), or
    some appearance cannot be placed (its source is unknown, or its quote is not in the
    capture), what the claims quote is not fully known: no passage is reported unreviewed then,
    and the problem that hides it is reported instead. The same holds for an article whose
    set-aside file (named in ``broken``) or its decisions have errors.
    """
    broken = set(broken)
    problems: list[Problem] = []
    appearances: dict[str, list[Use]] = {}
    for claim in claims:
        for i, a in enumerate(claim.appearances):
            split = splits.get(a.source)
            found = split.places(a.quote) if split is not None and a.quote else []
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
        before = len(problems)
        cov = _cover_article(key, split, capture_paths.get(key) or _capture(key),
                             appearances.get(key, []), set_asides.get(key), sources, problems)
        out[key] = cov
        decided = key not in broken and len(problems) == before  # else fix those first
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

    for key, uses in sorted(appearances.items()):
        source = sources.get(key)
        if source is None or key in capture_paths or not source.is_article:
            continue
        problems.append(Problem(source.path, source.line, 1, Severity.WARNING,
                                f"{key}: quotes not verified: {len(uses)} appearance"
                                f"{'s' if len(uses) != 1 else ''} quote this article, which has "
                                f"no capture (expected its text in {_capture(key)})"))
    return out, problems


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
        readings.append(Reading(first, claim, a, text))
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
