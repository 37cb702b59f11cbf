"""The text of a new claim file: every field of the format (:mod:`build_tools.rules.schema`),
with what the editor already gave filled in and a comment on each of the rest, so the file
explains itself and ``check`` lists what is still missing."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections.abc import Mapping, Sequence

from build_tools.rules import schema as s
from build_tools.rules import specs

SCHEMA_HEADER = "# yaml-language-server: $schema=../schema/claim.schema.json"
"""The first line of every claim file: editors get completion and inline errors from it."""

TODO = "TODO"
"""The placeholder for a value the editor must still decide; it never validates."""

WIDTH = 100
INDENT = "  "

KEPT_OPTIONAL: Mapping[str, str] = {
    "certainty": "Needed when the claim has evidence; delete it only when the evidence list is "
                 "empty ([]). The full form, whose arithmetic `check` verifies, is shown below.",
}
"""Optional claim fields the scaffold still asks for, with why; other optional fields are
written commented out."""


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH - len(indent) - 2, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}# ", break_on_hyphens=False)


def _help(f: specs.Field, indent: str) -> list[str]:
    """The comment above a field: its description (a vocabulary one term a line), what is
    allowed, and whether it is optional."""
    spec = f.spec
    text = spec.description or f"The {f.name}."
    if isinstance(spec, specs.ListOf) and spec.item.description and not isinstance(spec.item,
                                                                                specs.Record):
        text += " Each: " + spec.item.description
    if isinstance(spec, specs.EitherOf) and spec.short.description:
        text += " " + spec.short.description
    allowed = _allowed(spec)
    if allowed and not all(term in text for term in allowed):
        text += " Allowed: " + ", ".join(allowed) + "."
    tail = ""
    if f.name in KEPT_OPTIONAL:
        tail = KEPT_OPTIONAL[f.name]
    elif not f.required:
        tail = "Optional: remove the '# ' before the field to use it."
    terms = "|".join(re.escape(t) for t in allowed)
    parts = re.split(rf"(?:;|:) (?=(?:{terms}) = )", text) if terms else [text]
    if len(parts) > 1:
        # the terms' meanings are on the methodology page, and on hover in the editor: here
        # their names, so the file stays short enough to read
        text = (f"{parts[0]}: {', '.join(allowed)} (what each means: the methodology page, or "
                "hover over the value in the editor).")
    return _comment(f"{text} {tail}".strip(), indent)


def _allowed(spec: specs.Spec) -> tuple[str, ...]:
    if isinstance(spec, specs.Choice):
        return spec.terms
    if isinstance(spec, specs.EitherOf):
        return _allowed(spec.short)
    return ()


def _scalar(text: str) -> str:
    """A YAML scalar for any text: JSON strings are valid YAML double-quoted scalars."""
    return json.dumps(text, ensure_ascii=False)


def _placeholder(spec: specs.Spec, today: dt.date) -> str:
    """The inline value of an unfilled field."""
    if isinstance(spec, specs.Date):
        return today.isoformat()
    if isinstance(spec, specs.ListOf):
        return f"[{TODO}]"
    return TODO


def _record_lines(record: specs.Record, values: Mapping[str, str], today: dt.date, indent: str,
                  first_prefix: str | None = None,
                  more: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
                  comments: bool = True) -> list[str]:
    """The fields of ``record``, each under its comment; ``values`` are YAML scalars to use
    (``appearances.quote`` for a field of the first item of a list of records), ``more`` the
    values of further items of a list (``evidence``: one mapping per item after the first),
    written without the comments the first carries.

    With ``first_prefix`` (``"- "``), the record is a list item: its first field line carries
    the dash, the others are indented past it.
    """
    lines: list[str] = []
    for i, f in enumerate(record.fields):
        if not comments and not f.required:
            continue
        optional = not f.required and f.name not in KEPT_OPTIONAL
        if comments and optional:  # what it is for, then the field commented out
            what = (f.spec.description or f"The {f.name}.").rstrip(".")
            lines.extend(_comment(f"{what} (optional: remove the '# ' below).", indent))
            lines.append(f"{indent}# {f.name}: {TODO}")
            continue
        if comments:
            lines.extend(_help(f, indent))
        key_indent = indent
        if first_prefix is not None and i == 0:
            key_indent = indent[:-len(first_prefix)] + first_prefix
        spec = f.spec
        if not f.required and f.name not in KEPT_OPTIONAL:
            lines.append(f"{indent}# {f.name}: {TODO}")
        elif isinstance(spec, specs.ListOf) and isinstance(spec.item, specs.Record):
            lines.append(f"{key_indent}{f.name}:")
            prefix = f.name + "."
            item_values = {k[len(prefix):]: val for k, val in values.items()
                           if k.startswith(prefix)}
            lines.extend(_record_lines(spec.item, item_values, today, indent + INDENT + "  ",
                                       "- "))
            for extra in (more or {}).get(f.name, ()):
                lines.extend(_record_lines(spec.item, extra, today, indent + INDENT + "  ",
                                           "- ", comments=False))
        else:
            value = values.get(f.name, _placeholder(spec, today))
            lines.append(f"{key_indent}{f.name}: {value}")
            if isinstance(spec, specs.EitherOf) and comments:
                lines.extend(_full_form_example(f.name, spec.full, indent))
    return lines


def _full_form_example(name: str, full: specs.Record, indent: str) -> list[str]:
    """The full form of an either-of field (certainty), commented out, with values that add up:
    the first start, no steps, and so the level that start gives."""
    start_field = full.by_name.get("start")
    start = (start_field.spec.terms[0] if start_field and isinstance(start_field.spec, specs.Choice)
             else TODO)
    lines = [f"{indent}# {name}:"]
    for f in full.fields:
        if isinstance(f.spec, specs.Scores):
            value = "{" + ", ".join(f"{d}: 0" for d in f.spec.domains) + "}"
        elif f.name in ("level", "start"):
            value = start
        else:
            value = TODO
        lines.append(f"{indent}#   {f.name}: {value}")
    return lines


def claim_scaffold(source: str, quote: str, statement: str | None = None,
                   today: dt.date | None = None, cites: Sequence[str] | None = None,
                   promotional: bool | None = None, topics: Sequence[str] | None = None,
                   evidence: Sequence[str] = ()) -> str:
    """The text of a new claim file: every field, a comment on each, what the editor gave
    filled in and TODO where undecided. ``cites`` None leaves them to decide (``[]``: the
    article cited nothing); ``evidence`` are the keys of the sources to judge, one item each."""
    today = today or dt.date.today()
    values = {"appearances.source": source, "appearances.quote": _scalar(quote)}
    if statement:
        values["statement"] = _scalar(statement)
    if cites is not None:
        values["appearances.cites"] = _flow(cites)
    if promotional is not None:
        values["appearances.promotional"] = "true" if promotional else "false"
    if topics:
        values["topics"] = _flow(topics)
    more: dict[str, list[dict[str, str]]] = {}
    if evidence:
        values["evidence.source"] = evidence[0]
        more["evidence"] = [{"source": key} for key in evidence[1:]]
    intro = (f"Scaffolded by `new claim` on {today.isoformat()}. Replace every {TODO} (`python "
             f"-m build_tools check` lists those left, with their lines); how to choose: "
             "CONTRIBUTING.md and the site's methodology page (methodology/).")
    return "\n".join([SCHEMA_HEADER, *_comment(intro, ""),
                      *_record_lines(s.CLAIM, values, today, "", more=more)]) + "\n"


def _flow(items: Sequence[str]) -> str:
    """``[a, b]``: keys and topics are plain words, written as the other claim files do."""
    return "[" + ", ".join(items) + "]"
