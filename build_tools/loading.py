"""Stage 1, load: read files into YAML nodes (with positions) and BibTeX entries.

Nothing here knows the claim format; it only turns bytes into located structures and reports
what cannot be read. A file that cannot be read never stops the others from loading.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import yaml
from bibtexparser import model as bib

from build_tools.problems import Problem, Severity

log = logging.getLogger(__name__)

MAX_BYTES = 1_000_000
"""Larger files are refused: a claim or bibliography file is never this big."""

try:  # libyaml's C parser and composer where present, with node positions either way
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

LIBYAML = _Loader.__name__.startswith("C")


def _problem(path: str, line: int, col: int, message: str) -> Problem:
    return Problem(path, line, col, Severity.ERROR, message)


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problems that stop it being read (size, encoding, emptiness)."""
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
        return None, [_problem(shown, 1, 1, "file is empty (expected a claim record)")]
    return text, []


@dataclass
class YamlDocument:
    """A parsed YAML file: its root node, or None with the problems that prevented it."""

    root: yaml.Node | None
    problems: list[Problem] = field(default_factory=list)


def load_yaml(path: Path, shown: str) -> YamlDocument:
    """Compose one YAML file into nodes, which keep their line and column for messages."""
    text, problems = read_text(path, shown)
    if text is None:
        return YamlDocument(None, problems)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "cannot be parsed"
        return YamlDocument(None, [_problem(shown, line, col,
                                            f"YAML does not parse: {what} (expected valid YAML; "
                                            f"check quotes, colons and indentation)")])
    except yaml.YAMLError as exc:
        return YamlDocument(None, [_problem(shown, 1, 1, f"YAML does not parse: {exc}")])
    if root is None:
        return YamlDocument(None, [_problem(shown, 1, 1, "file holds no YAML document "
                                                         "(expected a claim record)")])
    return YamlDocument(root)


def alias_positions(text: str) -> list[tuple[int, int]]:
    """Where the YAML text uses anchors or aliases (1-based), for the error path only."""
    found = []
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
            found.append((token.start_mark.line + 1, token.start_mark.column + 1))
    return found


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
    out = BibFile(entries=list(library.entries))
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        name = type(block).__name__
        if name == "DuplicateBlockKeyBlock":
            key = getattr(block, "key", "?")
            msg = f"duplicate BibTeX key '{key}' (expected each key once across sources/)"
        elif name == "DuplicateFieldKeyBlock":
            fields = sorted(getattr(block, "duplicate_keys", set()) or [])
            msg = (f"entry has a field twice: {', '.join(fields) or '?'} "
                   "(expected each field once)")
            if isinstance(getattr(block, "ignore_error_block", None), bib.Entry):
                out.entries.append(block.ignore_error_block)  # its key still exists
        else:
            first = block.raw.strip().splitlines()[0] if block.raw.strip() else ""
            msg = (f"BibTeX does not parse: {first[:60]!r} (expected "
                   "@type{key, field = {value}, ...} with balanced braces)")
        out.problems.append(_problem(shown, line, 1, msg))
    return out
