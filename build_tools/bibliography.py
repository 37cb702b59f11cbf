"""Stage 2, validate (sources): BibTeX entries to :class:`Source` records, field by field.

A value is evaluated as BibTeX does: ``{...}`` and ``"..."`` parts, numbers and ``@string``
macro names, joined by ``#``. An entry that uses a macro is finished in :func:`resolve`, once
every file's ``@string`` definitions are known (a macro defined in one file can be used in
another); so is ``crossref``, which may name an entry in another file.

The policy for every field, entry type and name form is in the tables below; the methodology
page shows them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bibtexparser import model as bib

from build_tools import vocabulary as v
from build_tools.loading import BibFile, MacroDef, key_label
from build_tools.model import MAX_ADDRESS, NOTICE_FIELDS, Source, key_address, parse_notices
from build_tools.problems import Problem, Severity, did_you_mean, one_of, shown
from build_tools.schema import SOURCE_KEY

FIELDS: dict[str, str] = {
    "author": "The authors: 'Last, First and Last, First' or 'First Last and ...'; an "
              "organisation in braces, '{World Health Organization}'; 'and others' for more.",
    "editor": "The editors, written as authors are.",
    "title": "The title as published.",
    "subtitle": "The subtitle (biblatex), shown after the title.",
    "journal": "The journal, as printed (biblatex's 'journaltitle' is read as this).",
    "booktitle": "The book or proceedings a chapter or paper appeared in.",
    "year": "The year of publication, four digits.",
    "month": "The month of publication.",
    "volume": "Volume.",
    "number": "Issue, or a report's number.",
    "pages": "Pages or article number.",
    "chapter": "The chapter number.",
    "edition": "Edition: a number ('2'), an ordinal word ('Second') or words.",
    "series": "The series a book or report appeared in.",
    "doi": "The DOI, 10.NNNN/..., without a 'doi:' or URL prefix.",
    "url": "A web address (http or https only).",
    "urldate": "When the web address was last seen.",
    "publisher": "The publisher.",
    "address": "Where the publisher is.",
    "location": "Where the work was published or the event held (biblatex).",
    "organization": "The organisation behind the source.",
    "institution": "The institution behind a report.",
    "school": "The university a thesis was written at.",
    "type": "The kind of report or thesis, when not the usual ('Research note').",
    "howpublished": "How an unusual source was published.",
    "date": "The date, YYYY-MM-DD, YYYY-MM or YYYY; or a range, YYYY-MM-DD/YYYY-MM-DD "
            "(biblatex), the year shown being the first.",
    "isbn": "ISBN.",
    "issn": "ISSN.",
    "crossref": "The key of the entry this one is part of (a book or proceedings in sources/); "
                "the fields this entry lacks are taken from it, as BibTeX does.",
    "key": "The key BibTeX sorts an entry without author by.",
    "note": "Anything a reader or reviewer should know, e.g. what could not be confirmed.",
    "design": "The kind of source: " + ", ".join(v.DESIGNS) + ".",
    "interest": "What the publisher sells that a claim could promote; makes the source "
                "commercial.",
    "pmid": "PubMed identifier (digits).",
    "pmcid": "PubMed Central identifier (PMC followed by digits).",
    "retracted": "The retraction notice, its DOI or 'PMID n', and its date: {10.1016/..., "
                 "2010-02-06}. Written by `verify`; a claim cannot rest on a retracted study.",
    "concern": "Expressions of concern about the study, in the same form as retracted. Written "
               "by `verify`.",
    "corrected": "Corrections of the study, in the same form as retracted, separated by '; '. "
                 "Written by `verify`.",
    "verified": "The day `verify` found the entry matching its Crossref or PubMed record "
                "(YYYY-MM-DD). Written by `verify`.",
}
"""The BibTeX fields a source may have; anything else is reported with a did-you-mean, unless
:data:`IGNORED` names it. Every one is kept in ``data/references.bib`` as written."""

SHOWN: dict[str, str] = {
    "author": "the reference", "title": "the reference", "subtitle": "the reference",
    "journal": "the reference", "booktitle": "the reference", "year": "the reference",
    "volume": "the reference", "number": "the reference", "pages": "the reference",
    "edition": "the reference", "publisher": "the reference", "organization": "the reference",
    "institution": "the reference", "school": "the reference", "date": "the reference",
    "type": "the reference (theses)", "doi": "the reference, as a link",
    "url": "the reference, as a link", "pmid": "the reference", "note": "the source page",
    "design": "the source page and the evidence tables", "interest": "every page naming it",
    "crossref": "through the fields it supplies",
    "retracted": "a notice on the source page and on every claim page citing it",
    "concern": "a notice on the source page",
    "corrected": "the source page",
    "verified": "the source page",
}
"""Where each field of :data:`FIELDS` is shown on the site; the others are kept in
``data/references.bib`` only (AMA style, which the site follows, leaves out the place of
publication, the series, the month and the editors of a journal article)."""

ALIASES: dict[str, str] = {"journaltitle": "journal"}
"""biblatex's names for BibTeX fields: read as the BibTeX field (both at once is an error).
biblatex also reads ``location`` as ``address``, but a BibTeX library uses ``location`` for where
an event was held beside the publisher's ``address`` (JabRef, ACM): it is a field of its own."""

