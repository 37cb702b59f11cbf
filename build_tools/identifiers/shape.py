"""A record read in the form its database documents, or refused in one line.

Crossref's and E-utilities' answers are JSON a server on the other side of the world writes: a
field can be missing, ``null``, or (from a broken or hostile server) of any other kind. Each
handler reads its record through a :class:`Shape`, field by field, so reading and checking are
one pass: a missing or ``null`` field is absent, a field of the wrong kind (a number where the
format has a list of text, an author that is a string, a year of 2) stops the command with
:class:`WrongShape`, which names the field, what it is and what was expected, and nothing is
written.
"""

from __future__ import annotations

from typing import Any, NoReturn

from build_tools.core.net import ServiceError
from build_tools.core.problems import one_line, shown

MIN_YEAR, MAX_YEAR = 1000, 2999
"""A year outside these is not a year of publication (``2`` or ``20100`` are a broken record)."""


class WrongShape(ServiceError):
    """A record not in its database's documented form (exit 2: nothing was written)."""


class WrongRecord(ServiceError):
    """A database answered with the record of another work than the one asked."""


def kind(value: Any) -> str:
    """What a JSON value is, in words for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"[:60]
    if isinstance(value, str):
        return f"the text {shown(value, 40)}"
    if isinstance(value, list):
        return "a list"
    return "an object"


class Shape:
    """Reads one answer of ``database`` about ``asked`` (``DOI 10.1/x``)."""

    def __init__(self, database: str, asked: str) -> None:
        self.database = database
        self.asked = asked

    def fail(self, where: str, value: Any, expected: str) -> NoReturn:
        raise WrongShape(one_line(f"{self.database}'s answer for {self.asked} is not a record "
                                  f"in its documented form: {where} is {kind(value)} (expected "
                                  f"{expected}; try again later, or report it to "
                                  f"{self.database})"))

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, value, "an object")
        return value

    def text(self, parent: dict[str, Any], key: str, where: str,
             numbers: bool = False) -> str | None:
        """A text field (or, with ``numbers``, a whole number written as one, as volumes and
        pages sometimes are); None when it is missing or null."""
        value = parent.get(key)
        if value is None or isinstance(value, str):
            return value
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.fail(f"{where}.{key}", value, "text")

    def texts(self, parent: dict[str, Any], key: str, where: str) -> list[str]:
        """A list of text; [] when it is missing or null."""
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{where}.{key}", value, "a list of text")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(f"{where}.{key}[{i}]", item, "text")
        return value

    def objects(self, parent: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        """A list of objects; [] when it is missing or null."""
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{where}.{key}", value, "a list of objects")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"{where}.{key}[{i}]", item, "an object")
        return value

    def year(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not \
                MIN_YEAR <= value <= MAX_YEAR:
            self.fail(where, value, f"a year from {MIN_YEAR} to {MAX_YEAR}")
        return value

    def between(self, value: Any, where: str, low: int, high: int, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(where, value, f"{what} from {low} to {high}")
        return value
