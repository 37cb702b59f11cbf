"""References in AMA style, and the link rules: only http(s) and DOI links are ever rendered."""

from __future__ import annotations

import re

from build_tools.identifiers import HANDLERS
from build_tools.model.latex import Name
from build_tools.model.source import Notice, Source, safe_url

__all__ = ["safe_url"]  # the link rule, used by the templates from here

def doi_url(doi: str | None) -> str | None:
    """The https://doi.org/ address of a well-formed DOI, percent-encoded."""
    return HANDLERS["doi"].url(doi)


def notice_url(notice: Notice) -> str | None:
    """Where a retraction, concern or correction notice can be read: its DOI, or PubMed."""
    if notice.pmid:
        return HANDLERS["pmid"].url(notice.pmid)
    return doi_url(notice.doi)


def _initials(given: str) -> str:
    parts = re.split(r"[\s.\-]+", given.strip())
    if len(parts) == 1 and parts[0].isupper() and len(parts[0]) <= 4:
        return parts[0]  # already initials, as in "Steffens, D" or "Maher, CG"
    return "".join(p[0].upper() for p in parts if p)


def ama_author(name: Name) -> str:
    """AMA form: family name, then initials, then a suffix: ``Maher CG``, ``van Tulder MW``,
    ``Reagle JM Jr``; an organisation as written."""
    if name.organisation or not name.first:
        return " ".join(p for p in (name.family, name.jr.rstrip(".")) if p)
    return " ".join(p for p in (name.family, _initials(name.first), name.jr.rstrip(".")) if p)


def ama_authors(names: list[Name]) -> str:
    """AMA: all authors up to six; more than six, the first three and et al."""
    others = bool(names) and names[-1].others
    shown = [ama_author(n) for n in names if not n.others]
    if len(shown) > 6:
        shown, others = shown[:3], True
    text = ", ".join(shown)
    if others:
        text += ", et al"
    return text


def _end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")


def _edition(edition: str) -> str:
    """AMA: ``2nd ed``; BibTeX writes ``{2}`` or ``{Second}``; anything else as written."""
    if edition.isdigit():
        n = int(edition)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} ed"
    if edition.lower() in _ORDINALS:
        return _edition(str(_ORDINALS.index(edition.lower()) + 1))
    return edition


THESES = {"phdthesis": "Dissertation", "mastersthesis": "Master's thesis"}
"""How AMA names a thesis, by its BibTeX type (or its biblatex ``type``)."""


def ama_parts(source: Source) -> list[tuple[str, str]]:
    """The reference as (kind, text) runs: kind is "text" or "em" (italic, for the journal or
    the book a chapter is in).

    A journal article: authors, title, journal, year;volume(number):pages. A chapter or a
    paper in proceedings: ... In: book title. Otherwise (a book, report, thesis or web page):
    authors, title, edition, the thesis kind, the publisher (or organisation, institution or
    school), the date. Templates escape each run; nothing here is trusted HTML.
    """
    f = source.get
    runs: list[tuple[str, str]] = []
    authors = ama_authors(source.names)
    if authors:
        runs.append(("text", _end(authors) + " "))
    runs.append(("text", _end(source.title) + " "))
    pages = (f("pages") or "").replace("--", "-")
    if f("journal"):
        runs.append(("em", _end(f("journal") or "")))
        detail = source.year or ""
        if f("volume"):
            detail += f";{f('volume')}"
            if f("number"):
                detail += f"({f('number')})"
        if pages:
            detail += f":{pages}"
        if detail:
            runs.append(("text", " " + _end(detail)))
    else:
        if f("booktitle"):
            runs += [("text", "In: "), ("em", _end(f("booktitle") or "")), ("text", " ")]
        words = []
        if f("edition"):
            words.append(_end(_edition(f("edition") or "")))
        if source.entry_type in THESES or source.entry_type == "thesis":
            kind = f("type") or source.entry_type
            words.append(_end(THESES.get(kind.lower(), kind)))
        publisher = f("publisher") or f("organization") or f("institution") or f("school")
        if publisher:
            words.append(_end(publisher))
        date = f("date")
        if date and date != f("year") and "/" not in date:
            words.append(f"{date}.")
        elif source.year:
            words.append(f"{source.year}.")
        if f("booktitle") and pages:
            words.append(f"{pages}.")
        if words:  # after the book's title (in italics), a space of its own
            runs.append(("text", " " * bool(f("booktitle")) + " ".join(words) + " "))
    if f("doi") and doi_url(f("doi")):
        runs.append(("text", f" doi:{f('doi')}"))
    return [(k, t) for k, t in runs if t.strip()]


def ama_plain(source: Source) -> str:
    """The AMA reference as plain text (for exports)."""
    return plain(ama_parts(source))


def plain(parts: list[tuple[str, str]]) -> str:
    """:func:`ama_parts` as plain text."""
    return "".join(t for _, t in parts).strip()
