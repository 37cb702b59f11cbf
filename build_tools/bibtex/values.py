"""A BibTeX field value as written, split into its parts: ``{...}`` and ``"..."`` text, numbers
and ``@string`` macro names, joined by ``#``."""

from __future__ import annotations

import re

from build_tools.core.problems import shown


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
