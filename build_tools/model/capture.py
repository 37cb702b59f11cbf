"""A capture split into passages: the record the passage rule (:mod:`build_tools.rules.passages`)
makes, and the look-ups quotes use."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from build_tools.core.text import normalize

CAPTURED_NOTE = "Captured by `add article`"
"""How the note of an entry ``add article`` writes begins: the entry is written before its
capture, so one with this note and no capture is an ``add article`` that was interrupted
between the two (the check names the command that completes it)."""


@dataclass
class Passage:
    """One passage: its text, its first line in the capture, and where it occurs."""

    text: str
    """As in the capture, white space folded (quotes kept typographic, to copy into a quote)."""
    key: str
    """The normalised text, by which repeated passages are the same passage."""
    line: int
    """The 1-based line of its first occurrence."""
    list_item: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Every occurrence, as ``[start, end)`` offsets into the normalised capture."""


@dataclass
class SplitCapture:
    """A capture's passages, in reading order, and its normalised text."""

    passages: list[Passage]
    normalized: str
    display: str = ""
    """The capture's text with white space folded, character for character aligned with
    ``normalized`` (typographic quotes and dashes kept): what an excerpt shows."""
    _starts: list[int] = field(default_factory=list, repr=False)
    _owners: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {p.key: i for i, p in enumerate(self.passages)}
        spans = sorted((start, end, i) for i, p in enumerate(self.passages)
                       for start, end in p.spans)
        self._starts = [s for s, _, _ in spans]
        self._ends = [e for _, e, _ in spans]
        self._owners = [i for _, _, i in spans]

    def overlapping(self, start: int, end: int) -> list[int]:
        """The indexes of the passages that overlap ``[start, end)`` of the normalised text."""
        hi = bisect.bisect_left(self._starts, end)
        lo = bisect.bisect_right(self._starts, start) - 1
        out = []
        for k in range(max(lo, 0), hi):
            if self._ends[k] > start:
                out.append(self._owners[k])
        return list(dict.fromkeys(out))

    def occurrences(self, quote: str) -> list[tuple[int, int]]:
        """Every ``[start, end)`` where the normalised ``quote`` occurs in the capture."""
        needle = normalize(quote)
        if not needle:
            return []
        out = []
        at = self.normalized.find(needle)
        while at != -1:
            out.append((at, at + len(needle)))
            at = self.normalized.find(needle, at + 1)
        return out

    def excerpt(self, start: int, end: int) -> str:
        """The capture's own words at ``[start, end)`` of the normalised text."""
        return self.display[start:end]

    def places(self, quote: str) -> list[tuple[int, int]]:
        """Where a quote stands: a quote that is a whole passage stands where that passage
        does (so a title is not also found inside a longer line that repeats it); any other
        quote, at every occurrence."""
        key = normalize(quote)
        whole = self._by_key.get(key)
        if whole is not None:
            return list(self.passages[whole].spans)
        return self.occurrences(quote)

    def quoted(self, quote: str) -> list[int]:
        """The passages a quote marks (see :meth:`places`), in reading order."""
        found: list[int] = []
        for start, end in self.places(quote):
            found.extend(self.overlapping(start, end))
        return sorted(set(found))
