"""Stage 2, read: each file's bytes to located structures. YAML files are composed here into
nodes that keep their line and column; BibTeX files are read by :mod:`build_tools.bibtex.files`
and captures by :mod:`build_tools.core.reading`, then split by :mod:`build_tools.rules.passages`.

Nothing here knows the claim format; it only turns bytes into located structures and reports
what cannot be read. A file that cannot be read never stops the others from loading.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from build_tools.core.problems import Problem, Severity
from build_tools.core.problems import shown as quoted
from build_tools.core.reading import read_text

log = logging.getLogger(__name__)


def _problem(path: str, line: int, col: int, message: str) -> Problem:
    return Problem(path, line, col, Severity.ERROR, message)


MAX_DEPTH = 64
"""Deeper YAML is refused before it is composed: a claim record nests four levels, and libyaml's
composer recurses, so tens of thousands of levels (well under MAX_BYTES) crash the interpreter."""

try:  # libyaml's C parser and composer where present, with node positions either way
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

LIBYAML = _Loader.__name__.startswith("C")


def yaml_loader() -> Any:
    """The YAML loader every claim file is read with (libyaml's where present), for a tool that
    must read one exactly as the check does."""
    return _Loader




class _Mark(Protocol):
    """A position in a YAML text, as PyYAML's and libyaml's marks both give it."""

    @property
    def index(self) -> int: ...


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

    def mark(self, mark: _Mark | None) -> tuple[int, int]:
        """The line and column of a YAML mark (PyYAML's or libyaml's), 1:1 for none."""
        if mark is None:
            return 1, 1
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
            setattr(node, name, yaml.Mark(mark.name, mark.index, line - 1, col - 1,
                                          None, None))  # type: ignore[arg-type]
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
                                     f"YAML alias {quoted('*' + (event.anchor or ''))} is not "
                                     f"allowed (expected "
                                     f"every value written out in full, without anchors and "
                                     f"aliases)"))
    return problems
