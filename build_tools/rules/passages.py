"""A capture split into passages: the units of an article that are claimed or set aside.

The rule, which the methodology page shows (:data:`RULE`), is deliberately simple, so that an
editor can predict it and set-aside files stay valid across versions of this code:

1. The capture is read line by line; a line holding only white space is no passage.
2. A line that starts with a list marker (a bullet such as ``•``, ``-``, ``*``, or a number or
   letter followed by ``.`` or ``)``) is one passage: a list item, a reference-list entry.
3. Every other line (a paragraph, a heading, a line of a table) is split into sentences: a
   sentence ends at ``.``, ``!`` or ``?`` (and any closing quote or bracket after it) that is
   followed by white space and then a capital letter, a digit or an opening quote or bracket,
   unless the word ending in ``.`` is a single letter (an initial) or a common abbreviation
   (:data:`ABBREVIATIONS`).
4. A passage whose text is the same as an earlier passage's (white space folded, typographic
   quotes and dashes made straight) is the same passage: it is counted once, at its first line.

Passages are located in the capture's normalised text (:func:`build_tools.core.text.normalize`), the
text quotes are looked up in, so a quote marks every passage it overlaps, wherever it occurs; a
quote that is exactly one whole passage marks that passage only.
"""

from __future__ import annotations

import re

from build_tools.core.text import normalize
from build_tools.model.capture import Passage, SplitCapture

ABBREVIATIONS = frozenset({
    "dr", "mr", "mrs", "ms", "prof", "st", "vs", "e.g", "i.e", "etc", "al", "approx", "no",
    "fig", "inc", "ltd", "jr", "sr", "ca", "cf", "vol", "pp", "min", "max", "mt", "u.s",
})
"""Words that end in ``.`` without ending a sentence (compared in lowercase, without the dot)."""

RULE = (
    "A capture is read line by line, and lines holding only white space are skipped. A line "
    "that starts with a list marker (a bullet such as •, - or *, or a number or letter followed "
    "by '.' or ')') is one passage. Every other line is split into sentences: a sentence ends "
    "at '.', '!' or '?' followed by white space and a capital letter, a digit or an opening "
    "quote, unless the word before the '.' is an initial or a common abbreviation "
    "(" + ", ".join(sorted(a + "." for a in ABBREVIATIONS)) + "). Passages with the same text "
    "(white space folded, typographic quotes and dashes made straight) count once, at their "
    "first line. A quote marks every passage it overlaps, wherever it occurs, except that a "
    "quote which is exactly one whole passage marks that passage only."
)
"""The splitting rule in words, for the methodology page."""

_LIST_ITEM = re.compile(r"^\s*(?:[•·▪◦‣●○■□–—*+-]|\(?(?:\d{1,3}|[A-Za-z])[.)])(?=\s)")
_SENTENCE_END = re.compile(
    r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]*[A-Z0-9À-ÖØ-Þ])")
_LAST_WORD = re.compile(r"([\w.]+)\.$")


def _sentences(line: str) -> list[str]:
    """A line split into sentences at the ends :data:`_SENTENCE_END` finds (rule 3)."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(line):
        end = m.end()
        if m.group(0).startswith("."):
            word = _LAST_WORD.search(line, start, m.start() + 1)
            if word and ((len(word.group(1)) == 1 and word.group(1).isalpha())
                         or word.group(1).lower() in ABBREVIATIONS):
                continue
        out.append(line[start:end])
        start = end
    out.append(line[start:])
    return [s for s in out if s.strip()]


def split(text: str) -> SplitCapture:
    """The passages of a capture's text (see the module's rule)."""
    passages: list[Passage] = []
    by_key: dict[str, int] = {}
    pieces: list[str] = []
    shown: list[str] = []
    start = 0  # where the next piece starts in " ".join(pieces)
    for number, line in enumerate(text.split("\n"), start=1):
        if not normalize(line):
            continue
        item = _LIST_ITEM.match(line) is not None
        chunks = [line] if item else _sentences(line)
        for chunk in chunks:
            key = normalize(chunk)
            if not key:
                continue
            folded = " ".join(chunk.split())
            pieces.append(key)
            shown.append(folded)
            i = by_key.get(key)
            if i is None:
                i = by_key[key] = len(passages)
                passages.append(Passage(text=folded, key=key, line=number, list_item=item))
            passages[i].spans.append((start, start + len(key)))
            start += len(key) + 1
    return SplitCapture(passages, " ".join(pieces), " ".join(shown))
