"""The reader's words (:data:`build_tools.core.vocabulary.SYNONYMS`) found in a text.

:func:`other_words` gives, for a text, the words of every synonym group the text uses that it does
not use itself: the site's search indexes a claim with them, so that "tylenol" finds a claim that
says "paracetamol". The same table serves ``find``'s ranking.
"""

from __future__ import annotations

import functools
import re

from build_tools.core import vocabulary as v


@functools.cache
def _pattern(word: str) -> re.Pattern[str]:
    """``word`` as a whole word or phrase, any case, with a plural ending; the words of a phrase
    apart by spaces or hyphens (``flare-up`` and ``flare up``)."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", word.strip()) if p]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?:s|es)?(?!\w)", re.IGNORECASE)


def uses(text: str, word: str) -> bool:
    """Whether ``text`` says ``word`` (or its plural)."""
    return _pattern(word).search(text) is not None


def other_words(*texts: str, groups: tuple[tuple[str, ...], ...] = v.SYNONYMS) -> list[str]:
    """The words of each group that some of ``texts`` use, less those the texts say already,
    in the table's order, each once."""
    text = "\n".join(texts)
    out: list[str] = []
    for group in groups:
        said = [w for w in group if uses(text, w)]
        if said:
            out += [w for w in group if w not in said and w not in out]
    return out
