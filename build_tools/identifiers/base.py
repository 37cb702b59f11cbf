"""What every identifier handler knows: its BibTeX field, the form the field holds, how an editor
may write it, where a reader can follow it, and how its record is fetched."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from build_tools.core.problems import IntakeError, one_line
from build_tools.identifiers.record import Record
from build_tools.identifiers.shape import WrongRecord


class Identifier:
    """One kind of identifier of a published work (after manubot's ``cite`` handlers).

    A subclass sets the class attributes and implements :meth:`fetch_one` (and :meth:`fetch`
    when its database answers for many at once); everything that handles identifiers (``add
    source``, ``verify``, the library index of ``sources/``, the checker and the reference
    links) goes through :data:`build_tools.identifiers.HANDLERS` instead of naming a kind.
    """

    field: ClassVar[str]
    """The BibTeX field that holds it (``doi``) and the option that takes it (``--doi``)."""
    label: ClassVar[str]
    """Its name in messages (``DOI``)."""
    database: ClassVar[str]
    """Where its record is read (``Crossref``)."""
    pattern: ClassVar[re.Pattern[str]]
    """The form the BibTeX field holds."""
    form: ClassVar[str]
    """That form in words, for the checker's message (``a DOI of the form 10.NNNN/...``)."""
    example: ClassVar[str]
    """One, for help texts."""
    known_as: ClassVar[str]
    """What a registered one is, for the message about one its database does not know."""
    record_of: ClassVar[str]
    """What it must be the id of, for ``add source``'s message when there is no record."""

    def valid(self, value: str | None) -> bool:
        """The value is of the form the BibTeX field holds."""
        return bool(value) and self.pattern.match(value or "") is not None

    def parse(self, text: str) -> str:
        """The normal form of an identifier as an editor writes it; :class:`IntakeError` when
        it is not one."""
        value = text.strip()
        if not self.valid(value):
            raise IntakeError(f"'{text}' is not a {self.label} (expected {self.form}, e.g. "
                              f"{self.example})")
        return value

    def same(self, a: str, b: str) -> bool:
        """Two values name the same work."""
        return a == b

    def url(self, value: str | None) -> str | None:
        """Where a reader can follow it; None for a value not of the stored form."""
        return None

    def not_found(self, value: str) -> str:
        """The message for a value the database has no record of."""
        return f"{self.database} has no record of {self.label} {value}"

    def fetch_one(self, value: str) -> Record:
        """The record of ``value``; :class:`IntakeError` when there is none."""
        raise NotImplementedError

    def fetch(self, values: list[str]) -> Mapping[str, Record | WrongRecord]:
        """The records of ``values``, by value; a value the database does not know is left
        out, and one it answered with another work's record maps to that refusal. One request
        per value unless a handler can ask for many at once."""
        out: dict[str, Record | WrongRecord] = {}
        for value in dict.fromkeys(values):
            try:
                out[value] = self.fetch_one(value)
            except WrongRecord as exc:
                out[value] = exc
            except IntakeError:
                continue
        return out

    def value_of(self, record: Record) -> str | None:
        """This identifier as the record gives it."""
        value = getattr(record, self.field, None)
        return value if isinstance(value, str) else None


class BatchIdentifier(Identifier):
    """An identifier whose database answers for many at once (:meth:`fetch` is the request);
    one is fetched as a batch of one."""

    batch: ClassVar[int] = 200
    """How many one request asks for."""

    def fetch_one(self, value: str) -> Record:
        found = self.answered([value])
        if value not in found:
            if found:
                raise WrongRecord(one_line(
                    f"{self.database} answered with the record of {self.label} "
                    f"{', '.join(sorted(found))} when asked for {self.label} {value} (expected "
                    f"the record of the {self.label} asked; check it at {self.url(value)})"))
            raise IntakeError(f"{self.not_found(value)} (expected {self.record_of}; check it "
                              f"at {self.url(value)})")
        return found[value]

    def fetch(self, values: list[str]) -> dict[str, Record]:
        """The records of ``values``, by value; one the database does not know is left out
        (and so is a record of one not asked)."""
        wanted = set(values)
        return {k: v for k, v in self.answered(values).items() if k in wanted}

    def answered(self, values: list[str]) -> dict[str, Record]:
        """Every record the database answered with when asked for ``values`` (in requests of
        :attr:`batch`), by its own identifier."""
        raise NotImplementedError
