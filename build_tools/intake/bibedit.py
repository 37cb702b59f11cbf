"""BibTeX text edited in place: a new entry appended, or some fields of one entry replaced,
every other character of the file left as it was (comments, alignment, field order).

bibtexparser locates each entry and field (its line); the edit is made on the file's text, not
by writing the parsed library back, which would re-flow every entry of the file.

Every value written is read back first by the project's own reader (:func:`read_back`): what an
entry says is what the site will show, whatever the record held (a title ending in a backslash,
a brace, ``--``, ``$``, a family name with a comma).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

import bibtexparser
from bibtexparser import model as bib

from build_tools.bibtex.entries import to_source
from build_tools.core.problems import IntakeError, shown
from build_tools.model.latex import Name, parse_names
from build_tools.model.source import VERBATIM

_FIELD_LINE = re.compile(r"^(?P<indent>[ \t]+)(?P<name>[A-Za-z][\w-]*)(?P<pad>[ \t]*)=")


class Unwritable(IntakeError):
    """A value no BibTeX text reads back as (the message names the field and the value)."""


class BibTeX(str):
    """A value already written in BibTeX, braces and all (an ``author`` list from
    :func:`names_value`): :func:`entry_text` writes it as it is."""


_ESCAPES = {"\\": "{\\textbackslash}", "{": "\\{", "}": "\\}", "$": "\\$",
            "~": "{\\textasciitilde}", "%": "\\%", "&": "\\&", "#": "\\#", "_": "\\_"}
"""Characters LaTeX reads as commands, groups, math, spaces or comments, as LaTeX writes them
to mean themselves."""
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)")
"""Where LaTeX would join two characters into one (``--`` a dash, two backquotes a quote mark):
an empty group between them keeps them apart."""


def _latex(text: str) -> str:
    text = "".join(_ESCAPES.get(c, c) for c in text)
    return _LIGATURE.sub("{}", text)


def read_back(name: str, braced: str) -> str | None:
    """What the project's own reader (bibtexparser, then the checker's field evaluation and
    LaTeX decoding) makes of ``name = braced``; None when it cannot read it at all."""
    library = bibtexparser.parse_string(f"@misc{{k,\n  {name} = {braced}\n}}\n",
                                        parse_stack=[])
    if library.failed_blocks or len(library.entries) != 1:
        return None
    source, _ = to_source(library.entries[0], "-")
    if name not in source.fields:
        return None
    return source.fields[name] if name in VERBATIM else (source.get(name) or "")


def bib_value(text: str, name: str = "title") -> str:
    """A braced BibTeX value that the project's own reader reads back as ``text`` (white space
    folded): as it is when it reads back so, else with LaTeX's special characters escaped (a
    title ending in a backslash, an unbalanced brace, ``--``, ``$``); :class:`Unwritable` when
    neither does (a DOI or page range holding a brace, which is not read as LaTeX)."""
    text = " ".join(text.split())
    if not text:
        return "{}"
    for braced in ("{" + text + "}", "{" + _latex(text) + "}"):
        if read_back(name, braced) == text:
            return braced
        if name in VERBATIM:
            break
    raise Unwritable(f"the value of {name}, {shown(text)}, cannot be written in BibTeX so that "
                     "it reads back as it is")


def names_value(names: Iterable[tuple[str, str, bool]]) -> BibTeX:
    """An ``author`` field for (family, given, organisation) names, each read back by the
    project's reader as that one name: an organisation in braces, a family name holding a
    comma or ``and`` in braces of its own, LaTeX's special characters escaped.
    :class:`Unwritable` for a name no BibTeX text reads back as."""
    written = []
    wanted = []
    for family, given, organisation in names:
        family, given = " ".join(family.split()), " ".join(given.split())
        if organisation:
            tries = ["{" + _latex(family) + "}"]
        else:
            f, g = _latex(family), _latex(given)
            tries = [f"{f}, {g}" if g else f, f"{{{f}}}, {{{g}}}" if g else f"{{{f}}}"]
        for one in tries:
            parsed = parse_names(one)
            if len(parsed) == 1 and _is(parsed[0], family, given, organisation):
                written.append(one)
                wanted.append((family, given, organisation))
                break
        else:
            raise Unwritable(f"the author {shown(family)} cannot be written in BibTeX so that "
                             "it reads back as one name")
    joined = " and ".join(written)
    parsed = parse_names(joined)  # a brace in one name can swallow the 'and' after it
    if len(parsed) != len(wanted) or not all(_is(n, *w) for n, w in zip(parsed, wanted,
                                                                       strict=True)):
        raise Unwritable("the authors cannot be written in BibTeX so that each reads back as "
                         "one name (a brace in a name)")
    return BibTeX("{" + joined + "}")


def _is(name: Name, family: str, given: str, organisation: bool) -> bool:
    if organisation:
        return name.organisation and name.last == family
    return (name.family, name.first) == (family, given)


def _field_lines(fields: Iterable[tuple[str, str]], indent: str = "  ",
                 eq_column: int | None = None) -> list[str]:
    """``  name    = {value}`` lines, ``=`` aligned at ``eq_column`` (or after the longest
    name); the values are already braced."""
    fields = list(fields)
    if eq_column is None:
        eq_column = len(indent) + max((len(n) for n, _ in fields), default=0) + 1
    return [f"{indent}{name}{' ' * max(1, eq_column - len(indent) - len(name))}= {value}"
            for name, value in fields]


def entry_text(entry_type: str, key: str, fields: Iterable[tuple[str, str]],
               comment: str | None = None) -> str:
    """A new entry, one field a line, ``=`` aligned, as the files in sources/ are written; read
    back whole before it is returned, so every field reads as given (:class:`Unwritable`
    otherwise)."""
    fields = list(fields)
    lines = _field_lines((name, value if isinstance(value, BibTeX) else bib_value(value, name))
                         for name, value in fields)
    head = [f"% {line}" for line in comment.splitlines()] if comment else []
    body = ",\n".join(lines)
    text = "\n".join([*head, f"@{entry_type}{{{key},", body, "}"]) + "\n"
    _reads_back(text, key, fields)
    return text


def _reads_back(text: str, key: str, fields: list[tuple[str, str]]) -> None:
    library = bibtexparser.parse_string(text, parse_stack=[])
    if library.failed_blocks or [e.key for e in library.entries] != [key]:
        raise Unwritable(f"the entry {shown(key)} does not read back as one BibTeX entry")
    source, _ = to_source(library.entries[0], "-")
    for name, value in fields:
        if isinstance(value, BibTeX):
            same = parse_names(source.fields.get(name, "")) == parse_names(value[1:-1])
        else:
            want = " ".join(value.split())
            same = (source.fields.get(name, "") if name in VERBATIM else
                    source.get(name) or "") == want
        if not same:
            raise Unwritable(f"the value of {name} in {shown(key)} does not read back as it "
                             "was given")


def append_entry(text: str, entry: str) -> str:
    """``text``, unchanged, with ``entry`` after it and a blank line between them."""
    if not text:
        return entry
    sep = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    return text + sep + entry


def _layout(lines: list[str]) -> tuple[str, int | None]:
    """The indent and the column of ``=`` most fields of an entry use."""
    indents: Counter[str] = Counter()
    columns: Counter[int] = Counter()
    for line in lines:
        m = _FIELD_LINE.match(line)
        if m:
            indents[m["indent"]] += 1
            columns[m.end() - 1] += 1
    indent = indents.most_common(1)[0][0] if indents else "  "
    column = columns.most_common(1)[0][0] if columns else None
    return indent, column


def set_fields(text: str, entry: bib.Entry, values: Mapping[str, str | None]) -> str:
    """``text`` with the fields ``values`` names set in ``entry`` (None: removed). The fields
    already there are removed, and the new ones written at the end of the entry, in the order
    given; nothing else in the file changes. ``values`` are unbraced."""
    if entry.start_line is None or not entry.raw:
        raise IntakeError(f"{entry.key}: cannot locate the entry in its file")
    lines = text.split("\n")
    raw_lines = entry.raw.split("\n")
    start = entry.start_line
    if "\n".join(lines[start:start + len(raw_lines)]).find(entry.raw.strip()) == -1:
        raise IntakeError(f"{entry.key}: the entry's text is not where it was read")
    end = start + len(raw_lines)  # the entry is lines[start:end]
    block = lines[start:end]
    names = {n.lower() for n in values}
    starts = sorted((f.start_line - start, f.key.lower()) for f in entry.fields
                    if f.start_line is not None)
    closing = max(i for i, line in enumerate(block) if "}" in line)
    drop: set[int] = set()
    for k, (rel, name) in enumerate(starts):
        if name not in names:
            continue
        stop = starts[k + 1][0] if k + 1 < len(starts) else closing
        if (k + 1 < len(starts) and starts[k + 1][0] == rel) or (k > 0 and starts[k - 1][0]
                                                                 == rel) or stop <= rel:
            raise IntakeError(f"{entry.key}: field '{name}' shares its line with another field "
                              "or with the entry's closing brace (expected one field a line)")
        drop.update(range(rel, stop))
    kept = [line for i, line in enumerate(block) if i not in drop]
    new = [(name, bib_value(v, name)) for name, v in values.items() if v is not None]
    if new:
        indent, column = _layout(block)
        close_at = max(i for i, line in enumerate(kept) if "}" in line)
        closing_line = kept[close_at]
        before = kept[:close_at]
        if closing_line.strip() != "}":  # the last value and the brace share a line
            cut = closing_line.rstrip().rfind("}")
            before.append(closing_line[:cut].rstrip())
            closing_line = closing_line[cut:]
        while before and not before[-1].strip():
            before.pop()
        if before and not before[-1].rstrip().endswith((",", "{")):
            before[-1] = before[-1].rstrip() + ","
        fields = _field_lines(new, indent, column)
        kept = [*before, ",\n".join(fields), closing_line, *kept[close_at + 1:]]
    return "\n".join([*lines[:start], *"\n".join(kept).split("\n"), *lines[end:]])
