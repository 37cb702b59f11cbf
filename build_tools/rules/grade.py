"""GRADE, as the checker applies it: where a rating starts, what each step needs, when a claim
cannot be rated, and when two claims on the same evidence must agree.

- The rating rests on every evidence item that bears on the claim: all but those marked
  ``not-relevant``.
- It starts at the highest start among their designs (:data:`vocabulary.DESIGNS`): high for
  trials and reviews of trials, low for observational, laboratory and modelling evidence.
  Designs with no start (guidance, opinion, articles) carry no certainty of their own; a claim
  with nothing else is not rated (its certainty is left out).
- Every rated certainty is written in full, every step that is not 0 has a reason, a reason has
  a step, and only evidence that starts low is rated up.
- Two rated claims that rest on the same evidence and share an outcome have the same level, or
  a note in either names the other (and says why they differ).

The methodology page states these rules from the same tables.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from build_tools.core import vocabulary as v
from build_tools.core.problems import Problem, Severity
from build_tools.model.claim import Claim
from build_tools.model.source import Source

RULES: tuple[str, ...] = (
    "The rating rests on every evidence item that bears on the claim: all but those marked "
    "not relevant.",
    "It starts at the highest start among their designs (see the study designs below). "
    "Guidance, opinion, reference works and articles carry no certainty of their own: a claim "
    "whose evidence has nothing else is not rated, and its page says so.",
    "Every rated certainty is written in full: the level, where it starts, the steps down and "
    "up, and a short reason, shown on the claim's page, for each step that is not 0.",
    "Only evidence that starts low is rated up.",
    "The steps add up to the level, which never goes below very low or above high.",
    "Two claims that rest on the same evidence and share an outcome have the same level, or "
    "the note of one of them names the other and says why they differ; otherwise the checker "
    "warns.",
)
"""The rules below, in words, for the methodology page."""

FULL_FORM = ("level, start, downgrades and upgrades, with a reason in certainty.reasons for each "
             "step that is not 0")
MAX_LISTED = 4
"""How many sources a message names before "and N more"."""


@dataclass(frozen=True)
class Start:
    """Where GRADE starts for a claim's evidence, and the items that decide it."""

    start: str | None
    """A key of :data:`vocabulary.CERTAINTY_STARTS`; None when no item has a rateable design."""
    because: tuple[tuple[str, str], ...]
    """The (source key, design) of the items with that start, or of every item when None."""

    @property
    def verb(self) -> str:
        """``starts`` after one item, ``start`` after several."""
        return "starts" if len(self.because) == 1 else "start"

    def said(self) -> str:
        """``rct pocovi2024walkback`` or ``systematic-review vanti2019walking and 2 more``."""
        shown = [f"{design} {key}" for key, design in self.because[:MAX_LISTED]]
        more = len(self.because) - MAX_LISTED
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def body(claim: Claim) -> tuple[str, ...]:
    """The keys of the evidence the rating rests on: every item not marked not-relevant, once
    each, in the claim's order."""
    return tuple(dict.fromkeys(e.source for e in claim.evidence if e.stance != "not-relevant"))


def derive_start(claim: Claim, sources: Mapping[str, Source]) -> Start:
    """The start the designs of the claim's evidence give."""
    items = [(k, sources[k].design) for k in body(claim) if k in sources]
    starts = {k: v.DESIGNS[d].start if d in v.DESIGNS else None for k, d in items}
    for start in sorted(v.CERTAINTY_STARTS, key=lambda s: -v.CERTAINTY_STARTS[s].rating):
        deciding = tuple((k, d) for k, d in items if starts[k] == start)
        if deciding:
            return Start(start, deciding)
    return Start(None, tuple(items))


def certainty_from_grade(start: str, downgrades: Iterable[int], upgrades: Iterable[int]) -> str:
    """The GRADE level reached from ``start`` after the steps; never below very-low or above
    high."""
    rank = v.CERTAINTY_STARTS[start].rating + sum(downgrades) + sum(upgrades)
    rank = max(1, min(4, rank))
    return next(t.value for t in v.CERTAINTY_LEVELS.values() if t.rating == rank)