IGNORED: dict[str, str] = {
    "abstract": "the publisher's text, under copyright; the site states findings in its own "
                "words",
    "annote": "private annotations (BibTeX's field for an annotated bibliography); 'note' is "
              "the field for readers",
    "annotation": "private annotations (biblatex's name for annote)",
    "comment": "private notes",
    "file": "a path on the editor's computer, never published",
    "keywords": "a reference manager's tags",
    "groups": "a reference manager's groups (JabRef)",
    "owner": "who added the entry (JabRef)",
    "timestamp": "when the entry was added (JabRef)",
    "creationdate": "when the entry was added (JabRef)",
    "modificationdate": "when the entry was changed (JabRef)",
    "ranking": "a rating in JabRef",
    "readstatus": "reading status in JabRef",
    "priority": "priority in JabRef",
    "qualityassured": "a JabRef flag",
    "rating": "a rating in BibDesk",
    "date-added": "when the entry was added (BibDesk)",
    "date-modified": "when the entry was changed (BibDesk)",
    "language": "the language of the work, not shown",
    "langid": "a hint for biblatex's hyphenation",
    "shorttitle": "a short title for citations in the text",
    "copyright": "the work's licence statement",
    "eprint": "a preprint server's identifier; the site links DOIs and web addresses",
    "eprinttype": "the preprint server of eprint",
    "eprintclass": "the preprint server's subject class",
    "archiveprefix": "the preprint server of eprint (arXiv style)",
    "primaryclass": "the preprint server's subject class (arXiv style)",
    "arxivid": "an arXiv identifier (Mendeley); the site links DOIs and web addresses",
}
"""Fields reference managers write for themselves: read without a word and left out of the site
and of ``data/references.bib``."""

IGNORED_PREFIXES: dict[str, str] = {
    "bdsk-": "BibDesk's own fields (links and files on the editor's computer)",
    "mendeley-": "Mendeley's own fields (groups and tags)",
}
"""Families of :data:`IGNORED` fields, by the start of their names."""
_IGNORED_PREFIXES = tuple(IGNORED_PREFIXES)

TYPES: dict[str, str] = {
    "article": "An article in a journal.",
    "book": "A book.",
    "booklet": "A printed work without a publisher.",
    "inbook": "A part of a book: a chapter or a range of pages.",
    "incollection": "A chapter with its own title in a book of contributions.",
    "inproceedings": "A paper in conference proceedings.",
    "conference": "The same as inproceedings (its older name).",
    "manual": "Technical documentation.",
    "mastersthesis": "A master's thesis.",
    "phdthesis": "A doctoral thesis.",
    "proceedings": "The proceedings of a conference.",
    "techreport": "A report published by an institution.",
    "unpublished": "A work not formally published.",
    "misc": "Anything else: a guideline, a leaflet, a web page.",
    "online": "A web page (biblatex; 'electronic' and 'www' are older names for it).",
    "electronic": "The same as online.",
    "www": "The same as online.",
    "report": "A report (biblatex's name for techreport).",
    "thesis": "A thesis (biblatex; its 'type' says which kind).",
    "collection": "A book of contributions (biblatex).",
    "reference": "An encyclopaedia or dictionary (biblatex).",
    "inreference": "An article in an encyclopaedia or dictionary (biblatex).",
    "mvbook": "A book in several volumes (biblatex).",
    "bookinbook": "A book printed inside another (biblatex).",
    "periodical": "An issue of a journal as a whole (biblatex).",
    "dataset": "A data set (biblatex).",
    "software": "Software (biblatex).",
    "patent": "A patent (biblatex).",
    "standard": "A standard (biblatex).",
}
"""The entry types a source may have: BibTeX's fourteen, and biblatex's that a reference manager
writes. They decide nothing else: a reference is formatted from the fields it has, and no type
requires fields beyond what every source needs (a title and a design)."""

