"""The kinds of field a claim-file format is declared with (:mod:`build_tools.rules.schema`):
each checks YAML nodes (:mod:`build_tools.rules.validator`), writes its JSON Schema and says in
words what a value of it looks like."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Spec:
    """Base of a field type: its description and JSON Schema."""

    description: str = ""

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def _with_description(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.description:
            schema = {"description": self.description, **schema}
        return schema

    def expected(self) -> str:
        """What a value of this type looks like, for messages."""
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Spec):
    """A string; ``min_length`` after stripping white space."""

    min_length: int = 1
    max_length: int | None = None
    pattern: str | None = None
    pattern_hint: str = ""

    def json_schema(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": "string", "minLength": self.min_length}
        if self.max_length:
            s["maxLength"] = self.max_length
        if self.pattern:
            s["pattern"] = self.pattern
        return self._with_description(s)

    def expected(self) -> str:
        return self.pattern_hint or "text"


@dataclass(frozen=True)
class Choice(Spec):
    """One value of a vocabulary."""

    terms: tuple[str, ...] = ()

    def json_schema(self) -> dict[str, Any]:
        return self._with_description({"type": "string", "enum": list(self.terms)})

    def expected(self) -> str:
        return "one of: " + ", ".join(self.terms)


@dataclass(frozen=True)
class IntChoice(Spec):
    """A whole number from a fixed set."""

    values: tuple[int, ...] = ()

    def json_schema(self) -> dict[str, Any]:
        return self._with_description({"type": "integer", "enum": list(self.values)})

    def expected(self) -> str:
        return "one of: " + ", ".join(f"{n:+d}" if n else "0" for n in self.values)


@dataclass(frozen=True)
class Flag(Spec):
    """true or false."""

    def json_schema(self) -> dict[str, Any]:
        return self._with_description({"type": "boolean"})

    def expected(self) -> str:
        return "true or false"


@dataclass(frozen=True)
class Date(Spec):
    """A calendar date written YYYY-MM-DD."""

    def json_schema(self) -> dict[str, Any]:
        return self._with_description({"type": "string", "format": "date",
                                       "pattern": r"^\d{4}-\d{2}-\d{2}$"})

    def expected(self) -> str:
        return "a date, YYYY-MM-DD"


@dataclass(frozen=True)
class ListOf(Spec):
    """A list of items of one type."""

    item: Spec = field(default_factory=Text)
    min_items: int = 0
    unique: bool = False

    def json_schema(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            s["minItems"] = self.min_items
        if self.unique:
            s["uniqueItems"] = True
        return self._with_description(s)

    def expected(self) -> str:
        return f"a list of {self.item.expected()}"


@dataclass(frozen=True)
class Field:
    """A named field of a mapping."""

    name: str
    spec: Spec
    required: bool = True


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with a fixed set of fields."""

    fields: tuple[Field, ...] = ()

    @property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def json_schema(self) -> dict[str, Any]:
        return self._with_description({
            "type": "object",
            "properties": {f.name: f.spec.json_schema() for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        })

    def expected(self) -> str:
        return "a mapping with fields: " + ", ".join(f.name for f in self.fields)


@dataclass(frozen=True)
class Scores(Spec):
    """A mapping from a fixed set of names to whole numbers (GRADE domains)."""

    domains: tuple[str, ...] = ()
    values: tuple[int, ...] = ()
    meanings: tuple[str, ...] = ()
    """One plain-words description per domain, in the order of ``domains``."""

    def json_schema(self) -> dict[str, Any]:
        meanings = self.meanings or ("",) * len(self.domains)
        return self._with_description({
            "type": "object",
            "properties": {d: IntChoice(description=m, values=self.values).json_schema()
                           for d, m in zip(self.domains, meanings, strict=True)},
            "additionalProperties": False,
        })

    def expected(self) -> str:
        return "a mapping of " + ", ".join(self.domains) + " to " + \
            IntChoice(values=self.values).expected()


@dataclass(frozen=True)
class EitherOf(Spec):
    """A short form (tried when the value is a scalar) or a full form (a mapping).

    With ``other``, a mapping whose ``switch`` field holds ``switch_value`` is read with that
    record instead of ``full`` (``certainty: {level: not-applicable, reason: ...}``).
    """

    short: Spec = field(default_factory=Text)
    full: Record = field(default_factory=Record)
    other: Record | None = None
    switch: str = ""
    switch_value: str = ""

    def json_schema(self) -> dict[str, Any]:
        forms = [self.short.json_schema(), self.full.json_schema()]
        if self.other is not None:
            forms.append(self.other.json_schema())
        return self._with_description({"oneOf": forms})

    def expected(self) -> str:
        text = f"{self.short.expected()}, or {self.full.expected()}"
        if self.other is not None:
            text += f", or {self.other.expected()}"
        return text

    def form(self, switch: str | None) -> Record:
        """The record a mapping whose switch field holds ``switch`` is read with."""
        if self.other is not None and switch == self.switch_value:
            return self.other
        return self.full
