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

    @property
    def claims_by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    @property
    def articles(self) -> list[Source]:
        return [s for _, s in sorted(self.sources.items()) if s.is_article]