REFUSED_TYPES: dict[str, str] = {
    "set": "an @set entry groups other entries for biblatex; it is not a source (expected "
           "each source as an entry of its own)",
    "xdata": "an @xdata entry holds fields for biblatex to share; it is not a source "
             "(expected the fields written in each entry, or a crossref)",
}

MONTHS: dict[str, str] = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May",
    "jun": "June", "jul": "July", "aug": "August", "sep": "September", "oct": "October",
    "nov": "November", "dec": "December",
}
"""The macros every BibTeX style defines."""

NOT_INHERITED = frozenset({"design", "interest", "note", "crossref", "key", "doi", "url",
                           "urldate", "pmid", "pmcid", "title", "subtitle"})
"""Fields a crossref never supplies: they describe the entry itself. The parent's title becomes
the entry's booktitle, as biblatex does."""

TOOL_FIELDS = ("retracted", "concern", "corrected", "verified")
"""The fields ``verify`` writes (an editor may write them too, from a notice they have seen)."""

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
PMID = re.compile(r"^\d{1,9}$")
PMCID = re.compile(r"^PMC\d+$")
_DAY = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
DATE = re.compile(rf"^{_DAY}(?:/(?:{_DAY}|\.\.)?)?$")
YEAR = re.compile(r"^\d{4}$")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RUN_ON = re.compile(r"[}\"]\s*\n\s*([A-Za-z][\w-]*)\s*=")
"""A value that runs into the next line's ``name =``: the comma after it is missing."""

VALUE_SHAPE = '{text}, "text", a number or an @string name, several joined by #'

ErrorFn = Callable[[int, str], None]


# --- values -------------------------------------------------------------------------------------


class NotAValue(ValueError):
    """A field value that is not BibTeX: the message says what is wrong."""


Part = tuple[bool, str]
"""One part of a value: (is a macro name, its text or name)."""

_NAME = re.compile(r"[^\s#{}\"=,()%']+")
_NUMBER = re.compile(r"\d+")


def parse_value(raw: str) -> list[Part]:
    """A value as written split into its parts: ``"A" # jb # {B}`` -> text A, macro jb, text B.

    Braces inside a part nest; a brace after a backslash does not count, as bibtexparser's
    splitter reads it. Raises :class:`NotAValue` for anything else.
    """
    parts: list[Part] = []
    pos, end = 0, len(raw)
    while True:
        while pos < end and raw[pos].isspace():
            pos += 1
        if pos == end:
            raise NotAValue("nothing after '#'" if parts else "it is empty")
        c = raw[pos]
        if c in "{\"":
            close = _close(raw, pos)
            parts.append((False, raw[pos + 1:close]))
            pos = close + 1
        elif (m := _NUMBER.match(raw, pos)) and not _NAME.match(raw, m.end()):
            parts.append((False, m.group()))
            pos = m.end()
        elif m := _NAME.match(raw, pos):
            parts.append((True, m.group()))
            pos = m.end()
        else:
            raise NotAValue(f"unexpected {shown(c)}")
        while pos < end and raw[pos].isspace():
            pos += 1
        if pos == end:
            return parts
        if raw[pos] != "#":
            raise NotAValue(f"unexpected {shown(raw[pos:pos + 20])} after a part of it")
        pos += 1


_SIMPLE = re.compile(r"\{[^{}\\]*\}|\d+")
"""A value of one part with nothing inside to read: ``{text}`` without braces or backslashes
in it, or a number."""
_DELIMITERS = re.compile(r'\\.|[{}"]', re.DOTALL)


