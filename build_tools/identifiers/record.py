"""What a bibliographic database says about a work, and the BibTeX fields it fills."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from build_tools.core.text import strip_unsafe
from build_tools.model.source import Notice


@dataclass
class Author:
    family: str
    given: str = ""
    organisation: bool = False

    def bibtex(self) -> str:
        if self.organisation:
            return "{" + self.family + "}"
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass
class Record:
    """What a bibliographic database says about a work."""

    database: str
    """``Crossref`` or ``PubMed``."""
    url: str
    """The address the record was read from."""
    title: str
    authors: list[Author] = field(default_factory=list)
    journal: str | None = None
    year: str | None = None
    other_years: set[str] = field(default_factory=set)
    """Years the work also carries (online before print): an entry giving one of them matches."""
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    notices: dict[str, list[Notice]] = field(default_factory=dict)
    """By field (``retracted``, ``concern``, ``corrected``), each list in date order."""

    def fields(self) -> dict[str, str]:
        """The BibTeX fields the record fills, in the order they are written."""
        out = {
            "author": " and ".join(a.bibtex() for a in self.authors),
            "title": self.title,
            "journal": self.journal,
            "year": self.year,
            "volume": self.volume,
            "number": self.number,
            "pages": self.pages,
            "doi": self.doi,
            "pmid": self.pmid,
            "pmcid": self.pmcid,
        }
        return {k: v for k, v in out.items() if v}


def clean(text: Any) -> str:
    """A title or name from a record: markup (``<i>``, MathML) and entities removed, control
    and invisible characters (an escape sequence, NUL, a right-to-left override, a zero-width
    space, also when written as an entity) removed, white space folded."""
    text = re.sub(r"<[^>]+>", "", str(text or ""))
    return " ".join(strip_unsafe(html.unescape(text)).split())


def pages(text: str | None) -> str | None:
    """``1613-20`` (PubMed) or ``1613-1620`` (Crossref) as ``1613--1620``."""
    if not text:
        return None
    m = re.fullmatch(r"\s*(\w*?)(\d+)\s*[-\u2013]+\s*(\w*?)(\d+)\s*", text)
    if not m:
        return text.strip()
    prefix, first, prefix2, last = m.groups()
    if not prefix2 and len(last) < len(first):
        last = first[:len(first) - len(last)] + last
    return f"{prefix}{first}--{prefix2 or prefix}{last}"
