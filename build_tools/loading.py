"""Stage 1, load: read files into YAML nodes (with positions) and BibTeX entries.

Nothing here knows the claim format; it only turns bytes into located structures and reports
what cannot be read. A file that cannot be read never stops the others from loading.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import yaml
from bibtexparser import model as bib
from bibtexparser.middlewares import RemoveEnclosingMiddleware as _RemoveEnclosing

from build_tools.problems import Problem, Severity

log = logging.getLogger(__name__)

MAX_BYTES = 1_000_000
"""Larger files are refused: a claim or bibliography file is never this big."""

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


def read_text(path: Path, shown: str,
              expected: str | None = None) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problems that stop it being read (size, encoding, emptiness);
    ``expected`` says what the file should hold (by default, from its extension)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [_problem(shown, 1, 1, f"cannot read file: {exc.strerror}")]
    if len(data) > MAX_BYTES:
        return None, [_problem(shown, 1, 1, f"file is {len(data):,} bytes "
                                            f"(expected at most {MAX_BYTES:,})")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [_problem(shown, line, col,
                               f"file is not UTF-8: byte 0x{data[exc.start]:02x} cannot be "
                               f"decoded (expected UTF-8 text)")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        expected = expected or EXPECTED.get(path.suffix, "text")
        return None, [_problem(shown, 1, 1, f"file is empty (expected {expected})")]
    return text, []


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
    try:
        if _may_nest_too_deep(text) or ("&" in text and "*" in text):
            problems = _screen(text, shown)
            if problems:
                return YamlDocument(None, problems)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return YamlDocument(None, [_parse_problem(exc, shown)])
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        code = exc.character if isinstance(exc.character, int) else 0
        at = max(text.find(chr(code)), 0)
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        return YamlDocument(None, [_problem(shown, line, col,
                                            f"YAML does not parse: character U+{code:04X} is not "
                                            f"allowed ({exc.reason}; expected printable text)")])
    except yaml.YAMLError as exc:
        return YamlDocument(None, [_problem(shown, 1, 1, f"YAML does not parse: {exc}")])
    if root is None:
        return YamlDocument(None, [_problem(shown, 1, 1, "file holds no YAML document "
                                                         f"(expected {expected})")])
    return YamlDocument(root)


_INSIDE = re.compile(r"^while (?:parsing|scanning) an? ")


def _parse_problem(exc: yaml.MarkedYAMLError, shown: str) -> Problem:
    """``YAML does not parse`` at the problem, saying where the construct it is in started; an
    unexpected end of the file is reported where the unclosed construct starts."""
    problem, context = exc.problem or "", exc.context or ""
    mark, start = exc.problem_mark, exc.context_mark
    what = problem or context or "cannot be parsed"
    inside = _INSIDE.sub("in the ", context)  # "while parsing a flow sequence" -> "in the ..."
    if start is not None and "end of stream" in problem:  # the file ended inside something
        what = f"{problem} {inside} that starts here" if inside != context else problem
        mark = start
    elif context and start is not None and mark is not None and start.line != mark.line:
        where = f"line {start.line + 1}, column {start.column + 1}"
        what = (f"{problem} {inside} that starts at {where}" if inside != context
                else f"{context} ({where}), {problem}")
    mark = mark or start
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
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


def _screen(text: str, shown: str) -> list[Problem]:
    """The problems the composer would hide or choke on, from libyaml's events: every alias,
    where it is written, or else the first collection nested deeper than MAX_DEPTH."""
    problems = []
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                return [_problem(shown, mark.line + 1, mark.column + 1,
                                 f"YAML nests more than {MAX_DEPTH} levels deep (expected a "
                                 "claim record, which nests four)")]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            problems.append(_problem(shown, mark.line + 1, mark.column + 1,
                                     f"YAML alias '*{event.anchor}' is not allowed (expected "
                                     f"every value written out in full, without anchors and "
                                     f"aliases)"))
    return problems


@dataclass
class BibFile:
    """The entries of one BibTeX file, each with its 1-based line, and what failed."""

    entries: list[bib.Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _QuietSplitter(logging.Filter):
    """bibtexparser logs each failed block; we report it ourselves, with its line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


logging.getLogger("bibtexparser").addFilter(_QuietSplitter())
logging.getLogger("bibtexparser.splitter").addFilter(_QuietSplitter())


def load_bibtex(path: Path, shown: str) -> BibFile:
    """Parse one BibTeX file with bibtexparser 2; a bad block keeps its line, the rest loads."""
    text, problems = read_text(path, shown)
    if text is None:
        return BibFile(problems=problems)
    library = bibtexparser.parse_string(text)
    out = BibFile()
    for entry in library.entries:
        if entry.key.strip():
            out.entries.append(entry)
        else:  # nothing can cite it
            out.problems.append(_problem(shown, (entry.start_line or 0) + 1, 1,
                                         "entry has no key (expected @type{key, field = "
                                         "{value}, ...})"))
    if not library.entries and not library.failed_blocks:
        out.problems.append(_problem(shown, 1, 1, "file holds no BibTeX entry (expected "
                                                  "@type{key, field = {value}, ...})"))
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        name = type(block).__name__
        entry = getattr(block, "ignore_error_block", None)
        if name == "DuplicateBlockKeyBlock":
            key = getattr(block, "key", "?")
            previous = getattr(block, "previous_block", None)
            first = (f"; first defined at {shown}:{previous.start_line + 1}"
                     if previous is not None and previous.start_line is not None else "")
            msg = f"duplicate BibTeX key '{key}' (expected each key once across sources/{first})"
        elif name == "DuplicateFieldKeyBlock" and isinstance(entry, bib.Entry):
            entry = _RemoveEnclosing(allow_inplace_modification=True).transform_entry(entry,
                                                                                     library)
            kept: dict[str, bib.Field] = {}
            for f in entry.fields:
                if f.key in kept:
                    first_line = (kept[f.key].start_line or 0) + 1
                    out.problems.append(_problem(
                        shown, (f.start_line or 0) + 1, 1,
                        f"{entry.key}: field '{f.key}' is given twice (expected each field "
                        f"once; first at line {first_line})"))
                else:
                    kept[f.key] = f
            entry.fields = list(kept.values())
            out.entries.append(entry)  # its key still exists; its first values count
            continue
        else:
            first = block.raw.strip().splitlines()[0] if block.raw.strip() else ""
            error = getattr(block, "error", None)
            reason = str(getattr(error, "abort_reason", "") or "").strip().rstrip(".")
            msg = (f"BibTeX does not parse: {first[:60]!r}{': ' + reason if reason else ''} "
                   "(expected @type{key, field = {value}, ...} with balanced braces)")
        out.problems.append(_problem(shown, line, 1, msg))
    return out