def _problem(claim: Claim, where: str, message: str,
             severity: Severity = Severity.ERROR) -> Problem:
    line, col = claim.pos(where)
    return Problem(claim.path, line, col, severity, f"{where}: {message}" if where else message)


def _unrated(start: Start) -> str:
    if not start.because:
        why = "no evidence item bears on the claim"
    elif len(start.because) == 1:
        why = f"{start.said()} carries no certainty of its own"
    else:
        why = f"{start.said()} carry no certainty of their own"
    return (f"rests on no evidence GRADE can rate: {why} "
            "(expected certainty left out, so that the claim shows 'not rated', or {level: "
            "not-applicable, reason: ...} if it states no effect, or an evidence item from a "
            "trial, a review or an observational study)")


def certainty_problems(claim: Claim, sources: Mapping[str, Source]) -> list[Problem]:
    """What is wrong with a claim's certainty, given the designs of its evidence (nothing while
    an evidence item names an unknown source: that is reported, and the start is not known)."""
    if any(e.source not in sources for e in claim.evidence) or any(
            sources[k].fields.get("design") not in v.DESIGNS for k in body(claim)):
        return []  # reported at the item or the entry; the start is not known until fixed
    c = claim.certainty
    start = derive_start(claim, sources)
    if c is None:
        if start.start is not None and "certainty" not in claim.positions:
            return [_problem(claim, "", f"missing field 'certainty': the claim rests on "
                                        f"evidence GRADE can rate ({start.said()}, which "
                                        f"{start.verb} {start.start}) (expected certainty in "
                                        f"full: "
                                        f"{FULL_FORM})")]
        return []
    if not c.applicable or c.level not in v.CERTAINTY_LEVELS:
        return []
    if start.start is None:
        return [_problem(claim, "certainty", f"'{c.level}' " + _unrated(start))]
    if not c.detailed:
        if "certainty.start" in claim.positions:
            return []  # a full form whose parts were reported: they are fixed first
        return [_problem(claim, "certainty",
                         f"'{c.level}' written alone cannot be checked (expected it in full: "
                         f"{FULL_FORM}; the evidence starts {start.start}: {start.said()})")]
    out = []
    if c.start != start.start:
        out.append(_problem(claim, "certainty.start",
                            f"start '{c.start}' does not follow from the evidence: "
                            f"{start.said()} {start.verb} {start.start} (expected start: "
                            f"{start.start}, and steps down for what makes that evidence "
                            "weaker; an item that does not bear on the claim is marked "
                            "not-relevant)"))
    if c.start == "high":
        out += [_problem(claim, f"certainty.upgrades.{d}",
                         f"{n:+d} on evidence that starts high (expected 0: GRADE rates up only "
                         "evidence that starts low)")
                for d, n in c.upgrades.items() if n]
    for kind, scores in (("down", c.downgrades), ("up", c.upgrades)):
        for d, n in scores.items():
            if n and d not in c.reasons:
                out.append(_problem(claim, f"certainty.{kind}grades.{d}",
                                    f"{n:+d} with no reason (expected certainty.reasons.{d}: "
                                    "one short sentence saying why)"))
    for d in c.reasons:
        if not c.downgrades.get(d) and not c.upgrades.get(d):
            rated = "up" if d in v.UPGRADE_DOMAINS else "down"
            out.append(_problem(claim, f"certainty.reasons.{d}",
                                f"a reason for {d}, which is not rated {rated} (expected the "
                                f"reason removed, or a step for {d})"))
    if c.start is not None and c.start in v.CERTAINTY_STARTS:
        reached = certainty_from_grade(c.start, c.downgrades.values(), c.upgrades.values())
        if reached != c.level:
            steps = sum(c.downgrades.values()) + sum(c.upgrades.values())
            out.append(_problem(claim, "certainty.level",
                                f"level '{c.level}' does not add up: start {c.start} with "
                                f"{steps:+d} steps gives '{reached}' (expected level: "
                                f"{reached}, or other steps)"))
    return out


