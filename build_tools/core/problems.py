"""Problems found in the knowledge base: collected, never raised one at a time.

Every stage appends to a :class:`Report`; the command prints the whole report at the end, so an
editor sees every problem in every file in one run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

MAX_MESSAGE = 600
"""No message is longer (in characters): a value quoted in one is shortened by :func:`shown`,
and this bounds whatever else could grow (a long key, a long path)."""

MAX_SHOWN = 60
"""How much of a value from the data a message quotes."""

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(c: str) -> str:
    if c.isprintable():
        return c
    if c in _ESCAPES:
        return _ESCAPES[c]
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` safe to print as part of one line, at most ``limit`` characters (the cut marked
    with an ellipsis).

    Every character Python does not call printable is written as an escape, as ``repr`` does
    (``\\n``, ``\\x1b``, ``\\u2028``, ``\\u202e``, ``\\udcff``): line and paragraph
    separators, control characters a terminal would obey, bidirectional and invisible format
    characters, and the lone surrogates a file name that is not UTF-8 decodes to (which could
    not even be printed).
    """
    if len(text) <= limit and text.isprintable():
        return text
    cut = len(text) > limit
    text = "".join(map(_escape, text[:limit]))
    return text[:limit - 1] + "…" if cut or len(text) > limit else text


def shown(value: object, limit: int = MAX_SHOWN) -> str:
    """A value from the data, quoted for a message: ``'text'``, escaped like :func:`one_line`,
    and shortened to ``limit`` characters with its full length said (``'1234…' (900,000
    characters)``), so one bad value cannot make a message long."""
    text = str(value)
    if len(text) <= limit:
        return "'" + one_line(text, limit * 4) + "'"
    return "'" + one_line(text[:limit], limit * 4) + f"…' ({len(text):,} characters)"


class CannotRun(Exception):
    """A command cannot run at all (exit code 2): the knowledge base cannot be loaded, there is
    no network, or the editor's libraries are missing. One class for every command, so a
    command that loads the knowledge base and fetches catches one exception."""


class IntakeError(Exception):
    """An editor's command cannot do what was asked: the message says why (exit 1)."""


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, located at a file, line and column (1-based)."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    reminder: bool = field(default=False, compare=False)
    """A warning that ``--strict`` leaves a warning (an overdue review): time alone, with no
    file changed, must not fail a check or a build."""

    def __post_init__(self) -> None:
        # one problem, one line: nothing from the data can end the line, reach the terminal as
        # a control sequence, or make the message unbounded (see one_line)
        for name, limit in (("path", MAX_MESSAGE), ("message", MAX_MESSAGE)):
            value = getattr(self, name)
            safe = one_line(value, limit)
            if safe is not value:
                object.__setattr__(self, name, safe)

    def format(self) -> str:
        """``path:line:col: error: message``, the form compilers and editors understand."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"

    def format_github(self) -> str:
        """A GitHub Actions workflow command, so a pull request shows the message on the line."""
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return (f"::{self.severity.value} file={path},line={self.line},col={self.col}"
                f"::{msg}")


@dataclass
class Report:
    """All problems of one run, in the order found; :meth:`sorted` orders them for output."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(path, line, col, Severity.ERROR, message))

    def warning(self, path: str, line: int, col: int, message: str) -> None:
        self.problems.append(Problem(path, line, col, Severity.WARNING, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def escalated(self) -> list[Problem]:
        """The warnings that ``--strict`` turns into errors (all but reminders)."""
        return [p for p in self.warnings if not p.reminder]

    def failed(self, strict: bool = False) -> bool:
        """True when the run must fail: any error, or any warning but a reminder under
        ``strict``."""
        return bool(self.errors) or (strict and bool(self.escalated))

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or ``''`` when none is close."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not match and word.lower() != word:
        match = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def one_of(choices: Iterable[str]) -> str:
    """``one of: a, b, c`` for an expected-value hint."""
    return "one of: " + ", ".join(choices)
