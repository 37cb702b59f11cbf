"""Hype words: the red-flag terms of :data:`build_tools.core.vocabulary.HYPE_TERMS` in a quote.

Matching is on whole words, case-insensitive, with typographic apostrophes made straight and a
hyphen or a space between the parts of a phrase both accepted ("game changer", "game-changer").
A term with a negation among the three words before it is not hype ("no cure", "has yet to be
proven").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from build_tools.core import vocabulary as v

_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Hit:
    """One red-flag word in a text: the term it counts as, and where it is."""

    term: str
    start: int
    end: int


@functools.cache
def _forms() -> tuple[tuple[str, str], ...]:
    """Every (form, term), longest form first, so that a phrase wins over its last word."""
    return tuple(sorted(((f, t.value) for t in v.HYPE_TERMS.values() for f in t.forms),
                        key=lambda ft: -len(ft[0])))


@functools.cache
def _pattern() -> re.Pattern[str]:
    parts = []
    for i, (form, _) in enumerate(_forms()):
        words = [re.escape(w) for w in re.split(r"[\s-]+", form)]
        parts.append(f"(?P<t{i}>" + r"[\s\-\u2010\u2011]+".join(words) + ")")
    return re.compile(r"(?<![\w'-])(?:" + "|".join(parts) + r")(?!\w|-\w)", re.IGNORECASE)


def _negated(text: str, start: int) -> bool:
    before = _WORD.findall(text[max(0, start - 60):start].lower())[-3:]
    return any(w in v.HYPE_NEGATIONS for w in before)


def hits(text: str) -> list[Hit]:
    """Every red-flag word in ``text``, in order."""
    return list(_hits(text))


@functools.lru_cache(maxsize=1 << 15)
def _hits(text: str) -> tuple[Hit, ...]:
    """:func:`hits`, kept: a quote is scanned on its claim page, in its article's scorecard and
    for its hype badge (0.64 s of rendering 1,000 claims, scanned again and again)."""
    plain = text.replace("\u2019", "'").replace("\u2018", "'")
    out = []
    for m in _pattern().finditer(plain):
        if _negated(plain, m.start()):
            continue
        index = int(next(k for k, val in m.groupdict().items() if val is not None)[1:])
        out.append(Hit(_forms()[index][1], m.start(), m.end()))
    return tuple(out)


def hype_words(text: str) -> list[str]:
    """The red-flag terms ``text`` uses, once each, in the order of the vocabulary."""
    found = {h.term for h in hits(text)}
    return [t for t in v.HYPE_TERMS if t in found]