def _close(raw: str, start: int) -> int:
    """The index of the delimiter that closes the part opening at ``start``."""
    quote = raw[start] == '"'
    depth = 0 if quote else 1
    for m in _DELIMITERS.finditer(raw, start + 1):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                raise NotAValue("a '}' closes nothing")
            if depth == 0 and not quote:
                return m.start()
        elif c == '"' and quote and depth == 0:
            return m.start()
    raise NotAValue("a '{' or '\"' is never closed")


def value_text(raw: str) -> str:
    """A value's text without evaluating macros (their names stand for them); the raw value
    stripped of its outer delimiters if it is not a BibTeX value at all."""
    try:
        return "".join(text for _, text in parse_value(raw)).strip()
    except NotAValue:
        return raw.strip().strip("{}\"").strip()


# --- entries --------------------------------------------------------------------------------


class _Deferred(Exception):
    """An entry names a macro that is not known yet (:func:`read_entries`)."""


def to_source(entry: bib.Entry, path: str, macros: Mapping[str, str] = MONTHS,
              defer: bool = False) -> tuple[Source, list[Problem]]:
    """A source record from one BibTeX entry, and the problems of its fields; ``macros`` are the
    ``@string`` values by lowercase name. With ``defer``, a macro that is not in ``macros``
    raises :class:`_Deferred` instead of being reported."""
    problems: list[Problem] = []
    line = (entry.start_line or 0) + 1
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    written: dict[str, str] = {}  # the name each field was written with (journaltitle)
    label = key_label(entry.key)

    def error(at: int, message: str) -> None:
        problems.append(Problem(path, at, 1, Severity.ERROR, f"{label}: {message}"))

    if not SOURCE_KEY.match(entry.key) or not entry.key.isprintable():
        error(line, "the key is not a valid BibTeX key (expected letters, digits and "
                    "punctuation other than , { } ( ) = # % and \", without spaces)")
    elif len(key_address(entry.key)) > MAX_ADDRESS:
        error(line, f"the key is too long to be a page address ({len(entry.key):,} "
                    "characters; expected a short key such as smith2020walking)")
    entry_type = entry.entry_type.lower()
    if entry_type in REFUSED_TYPES:
        error(line, f"@{entry.entry_type} is not allowed: {REFUSED_TYPES[entry_type]}")
    elif entry_type not in TYPES:
        dym = did_you_mean(entry_type, TYPES)
        error(line, f"unknown entry type @{shown(entry.entry_type)[1:-1]}"
                    + (dym or " (expected a BibTeX or biblatex entry type, listed on the "
                               "Methodology page, e.g. @article, @book, @online, @misc)"))

    for f in entry.fields:
        name = f.key.lower()
        at = (f.start_line or entry.start_line or 0) + 1
        if name in IGNORED or name.startswith(_IGNORED_PREFIXES):
            continue
        canonical = ALIASES.get(name, name)
        if canonical not in FIELDS:
            dym = did_you_mean(name, [*FIELDS, *ALIASES])
            error(at, f"unknown field {shown(f.key)}" + (
                dym or " (expected a BibTeX field listed on the Methodology page, e.g. author, "
                       "title, journal, year, doi)"))
            continue
        if canonical in fields:
            first = written[canonical]
            error(at, f"field {shown(f.key)} is given twice (expected each field once; first "
                      f"at line {lines[canonical]}"
                      f"{' as ' + shown(first) if first != name else ''})")
            continue
        fields[canonical] = _evaluate(f, at, macros, error, defer)
        lines[canonical] = at
        written[canonical] = name
    source = Source(key=entry.key, entry_type=entry_type, fields=fields,
                    path=path, line=line, field_lines=lines)
    _check_fields(source, error)
    return source, problems


def _evaluate(f: bib.Field, at: int, macros: Mapping[str, str], error: ErrorFn,
              defer: bool) -> str:
    """A field's value: its parts joined, macros replaced by their values."""
    raw = f.value if isinstance(f.value, str) else str(f.value)
    run_on = RUN_ON.search(raw)
    if run_on:
        error(at, f"field {shown(f.key)} runs on into '{run_on.group(1)} = ...' on the next "
                  "line (expected a comma after each field's value)")
        raw = raw[:run_on.start() + 1]
    if _SIMPLE.fullmatch(raw):  # most values: one part in braces, or a number
        return raw.strip("{} \t\n") if raw[0] == "{" else raw
    try:
        parts = parse_value(raw)
    except NotAValue as exc:
        error(at, f"field {shown(f.key)} is not a BibTeX value: {exc} (expected {VALUE_SHAPE})")
        return value_text(raw)
    out = []
    for is_macro, text in parts:
        if not is_macro:
            out.append(text)
        elif text.lower() in macros:
            out.append(macros[text.lower()])
        elif defer:
            raise _Deferred(text)
        else:
            error(at, f"field {shown(f.key)} uses {shown(text)}, which is not a defined @string "
                      "(expected an @string defined in a file in sources/, or text in braces: "
                      f"{{{text[:40]}}})")
            out.append(text)
    return "".join(out).strip()


