"""``verify``: every source with a DOI or PMID against its Crossref or PubMed record.

Title, first author and year must match the record (:func:`compare`); a mismatch, or an
identifier the database does not know, is an error at the entry's field. For an entry that
matches, the notices the record lists (retraction, expression of concern, correction) are added
to the fields the tool owns, and ``verified`` is set to the day, when it has none or something
changed: a run that finds nothing new changes nothing, so a weekly run opens no pull request
for it. Notices already in an entry are kept (an editor may have recorded one by hand).

Every record is fetched before anything is written; without a network the run stops with
nothing written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser

from build_tools.core import vocabulary as v
from build_tools.core.problems import IntakeError, Problem, Severity, did_you_mean
from build_tools.identifiers import HANDLERS, Record
from build_tools.identifiers.base import Identifier
from build_tools.identifiers.record import clean
from build_tools.identifiers.shape import WrongRecord
from build_tools.intake.bibedit import set_fields
from build_tools.intake.files import write_all
from build_tools.model.knowledge_base import KnowledgeBase
from build_tools.model.latex import strip_braces
from build_tools.model.source import NOTICE_FIELDS, Notice, Source, format_notices

log = logging.getLogger(__name__)


@dataclass
class Change:
    """What ``verify`` wrote into one entry."""

    source: Source
    fields: dict[str, str]
    news: list[str]
    """The notices that were not in the entry before, in words."""


@dataclass
class Outcome:
    checked: int = 0
    looked_up: dict[str, int] = field(default_factory=dict)
    """How many identifiers of each type (by BibTeX field) were looked up."""
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    relying: dict[str, list[str]] = field(default_factory=dict)
    """For each newly retracted source, the claim files whose support rests on it."""


def _problem(source: Source, name: str, message: str) -> Problem:
    line = source.field_lines.get(name, source.line)
    return Problem(source.path, line, 1, Severity.ERROR, f"{source.key}: {message}")


def _chosen(kb: KnowledgeBase, keys: Iterable[str]) -> list[Source]:
    keys = list(keys)
    for key in keys:
        if key not in kb.sources:
            raise IntakeError(f"unknown source '{key}'" + (
                did_you_mean(key, kb.sources) or " (expected a key defined in sources/*.bib)"))
    chosen = [kb.sources[k] for k in keys] if keys else list(kb.sources.values())
    return sorted((s for s in chosen if any(s.get(h.field) for h in HANDLERS.values())),
                  key=lambda s: (s.path, s.line))


def verify(kb: KnowledgeBase, keys: Iterable[str] = (), today: dt.date | None = None) -> Outcome:
    """Compare, record what is new, and write it: the outcome says what was found."""
    today = today or dt.date.today()
    sources = _chosen(kb, keys)
    out = Outcome(checked=len(sources))
    # fetch everything first: a failure leaves every file as it was
    fetched: dict[str, Mapping[str, Record | WrongRecord]] = {}
    for h in HANDLERS.values():
        wanted = list(dict.fromkeys(value for s in sources
                                    if (value := s.get(h.field)) is not None and h.valid(value)))
        out.looked_up[h.field] = len(wanted)
        fetched[h.field] = h.fetch(wanted) if wanted else {}

    edits: dict[Path, list[tuple[Source, dict[str, str | None]]]] = {}
    for s in sources:
        found: list[tuple[Identifier, Record]] = []
        ok = True
        for h in HANDLERS.values():
            value = s.get(h.field)
            if value is None or not h.valid(value):
                continue
            record = fetched[h.field].get(value)
            if isinstance(record, WrongRecord):
                ok = False
                out.problems.append(_problem(s, h.field, str(record)))
            elif record is None:
                ok = False
                out.problems.append(_problem(s, h.field, f"{h.not_found(value)} (expected "
                                                         f"{h.known_as}; correct it, or delete "
                                                         "the field)"))
            else:
                found.append((h, record))
        for h, record in found:
            for m in compare(s, record):
                ok = False
                name = {"author": "author", "title": "title"}.get(m.field, "year" if "year" in
                                                                  s.fields else "date")
                out.problems.append(_problem(
                    s, name, f"{m.field} differs from the {record.database} record of its "
                             f"{h.label} {h.value_of(record)}: the entry has {m.entry!r}, the "
                             f"record {m.record!r} (expected the entry to describe the work its "
                             "identifier names: correct the entry, or the identifier)"))
        if not ok or not found:
            continue
        values, news = _new_values(s, [record for _, record in found], today)
        if values:
            edits.setdefault(Path(s.path), []).append((s, values))
            out.changes.append(Change(s, {k: val for k, val in values.items() if val}, news))
            if any(n.startswith("retraction") for n in news):
                out.relying[s.key] = _relying(kb, s.key)
    _write(edits)
    return out


def _new_values(source: Source, found: list[Record],
                today: dt.date) -> tuple[dict[str, str | None], list[str]]:
    """The tool's fields to write in ``source`` (none when nothing changed), and the news."""
    values: dict[str, str | None] = {}
    news = []
    for name, kind in NOTICE_FIELDS.items():
        notices: list[Notice] = list(source.notices(name))
        known = {n.ident.casefold() for n in notices}
        for record in found:
            for n in record.notices.get(name, []):
                if n.ident.casefold() not in known:
                    known.add(n.ident.casefold())
                    notices.append(n)
                    news.append(f"{kind} {n}")
        if len(notices) != len(source.notices(name)):
            values[name] = format_notices(sorted(notices, key=lambda n: (n.date or "",
                                                                        n.ident)))
    if values or not source.get("verified"):
        values["verified"] = today.isoformat()
    return values, news


