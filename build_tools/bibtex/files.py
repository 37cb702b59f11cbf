"""BibTeX files read with bibtexparser 2: entries with their lines, ``@string`` definitions, and
every block that failed, in our words. A bad block keeps its location and the load goes on.

Field values stay as written (``{...}``, ``"..."``, a number, a macro name, or such parts joined
by ``#``): :mod:`build_tools.bibtex.entries` evaluates them once the macros of every file are
known (:mod:`build_tools.bibtex.macros`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model as bib

from build_tools.core.problems import Problem, Severity
from build_tools.core.problems import shown as quoted
from build_tools.core.reading import MAX_BIB_BYTES, read_text


def _problem(path: str, line: int, col: int, message: str) -> Problem:
    return Problem(path, line, col, Severity.ERROR, message)


@dataclass
class MacroDef:
    """An ``@string`` definition: its name, its value as written (an expression of parts joined
    by ``#``), and its 1-based line."""

    name: str
    value: str
    line: int


@dataclass
class BibFile:
    """The entries of one BibTeX file, each with its 1-based line, its ``@string`` definitions,
    and what failed. Field values are as written (``{...}``, ``"..."``, a number, a macro name,
    or such parts joined by ``#``): :mod:`build_tools.bibtex.entries` evaluates them once the
    macros of every file are known."""

    entries: list[bib.Entry] = field(default_factory=list)
    strings: list[MacroDef] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _QuietSplitter(logging.Filter):
    """bibtexparser logs each failed block; we report it ourselves, with its line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


logging.getLogger("bibtexparser").addFilter(_QuietSplitter())
logging.getLogger("bibtexparser.splitter").addFilter(_QuietSplitter())

_ENTRY_SHAPE = "(expected @type{key, field = {value}, ...})"


def load_bibtex(path: Path, shown: str) -> BibFile:
    """Parse one BibTeX file with bibtexparser 2; a bad block keeps its line, the rest loads."""
    text, problems = read_text(path, shown, max_bytes=MAX_BIB_BYTES)
    if text is None:
        return BibFile(problems=problems)
    library = bibtexparser.parse_string(text, parse_stack=[])  # values as written
    out = BibFile()
    for entry in library.entries:
        if entry.key.strip():
            out.entries.append(entry)
        else:  # nothing can cite it
            out.problems.append(_no_key(shown, entry))
    out.strings = [MacroDef(s.key, str(s.value), (s.start_line or 0) + 1)
                   for s in library.strings]
    if not library.entries and not library.strings and not library.failed_blocks:
        out.problems.append(_problem(shown, 1, 1, f"file holds no BibTeX entry {_ENTRY_SHAPE}"))
    for block in library.failed_blocks:
        out.problems.extend(_failed_block(block, shown, out))
    return out


def _no_key(shown: str, entry: bib.Entry) -> Problem:
    return _problem(shown, (entry.start_line or 0) + 1, 1, f"entry has no key {_ENTRY_SHAPE}")


def _failed_block(block: bib.Block, shown: str, out: BibFile) -> list[Problem]:
    """The problems of a block bibtexparser could not take, in our words; an entry whose only
    fault is a field given twice is kept (``out.entries``) with its first values."""
    line = (block.start_line or 0) + 1
    name = type(block).__name__
    inner = getattr(block, "ignore_error_block", None)
    if name == "DuplicateBlockKeyBlock":
        previous = getattr(block, "previous_block", None)
        at = (f"{shown}:{previous.start_line + 1}"
              if previous is not None and previous.start_line is not None else "")
        key = str(getattr(block, "key", ""))
        if isinstance(inner, bib.String):
            return [_problem(shown, line, 1, f"@string {quoted(key)} is defined twice (expected "
                                             "each @string once across sources/"
                                             f"{'; first at ' + at if at else ''})")]
        if not key.strip():
            return [_problem(shown, line, 1, f"entry has no key {_ENTRY_SHAPE}")]
        return [_problem(shown, line, 1, f"duplicate BibTeX key {quoted(key)} (expected each key "
                                         "once across sources/"
                                         f"{'; first defined at ' + at if at else ''})")]
    if name == "DuplicateFieldKeyBlock" and isinstance(inner, bib.Entry):
        problems = []
        kept: dict[str, bib.Field] = {}
        for f in inner.fields:
            if f.key.lower() in kept:
                first_line = (kept[f.key.lower()].start_line or 0) + 1
                problems.append(_problem(
                    shown, (f.start_line or 0) + 1, 1,
                    f"{key_label(inner.key)}: field {quoted(f.key)} is given twice (expected each "
                    f"field once; first at line {first_line})"))
            else:
                kept[f.key.lower()] = f
        inner.fields = list(kept.values())
        if inner.key.strip():
            out.entries.append(inner)  # its key still exists; its first values count
        else:
            problems.append(_no_key(shown, inner))
        return problems
    raw = (block.raw or "").strip()
    first = raw.split("\n", 1)[0] if raw else ""
    error = getattr(block, "error", None)
    reason = str(getattr(error, "abort_reason", "") or "").strip().rstrip(".")
    return [_problem(shown, line, 1,
                     f"BibTeX does not parse: {quoted(first)}{': ' + reason if reason else ''} "
                     "(expected @type{key, field = {value}, ...} with balanced braces)")]


def key_label(key: str) -> str:
    """An entry's key as the start of a message about it, shortened if it is long."""
    return key if len(key) <= 60 else key[:59] + "…"