def states_an_effect(claim: Claim) -> bool:
    """Every claim but one whose certainty is not applicable (it states no effect)."""
    return claim.certainty is None or claim.certainty.applicable


def pico_problems(claim: Claim) -> list[Problem]:
    """A claim that states an effect names its population, intervention and outcome."""
    if not states_an_effect(claim) or len(claim.positions) <= 1:
        return []  # states no effect, or was not read as a record (its error is reported)
    out = []
    for name in ("population", "intervention", "outcome"):
        if getattr(claim, name) or f"{name}[0]" in claim.positions:
            continue  # named, or named with terms that were reported
        example = next(iter(v.PICO[name]))
        where = name if name in claim.positions else ""
        what = "is empty" if where else f"missing field '{name}'"
        out.append(_problem(claim, where, f"{what}: the claim states an effect, so it names "
                                          f"its {name} (expected a list of {name} terms from "
                                          f"the methodology page, such as [{example}]; or "
                                          "certainty {level: not-applicable, reason: ...} if "
                                          "it states no effect)"))
    return out


def _names(note: str | None, claim_id: str) -> bool:
    return bool(note) and re.search(rf"(?<![\w-]){re.escape(claim_id)}(?![\w-])",
                                    note or "") is not None


@dataclass(frozen=True)
class Rating:
    """What the rule on claims that rest on the same evidence reads of a rated claim: kept
    with the claim's facts in the cache, so that the rule runs over every claim without
    reading their records (``check`` after a one-claim edit)."""

    id: str
    path: str
    level: str
    body: tuple[str, ...]
    outcome: tuple[str, ...]
    note: str | None
    at: tuple[int, int]
    """Where its certainty is (line, column), for the message."""


def rating(claim: Claim) -> Rating | None:
    """A rated claim's :class:`Rating`; None for one not rated or resting on no evidence."""
    cert = claim.certainty
    if cert is None or cert.level not in v.CERTAINTY_LEVELS or not body(claim):
        return None
    return Rating(claim.id, claim.path, cert.level, body(claim), tuple(claim.outcome),
                  claim.note, claim.pos("certainty"))


def same_evidence_warnings(claims: Iterable[Claim]) -> list[Problem]:
    """A warning for each pair of rated claims that rest on the same evidence, share an outcome
    and differ in level, unless either's note names the other (:func:`sister_warnings`)."""
    return sister_warnings(r for r in map(rating, claims) if r is not None)


def sister_warnings(ratings: Iterable[Rating]) -> list[Problem]:
    """The warnings of :func:`same_evidence_warnings` from the claims' ratings: reported once
    per pair, at the certainty of the claim whose id comes later."""
    groups: dict[frozenset[str], list[Rating]] = {}
    for r in sorted(ratings, key=lambda r: r.id):
        groups.setdefault(frozenset(r.body), []).append(r)
    out = []
    for keys, members in sorted(groups.items(), key=lambda g: sorted(g[0])):
        for a, b in itertools.combinations(members, 2):
            shared = [o for o in a.outcome if o in b.outcome]
            if not shared or a.level == b.level or _names(a.note, b.id) or _names(b.note, a.id):
                continue
            listed = sorted(keys)
            sources = ", ".join(listed[:MAX_LISTED]) + (
                f" and {len(listed) - MAX_LISTED} more" if len(listed) > MAX_LISTED else "")
            out.append(Problem(b.path, b.at[0], b.at[1], Severity.WARNING,
                               f"certainty: '{b.level}' differs from '{a.level}' of {a.path} "
                               f"(line {a.at[0]}), which rests on the same evidence "
                               f"({sources}) for the same outcome ({', '.join(shared)}) "
                               f"(expected the same level, or a note in either claim that "
                               "names the other and says why they differ)"))
    return out
