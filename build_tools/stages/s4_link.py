"""Stage 4, link: everything that needs more than one file.

Source keys resolve, quotes are found in their captures, verdicts are ones the evidence can
carry, certainty follows from the evidence's designs and adds up, and a claim that states an
effect names its question (:mod:`build_tools.rules.grade`); and the warnings (unused sources,
citations with no evidence entry, review dates in the future, sister claims rated apart).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from build_tools.core import vocabulary as v
from build_tools.core.problems import Problem, Severity, did_you_mean, shown
from build_tools.core.text import normalize
from build_tools.model.capture import SplitCapture
from build_tools.model.claim import Claim, ClaimFacts
from build_tools.model.source import Source
from build_tools.rules.grade import certainty_problems, pico_problems, same_evidence_warnings
from build_tools.rules.quote_hint import hint
from build_tools.rules.readability import readability_problems
from build_tools.rules.review import DEFAULT_MONTHS, overdue_problem
from build_tools.rules.wording import claim_wording_problem


def _err(claim: Claim, where: str, message: str) -> Problem:
    line, col = claim.pos(where)
    return Problem(claim.path, line, col, Severity.ERROR, f"{where}: {message}" if where
                   else message)


def _warn(claim: Claim, where: str, message: str) -> Problem:
    line, col = claim.pos(where)
    return Problem(claim.path, line, col, Severity.WARNING, f"{where}: {message}")


def _unknown(claim: Claim, where: str, key: str, sources: Mapping[str, Source],
             unread: Mapping[str, str]) -> Problem:
    if key.casefold() in unread:  # in a BibTeX file the check does not read: say which
        return _err(claim, where, f"unknown source {shown(key)}: it is in "
                                  f"{unread[key.casefold()]}, which is not read (expected a key "
                                  "defined in sources/*.bib)")
    return _err(claim, where, f"unknown source {shown(key)}" + (
        did_you_mean(key, sources) or " (expected a key defined in sources/*.bib)"))


def link_claim(claim: Claim, sources: Mapping[str, Source], captures: Mapping[str, str],
               today: dt.date, review_months: int = DEFAULT_MONTHS,
               splits: Mapping[str, SplitCapture] | None = None,
               unread: Mapping[str, str] | None = None) -> list[Problem]:
    """The cross-file problems of one claim; an overdue review (``review_months`` after
    ``reviewed``) is a reminder; with ``splits`` (each capture's passages), a quote that is not
    found is shown beside the closest passage of its capture. ``unread`` maps the
    (casefolded) keys of BibTeX files that are not read to their file, for the message about an
    unknown key."""
    unread = unread or {}
    out: list[Problem] = []
    for i, a in enumerate(claim.appearances):
        at = f"appearances[{i}]"
        if a.source and a.source not in sources:
            out.append(_unknown(claim, f"{at}.source", a.source, sources, unread))
        elif a.source in captures and a.quote and normalize(a.quote) not in captures[a.source]:
            out.append(_err(claim, f"{at}.quote",
                            f"quote not found in sources/captures/{a.source}.txt (expected the "
                            "article's words verbatim; only white space, quote marks and "
                            "dashes may differ)" + hint(a.quote, (splits or {}).get(a.source))))
        evidence_keys = {e.source for e in claim.evidence}
        for j, key in enumerate(a.cites):
            if key not in sources:
                out.append(_unknown(claim, f"{at}.cites[{j}]", key, sources, unread))
            elif key not in evidence_keys:
                out.append(_warn(claim, f"{at}.cites[{j}]",
                                 f"the article cites '{key}' but the claim has no evidence entry "
                                 f"for it (expected an evidence item with source: {key} that "
                                 "says whether it supports the claim)"))
    for i, e in enumerate(claim.evidence):
        if e.source and e.source not in sources:
            out.append(_unknown(claim, f"evidence[{i}].source", e.source, sources, unread))
        elif e.source in sources and e.stance in v.SUPPORTING_STANCES \
                and sources[e.source].retraction:
            out.append(_err(claim, f"evidence[{i}].stance",
                            f"{shown(e.source)} was retracted (notice "
                            f"{sources[e.source].retraction}) and cannot support the claim "
                            "(expected the item removed, or a stance other than supports or "
                            "partly-supports with a note that the study was retracted)"))
    out.extend(_verdict_problems(claim, sources))
    certainty = certainty_problems(claim, sources)
    out.extend(certainty)
    out.extend(pico_problems(claim))
    wording = None if certainty else claim_wording_problem(claim)  # fix the level first
    if wording:
        out.append(_warn(claim, "bottom_line", wording))
    if claim.reviewed and claim.reviewed > today:
        out.append(_warn(claim, "reviewed", f"review date {claim.reviewed} is in the future "
                                            f"(expected {today} or earlier)"))
    late = overdue_problem(claim, today, review_months)
    if late:
        out.append(late)
    return out


def readability(claims: Iterable[Claim],
                messages: Callable[[str], list[str]] = readability_problems) -> list[Problem]:
    """A warning for each bottom line that reads above the grade ceiling or uses jargon
    (:mod:`build_tools.rules.readability`). ``check`` runs it, not the site build: computing
    reading levels loads a pronouncing dictionary (about 0.7 s), a cost for the editor's
    checker, not for every preview. ``messages`` gives a text's problems (the loader passes one
    that keeps them by the text, so that an edit elsewhere in the claim loads no dictionary)."""
    return [_warn(c, "bottom_line", m) for c in claims for m in messages(c.bottom_line or "")]


def independent_support(claim: Claim, sources: Mapping[str, Source]) -> bool:
    """Some evidence that supports the claim comes from a source with no commercial interest."""
    return any(e.stance in v.SUPPORTING_STANCES and e.source in sources
               and not sources[e.source].commercial for e in claim.evidence)


def _verdict_problems(claim: Claim, sources: Mapping[str, Source]) -> list[Problem]:
    if any(e.stance not in v.STANCES or e.source not in sources for e in claim.evidence):
        return []  # an evidence item is already reported; what it says about the verdict is not
        # known until it is fixed (a misspelt stance or key would make a false second error)
    if claim.verdict in ("accurate", "mostly-accurate") and not independent_support(claim,
                                                                                    sources):
        return [_err(claim, "verdict",
                     f"verdict '{claim.verdict}' needs evidence that supports the claim from a "
                     "source without a commercial interest (expected an evidence item with "
                     "stance supports or partly-supports, or a lower verdict such as unproven)")]
    if claim.verdict == "inaccurate" and not any(e.stance == "contradicts"
                                                 for e in claim.evidence):
        return [_err(claim, "verdict",
                     "verdict 'inaccurate' needs evidence that contradicts the claim (expected "
                     "an evidence item with stance contradicts, or a verdict such as unproven)")]
    return []


def duplicate_ids(claims: Iterable[Claim]) -> list[Problem]:
    """Claim ids must be unique regardless of case (they are web addresses)."""
    first: dict[str, Claim] = {}
    out = []
    for claim in claims:
        folded = claim.id.casefold()
        if folded in first:
            other = first[folded]
            case = f" as '{other.id}'" if other.id != claim.id else ""
            out.append(Problem(claim.path, 1, 1, Severity.ERROR,
                               f"claim id '{claim.id}' is already used by {other.path}{case} "
                               "(expected a unique id, regardless of case)"))
        else:
            first[folded] = claim
    return out


def unused_sources(claims: Iterable[Claim], sources: Mapping[str, Source],
                   facts: Iterable[ClaimFacts] | None = None) -> list[Problem]:
    """A warning for each source that no claim uses; none while a claim file could not be read
    as a record (what it uses is not known, and its own error is reported). ``facts`` (the
    claims' :class:`~build_tools.model.claim.ClaimFacts`) stand for the claims when given."""
    used: set[str] = set()
    if facts is not None:
        for f in facts:
            if not f.readable:
                return []
            used.update(f.names)
    for claim in claims if facts is None else ():
        if len(claim.positions) <= 1:  # no position below the root: not read as a record
            return []
        for a in claim.appearances:
            used.add(a.source)
            used.update(a.cites)
        used.update(e.source for e in claim.evidence)
    # a book or proceedings is used through the entries that crossref it
    by_folded = {k.casefold(): k for k in sources}
    for s in sources.values():
        if s.fields.get("crossref", "").casefold() in by_folded and s.key in used:
            used.add(by_folded[s.fields["crossref"].casefold()])
    return [Problem(s.path, s.line, 1, Severity.WARNING,
                    f"{s.key}: source is not used by any claim (expected it cited as an "
                    "appearance, a citation or evidence, or removed)")
            for key, s in sorted(sources.items()) if key not in used]


__all__ = ["duplicate_ids", "link_claim", "same_evidence_warnings", "unused_sources"]
