"""Every BibTeX file's entries finished together: ``@string`` macros shared across the files of
``sources/`` (in any order of definition), and ``crossref``, which may name an entry in another
file."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from bibtexparser import model as bib

from build_tools.bibtex.entries import _Deferred, to_source
from build_tools.bibtex.fields import MONTHS, NOT_INHERITED, VALUE_SHAPE
from build_tools.bibtex.files import BibFile, MacroDef
from build_tools.bibtex.values import NotAValue, parse_value, value_text
from build_tools.core.problems import Problem, Severity, did_you_mean, shown
from build_tools.model.source import Source


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
            kept = defs.setdefault(d.name.lower(), (d, r.path))
            if kept[0] is not d:
                problems[r.path].append(Problem(
                    r.path, d.line, 1, Severity.ERROR,
                    f"@string {shown(d.name)} is defined twice (expected each @string once "
                    f"across sources/; first at {kept[1]}:{kept[0].line})"))
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
