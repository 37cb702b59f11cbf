"""A new appearance appended to a claim file, every other line of it kept as it was.

ruamel.yaml reads the file as a round-trip document (comments, quoting style, flow lists and
folded text are kept) with the indentation the file itself uses; the new item is appended to
``appearances``, and the comments that stood between the old last item and the next field (the
next field's own comment, in a file scaffolded by ``new claim``) are moved after the new item,
so that they stay with the field they describe.
"""

from __future__ import annotations

import io
from typing import Any

from build_tools.core.problems import IntakeError
from build_tools.intake import require


def _last_comment(node: Any) -> tuple[Any, Any] | None:
    """The (comment holder, key) whose comment ends ``node``: the comment after its last
    value, however deeply nested."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap) and node:
        key = list(node.keys())[-1]
        inner = _last_comment(node[key])
        if inner:
            return inner
        return (node, key) if node.ca.items.get(key) and node.ca.items[key][2] else None
    if isinstance(node, CommentedSeq) and node:
        key = len(node) - 1
        inner = _last_comment(node[key])
        if inner:
            return inner
        return (node, key) if node.ca.items.get(key) and node.ca.items[key][0] else None
    return None


def _split_trailing(text: str, column: int) -> tuple[str, str]:
    """A trailing comment's text cut where its lines start left of ``column`` (they belong to
    what follows), with the blank lines before them."""
    lines = text.split("\n")
    # lines[0] is the rest of the value's own line (empty, or an end-of-line comment)
    cut = len(lines)
    for i in range(1, len(lines)):
        stripped = lines[i].lstrip()
        if stripped and len(lines[i]) - len(stripped) < column:
            cut = i
            break
    while cut > 1 and not lines[cut - 1].strip():
        cut -= 1
    if cut >= len(lines) - 1 and not "".join(lines[cut:]).strip():
        return text, ""
    return "\n".join(lines[:cut]) + "\n", "\n".join(lines[cut:])


def add_appearance(text: str, item: dict[str, Any]) -> str:
    """``text`` (a claim file) with ``item`` appended to its ``appearances``."""
    require("ruamel.yaml")
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString
    from ruamel.yaml.tokens import CommentToken
    from ruamel.yaml.util import load_yaml_guess_indent

    try:
        _, sequence_indent, offset = load_yaml_guess_indent(text)
    except Exception as exc:  # ruamel raises many kinds; the file's own check explains it
        raise IntakeError(f"the claim file does not parse as YAML ({type(exc).__name__}); run "
                          "`python -m build_tools check` and fix it first") from exc
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=sequence_indent or 4, offset=offset or 2)
    doc = yaml.load(text)
    if not isinstance(doc, CommentedMap) or not isinstance(doc.get("appearances"),
                                                           CommentedSeq):
        raise IntakeError("the claim file has no list of appearances (expected appearances: "
                          "with at least one item)")
    seq = doc["appearances"]
    if seq.fa.flow_style():
        raise IntakeError("the appearances are written as a flow list ([...]) (expected one "
                          "'- source: ...' item a line, as `new claim` writes them)")
    new = CommentedMap()
    for name, value in item.items():
        if name == "quote" or (isinstance(value, str) and name == "note"):
            value = DoubleQuotedScalarString(value)
        elif isinstance(value, list):
            flow = CommentedSeq(value)
            flow.fa.set_flow_style()
            value = flow
        new[name] = value
    column = (sequence_indent or 4)  # where the fields of an item start, under the key
    trailing = _last_comment(seq)
    moved = ""
    if trailing:
        holder, key = trailing
        slot = 2 if isinstance(holder, CommentedMap) else 0
        token = holder.ca.items[key][slot]
        kept, moved = _split_trailing(token.value, column)
        token.value = kept
    seq.append(new)
    if moved:
        last = list(new.keys())[-1]
        new.ca.items[last] = [None, None, CommentToken("\n" + moved, CommentMark(0), None), None]
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()
