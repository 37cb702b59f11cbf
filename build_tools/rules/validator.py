"""YAML nodes checked against a spec of :mod:`build_tools.rules.schema`: every problem, with its
position, and the values that were valid.

Every problem in a file is reported, not only the first: a wrong field does not hide the next
one. The values that passed are returned with their positions, so a record can still be built
from them and the link stage can report its cross-file problems in the same run.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from build_tools.core.problems import Problem, Severity, did_you_mean, shown
from build_tools.core.text import unsafe_chars, unsafe_message
from build_tools.rules import schema as s
from build_tools.rules import specs

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_INT = _TAG + "int"
_BOOL = _TAG + "bool"
_NULL = _TAG + "null"
_DATE_TAGS = (_TAG + "timestamp", _STR)
INVALID: Any = object()
"""A value that did not validate; its problem has been reported."""

_WORDS = re.compile(r"[\w-]+(?: [\w-]+)*")
"""Text that can be shown inside ``[...]`` as it is: words and hyphens, at most 40."""
_ScalarNode = yaml.ScalarNode
_MappingNode = yaml.MappingNode
_SequenceNode = yaml.SequenceNode


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kind = node.tag.removeprefix(_TAG)
    value = node.value if len(node.value) <= 40 else \
        f"{node.value[:40]}… ({len(node.value):,} characters)"
    return {"str": f"text {shown(node.value, 40)}", "int": f"the number {value}",
            "float": f"the number {value}", "bool": f"{value} (true/false)",
            "null": "nothing (an empty value)", "timestamp": f"the date {value}"
            }.get(kind, f"a value tagged {shown(node.tag, 40)}")


def _join(where: str, name: str) -> str:
    if len(name) > 40:  # a long key is quoted in the message, shortened; not in its path too
        name = name[:39] + "…"
    return f"{where}.{name}" if where else name


def _hint(dym: str) -> str:
    """`` (did you mean 'x'?)`` as ``; did you mean 'x'?``, to end an "(expected ...)"."""
    return f"; {dym.strip()[1:-1]}" if dym else ""


_INTS = yaml.constructor.SafeConstructor()
_MAX_INT_TEXT = 24
"""The longest integer written that is read: the allowed values are small, and YAML 1.1's
integers (hexadecimal, base 60) cost time and memory that grow with their length."""


def _int(node: yaml.ScalarNode) -> int | None:
    """A YAML integer's value (``-1``, ``+2``, ``0x1``, ``1_000``), or None if it has none or
    is written longer than :data:`_MAX_INT_TEXT`."""
    if len(node.value) > _MAX_INT_TEXT:
        return None
    try:
        return _INTS.construct_yaml_int(node)
    except (ValueError, TypeError):
        return None


def _misspelt(node: yaml.MappingNode, names: tuple[str, ...]) -> set[str]:
    """The names the mapping's unknown keys were reported as misspellings of (did you mean)."""
    out = set()
    for key, _value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value not in names:
            dym = did_you_mean(key.value, names)
            if dym:
                out.add(dym.split("'")[1])
    return out


