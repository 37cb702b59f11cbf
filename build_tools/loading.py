"""Stage 1, load: read files into YAML nodes (with positions) and BibTeX entries.

Nothing here knows the claim format; it only turns bytes into located structures and reports
what cannot be read. A file that cannot be read never stops the others from loading.
"""

from __future__ import annotations

import bisect
import errno
import functools
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import yaml
from bibtexparser import model as bib

from build_tools.problems import Problem, Severity
from build_tools.problems import shown as quoted

log = logging.getLogger(__name__)

MAX_BYTES = 1_000_000
"""Larger claim, capture and set-aside files are refused: a claim record is a few kilobytes and
an article's text a few dozen, so a file this big is a mistake (a PDF or a database dump saved
under the wrong name), and refusing it keeps every check fast."""

MAX_BIB_BYTES = 20_000_000
"""Larger BibTeX files are refused. A bibliography is a library export, and real ones are big:
a lab's 6,315 entries are 1.8 MB, and a library of 11,300 entries that keep their abstracts is
20 MB, which this loader reads in about 6 s and 200 MB of memory (bench/bench_bibtex.py). A
larger file is not a bibliography anyone keeps in one file, and the limit keeps a wrong file
from costing minutes and gigabytes before it is refused."""

MAX_DEPTH = 64
"""Deeper YAML is refused before it is composed: a claim record nests four levels, and libyaml's
composer recurses, so tens of thousands of levels (well under MAX_BYTES) crash the interpreter."""

try:  # libyaml's C parser and composer where present, with node positions either way
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

LIBYAML = _Loader.__name__.startswith("C")


def _problem(path: str, line: int, col: int, message: str) -> Problem:
    return Problem(path, line, col, Severity.ERROR, message)


EXPECTED = {".yml": "a claim record", ".bib": "BibTeX entries", ".txt": "the article's text"}
"""What a file holds, by its extension, for the message about an empty file."""


def unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, in words for a message; None when it can.

    A symbolic link that leads nowhere or back to itself, a folder, a device or a pipe (which
    would block the run) are each named for what they are.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return (f"cannot read file: it is a symbolic link to {quoted(_link_target(path))}, "
                    "which does not exist (expected a file)")
        return "cannot read file: it disappeared while the check ran (expected a file)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ("cannot read file: it is a symbolic link that leads back to itself "
                    "(expected a file)")
        return f"cannot read file: {exc.strerror} (expected a readable file)"
    if stat.S_ISDIR(st.st_mode):
        return "cannot read file: it is a folder (expected a file)"
    if not stat.S_ISREG(st.st_mode):
        return "cannot read file: it is a device, pipe or socket (expected a regular file)"
    return None


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def read_text(path: Path, shown: str, expected: str | None = None,
              max_bytes: int = MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problems that stop it being read (what the file is, its size,
    encoding, emptiness); ``expected`` says what the file should hold (by default, from its
    extension). Positions are 1-based lines ending at ``\\n`` and columns in characters."""
    try:  # never blocks: a pipe opens at once, and is refused below
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        why = unreadable(path) or f"cannot read file: {exc.strerror} (expected a readable file)"
        return None, [_problem(shown, 1, 1, why)]
    with os.fdopen(fd, "rb") as file:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return None, [_problem(shown, 1, 1, unreadable(path) or "cannot read file: it "
                                                    "is not a regular file (expected a file)")]
            if st.st_size > max_bytes:
                return None, [_problem(shown, 1, 1, f"file is {st.st_size:,} bytes (expected "
                                                    f"at most {max_bytes:,})")]
            data = file.read(st.st_size + 1)  # not max_bytes: that would allocate it
            if len(data) > st.st_size:  # it grows while it is read
                data += file.read(max_bytes + 1 - len(data))
        except OSError as exc:
            return None, [_problem(shown, 1, 1, f"cannot read file: {exc.strerror} (expected "
                                                "a readable file)")]
    if len(data) > max_bytes:  # it grew while it was read
        return None, [_problem(shown, 1, 1, f"file is more than {max_bytes:,} bytes (expected "
                                            f"at most {max_bytes:,})")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line_start = before.rfind(b"\n") + 1
        line = before.count(b"\n") + 1
        col = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return None, [_problem(shown, line, col,
                               f"file is not UTF-8: byte 0x{data[exc.start]:02x} cannot be "
                               f"decoded (expected UTF-8 text)")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        expected = expected or EXPECTED.get(path.suffix, "text")
        return None, [_problem(shown, 1, 1, f"file is empty (expected {expected})")]
    return text, []


class Lines:
    """Line and column of a character offset in a text, as an editor counts them.

    Lines end at ``\\n`` only (a ``\\r\\n`` is one line end). YAML also ends a line at a lone
    ``\\r``, U+0085, U+2028 and U+2029, so libyaml's own line numbers drift after one; its
    character offsets do not. A position past the end of the text is the end of its last line.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    def at(self, index: int) -> tuple[int, int]:
        """The 1-based line and column of the character at ``index``."""
        text = self.text
        index = max(0, min(index, len(text)))
        if index == len(text) and text.endswith("\n") and index > 0:
            index -= 1  # the end of the file is the end of its last line, not a line after it
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        i = bisect.bisect_right(self._starts, index) - 1
        return i + 1, index - self._starts[i] + 1

    def mark(self, mark: yaml.Mark) -> tuple[int, int]:
        return self.at(mark.index)


_ODD_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
"""What YAML, and no editor, counts as a line break."""


def _relocate(root: yaml.Node, lines: Lines) -> None:
    """Give every node marks whose line and column count lines as :class:`Lines` does."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for name in ("start_mark", "end_mark"):
            mark = getattr(node, name)
            line, col = lines.mark(mark)
            setattr(node, name, yaml.Mark(mark.name, mark.index, line - 1, col - 1, None, None))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


@dataclass
class YamlDocument:
    """A parsed YAML file: its root node, or None with the problems that prevented it."""

    root: yaml.Node | None
    problems: list[Problem] = field(default_factory=list)


def load_yaml(path: Path, shown: str, expected: str = "a claim record") -> YamlDocument:
    """Compose one YAML file into nodes, which keep their line and column for messages.

    A file with aliases is refused, each alias reported where it is written (the composer hands
    back the anchored node, so later stages could not tell where the alias was); so is a file
    that nests deeper than MAX_DEPTH.
    """
    text, problems = read_text(path, shown, expected)
    if text is None:
        return YamlDocument(None, problems)
    lines = Lines(text)
    try:
        if _may_nest_too_deep(text) or ("&" in text and "*" in text):
            problems = _screen(text, shown, lines)
            if problems:
                return YamlDocument(None, problems)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return YamlDocument(None, [_parse_problem(exc, shown, lines)])
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        code = exc.character if isinstance(exc.character, int) else 0
        line, col = lines.at(max(text.find(chr(code)), 0))
        return YamlDocument(None, [_problem(shown, line, col,
                                            f"YAML does not parse: character U+{code:04X} is not "
                                            f"allowed ({exc.reason}; expected printable text)")])
    except yaml.YAMLError as exc:
        return YamlDocument(None, [_problem(shown, 1, 1, f"YAML does not parse: {exc}")])
    except RecursionError:  # pragma: no cover - _screen refuses what nests this deep
        return YamlDocument(None, [_problem(shown, 1, 1, "YAML nests too deep to be read "
                                                         f"(expected {expected})")])
    if root is None:
        return YamlDocument(None, [_problem(shown, 1, 1, "file holds no YAML document "
                                                         f"(expected {expected})")])
    if ("\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text) \
            and _ODD_BREAKS.search(text):
        _relocate(root, lines)
    return YamlDocument(root)


_INSIDE = re.compile(r"^while (?:parsing|scanning) an? ")


def _parse_problem(exc: yaml.MarkedYAMLError, shown: str, lines: Lines) -> Problem:
    """``YAML does not parse`` at the problem, saying where the construct it is in started; an
    unexpected end of the file is reported where the unclosed construct starts."""
    problem, context = exc.problem or "", exc.context or ""
    mark, start = exc.problem_mark, exc.context_mark
    what = problem or context or "cannot be parsed"
    inside = _INSIDE.sub("in the ", context)  # "while parsing a flow sequence" -> "in the ..."
    if start is not None and "end of stream" in problem:  # the file ended inside something
        what = f"{problem} {inside} that starts here" if inside != context else problem
        mark = start
    elif context and start is not None and mark is not None and \
            lines.mark(start)[0] != lines.mark(mark)[0]:
        line, col = lines.mark(start)
        where = f"line {line}, column {col}"
        what = (f"{problem} {inside} that starts at {where}" if inside != context
                else f"{context} ({where}), {problem}")
    mark = mark or start
    line, col = lines.mark(mark) if mark else (1, 1)
    return _problem(shown, line, col, f"YAML does not parse: {what} (expected valid YAML; "
                                      "check quotes, colons and indentation)")


_PREFIX = re.compile(r"[ \t?:-]*")


@functools.cache
def _long_prefix(length: int) -> re.Pattern[str]:
    return re.compile(r"\n[ \t?:-]{" + str(length) + "}")


def _may_nest_too_deep(text: str) -> bool:
    """False when ``text`` surely nests at most MAX_DEPTH levels; cheap, for every file.

    A flow collection opens with ``[`` or ``{``. A block collection starts after nothing but
    white space and the indicators ``- ? :`` on its line, and to the right of its parent (a list
    under a key may start in the key's column): so ``text`` nests at most ``flow + 2 * (prefix
    + 1)`` levels, where ``prefix`` is the longest such start of a line.
    """
    flow = text.count("[") + text.count("{")
    prefix = (MAX_DEPTH - flow) // 2 - 1  # a line start this long could exceed MAX_DEPTH
    return (prefix <= 0 or _PREFIX.match(text).end() >= prefix  # type: ignore[union-attr]
            or _long_prefix(prefix).search(text) is not None)


def _screen(text: str, shown: str, lines: Lines) -> list[Problem]:
    """The problems the composer would hide or choke on, from libyaml's events: every alias,
    where it is written, or else the first collection nested deeper than MAX_DEPTH."""
    problems = []
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return [_problem(shown, *lines.mark(event.start_mark),
                                 f"YAML nests more than {MAX_DEPTH} levels deep (expected a "
                                 "claim record, which nests four)")]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            problems.append(_problem(shown, *lines.mark(event.start_mark),
                                     f"YAML alias {quoted('*' + event.anchor)} is not allowed "
                                     f"(expected "
                                     f"every value written out in full, without anchors and "
                                     f"aliases)"))
    return problems


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
    or such parts joined by ``#``): :mod:`build_tools.bibliography` evaluates them once the
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
    raw = block.raw.strip()
    first = raw.split("\n", 1)[0] if raw else ""
    error = getattr(block, "error", None)
    reason = str(getattr(error, "abort_reason", "") or "").strip().rstrip(".")
    return [_problem(shown, line, 1,
                     f"BibTeX does not parse: {quoted(first)}{': ' + reason if reason else ''} "
                     "(expected @type{key, field = {value}, ...} with balanced braces)")]


def key_label(key: str) -> str:
    """An entry's key as the start of a message about it, shortened if it is long."""
    return key if len(key) <= 60 else key[:59] + "…"
