"""A new appearance inserted into a claim file's text: the lines of the new item are added at one
place, and not one other character of the file changes.

The file is composed with the project's own YAML reader, which gives every node its position;
the new item goes after the last item of ``appearances`` (and after the comments indented under
it, which belong to it; comments further left belong to what follows), in the layout that item
uses: its dash's column and its fields' column, whatever the rest of the file does; a flow list
(``[...]``) gets one more flow item; CRLF line ends, a byte order mark and a ``...`` end marker
stay. Then the result is read again, and it must hold exactly the old data with the new item
appended: if it does not (a layout this cannot follow), the command refuses and writes nothing,
rather than write a file that says something else.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from build_tools.core.problems import IntakeError
from build_tools.stages.s2_read import yaml_loader

FIELDS = ("source", "quote", "cites", "promotional", "note")
"""An appearance's fields, in the order they are written."""
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
"""A key written without quotes (anything else is written in double quotes)."""


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _PLAIN.fullmatch(text) and _reads(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _reads(text: str) -> Any:
    try:
        return yaml.load(text, Loader=yaml_loader())
    except yaml.YAMLError:
        return None


def _value(name: str, value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if name in ("quote", "note"):
        return json.dumps(str(value), ensure_ascii=False)
    return _scalar(value)


def _flow_item(item: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{name}: {_value(name, item[name])}" for name in FIELDS
                           if name in item) + "}"


def _refuse(why: str) -> IntakeError:
    return IntakeError(f"cannot add the appearance: {why} (nothing was written; add the item "
                       "by hand, or write the list as `new claim` does: one '- source: ...' "
                       "item a line)")


def _end(node: yaml.Node) -> int:
    """Where a node's own text ends: a block collection ends with its last value."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _end(node.value[-1])
    return int(node.end_mark.index)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_item(body: str, end: int, column: int) -> int:
    """Where the next item starts: after the line ``end`` is on, and after the comment lines
    indented at least ``column`` (the item's) that follow it, blank lines between them too."""
    while end > 0 and body[end - 1] in " \t\r\n":
        end -= 1
    newline = body.find("\n", end)
    if newline < 0:
        return len(body)
    pos = newline + 1
    scan = pos
    while scan < len(body):
        newline = body.find("\n", scan)
        line = body[scan:newline if newline >= 0 else len(body)]
        stripped = line.strip()
        if stripped.startswith("#") and len(line) - len(line.lstrip(" ")) >= column:
            pos = scan = newline + 1 if newline >= 0 else len(body)
        elif not stripped and newline >= 0:
            scan = newline + 1
        else:
            break
    return pos


def _block_insertion(body: str, seq: yaml.SequenceNode, item: dict[str, Any],
                     nl: str) -> tuple[int, str]:
    last = seq.value[-1]
    start = int(last.start_mark.index)
    dash = start - 1
    while dash >= 0 and body[dash] in " \t\r\n":
        dash -= 1
    if dash < 0 or body[dash] != "-":
        raise _refuse("the last appearance does not follow a '-' (expected a block list)")
    dash_col = dash - _line_start(body, dash)
    field_col = start - _line_start(body, start)
    if field_col <= dash_col:
        raise _refuse("the last appearance's fields are not indented past its '-'")
    pos = _after_item(body, _end(last), field_col)
    lead = " " * dash_col + "-" + " " * (field_col - dash_col - 1)
    if isinstance(last, yaml.MappingNode) and last.flow_style:
        lines = [lead + _flow_item(item)]
    else:
        names = [n for n in FIELDS if n in item]
        lines = [(lead if i == 0 else " " * field_col) + f"{n}: {_value(n, item[n])}"
                 for i, n in enumerate(names)]
    text = nl.join(lines)
    if pos == len(body) and not body.endswith("\n"):
        return pos, nl + text
    return pos, text + nl


def _flow_insertion(body: str, seq: yaml.SequenceNode, item: dict[str, Any]) -> tuple[int, str]:
    close = int(seq.end_mark.index) - 1
    if body[close] != "]":
        raise _refuse("the flow list of appearances does not end where it was read")
    if not seq.value:
        return close, _flow_item(item)
    return int(seq.value[-1].end_mark.index), ", " + _flow_item(item)


def add_appearance(text: str, item: dict[str, Any]) -> str:
    """``text`` (a claim file, as read: line ends and a byte order mark kept) with ``item``
    appended to its ``appearances``; :class:`IntakeError` when that cannot be done faithfully."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    loader = yaml_loader()
    try:
        root = yaml.compose(body, Loader=loader)
        before = yaml.load(body, Loader=loader)
    except (yaml.YAMLError, RecursionError) as exc:
        raise IntakeError("the claim file does not parse as YAML; run `python -m build_tools "
                          "check` and fix it first") from exc
    seqs = [v for k, v in (root.value if isinstance(root, yaml.MappingNode) else [])
            if isinstance(k, yaml.ScalarNode) and k.value == "appearances"]
    if len(seqs) != 1 or not isinstance(seqs[0], yaml.SequenceNode) or not isinstance(
            before, dict) or not isinstance(before.get("appearances"), list) or (
            not seqs[0].flow_style and not seqs[0].value):
        raise IntakeError("the claim file has no list of appearances (expected appearances: "
                          "with at least one item)")
    seq = seqs[0]
    if seq.flow_style:
        pos, insert = _flow_insertion(body, seq, item)
    else:
        at = body.find("\n", _end(seq.value[-1]))
        nl = "\r\n" if (at > 0 and body[at - 1] == "\r") or (at < 0 and "\r\n" in body) \
            else "\n"
        pos, insert = _block_insertion(body, seq, item, nl)
    after = body[:pos] + insert + body[pos:]
    expected = dict(before)
    expected["appearances"] = [*before["appearances"], dict(item)]
    try:
        again = yaml.load(after, Loader=loader)
    except yaml.YAMLError:
        again = None
    if again != expected:
        raise _refuse("in this file's layout the new item would change what the file says")
    return bom + after
