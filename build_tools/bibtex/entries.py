"""For stage 3, validate (sources): BibTeX entries to :class:`Source` records, field by field.

A value is evaluated as BibTeX does: ``{...}`` and ``"..."`` parts, numbers and ``@string``
macro names, joined by ``#``. An entry that uses a macro is finished in :func:`resolve`, once
every file's ``@string`` definitions are known (a macro defined in one file can be used in
another); so is ``crossref``, which may name an entry in another file.

The policy for every field, entry type and name form is in the tables below; the methodology
page shows them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bibtexparser import model as bib

from build_tools.bibtex.fields import (
    _IGNORED_PREFIXES,
    ALIASES,
    DATE,
    FIELDS,
    FULL_DATE,
    IGNORED,
    MONTHS,
    REFUSED_TYPES,
    RUN_ON,
    TYPES,
    URL,
    VALUE_SHAPE,
    YEAR,
    ErrorFn,
)
from build_tools.bibtex.files import key_label
from build_tools.bibtex.values import _SIMPLE, NotAValue, parse_value, value_text
from build_tools.core import vocabulary as v
from build_tools.core.keys import RULE as KEY_RULE
from build_tools.core.keys import key_problem
from build_tools.core.problems import Problem, Severity, did_you_mean, one_of, shown
from build_tools.core.text import unsafe_chars, unsafe_message
from build_tools.identifiers import HANDLERS
from build_tools.model.source import (
    MAX_ADDRESS,
    NOTICE_FIELDS,
    Source,
    key_address,
    parse_notices,
    safe_url,
)
from build_tools.rules.names import not_a_name


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

    why = key_problem(entry.key)
    if why:
        error(line, f"the key is not a valid key: {why} (expected {KEY_RULE})")
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
    problems.extend(Problem(path, at, 1, Severity.WARNING, f"{label}: {message}")
                    for at, message in _warnings(source))
    return source, problems


def _warnings(source: Source) -> list[tuple[int, str]]:
    """What a reader would not see as the entry means it: a control or invisible character in
    any field, an address the source page must leave off, an article's author that reads as a
    date or punctuation (a byline such as "• January 9, 2026" taken for a name)."""
    out = []
    for name, value in source.fields.items():
        bad = unsafe_chars(value)
        if bad:
            out.append((source.field_lines.get(name, source.line), unsafe_message(name, bad)))
    url = source.fields.get("url")
    if url is not None and URL.match(url) and safe_url(url) is None:
        out.append((source.field_lines.get("url", source.line),
                    f"url {shown(url)} holds a character a link cannot (a quote mark, an angle "
                    "bracket or white space), so the source page leaves it off (expected it "
                    "percent-encoded: %22 for \", %27 for ', %3C and %3E for < and >, %20 for a "
                    "space)"))
    author = source.fields.get("author")
    if source.design == "web-article" and author:
        for name in re.split(r"\s+and\s+", author):
            what = not_a_name(name)
            if what:
                out.append((source.field_lines.get("author", source.line),
                            f"author {shown(name)} reads as {what}, not a name (expected the "
                            "person or organisation the byline names; leave the field out when "
                            "the page names none)"))
    return out


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
        *((h.field, h.pattern, h.form) for h in HANDLERS.values()),
        ("url", URL, "an http:// or https:// address"),
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
