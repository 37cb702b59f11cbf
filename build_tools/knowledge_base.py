"""The orchestrator: :meth:`Loader.load` runs the stages of :mod:`build_tools.stages` in order,
top to bottom, and collects every problem in the knowledge base's report.

1. find (:mod:`~build_tools.stages.s1_find`): which files are read, and a word on each one not;
2. read (:mod:`~build_tools.stages.s2_read`): each file to located structures (YAML nodes,
   BibTeX blocks, a capture's passages);
3. validate (:mod:`~build_tools.stages.s3_validate`): claim and set-aside files to records as
   they are read, then the sources once every BibTeX file's macros are known;
4. link (:mod:`~build_tools.stages.s4_link`): everything that needs more than one file;
5. flag (:mod:`~build_tools.stages.s5_flag`): the computed flags of each claim;
6. cover (:mod:`~build_tools.stages.s6_cover`): every passage of every article claimed, set
   aside or unreviewed.

:class:`Loader` keeps what it read, keyed on each file's size and modification time, so a
second :meth:`Loader.load` (``mkdocs serve`` after a save) re-reads only the files that changed;
the link, flag and coverage stages, which are cheap, always run over the whole knowledge base.
When much has to be read, a second process reads part of it
(:func:`build_tools.core.parallel.map_in_two`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from build_tools.bibtex.files import load_bibtex
from build_tools.bibtex.macros import BibResult, read_entries, resolve
from build_tools.core.parallel import gc_paused, map_in_two
from build_tools.core.problems import CannotRun, Problem, Severity
from build_tools.core.problems import shown as quoted
from build_tools.core.reading import read_text
from build_tools.model.claim import Claim
from build_tools.model.coverage import SetAsideFile
from build_tools.model.knowledge_base import CLAIMS_DIR, SOURCES_DIR, KnowledgeBase
from build_tools.model.source import Source
from build_tools.rules import schema
from build_tools.rules.passages import split
from build_tools.rules.review import DEFAULT_MONTHS
from build_tools.stages import s1_find as finding
from build_tools.stages.s2_read import load_yaml
from build_tools.stages.s3_validate import read_set_aside, validate_claim
from build_tools.stages.s4_link import (
    duplicate_ids,
    link_claim,
    same_evidence_warnings,
    unused_sources,
)
from build_tools.stages.s5_flag import compute_flags
from build_tools.stages.s6_cover import cover

log = logging.getLogger(__name__)

Stamp = tuple[int, int]


def _stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:  # a broken link, say: reading it reports why
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


BACKGROUND_MIN_WORK = 500_000
"""From this much to read (in bytes of claim YAML or their equivalent), a second process reads a
part of it (:func:`build_tools.core.parallel.map_in_two`); below it, forking costs more than it
saves."""

COST = {"bib": 2.0, "claim": 1.0, "capture": 1.0, "set-aside": 1.0}
"""What a byte of each kind of file costs to read, in bytes of claim YAML: bibtexparser is pure
Python (0.15 s per 1,000 entries), libyaml is C."""


def _to_read(found: finding.Files) -> list[tuple[Path, str]]:
    """Every file a stage reads, with its kind; BibTeX last (the second process takes the last
    ones)."""
    return [*((p, "capture") for p in found.captures),
            *((p, "set-aside") for p in found.set_asides),
            *((p, "claim") for p in found.claims),
            *((p, "bib") for p in found.bibs)]


class Loader:
    """Loads a knowledge base rooted at ``root``; caches per file between loads."""

    def __init__(self, root: Path | str = ".", today: dt.date | None = None,
                 review_months: int = DEFAULT_MONTHS) -> None:
        self.root = Path(root)
        self.today = today
        self.review_months = review_months
        """How long a review stays current (:mod:`build_tools.rules.review`)."""
        self._cache: dict[Path, tuple[Stamp, Any]] = {}
        self.reread: list[Path] = []
        """The files the last :meth:`load` had to read (the rest came from the cache)."""

    def _shown(self, path: Path) -> str:
        return os.path.normpath(path).replace(os.sep, "/")

    def load(self) -> KnowledgeBase:
        """Run every stage over the whole knowledge base; problems go to ``kb.report``."""
        with gc_paused():  # millions of YAML nodes and records, no cycles
            return self._load()

    def _load(self) -> KnowledgeBase:
        for needed in (self.root / CLAIMS_DIR, self.root / SOURCES_DIR):
            if not needed.is_dir():
                raise CannotRun(f"{self._shown(needed)}: no such directory (expected a "
                                f"knowledge base with {CLAIMS_DIR}/ and {SOURCES_DIR}/)")
        # 1. find; 2. read (and 3. validate the claim and set-aside files, each as it is read)
        found = finding.find(self.root, self._shown)
        read = self._read(_to_read(found))
        kb = KnowledgeBase(root=self.root)
        kb.report.extend(found.problems)
        today = self.today or dt.date.today()

        # 3. validate: sources (@string macros and crossref resolved across files)
        folded: dict[str, Source] = {}
        for entries, problems in resolve([read[path] for path in found.bibs]):
            self._add_sources(kb, folded, entries, problems)

        # 3. validate: each capture belongs to a source; its passages are kept for quote look-ups
        capture_paths: dict[str, str] = {}
        for path in found.captures:
            passages, problems = read[path]
            kb.report.extend(problems)
            capture_paths[path.stem] = self._shown(path)
            if passages is not None:
                kb.splits[path.stem] = passages
                kb.captures[path.stem] = passages.normalized
                if path.stem not in kb.sources:
                    kb.report.warning(self._shown(path), 1, 1,
                                      f"capture for unknown source '{path.stem}' (expected the "
                                      "file named after a key in sources/*.bib)")

        # 3. validate: claims (validated as they were read)
        for path in found.claims:
            claim, problems = read[path]
            kb.report.extend(problems)
            kb.claims.append(claim)

        # 4. link; 5. flag
        kb.report.extend(duplicate_ids(kb.claims))
        unread = finding.unread_keys(found.unread_bibs, self._shown)
        for claim in kb.claims:
            kb.report.extend(link_claim(claim, kb.sources, kb.captures, today,
                                        self.review_months, kb.splits, unread))
            claim.flags = compute_flags(claim, kb.sources)
        kb.report.extend(same_evidence_warnings(kb.claims))
        if not found.unread_claims:  # else what the claims use is not known
            kb.report.extend(unused_sources(kb.claims, kb.sources))

        # 6. cover: the set-aside files (validated as they were read), and every article
        set_asides: dict[str, SetAsideFile] = {}
        broken: list[str] = []
        for path in found.set_asides:
            decisions, problems = read[path]
            kb.report.extend(problems)
            set_asides[path.stem] = decisions
            if problems:
                broken.append(path.stem)
        all_read = all(len(c.positions) > 1 for c in kb.claims) and not found.unread_claims
        kb.coverage, problems = cover(kb.claims, kb.sources, kb.splits, capture_paths,
                                      set_asides, all_read, broken)
        kb.report.extend(problems)

        log.debug("loaded %d claims, %d sources; re-read %d files", len(kb.claims),
                  len(kb.sources), len(self.reread))
        return kb

    def _read(self, files: list[tuple[Path, str]]) -> dict[Path, Any]:
        """What each file holds, read now if it changed since the last load (then in two
        processes if there is much to read), else from the cache; files gone are forgotten."""
        out: dict[Path, Any] = {}
        stale: list[tuple[Path, str, Stamp]] = []
        for path, kind in files:
            stamp = _stamp(path)
            hit = self._cache.get(path)
            if hit and hit[0] == stamp:
                out[path] = hit[1]
            else:
                stale.append((path, kind, stamp))
        values = map_in_two(self._read_file, [(path, kind) for path, kind, _ in stale],
                            [stamp[1] * COST[kind] for _, kind, stamp in stale],
                            min_work=BACKGROUND_MIN_WORK)
        self._cache = {path: hit for path, hit in self._cache.items() if path in out}
        for (path, _, stamp), value in zip(stale, values, strict=True):
            self._cache[path] = (stamp, value)
            out[path] = value
        self.reread = [path for path, _, _ in stale]
        return out

    def _read_file(self, job: tuple[Path, str]) -> Any:
        """One file's record(s) and problems, by its kind."""
        path, kind = job
        shown = self._shown(path)
        if kind == "claim":
            return _read_claim_file(path, shown)
        if kind == "bib":
            return _read_bib_file(path, shown)
        if kind == "capture":
            text, problems = read_text(path, shown)
            return (split(text) if text is not None else None), problems
        return read_set_aside(path, shown)

    def _add_sources(self, kb: KnowledgeBase, folded: dict[str, Source], entries: list[Source],
                     problems: list[Problem]) -> None:
        kb.report.extend(problems)
        for source in entries:
            first = folded.setdefault(source.key.casefold(), source)
            if first is source:
                kb.sources[source.key] = source
            else:
                kb.report.error(source.path, source.line, 1,
                                f"duplicate BibTeX key {quoted(source.key)} (expected each key "
                                f"once across sources/; first defined at "
                                f"{first.path}:{first.line})")


def _read_claim_file(path: Path, shown: str) -> tuple[Claim, list[Problem]]:
    """One claim file's record and problems."""
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


def _read_bib_file(path: Path, shown: str) -> BibResult:
    """One BibTeX file's sources and problems, and the entries that wait for every file's
    macros."""
    return read_entries(load_bibtex(path, shown), shown)


def load(root: Path | str = ".", today: dt.date | None = None,
         review_months: int = DEFAULT_MONTHS) -> KnowledgeBase:
    """Load and check the knowledge base at ``root`` once."""
    return Loader(root, today, review_months).load()
