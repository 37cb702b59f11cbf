"""Text as the claim search compares it: content words, stemmed, synonyms folded together.

- **Words**: lowercase ASCII letters and digits, accents dropped, apostrophes closed up.
- **Stop words**: NLTK's English list as bm25s ships it (179 words), apostrophes closed up too.
- **Stems**: the Snowball English stemmer (PyStemmer, the C build of the Snowball project's
  stemmers), so ``walking``, ``walks`` and ``walk`` are one term, ``breaks`` and ``break``.
- **Synonyms**: each form of a group in the vocabulary's synonym table becomes the group's
  first form before stemming (``acetaminophen`` and ``tylenol`` are ``paracetamol``), phrases
  included (``walking backwards`` is ``retro walking``).

Both libraries are in the ``intake`` extra; they are imported when first needed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from build_tools.intake import require


@functools.cache
def stopwords() -> frozenset[str]:
    """The stop words (see the module's docstring), as written and with apostrophes closed
    up (``don't``, ``dont``)."""
    require("bm25s")
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(STOPWORDS_EN_PLUS) | frozenset(w.replace("'", "") for w in STOPWORDS_EN_PLUS)


def words(text: str) -> list[str]:
    """The words of ``text``: lowercase ASCII letters and digits, accents dropped, apostrophes
    closed up (``don't`` -> ``dont``), hyphenated words split (``low-impact`` -> ``low``,
    ``impact``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"['\u2019]", "", ascii_text.lower())
    return re.findall(r"[a-z0-9]+", ascii_text)


@functools.cache
def _stemmer() -> Any:
    require("Stemmer")
    import Stemmer

    return Stemmer.Stemmer("english")


class Analyzer:
    """Turns a text into the terms the search compares, with the synonym table's groups folded
    to their first form; :meth:`terms` also says which of the text's words gave each term."""

    def __init__(self, synonyms: Iterable[Iterable[str]] = ()) -> None:
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for group in synonyms:
            forms = [tuple(words(f)) for f in group]
            forms = [f for f in forms if f]
            for form in forms[1:]:
                self._phrases[form] = forms[0]
        self._longest = max((len(p) for p in self._phrases), default=0)

    def terms(self, text: str) -> list[tuple[str, str]]:
        """``(term, word as written)`` for each content word of ``text``, in order."""
        raw = words(text)
        folded: list[str] = []
        i = 0
        while i < len(raw):
            for size in range(min(self._longest, len(raw) - i), 0, -1):
                target = self._phrases.get(tuple(raw[i:i + size]))
                if target:
                    folded.extend(f"{w}\x00{' '.join(raw[i:i + size])}" for w in target)
                    i += size
                    break
            else:
                folded.append(f"{raw[i]}\x00{raw[i]}")
                i += 1
        stop = stopwords()
        pairs = [tuple(t.split("\x00", 1)) for t in folded]
        kept = [(w, shown) for w, shown in pairs if w not in stop]
        stems = _stemmer().stemWords([w for w, _ in kept])
        return [(stem, shown) for stem, (_, shown) in zip(stems, kept, strict=True)]

    def signature(self) -> str:
        """What the terms depend on (the stop words, the stemmer, the synonyms), as a digest:
        an index of terms made with another is stale."""
        import hashlib

        stemmer = _stemmer()
        parts = [*sorted(stopwords()), stemmer.__class__.__module__,
                 ",".join(stemmer.stemWords(["walking", "recurrence", "relieves"])),
                 *(f"{' '.join(k)}>{' '.join(t)}" for k, t in sorted(self._phrases.items()))]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def tokens(self, text: str) -> list[str]:
        return [t for t, _ in self.terms(text)]


def synonym_groups(table: Mapping[str, Iterable[str]] | Iterable[Iterable[str]]
                   ) -> list[list[str]]:
    """The synonym table as groups of forms, the first the one the others fold to: a mapping
    ``{form: [other forms]}`` or a list of groups."""
    if isinstance(table, Mapping):
        return [[k, *v] for k, v in table.items()]
    return [list(g) for g in table]