def _check_fields(source: Source, error: ErrorFn) -> None:
    fields, lines, line = source.fields, source.field_lines, source.line
    design = fields.get("design")
    if design is None:
        error(line, f"missing field 'design' (expected {one_of(v.DESIGNS)})")
    elif design not in v.DESIGNS:
        dym = did_you_mean(design, v.DESIGNS)
        error(lines["design"], f"design {shown(design)} is not allowed (expected "
                               f"{one_of(v.DESIGNS)}{'; ' + dym.strip()[1:-1] if dym else ''})")
    if "title" not in fields:
        error(line, "missing field 'title' (expected the title as published)")
    checks = (
        ("doi", DOI, "a DOI of the form 10.NNNN/... without prefix"),
        ("url", URL, "an http:// or https:// address"),
        ("pmid", PMID, "digits only"),
        ("pmcid", PMCID, "PMC followed by digits"),
        ("date", DATE, "YYYY-MM-DD, YYYY-MM or YYYY, or a range of them: YYYY-MM-DD/YYYY-MM-DD"),
        ("year", YEAR, "four digits"),
    )
    for name, pattern, expected in checks:
        value = fields.get(name)
        if value is not None and not pattern.match(value):
            error(lines[name], f"{name} {shown(value)} is not valid (expected {expected})")
    for name in NOTICE_FIELDS:
        value = fields.get(name)
        if value is not None and parse_notices(value) is None:
            error(lines[name], f"{name} {shown(value)} is not valid (expected the notice's DOI "
                               "or 'PMID n', a comma and its date, e.g. {10.1016/S0140-6736(10)"
                               "60175-4, 2010-02-06}; several separated by '; ')")
    verified = fields.get("verified")
    if verified is not None and not FULL_DATE.match(verified):
        error(lines["verified"], f"verified {shown(verified)} is not valid (expected "
                                 "YYYY-MM-DD)")
    for name in ("interest", "title", "author"):
        if name in fields and not fields[name].strip("{} "):
            error(lines[name], f"field '{name}' is empty (expected a value, or leave the field "
                               "out)")


# --- files, macros across files, crossref -------------------------------------------------------


@dataclass
class BibResult:
    """One BibTeX file read: its sources, its problems, the entries that wait for the macros of
    every file (:func:`resolve`), and its ``@string`` definitions."""

    path: str
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pending: list[bib.Entry] = field(default_factory=list)
    strings: list[MacroDef] = field(default_factory=list)


def read_entries(bib_file: BibFile, path: str) -> BibResult:
    """Everything one file can settle alone: each entry that uses no macro of its own becomes a
    source; the rest wait for :func:`resolve`."""
    out = BibResult(path, problems=list(bib_file.problems), strings=bib_file.strings)
    for entry in bib_file.entries:
        try:
            source, problems = to_source(entry, path, defer=True)
        except _Deferred:
            out.pending.append(entry)
            continue
        out.sources.append(source)
        out.problems.extend(problems)
    return out


def resolve(results: list[BibResult]) -> list[tuple[list[Source], list[Problem]]]:
    """Each file's sources and problems, in file order, once the ``@string`` macros of every
    file are known and each ``crossref`` has supplied its fields.

    Macros are shared by every file in ``sources/``, in any order of definition; a macro defined
    twice is an error at its second definition. An entry that uses an undefined macro keeps the
    macro's name as its text, and the error names the field.
    """
    problems: dict[str, list[Problem]] = {r.path: list(r.problems) for r in results}
    macros = _macros(results, problems)
    out = []
    for r in results:
        # a crossref adds fields: to a copy, so what the loader keeps for the next load does
        # not hold fields of a parent that may since have changed
        sources = [dataclasses.replace(s, fields=dict(s.fields), field_lines=dict(s.field_lines),
                                       _text={}) if "crossref" in s.fields else s
                   for s in r.sources]
        for entry in r.pending:
            source, entry_problems = to_source(entry, r.path, macros)
            sources.append(source)
            problems[r.path].extend(entry_problems)
        sources.sort(key=lambda s: s.line)
        out.append((sources, problems[r.path]))
    _crossref([s for sources, _ in out for s in sources], problems)
    return out