class NodeValidator:
    """Checks one file's nodes against a spec, collecting problems and value positions."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.positions: dict[str, tuple[int, int]] = {}
        self._seen: set[int] = set()
        self.invalid: set[str] = set()
        """The paths (``certainty.downgrades``) at which a problem was reported."""

    def warning(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1,
                                     Severity.WARNING, message))

    def error(self, node: yaml.Node, where: str, message: str) -> None:
        self.invalid.add(where)
        prefix = f"{where}: " if where else ""
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1,
                                     Severity.ERROR, prefix + message))

    def check(self, spec: specs.Spec, node: yaml.Node, where: str) -> Any:
        """The value of ``node`` if it matches ``spec``; otherwise INVALID, with problems."""
        seen = self._seen
        key = id(node)
        if key in seen:  # the composer hands back the same node for an alias
            self.error(node, where, "YAML anchors and aliases are not allowed "
                                    "(expected every value written out in full)")
            return INVALID
        seen.add(key)
        mark = node.start_mark
        self.positions[where] = (mark.line + 1, mark.column + 1)
        method = _DISPATCH.get(type(spec))
        if method is None or type(self) is not NodeValidator:
            return getattr(self, "_" + type(spec).__name__.lower())(spec, node, where)
        return method(self, spec, node, where)

    def _wrong(self, spec: specs.Spec, node: yaml.Node, where: str) -> Any:
        hint = ""
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            hint = "; write [] for an empty list" if isinstance(spec, specs.ListOf) else ""
        elif (isinstance(node, yaml.ScalarNode) and isinstance(spec, specs.ListOf)
              and node.tag == _TAG + "str" and len(node.value) <= 40
              and _WORDS.fullmatch(node.value)):
            hint = f"; write [{node.value}] for a list of one"
        elif isinstance(node, yaml.ScalarNode) and isinstance(spec, specs.Text):
            hint = "; put it in quotes to make it text"
        self.error(node, where, f"got {_describe(node)} (expected {spec.expected()}{hint})")
        return INVALID

    def _text(self, spec: specs.Text, node: yaml.Node, where: str) -> Any:
        if not isinstance(node, _ScalarNode) or node.tag != _STR:
            return self._wrong(spec, node, where)
        value = node.value.strip()
        if len(value) < spec.min_length:
            self.error(node, where, f"text is too short: {len(value)} characters "
                                    f"(expected at least {spec.min_length})")
            return INVALID
        if spec.max_length and len(value) > spec.max_length:
            self.error(node, where, f"text is too long: {len(value)} characters "
                                    f"(expected at most {spec.max_length})")
            return INVALID
        if spec.pattern and _compiled(spec.pattern).fullmatch(value) is None:
            self.error(node, where, f"{shown(value)} is not {spec.expected()}"
                                    + (" (lowercase letters and digits joined by single hyphens)"
                                       if spec.pattern == s.KEBAB_PATTERN else ""))
            return INVALID
        bad = unsafe_chars(value)
        if bad:
            self.warning(node, unsafe_message(where or "the text", bad))
        return value

    def _choice(self, spec: specs.Choice, node: yaml.Node, where: str) -> Any:
        if not isinstance(node, _ScalarNode) or node.tag != _STR:
            return self._wrong(spec, node, where)
        if node.value not in spec.terms:
            dym = did_you_mean(node.value, spec.terms)
            self.error(node, where, f"{shown(node.value)} is not an allowed value "
                                    f"(expected {spec.expected()}{_hint(dym)})")
            return INVALID
        return node.value

    def _intchoice(self, spec: specs.IntChoice, node: yaml.Node, where: str) -> Any:
        if not isinstance(node, _ScalarNode) or node.tag != _INT:
            return self._wrong(spec, node, where)
        value = _int(node)
        if value not in spec.values:
            written = shown(node.value, 40) if value is None else value
            self.error(node, where, f"{written} is not allowed (expected {spec.expected()})")
            return INVALID
        return value

    def _flag(self, spec: specs.Flag, node: yaml.Node, where: str) -> Any:
        if not isinstance(node, _ScalarNode) or node.tag != _BOOL:
            return self._wrong(spec, node, where)
        return node.value.lower() in ("true", "yes", "on", "y")

    def _date(self, spec: specs.Date, node: yaml.Node, where: str) -> Any:
        if not isinstance(node, _ScalarNode) or node.tag not in _DATE_TAGS:
            return self._wrong(spec, node, where)
        value = s.parse_date(node.value.strip())
        if value is None:
            self.error(node, where, f"{shown(node.value)} is not a date (expected "
                                    f"{spec.expected()})")
            return INVALID
        return value

    def _listof(self, spec: specs.ListOf, node: yaml.Node, where: str) -> Any:
        if not isinstance(node, _SequenceNode):
            return self._wrong(spec, node, where)
        if len(node.value) < spec.min_items:
            self.error(node, where, f"list has {len(node.value)} items "
                                    f"(expected at least {spec.min_items})")
        values = []
        seen: dict[Any, int] = {}
        check = self.check
        item_spec = spec.item
        unique = spec.unique
        for i, item in enumerate(node.value):
            value = check(item_spec, item, f"{where}[{i}]")
            if unique and value is not INVALID:
                if value in seen:
                    self.error(item, f"{where}[{i}]", f"{shown(value)} is listed twice "
                                                      f"(expected each once; first at "
                                                      f"{where}[{seen[value]}])")
                    continue
                seen[value] = i
            values.append(value)
        return values

    def _pairs(self, spec: specs.Spec, node: yaml.Node, where: str,
               names: tuple[str, ...]) -> list[tuple[str, yaml.Node, yaml.Node]] | None:
        """The mapping's (name, key node, value node) triples, with key problems reported."""
        if not isinstance(node, _MappingNode):
            self._wrong(spec, node, where)
            return None
        pairs: list[tuple[str, yaml.Node, yaml.Node]] = []
        first: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, _ScalarNode):
                self.error(key, where, f"a key must be a plain name, got {_describe(key)}")
                continue
            name = key.value
            if name in first:
                self.error(key, _join(where, name),
                           f"duplicate key {shown(name)} (expected each key once; first at "
                           f"line {first[name]})")
                continue
            first[name] = key.start_mark.line + 1
            if name not in names:
                dym = did_you_mean(name, names)
                self.error(key, _join(where, name),
                           f"unknown field {shown(name)}" + (dym or f" (expected one of: "
                                                             f"{', '.join(names)})"))
                continue
            pairs.append((name, key, value))
        return pairs

    def _record(self, spec: specs.Record, node: yaml.Node, where: str) -> Any:
        fields, names = _fields(spec)
        pairs = self._pairs(spec, node, where, names)
        if pairs is None:
            return INVALID
        out: dict[str, Any] = {}
        check = self.check
        for name, _key, value in pairs:
            out[name] = check(fields[name].spec, value, f"{where}.{name}" if where else name)
        for f in spec.fields:
            if f.required and f.name not in out and isinstance(node, _MappingNode) \
                    and f.name not in _misspelt(node, tuple(fields)):
                self.error(node, where, f"missing required field '{f.name}' "
                                        f"(expected {f.spec.expected()})")
                out[f.name] = INVALID
        return out

    def _scores(self, spec: specs.Scores, node: yaml.Node, where: str) -> Any:
        pairs = self._pairs(spec, node, where, spec.domains)
        if pairs is None:
            return INVALID
        item = _int_choice(spec.values)
        out = {}
        for name, _key, value in pairs:
            out[name] = self.check(item, value, _join(where, name))
        return out

    def _eitherof(self, spec: specs.EitherOf, node: yaml.Node, where: str) -> Any:
        if isinstance(node, _MappingNode):
            return self._record(spec.form(_switch(node, spec.switch)), node, where)
        if isinstance(node, _ScalarNode) and node.tag == _STR:
            if spec.other is not None and node.value == spec.switch_value:
                self.error(node, where, f"'{node.value}' needs a reason (expected "
                                        f"{{{spec.switch}: {node.value}, reason: R}} with R "
                                        f"{_reason_terms(spec.other)})")
                return INVALID
            return self.check(spec.short, _fresh(node), where)
        return self._wrong(spec, node, where)


