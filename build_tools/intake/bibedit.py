"""BibTeX text edited in place: a new entry appended, or some fields of one entry replaced,
every other character of the file left as it was (comments, alignment, field order).

bibtexparser locates each entry and field (its line); the edit is made on the file's text, not
by writing the parsed library back, which would re-flow every entry of the file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from bibtexparser import model as bib

from build_tools.core.problems import IntakeError

_FIELD_LINE = re.compile(r"^(?P<indent>[ \t]+)(?P<name>[A-Za-z][\w-]*)(?P<pad>[ \t]*)=")


def bib_value(text: str) -> str:
    """A braced BibTeX value for any text: white space folded, braces kept only when balanced."""
    text = " ".join(text.split())
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        text = text.replace("{", "").replace("}", "")
    return "{" + text + "}"


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
    """A new entry, one field a line, ``=`` aligned, as the files in sources/ are written."""
    lines = _field_lines((name, bib_value(value)) for name, value in fields)
    head = [f"% {line}" for line in comment.splitlines()] if comment else []
    body = ",\n".join(lines)
    return "\n".join([*head, f"@{entry_type}{{{key},", body, "}"]) + "\n"


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
    new = [(name, bib_value(v)) for name, v in values.items() if v is not None]
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