def _macros(results: list[BibResult],
            problems: dict[str, list[Problem]]) -> dict[str, str]:
    """Every macro's value by lowercase name: the months, then each file's ``@string``s."""
    defs: dict[str, tuple[MacroDef, str]] = {}
    for r in results:
        for d in r.strings:
            first = defs.setdefault(d.name.lower(), (d, r.path))
            if first[0] is not d:
                problems[r.path].append(Problem(
                    r.path, d.line, 1, Severity.ERROR,
                    f"@string {shown(d.name)} is defined twice (expected each @string once "
                    f"across sources/; first at {first[1]}:{first[0].line})"))
    values: dict[str, str] = dict(MONTHS)
    parsed: dict[str, list[tuple[bool, str]]] = {}
    """Each definition's parts, parsed (and a bad value reported) once, on the first visit."""

    def parts_of(name: str) -> list[tuple[bool, str]]:
        if name not in parsed:
            d, path = defs[name]
            try:
                parsed[name] = parse_value(d.value)
            except NotAValue as exc:
                problems[path].append(Problem(path, d.line, 1, Severity.ERROR,
                                              f"@string {shown(d.name)} is not a BibTeX value: "
                                              f"{exc} (expected {VALUE_SHAPE})"))
                parsed[name] = [(False, value_text(d.value))]
        return parsed[name]

    def finish(name: str, busy: set[str]) -> None:
        """``values[name]`` from its parts, whose macros are all worked out or unusable."""
        d, path = defs[name]
        text = []
        for is_macro, part in parts_of(name):
            resolved = values.get(part.lower()) if is_macro else part
            if resolved is None:
                problems[path].append(Problem(
                    path, d.line, 1, Severity.ERROR,
                    f"@string {shown(d.name)} uses {shown(part)}, which is not a defined "
                    "@string" + (" (it is defined in terms of itself)"
                                 if part.lower() in busy else
                                 " (expected an @string defined in a file in sources/)")))
                resolved = part
            text.append(resolved)
        values[name] = "".join(text)

    # depth first with a stack of its own, not Python's: a chain of @strings each using the
    # next one may be thousands deep
    for first in defs:
        stack, busy = [first], {first}
        while stack:
            name = stack[-1]
            if name in values:  # a month redefined, or reached twice
                busy.discard(stack.pop())
                continue
            todo = next((m for is_macro, part in parts_of(name) if is_macro
                         for m in [part.lower()]
                         if m in defs and m not in values and m not in busy), None)
            if todo is not None:  # a macro it uses first
                stack.append(todo)
                busy.add(todo)
                continue
            finish(name, busy)
            busy.discard(stack.pop())
    return values


def _crossref(sources: list[Source], problems: dict[str, list[Problem]]) -> None:
    """Give each entry with a ``crossref`` the fields it lacks from the entry it names."""
    by_key = {s.key.casefold(): s for s in sources}
    for s in sources:
        target_key = s.fields.get("crossref")
        if target_key is None:
            continue
        target = by_key.get(target_key.casefold())
        at = s.field_lines.get("crossref", s.line)
        if target is None or target is s:
            problems[s.path].append(Problem(
                s.path, at, 1, Severity.ERROR,
                f"{s.key}: crossref {shown(target_key)} "
                + ("names this entry itself (expected the key of the book or proceedings it is "
                   "part of)" if target is s else
                   "names no entry in sources/" + (
                       did_you_mean(target_key, [t.key for t in sources])
                       or " (expected the key of the book or proceedings this entry is part "
                          "of)"))))
            continue
        for name, value in target.fields.items():
            if name == "title" and "booktitle" not in s.fields:
                s.fields["booktitle"] = value
                s.field_lines["booktitle"] = at
            elif name not in NOT_INHERITED and name not in s.fields:
                s.fields[name] = value
                s.field_lines[name] = at
