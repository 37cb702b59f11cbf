"""What is known of each passage of a captured article: claimed, set aside or unreviewed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from build_tools.core import vocabulary as v
from build_tools.model.capture import Passage, SplitCapture
from build_tools.model.claim import Appearance, Claim

CLAIMED, SET_ASIDE, UNREVIEWED = "claimed", "set-aside", "unreviewed"


@dataclass
class SetAside:
    """One set-aside decision: a quote that identifies passages, and why they hold no claim."""

    quote: str
    reason: str
    line: int
    col: int
    source: str | None = None
    note: str | None = None
    source_at: tuple[int, int] | None = None
    reason_at: tuple[int, int] | None = None


@dataclass
class SetAsideFile:
    """``sources/captures/<key>.yml``: the passages of one article set aside."""

    key: str
    path: str
    entries: list[SetAside] = field(default_factory=list)
    note: str | None = None


@dataclass
class Reading:
    """An appearance of a claim in an article, at its place in the article."""

    offset: int
    """Where its quote first occurs in the normalised capture (-1: not found)."""
    claim: Claim
    index: int
    """Which of the claim's appearances it is."""
    text: str
    """The quote as it stands in the capture (its typography), or as the claim gives it."""

    @property
    def appearance(self) -> Appearance:
        return self.claim.appearances[self.index]


@dataclass
class ArticleCoverage:
    """What is known of each passage of one captured article."""

    key: str
    capture_path: str
    split: SplitCapture
    status: list[str]
    readings: list[Reading] = field(default_factory=list)
    """The article's appearances in reading order (see :class:`Reading`)."""
    decisions: list[SetAside | None] = field(default_factory=list)
    """The set-aside decision of each passage (None when it is not set aside)."""

    @property
    def passages(self) -> list[Passage]:
        return self.split.passages

    def count(self, status: str) -> int:
        return sum(1 for st in self.status if st == status)

    @property
    def by_reason(self) -> dict[str, int]:
        """How many passages were set aside for each reason, in vocabulary order."""
        counts = Counter(d.reason for d in self.decisions if d)
        return {reason: counts[reason] for reason in v.SET_ASIDE_REASONS if counts[reason]}

    @property
    def unreviewed(self) -> list[Passage]:
        return [p for p, st in zip(self.passages, self.status, strict=True) if st == UNREVIEWED]

    @property
    def complete(self) -> bool:
        return UNREVIEWED not in self.status

    def as_json(self) -> dict[str, object]:
        """The ``coverage --json`` record of this article."""
        return {
            "key": self.key,
            "passages": len(self.passages),
            "claimed": self.count(CLAIMED),
            "set_aside": self.count(SET_ASIDE),
            "unreviewed": self.count(UNREVIEWED),
            "unreviewed_passages": [{"line": p.line, "text": p.text} for p in self.unreviewed],
        }