_DISPATCH: dict[type, Any] = {
    specs.Text: NodeValidator._text, specs.Choice: NodeValidator._choice,
    specs.IntChoice: NodeValidator._intchoice, specs.Flag: NodeValidator._flag,
    specs.Date: NodeValidator._date, specs.ListOf: NodeValidator._listof,
    specs.Record: NodeValidator._record, specs.Scores: NodeValidator._scores,
    specs.EitherOf: NodeValidator._eitherof,
}
"""The method for each kind of spec, as ``check`` would find it by name (a subclass of a spec,
or of :class:`NodeValidator`, is looked up by name as before)."""

_FIELDS: dict[int, tuple[specs.Record, dict[str, specs.Field], tuple[str, ...]]] = {}


def _fields(spec: specs.Record) -> tuple[dict[str, specs.Field], tuple[str, ...]]:
    """``spec.by_name`` and its names, built once per record spec instead of once per node."""
    hit = _FIELDS.get(id(spec))
    if hit is None or hit[0] is not spec:
        if len(_FIELDS) > 256:  # specs made on the fly (in tests) do not pile up
            _FIELDS.clear()
        by_name = spec.by_name
        hit = _FIELDS[id(spec)] = (spec, by_name, tuple(by_name))
    return hit[1], hit[2]


@functools.cache
def _int_choice(values: tuple[int, ...]) -> specs.IntChoice:
    return specs.IntChoice(values=values)


def _switch(node: yaml.MappingNode, name: str) -> str | None:
    """The text value of the field ``name`` of a mapping, if it has one."""
    for key, value in node.value:
        if isinstance(key, _ScalarNode) and key.value == name and isinstance(value, _ScalarNode):
            return str(value.value)
    return None


def _reason_terms(record: specs.Record) -> str:
    """``one of: a, b`` for the choice fields of a record other than its switch."""
    for f in record.fields:
        if isinstance(f.spec, specs.Choice) and len(f.spec.terms) > 1:
            return f.spec.expected()
    return "text"


def _fresh(node: yaml.ScalarNode) -> yaml.ScalarNode:
    """A copy, so the alias guard does not see the same node twice."""
    return yaml.ScalarNode(node.tag, node.value, node.start_mark, node.end_mark, node.style)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def ok(value: Any) -> bool:
    """A value that validated (neither :data:`INVALID` nor missing)."""
    return value is not INVALID and value is not None
