"""The claim record: where a claim was said, what the article cited, what the evidence shows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

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