def _relying(kb: KnowledgeBase, key: str) -> list[str]:
    return sorted({c.path for c in kb.claims for e in c.evidence
                   if e.source == key and e.stance in v.SUPPORTING_STANCES})


def _write(edits: dict[Path, list[tuple[Source, dict[str, str | None]]]]) -> None:
    texts = {}
    for path, changes in edits.items():
        text = path.read_text(encoding="utf-8")
        entries = {e.key: e for e in bibtexparser.parse_string(text).entries}
        # bottom-up, so that an edit never moves an entry still to be edited
        for source, values in sorted(changes, key=lambda c: -c[0].line):
            entry = entries.get(source.key)
            if entry is None:
                raise IntakeError(f"{source.path}: entry '{source.key}' is no longer there")
            text = set_fields(text, entry, values)
        texts[path] = text
    if texts:
        write_all(texts, new_ok=False)


# --- comparing an entry with its record ------------------------------------------------------


TITLE_SIMILARITY = 0.9
"""Titles this similar (difflib's ratio, after folding case, accents and punctuation) match."""


def _fold(text: str) -> str:
    """For comparison: no accents, braces, markup, case or punctuation."""
    text = unicodedata.normalize("NFKD", clean(strip_braces(text)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"^\W*(retracted|retraction|withdrawn)( article)?\W+", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())



@dataclass(frozen=True)
class Mismatch:
    field: str
    """The entry's field that differs: title, author or year."""
    entry: str
    record: str


def first_family(authors: list[str]) -> str | None:
    """The family name of the first author as BibTeX writes it (``Last, First`` or ``First
    Last``; an organisation in braces as a whole)."""
    if not authors:
        return None
    first = authors[0]
    if "," in first:
        return first.split(",", 1)[0].strip()
    return first.strip() if " " not in first.strip() else first.split()[-1]


def compare(source: Source, record: Record) -> list[Mismatch]:
    """Where the entry and the record disagree about title, first author and year."""
    out = []
    title = source.get("title")
    if title and record.title:
        ratio = difflib.SequenceMatcher(None, _fold(title), _fold(record.title)).ratio()
        if ratio < TITLE_SIMILARITY:
            out.append(Mismatch("title", strip_braces(title), record.title))
    raw_authors = source.get("author")
    ours = first_family(source.authors)
    theirs = record.authors[0].family if record.authors else None
    if raw_authors and ours and theirs:
        a, b = _fold(ours), _fold(theirs)
        if not (a == b or (a and b and (a in b or b in a))):
            out.append(Mismatch("author", ours, theirs))
    year = source.year
    years = {y for y in (record.year, *record.other_years) if y}
    if year and years and year not in years:
        out.append(Mismatch("year", year, ", ".join(sorted(years))))
    return out
