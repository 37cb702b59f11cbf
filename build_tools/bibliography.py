"""Stage 2, validate (sources): BibTeX entries to :class:`Source` records, field by field."""

from __future__ import annotations

import re

from bibtexparser import model as bib

from build_tools import vocabulary as v
from build_tools.model import NOTICE_FIELDS, Source, parse_notices
from build_tools.problems import Problem, Severity, did_you_mean, one_of
from build_tools.schema import SOURCE_KEY

FIELDS: dict[str, str] = {
    "author": "Authors, BibTeX style: 'Last, F and Last, F and others'.",
    "editor": "Editors, BibTeX style.",
    "title": "The title as published.",
    "journal": "The journal, as printed.",
    "booktitle": "The book a chapter or paper appeared in.",
    "year": "The year of publication.",
    "month": "The month of publication.",
    "volume": "Volume.",
    "number": "Issue.",
    "pages": "Pages or article number.",
    "doi": "The DOI, 10.NNNN/..., without a 'doi:' or URL prefix.",
    "url": "A web address (http or https only).",
    "urldate": "When the web address was last seen.",
    "publisher": "The publisher.",
    "organization": "The organisation behind the source.",
    "institution": "The institution behind a report.",
    "howpublished": "How an unusual source was published.",
    "date": "A full date, YYYY-MM-DD (or YYYY-MM, YYYY).",
    "edition": "Edition.",
    "isbn": "ISBN.",
    "issn": "ISSN.",
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
"""The BibTeX fields a source may have; anything else is reported with a did-you-mean."""

TOOL_FIELDS = ("retracted", "concern", "corrected", "verified")
"""The fields ``verify`` writes (an editor may write them too, from a notice they have seen)."""

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
PMID = re.compile(r"^\d{1,9}$")
PMCID = re.compile(r"^PMC\d+$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
YEAR = re.compile(r"^\d{4}$")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RUN_ON = re.compile(r"[}\"]\s*\n\s*([A-Za-z][\w-]*)\s*=")
"""A value that runs into the next line's ``name =``: the comma after it is missing."""


def to_source(entry: bib.Entry, path: str) -> tuple[Source, list[Problem]]:
    """A source record from one BibTeX entry, and the problems of its fields."""
    problems: list[Problem] = []
    line = (entry.start_line or 0) + 1
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}

    def error(at: int, message: str) -> None:
        problems.append(Problem(path, at, 1, Severity.ERROR, f"{entry.key}: {message}"))

    if not SOURCE_KEY.match(entry.key) or not entry.key.isprintable():
        error(line, "the key is not a valid BibTeX key (expected letters, digits and "
                    "punctuation other than , { } ( ) = # % and quotes, without spaces)")

    for f in entry.fields:
        name = f.key.lower()
        at = (f.start_line or entry.start_line or 0) + 1
        value = f.value if isinstance(f.value, str) else str(f.value)
        run_on = RUN_ON.search(value)
        if run_on:
            error(at, f"field '{f.key}' runs on into '{run_on.group(1)} = ...' on the next line "
                      "(expected a comma after each field's value)")
            value = value[:run_on.start() + 1]
            if value.startswith("{") and value.endswith("}"):
                value = value[1:-1]
        value = value.strip()
        if name not in FIELDS:
            dym = did_you_mean(name, FIELDS)
            error(at, f"unknown field '{f.key}'" + (dym or f" (expected {one_of(FIELDS)})"))
            continue
        fields[name] = value
        lines[name] = at
    source = Source(key=entry.key, entry_type=entry.entry_type.lower(), fields=fields,
                    path=path, line=line, field_lines=lines)

    design = fields.get("design")
    if design is None:
        error(line, f"missing field 'design' (expected {one_of(v.DESIGNS)})")
    elif design not in v.DESIGNS:
        dym = did_you_mean(design, v.DESIGNS)
        error(lines["design"], f"design '{design}' is not allowed (expected "
                               f"{one_of(v.DESIGNS)}{'; ' + dym.strip()[1:-1] if dym else ''})")
    if "title" not in fields:
        error(line, "missing field 'title' (expected the title as published)")
    checks = (
        ("doi", DOI, "a DOI of the form 10.NNNN/... without prefix"),
        ("url", URL, "an http:// or https:// address"),
        ("pmid", PMID, "digits only"),
        ("pmcid", PMCID, "PMC followed by digits"),
        ("date", DATE, "YYYY-MM-DD, YYYY-MM or YYYY"),
        ("year", YEAR, "four digits"),
    )
    for name, pattern, expected in checks:
        value = fields.get(name)
        if value is not None and not pattern.match(value):
            error(lines[name], f"{name} {value!r} is not valid (expected {expected})")
    for name in NOTICE_FIELDS:
        value = fields.get(name)
        if value is not None and parse_notices(value) is None:
            error(lines[name], f"{name} {value!r} is not valid (expected the notice's DOI or "
                               "'PMID n', a comma and its date, e.g. {10.1016/S0140-6736(10)"
                               "60175-4, 2010-02-06}; several separated by '; ')")
    verified = fields.get("verified")
    if verified is not None and not FULL_DATE.match(verified):
        error(lines["verified"], f"verified {verified!r} is not valid (expected YYYY-MM-DD)")
    for name in ("interest", "title", "author"):
        if name in fields and not fields[name].strip("{} "):
            error(lines[name], f"field '{name}' is empty (expected a value, or leave the field "
                               "out)")
    return source, problems
