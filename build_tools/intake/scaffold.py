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

_PICO_NEEDED = ("Needed when the claim states an effect (delete it only with certainty "
                "{level: not-applicable, ...}).")

KEPT_OPTIONAL: Mapping[str, str] = {
    "population": _PICO_NEEDED,
    "intervention": _PICO_NEEDED,
    "outcome": _PICO_NEEDED,
    "certainty": "Needed when the claim has evidence from a trial, a review or an observational "
                 "study; `check` says where it starts. Delete it when no such evidence bears on "
                 "the claim (it then shows 'not rated'); write {level: not-applicable, reason: "
                 "...} instead when the claim states no effect.",
}
"""Optional claim fields the scaffold still asks for, with why; other optional fields are
written commented out."""


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH - len(indent) - 2, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}# ", break_on_hyphens=False)


MANY_TERMS = 8
"""A vocabulary with more terms than this is not listed in the scaffold: the methodology page
lists it, and the editor offers it (the schema's enum) while typing."""


def _text(f: specs.Field) -> str:
    """What a field's comment says: its description, with a vocabulary's terms by name only
    (their meanings are on the methodology page and on hover), or by count when there are many."""
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
    terms = "|".join(re.escape(t) for t in allowed)
    parts = re.split(rf"(?:;|:) (?=(?:{terms}) = )", text) if terms else [text]
    if len(parts) > 1 or len(allowed) > MANY_TERMS:
        head = parts[0] if len(parts) > 1 else text.split(": ", 1)[0]
        if len(allowed) > MANY_TERMS:
            return (f"{head}: one or more of {len(allowed)} terms (the methodology page lists "
                    "them; Ctrl+Space in the editor offers them).")
        return (f"{head}: {', '.join(allowed)} (what each means: the methodology page, or "
                "hover over the value in the editor).")
    return text


def _help(f: specs.Field, indent: str) -> list[str]:
    """The comment above a field: :func:`_text`, then why it is kept when optional."""
    tail = KEPT_OPTIONAL.get(f.name, "")
    return _comment(f"{_text(f)} {tail}".strip(), indent)


def _allowed(spec: specs.Spec) -> tuple[str, ...]:
    if isinstance(spec, specs.Choice):
        return spec.terms
    if isinstance(spec, specs.EitherOf):
        return _allowed(spec.short)
    if isinstance(spec, specs.ListOf) and isinstance(spec.item, specs.Choice):
        return spec.item.terms
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
            text = _text(f)
            text = (f"{text} Remove the '# ' below to use it." if "(optional)" in text else
                    f"{text.rstrip('.')} (optional: remove the '# ' below).")
            lines.extend(_comment(text, indent))
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
        elif isinstance(spec, specs.EitherOf):
            lines.extend(_full_form(key_indent, f.name, spec.full, indent + INDENT))
        else:
            value = values.get(f.name, _placeholder(spec, today))
            lines.append(f"{key_indent}{f.name}: {value}")
    return lines


def _full_form(key_indent: str, name: str, full: specs.Record, indent: str) -> list[str]:
    """The full form of an either-of field (certainty): TODO for the level and the start, every
    score 0, and the reasons commented out (one is needed for each score that is not 0)."""
    lines = [f"{key_indent}{name}:"]
    for f in full.fields:
        if isinstance(f.spec, specs.Scores):
            lines.append(f"{indent}{f.name}:")
            lines.extend(f"{indent}{INDENT}{d}: 0" for d in f.spec.domains)
        elif isinstance(f.spec, specs.Record):
            lines.extend(_comment(f.spec.description, indent))
            lines.append(f"{indent}# {f.name}: {{{f.spec.fields[0].name}: {TODO}}}")
        else:
            lines.append(f"{indent}{f.name}: {TODO}")
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
