"""The claim record: where a claim was said, what the article cited, what the evidence shows."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from build_tools.core import vocabulary as v

Position = tuple[int, int]
_PARENT = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


@dataclass
class Certainty:
    """A GRADE certainty; ``start``/``downgrades``/``upgrades`` only when written in full.

    ``level`` is ``not-applicable`` (with a ``reason``) for a claim that states no effect.
    """

    level: str
    start: str | None = None
    downgrades: dict[str, int] = field(default_factory=dict)
    upgrades: dict[str, int] = field(default_factory=dict)
    reason: str | None = None
    """Why certainty does not apply: a key of :data:`vocabulary.NOT_APPLICABLE_REASONS`."""
    reasons: dict[str, str] = field(default_factory=dict)
    """Why each domain was rated down or up, by domain (``risk_of_bias``)."""

    @property
    def detailed(self) -> bool:
        return self.start is not None

    @property
    def applicable(self) -> bool:
        return self.level != v.NOT_APPLICABLE.value

    @property
    def term(self) -> v.Term:
        return v.CERTAINTY_LEVELS.get(self.level, v.NOT_APPLICABLE)

    @property
    def reason_term(self) -> v.Term | None:
        return v.NOT_APPLICABLE_REASONS.get(self.reason or "")

    @property
    def steps(self) -> list[tuple[str, int, str | None]]:
        """The non-zero steps, down then up, in vocabulary order: (domain, steps, reason)."""
        out = [(d, n, self.reasons.get(d)) for d, n in self.downgrades.items() if n]
        out += [(d, n, self.reasons.get(d)) for d, n in self.upgrades.items() if n]
        order = [*v.DOWNGRADE_DOMAINS, *v.UPGRADE_DOMAINS]
        return sorted(out, key=lambda s: order.index(s[0]) if s[0] in order else len(order))


@dataclass
class Appearance:
    """Where a claim was said: an article, its verbatim words, and what it cited."""

    source: str
    quote: str
    cites: list[str] = field(default_factory=list)
    promotional: bool = False
    note: str | None = None


@dataclass
class Evidence:
    """What one source shows about a claim."""

    source: str
    stance: str
    finding: str
    note: str | None = None


@dataclass
class Claim:
    """One claim record, from ``claims/<id>.yml``."""

    id: str
    path: str
    statement: str = ""
    bottom_line: str = ""
    topics: list[str] = field(default_factory=list)
    population: list[str] = field(default_factory=list)
    intervention: list[str] = field(default_factory=list)
    """Interventions or exposures (:data:`vocabulary.INTERVENTIONS`)."""
    comparator: list[str] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    verdict: str | None = None
    certainty: Certainty | None = None
    rationale: str = ""
    reviewed: dt.date | None = None
    note: str | None = None
    positions: dict[str, Position] = field(default_factory=dict, repr=False)
    """Line and column of every value, by path (``evidence[1].source``), for messages."""
    flags: list[str] = field(default_factory=list)
    """Computed by :mod:`build_tools.stages.s5_flag`; never read from the file."""

    def pos(self, where: str) -> Position:
        """The position of ``where``, or of its nearest enclosing value that has one."""
        while where not in self.positions:
            parent = _PARENT.sub("", where)
            if parent == where:
                return self.positions.get("", (1, 1))
            where = parent
        return self.positions[where]

    def pico(self, name: str) -> list[v.Term]:
        """The terms of one PICO field (``population``...), those in the vocabulary."""
        vocab = v.PICO[name]
        return [vocab[t] for t in getattr(self, name) if t in vocab]

    @property
    def verdict_term(self) -> v.Term | None:
        return v.VERDICTS.get(self.verdict or "")

    @property
    def articles(self) -> list[str]:
        """The keys of the articles it appeared in, in order, once each."""
        return list(dict.fromkeys(a.source for a in self.appearances))


@dataclass(frozen=True)
class ClaimFacts:
    """What the later stages need of a claim without its whole record: kept beside the record,
    pickled, in the cache (:class:`LazyClaim`)."""

    id: str
    path: str
    data: bytes
    """The whole record, pickled."""
    names: tuple[str, ...]
    """Every source key it names, in order, once each: appearances, citations, evidence."""
    quotes: tuple[tuple[str, str, Position], ...]
    """Each appearance's source, quote and the quote's position."""
    readable: bool
    """Read as a record (something below the root has a position)."""
    quotes_print: bytes = b""
    """A hash of its id, path and quotes: what the coverage of the articles sees of it."""
    rating: Any = None
    """What the rule on claims resting on the same evidence reads of it, when it is rated
    (:class:`build_tools.rules.grade.Rating`, made by the orchestrator)."""

    @classmethod
    def of(cls, claim: Claim, data: bytes, rating: Any = None) -> ClaimFacts:
        names = tuple(dict.fromkeys([a.source for a in claim.appearances]
                                    + [k for a in claim.appearances for k in a.cites]
                                    + [e.source for e in claim.evidence]))
        quotes = tuple((a.source, a.quote, claim.pos(f"appearances[{i}].quote"))
                       for i, a in enumerate(claim.appearances))
        return cls(claim.id, claim.path, data, names, quotes, len(claim.positions) > 1,
                   hashlib.blake2b(repr((claim.id, claim.path, quotes)).encode(),
                                   digest_size=16).digest(), rating)


class LazyClaim(Claim):
    """A claim read back from the cache, whose record is unpickled when something first reads
    more than its id, its path or what was set on it (its flags): a ``check`` that reuses the
    cached results of an unchanged claim never unpickles it. Once unpickled it is a
    :class:`Claim` like any other."""

    def __init__(self, facts: ClaimFacts, unpickle: Any) -> None:
        d = object.__getattribute__(self, "__dict__")
        d.update(_facts=facts, _unpickle=unpickle, id=facts.id, path=facts.path)

    def __getattribute__(self, name: str) -> Any:
        d = object.__getattribute__(self, "__dict__")
        if (name in d and name[0] != "_") or name in ("__dict__", "__class__"):
            return d[name] if name in d else object.__getattribute__(self, name)
        _unpickle(self, d)
        return getattr(self, name)


def _unpickle(claim: Claim, d: dict[str, Any]) -> None:
    """Make a :class:`LazyClaim` a :class:`Claim`: what was set on it stays."""
    facts, unpickle = d.pop("_facts"), d.pop("_unpickle")
    for k, value in vars(unpickle(facts.data)).items():
        d.setdefault(k, value)
    object.__setattr__(claim, "__class__", Claim)
