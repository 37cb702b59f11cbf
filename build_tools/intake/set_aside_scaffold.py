"""``coverage KEY --scaffold``: every unreviewed passage of an article appended to its set-aside
file with ``reason: TODO``, so that the editor deletes the items that make a claim (and quotes
them in a claim) and picks a reason for the rest; ``check`` reports each TODO at its line.

The items are appended as text at the end of the file's ``set_aside`` list, in reading order,
with the same indentation as the items already there: the file's comments and layout are kept.
A comment above them lists the reasons; each item carries, as a comment, what suggests that its
passage may hold a claim (:mod:`.passage_hints`).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Sequence

import yaml

from build_tools.core import vocabulary as v
from build_tools.core.problems import IntakeError
from build_tools.core.text import normalize
from build_tools.intake.passage_hints import hint
from build_tools.model.capture import Passage

HEADER = "# yaml-language-server: $schema=../../schema/set-aside.schema.json\n"
TODO = "TODO"


def pending(old: str | None, passages: Sequence[Passage]) -> list[Passage]:
    """``passages`` less those the file already lists with ``reason: TODO`` (a second
    scaffold appends only what is new)."""
    try:
        data = yaml.safe_load(old or "") or {}
    except yaml.YAMLError:
        return list(passages)
    items = data.get("set_aside") if isinstance(data, dict) else None
    listed = {normalize(i["quote"]) for i in items or [] if isinstance(i, dict)
              and i.get("reason") == TODO and isinstance(i.get("quote"), str)}
    return [p for p in passages if normalize(p.text) not in listed]


def _items(passages: Sequence[Passage], indent: str, today: dt.date) -> str:
    lines = [f"{indent}# Scaffolded by `coverage --scaffold` on {today.isoformat()}. Delete each "
             "item whose passage makes",
             f"{indent}# a claim (and quote it in a claim); for the others replace TODO with one "
             "of:"]
    lines += [f"{indent}#   {line}" for line in textwrap.wrap(
        ", ".join(v.SET_ASIDE_REASONS) + " (their meanings: the methodology page)", 80,
        break_on_hyphens=False)]
    for p in passages:
        why = hint(p.text)
        lines.append(f"{indent}- quote: {json.dumps(p.text, ensure_ascii=False)}"
                     + (f"  # may hold a claim: {why}" if why else ""))
        lines.append(f"{indent}  reason: {TODO}")
    return "\n".join(lines) + "\n"


def scaffold(old: str | None, passages: Sequence[Passage], shown: str,
             today: dt.date | None = None) -> str:
    """The set-aside file's text with ``passages`` appended (``old`` is None for a file that
    does not exist yet); :class:`IntakeError` when the file's layout does not allow it."""
    today = today or dt.date.today()
    if old is None or not old.strip():
        return (old or "") + (HEADER if not (old or "").startswith("#") else "") + \
            "set_aside:\n" + _items(passages, "  ", today)
    try:
        root = yaml.compose(old)
    except yaml.YAMLError as exc:
        raise IntakeError(f"{shown} does not parse ({str(exc).splitlines()[0]}): fix it first "
                          "(`python -m build_tools check` says where)") from None
    if not isinstance(root, yaml.MappingNode):
        raise IntakeError(f"{shown} is not a mapping with set_aside: [...] (expected the "
                          "layout of the other set-aside files)")
    text = old if old.endswith("\n") else old + "\n"
    keys = [k.value for k, _ in root.value]
    if "set_aside" not in keys:
        return text + "set_aside:\n" + _items(passages, "  ", today)
    node = root.value[keys.index("set_aside")][1]
    if isinstance(node, yaml.SequenceNode) and node.flow_style and not node.value:
        line = node.start_mark.line
        lines = text.splitlines(keepends=True)
        lines[line] = lines[line][:node.start_mark.column].rstrip() + "\n"
        return "".join(lines[:line + 1]) + _items(passages, "  ", today) + \
            "".join(lines[line + 1:])
    if not isinstance(node, yaml.SequenceNode) or node.flow_style:
        raise IntakeError(f"{shown}: set_aside is not a list of items one per line (expected "
                          "'- quote: ...' items; write it so, then scaffold again)")
    if keys[-1] != "set_aside":
        raise IntakeError(f"{shown}: set_aside is not the file's last field (expected it last, "
                          "as in the other set-aside files, so that items can be appended)")
    indent = " " * (node.value[0].start_mark.column - 2) if node.value else "  "
    return text + _items(passages, indent, today)
