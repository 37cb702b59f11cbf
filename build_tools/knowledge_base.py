"""The orchestrator: load -> validate -> link -> flag, top to bottom.

:class:`Loader` keeps what it read, keyed on each file's size and modification time, so a
second :meth:`Loader.load` (``mkdocs serve`` after a save) re-reads only the files that changed;
the link and flag stages, which are cheap, always run over the whole knowledge base.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from build_tools import schema
from build_tools.bibliography import to_source
from build_tools.flags import compute_flags
from build_tools.link import duplicate_ids, link_claim, normalize, unused_sources
from build_tools.loading import load_bibtex, load_yaml, read_text
from build_tools.model import Claim, Source
from build_tools.problems import Problem, Report, Severity
from build_tools.validate import validate_claim

log = logging.getLogger(__name__)

CLAIMS_DIR = "claims"
SOURCES_DIR = "sources"
CAPTURES_DIR = "sources/captures"


class CannotRun(Exception):
    """The knowledge base cannot be checked at all (exit code 2)."""


@dataclass
class KnowledgeBase:
    """Everything loaded, checked and flagged; ``report`` says what is wrong with it."""

    root: Path
    claims: list[Claim] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    captures: dict[str, str] = field(default_factory=dict)
    report: Report = field(default_factory=Report)

    @property
    def claims_by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    @property
    def articles(self) -> list[Source]:
        return [s for _, s in sorted(self.sources.items()) if s.is_article]


T = TypeVar("T")
Stamp = tuple[int, int]


def _stamp(path: Path) -> Stamp:
    st = path.stat()
    return (st.st_mtime_ns, st.st_size)


class Loader:
    """Loads a knowledge base rooted at ``root``; caches per file between loads."""

    def __init__(self, root: Path | str = ".", today: dt.date | None = None) -> None:
        self.root = Path(root)
        self.today = today
        self._cache: dict[Path, tuple[Stamp, Any]] = {}
        self.reread: list[Path] = []
        """The files the last :meth:`load` had to read (the rest came from the cache)."""

    def _cached(self, path: Path, read: Any) -> Any:
        stamp = _stamp(path)
        hit = self._cache.get(path)
        if hit and hit[0] == stamp:
            return hit[1]
        self.reread.append(path)
        value = read(path)
        self._cache[path] = (stamp, value)
        return value

    def _shown(self, path: Path) -> str:
        return os.path.normpath(path).replace(os.sep, "/")

    def load(self) -> KnowledgeBase:
        """Run every stage over the whole knowledge base; problems go to ``kb.report``."""
        # Loading makes millions of small objects (YAML nodes and marks) and keeps many of them,
        # and hardly any of them in reference cycles: the cyclic garbage collector would walk
        # them again and again (an eighth of the time at 10,000 claims), so it waits until the
        # end. Reference counting still frees every node as soon as its file is validated.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._load()
        finally:
            if collecting:
                gc.enable()

    def _load(self) -> KnowledgeBase:
        claims_dir = self.root / CLAIMS_DIR
        sources_dir = self.root / SOURCES_DIR
        for needed in (claims_dir, sources_dir):
            if not needed.is_dir():
                raise CannotRun(f"{self._shown(needed)}: no such directory (expected a "
                                f"knowledge base with {CLAIMS_DIR}/ and {SOURCES_DIR}/)")
        self.reread = []
        kb = KnowledgeBase(root=self.root)
        today = self.today or dt.date.today()
        live: set[Path] = set()

        # load + validate: sources
        folded: dict[str, Source] = {}
        for path in sorted(sources_dir.glob("*.bib")):
            live.add(path)
            entries, problems = self._cached(path, self._read_bib)
            kb.report.extend(problems)
            for source in entries:
                first = folded.setdefault(source.key.casefold(), source)
                if first is source:
                    kb.sources[source.key] = source
                else:
                    kb.report.error(source.path, source.line, 1,
                                    f"duplicate BibTeX key '{source.key}' (expected each key "
                                    f"once across sources/; first defined at "
                                    f"{first.path}:{first.line})")

        # load: captures, normalised once for quote look-ups
        for path in sorted((self.root / CAPTURES_DIR).glob("*.txt")):
            live.add(path)
            text, problems = self._cached(path, self._read_capture)
            kb.report.extend(problems)
            if text is not None:
                kb.captures[path.stem] = text
                if path.stem not in kb.sources:
                    kb.report.warning(self._shown(path), 1, 1,
                                      f"capture for unknown source '{path.stem}' (expected the "
                                      "file named after a key in sources/*.bib)")

        # load + validate: claims
        for path in sorted(claims_dir.iterdir()):
            if path.suffix in (".yaml", ".YML", ".YAML", ".Yml"):
                kb.report.error(self._shown(path), 1, 1, f"claim file ends in '{path.suffix}' "
                                                         "(expected '.yml')")
                continue
            if path.suffix != ".yml" or not path.is_file():
                continue
            live.add(path)
            claim, problems = self._cached(path, self._read_claim)
            kb.report.extend(problems)
            kb.claims.append(claim)

        # link + flag
        kb.report.extend(duplicate_ids(kb.claims))
        for claim in kb.claims:
            kb.report.extend(link_claim(claim, kb.sources, kb.captures, today))
            claim.flags = compute_flags(claim, kb.sources)
        kb.report.extend(unused_sources(kb.claims, kb.sources))

        for gone in set(self._cache) - live:
            del self._cache[gone]
        log.debug("loaded %d claims, %d sources; re-read %d files", len(kb.claims),
                  len(kb.sources), len(self.reread))
        return kb

    def _read_bib(self, path: Path) -> tuple[list[Source], list[Problem]]:
        shown = self._shown(path)
        bib = load_bibtex(path, shown)
        problems = list(bib.problems)
        sources = []
        for entry in bib.entries:
            source, entry_problems = to_source(entry, shown)
            sources.append(source)
            problems.extend(entry_problems)
        return sources, problems

    def _read_capture(self, path: Path) -> tuple[str | None, list[Problem]]:
        text, problems = read_text(path, self._shown(path))
        return (normalize(text) if text is not None else None), problems

    def _read_claim(self, path: Path) -> tuple[Claim, list[Problem]]:
        shown = self._shown(path)
        claim_id = path.stem
        problems: list[Problem] = []
        if not schema.KEBAB.match(claim_id):
            problems.append(Problem(shown, 1, 1, Severity.ERROR,
                                    f"file name '{path.name}' is not a valid claim id (expected "
                                    "lowercase letters and digits joined by single hyphens, "
                                    "e.g. walking-reduces-recurrence.yml)"))
        doc = load_yaml(path, shown)
        problems.extend(doc.problems)
        if doc.root is None:
            return Claim(id=claim_id, path=shown), problems
        claim, claim_problems = validate_claim(claim_id, shown, doc.root)
        return claim, problems + claim_problems


def load(root: Path | str = ".", today: dt.date | None = None) -> KnowledgeBase:
    """Load and check the knowledge base at ``root`` once."""
    return Loader(root, today).load()
