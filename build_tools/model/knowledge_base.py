"""The knowledge base as a whole: its layout on disk, and the record the stages build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from build_tools.core.problems import Report
from build_tools.model.capture import SplitCapture
from build_tools.model.claim import Claim
from build_tools.model.coverage import ArticleCoverage
from build_tools.model.source import Source

CLAIMS_DIR = "claims"
SOURCES_DIR = "sources"
CAPTURES_DIR = "sources/captures"


@dataclass
class Fingerprints:
    """What each record was made from, as a hash of contents (:mod:`build_tools.core.digest`):
    the keys a page's inputs are made of (:mod:`build_tools.render.outputs`). Two loads of the
    same files give the same fingerprints, in any process."""

    claims: dict[str, bytes] = field(default_factory=dict)
    """By claim id: its file (path and bytes) and its computed flags."""
    sources: dict[str, bytes] = field(default_factory=dict)
    """By key: the entry's type and fields, as resolved across files."""
    captures: dict[str, bytes] = field(default_factory=dict)
    """By source key: the capture file that could be read."""
    coverage: dict[str, bytes] = field(default_factory=dict)
    """By source key: everything the article's coverage was worked out from."""


@dataclass
class KnowledgeBase:
    """Everything loaded, checked and flagged; ``report`` says what is wrong with it."""

    root: Path
    claims: list[Claim] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    captures: dict[str, str] = field(default_factory=dict)
    """Each captured article's text, normalised for quote look-ups, by source key."""
    splits: dict[str, SplitCapture] = field(default_factory=dict)
    """Each captured article's passages, by source key."""
    coverage: dict[str, ArticleCoverage] = field(default_factory=dict)
    """What is claimed, set aside and unreviewed in each captured article, by source key."""
    report: Report = field(default_factory=Report)
    fingerprints: Fingerprints = field(default_factory=Fingerprints)

    @property
    def claims_by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    @property
    def articles(self) -> list[Source]:
        return [s for _, s in sorted(self.sources.items()) if s.is_article]
