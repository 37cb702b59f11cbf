"""The records of the knowledge base, as the later stages and the templates see them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from build_tools import vocabulary as v

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
    """Computed by :mod:`build_tools.flags`; never read from the file."""

    def pos(self, where: str) -> Position:
        """The position of ``where``, or of its nearest enclosing value that has one."""
        while where not in self.positions:
            parent = _PARENT.sub("", where)
            if parent == where:
                return self.positions.get("", (1, 1))
            where = parent
        return self.positions[where]

    @property
    def verdict_term(self) -> v.Term | None:
        return v.VERDICTS.get(self.verdict or "")

    @property
    def articles(self) -> list[str]:
        """The keys of the articles it appeared in, in order, once each."""
        return list(dict.fromkeys(a.source for a in self.appearances))


@dataclass(frozen=True)
class Notice:
    """A notice that updates a published study: a retraction, an expression of concern or a
    correction, as ``verify`` records it in the study's BibTeX entry."""

    ident: str
    """The notice's DOI (``10.1016/...``) or its PubMed id (``PMID 20137807``)."""
    date: str | None = None
    """When it was published: YYYY-MM-DD, YYYY-MM or YYYY, when known."""

    @property
    def doi(self) -> str | None:
        return None if self.ident.startswith("PMID ") else self.ident

    @property
    def pmid(self) -> str | None:
        return self.ident[5:] if self.ident.startswith("PMID ") else None

    def __str__(self) -> str:
        return f"{self.ident}, {self.date}" if self.date else self.ident


NOTICE_FIELDS = {"retracted": "retraction", "concern": "expression of concern",
                 "corrected": "correction"}
"""The BibTeX fields that record notices, and the kind of notice each holds."""

_NOTICE = re.compile(r"^(?P<ident>10\.\d{4,9}/\S+|PMID \d{1,9})"
                     r"(?:,\s+(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?))?$")
_NOTICE_SEPARATOR = re.compile(r";\s+")


def parse_notices(value: str) -> list[Notice] | None:
    """``10.1/a, 2020-01-31; PMID 123`` as notices; None when any part is not of that form.

    Parts are separated by a semicolon and white space, the date by a comma and white space:
    neither can occur inside a DOI, which has no white space.
    """
    out = []
    for part in _NOTICE_SEPARATOR.split(" ".join(value.split())):
        m = _NOTICE.match(part.strip())
        if not m:
            return None
        out.append(Notice(m["ident"], m["date"]))
    return out


def format_notices(notices: list[Notice]) -> str:
    """The BibTeX value of a notice field: :func:`parse_notices` reads it back."""
    return "; ".join(str(n) for n in notices)


@dataclass
class Source:
    """A BibTeX entry: a study, a guideline, or one of the web articles."""

    key: str
    entry_type: str
    fields: dict[str, str]
    path: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict, repr=False)

    def get(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value if value else None

    @property
    def design(self) -> str:
        return self.fields.get("design", "other")

    @property
    def interest(self) -> str | None:
        """What the publisher sells that the claims could promote; None when independent."""
        return self.get("interest")

    @property
    def commercial(self) -> bool:
        return self.interest is not None

    @property
    def is_article(self) -> bool:
        return self.design == "web-article"

    def notices(self, name: str) -> list[Notice]:
        """The notices in field ``name`` (see :data:`NOTICE_FIELDS`); [] when there are none or
        the field is malformed (which the validate stage reports)."""
        value = self.get(name)
        return (parse_notices(value) or []) if value else []

    @property
    def retraction(self) -> Notice | None:
        """The retraction notice, when the study was retracted: the latest, when there are
        several (a partial retraction, then the full one), a DOI before a PMID of the same day."""
        found = self.notices("retracted")
        return max(found, key=lambda n: (n.date or "", n.doi is not None)) if found else None

    @property
    def concerns(self) -> list[Notice]:
        """Expressions of concern published about the study."""
        return self.notices("concern")

    @property
    def corrections(self) -> list[Notice]:
        return self.notices("corrected")

    @property
    def title(self) -> str:
        return strip_braces(self.fields.get("title", self.key))

    @property
    def year(self) -> str | None:
        year = self.get("year")
        if year:
            return year
        date = self.get("date")
        return date[:4] if date else None

    @property
    def authors(self) -> list[str]:
        """Authors as written, split on BibTeX's ``and``; ``others`` kept as the last item."""
        raw = self.get("author")
        if not raw:
            return []
        return [strip_braces(a.strip()) for a in re.split(r"\s+and\s+", raw) if a.strip()]


def strip_braces(text: str) -> str:
    """BibTeX protective braces removed: ``{Sciaticalm} Team`` -> ``Sciaticalm Team``."""
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()
