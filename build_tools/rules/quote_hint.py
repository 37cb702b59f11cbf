"""Why a quote is not in its capture: the closest passage, and where the quote first differs.

"quote not found" alone leaves an editor comparing two long sentences by eye. This module finds
the stretch of the capture the quote was most likely copied from and says, word by word, where
the two first part: ``closest passage, line 12: "Walking is one of the best things ..."; word 7:
the quote has 'thing', the capture has 'things'``. A typo is then a one-second fix.

It runs only for a quote that was not found, inside ``check`` and the site build, so it uses the
standard library's :mod:`difflib` (the build's install stays lean): the longest run of words the
quote shares with the capture anchors it (compared in lowercase, without punctuation, so that a
typo in one word does not lose the anchor), and the words around that anchor are then aligned
exactly, so that the first difference shown is the real one (a capital letter, a comma).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from build_tools.core.text import normalize
from build_tools.model.capture import SplitCapture

MIN_SHARED_WORDS = 3
"""A capture that shares fewer consecutive words with the quote has no passage close to it
(unless the quote itself is shorter)."""
MAX_SHOWN = 160
"""At most this many characters of the closest passage are shown."""
SLACK = 3
"""Words of the capture considered on either side of the anchored stretch (a missing or an extra
word in the quote moves the stretch by a word or two)."""

_LOOSE = re.compile(r"[^\w]+")


def _loose(word: str) -> str:
    """A word as the anchor compares it: lowercase, without punctuation."""
    return _LOOSE.sub("", word.casefold()) or word


@dataclass(frozen=True)
class Difference:
    """Where a quote departs from the closest stretch of its capture."""

    line: int
    """The capture's line where the closest stretch starts."""
    shown: str
    """The closest stretch, as the capture writes it (typographic quotes kept)."""
    detail: str
    """Where the quote first differs, in words: ``word 7: the quote has ...``."""

    def message(self) -> str:
        text = self.shown if len(self.shown) <= MAX_SHOWN else \
            self.shown[:MAX_SHOWN].rsplit(" ", 1)[0] + " ..."
        return f'closest passage, line {self.line}: "{text}"; {self.detail}'


def _words(text: str) -> tuple[list[str], list[int]]:
    """The words of normalised text (split on its single spaces) and where each starts."""
    words = text.split(" ") if text else []
    starts = []
    at = 0
    for w in words:
        starts.append(at)
        at += len(w) + 1
    return words, starts


def _quoted(words: list[str]) -> str:
    return "'" + " ".join(words) + "'"


def closest(quote: str, split: SplitCapture) -> Difference | None:
    """The closest stretch of the capture to ``quote`` and its first difference; None when no
    stretch shares enough words with it (or the quote is, after all, in the capture)."""
    q = normalize(quote).split(" ")
    c, starts = _words(split.normalized)
    if not q or not q[0] or not c:
        return None
    matcher = difflib.SequenceMatcher(None, [_loose(w) for w in q], [_loose(w) for w in c],
                                      autojunk=False)
    a, b, size = matcher.find_longest_match(0, len(q), 0, len(c))
    if size < min(MIN_SHARED_WORDS, len(q)):
        return None
    lo = max(0, b - a - SLACK)
    hi = min(len(c), b + (len(q) - a) + SLACK)
    window = c[lo:hi]
    ops = difflib.SequenceMatcher(None, q, window, autojunk=False).get_opcodes()
    # The window's extra words before and after the quote are not differences: trim them, and
    # align an edit at either end to the quote's own length.
    if ops and ops[0][0] in ("insert", "replace") and ops[0][1] == 0:
        tag, i1, i2, j1, j2 = ops[0]
        if tag == "insert":
            ops[0] = ("equal", i1, i2, j2, j2)
        else:
            ops[0] = (tag, i1, i2, _best_cut(q[i1:i2], window, j1, j2, from_end=True), j2)
    if ops and ops[-1][0] in ("insert", "replace") and ops[-1][2] == len(q):
        tag, i1, i2, j1, j2 = ops[-1]
        if tag == "insert":
            ops[-1] = ("equal", i1, i2, j1, j1)
        else:
            ops[-1] = (tag, i1, i2, j1, _best_cut(q[i1:i2], window, j1, j2, from_end=False))
    ops = [op for op in ops if not (op[0] == "equal" and op[1] == op[2])]
    if not ops:
        return None
    first_j = lo + ops[0][3]
    last_j = lo + ops[-1][4]
    detail = next((_detail(op, q, window) for op in ops if op[0] != "equal"), None)
    if detail is None:  # the quote is there after all
        return None
    start = starts[first_j]
    end = starts[last_j - 1] + len(c[last_j - 1]) if last_j > first_j else start
    hit = split.overlapping(start, max(end, start + 1))
    line = split.passages[hit[0]].line if hit else 1
    return Difference(line, split.display[start:end], detail)


def _best_cut(words: list[str], window: list[str], j1: int, j2: int, from_end: bool) -> int:
    """Where the capture's side of an edit at an end of the quote stops (or, ``from_end``,
    starts): the cut whose words read most like the quote's, at most a few words more."""
    best, best_score = (j1 if from_end else j2), -1.0
    text = " ".join(words)
    for k in range(1, min(j2 - j1, len(words) + SLACK) + 1):
        cut = j2 - k if from_end else j1 + k
        side = window[cut:j2] if from_end else window[j1:cut]
        score = difflib.SequenceMatcher(None, text, " ".join(side), autojunk=False).ratio()
        if score > best_score:
            best, best_score = cut, score
    return best


def _detail(op: tuple[str, int, int, int, int], q: list[str], window: list[str]) -> str:
    tag, i1, i2, j1, j2 = op
    if tag == "replace":
        return (f"word {i1 + 1} of {len(q)}: the quote has {_quoted(q[i1:i2])}, the capture has "
                f"{_quoted(window[j1:j2])}")
    if tag == "delete":
        return (f"word {i1 + 1} of {len(q)}: the quote has {_quoted(q[i1:i2])}, which the "
                "capture does not have here")
    return (f"after word {i1} of {len(q)}: the capture has {_quoted(window[j1:j2])}, which the "
            "quote leaves out")


def hint(quote: str, split: SplitCapture | None) -> str:
    """``; closest passage, line N: "..."; word K: ...`` to end a "quote not found" message,
    or ``''`` when there is nothing close to show."""
    if split is None:
        return ""
    found = closest(quote, split)
    return f"; {found.message()}" if found else ""
