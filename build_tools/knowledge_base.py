"""The orchestrator: load -> validate -> link -> flag, top to bottom.

:class:`Loader` keeps what it read, keyed on each file's size and modification time, so a
second :meth:`Loader.load` (``mkdocs serve`` after a save) re-reads only the files that changed;
the link and flag stages, which are cheap, always run over the whole knowledge base.

When there is much to read (a first load of thousands of claims, or thousands of BibTeX entries)
and a process can be forked, a second process reads the BibTeX files and the last part of the
claim files while this one reads the rest: bibtexparser and the validator are pure Python, so
this is how a load uses a second core. What it reads comes back pickled, the same records.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from build_tools import files as finding
from build_tools import schema
from build_tools.bibliography import BibResult, read_entries, resolve
from build_tools.coverage import ArticleCoverage, SetAsideFile, cover, read_set_aside
from build_tools.files import CAPTURES_DIR, CLAIMS_DIR, SOURCES_DIR
from build_tools.flags import compute_flags
from build_tools.link import duplicate_ids, link_claim, unused_sources
from build_tools.loading import load_bibtex, load_yaml, read_text
from build_tools.model import Claim, Source
from build_tools.passages import SplitCapture, split
from build_tools.problems import Problem, Report, Severity
from build_tools.problems import shown as quoted
from build_tools.review import DEFAULT_MONTHS
from build_tools.validate import validate_claim

log = logging.getLogger(__name__)

__all__ = ["CAPTURES_DIR", "CLAIMS_DIR", "SOURCES_DIR", "CannotRun", "KnowledgeBase", "Loader",
           "load"]


class CannotRun(Exception):
    """The knowledge base cannot be checked at all (exit code 2)."""


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


T = TypeVar("T")
Stamp = tuple[int, int]


def _stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:  # a broken link, say: reading it reports why
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


BACKGROUND_MIN_WORK = 500_000
"""From this much work to share (in bytes of claim YAML), a second process takes a part of it:
the BibTeX files, and then the last claim files. Below it, forking costs more than it saves."""

BIBTEX_COST = 2.0
"""A byte of BibTeX takes as long to parse as this many bytes of claim YAML to compose and
validate: bibtexparser is pure Python (0.15 s per 1,000 entries), libyaml is C."""


def _can_fork() -> bool:
    """A forked worker is cheap (no imports) and safe here: Linux, a second core, no thread.

    Anywhere else every file is read in this process, as before: a spawned worker would
    re-import the caller's main module, and forking a process that has threads can deadlock.
    """
    if not sys.platform.startswith("linux") or threading.active_count() != 1 \
            or "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):  # pragma: no cover - Linux has it
        return (os.cpu_count() or 1) >= 2


def _read_claim_files(files: list[tuple[Path, str]]) -> list[tuple[Claim, list[Problem]]]:
    """The records and problems of claim files (in the background process)."""
    return [_read_claim_file(path, shown) for path, shown in files]


def _read_claim_file(path: Path, shown: str) -> tuple[Claim, list[Problem]]:
    """One claim file's record and problems (in this process or in the background one)."""
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
    macros (in this process or in the background one)."""
    return read_entries(load_bibtex(path, shown), shown)


def _process_pool() -> Executor:
    """One forked worker process (see :func:`_can_fork`)."""
    # what this process has buffered would be written a second time by the child at its exit
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))


class Loader:
    """Loads a knowledge base rooted at ``root``; caches per file between loads."""

    def __init__(self, root: Path | str = ".", today: dt.date | None = None,
                 review_months: int = DEFAULT_MONTHS) -> None:
        self.root = Path(root)
        self.today = today
        self.review_months = review_months
        """How long a review stays current (:mod:`build_tools.review`)."""
        self._cache: dict[Path, tuple[Stamp, Any]] = {}
        self.reread: list[Path] = []
        """The files the last :meth:`load` had to read (the rest came from the cache)."""

    def _cached(self, path: Path, read: Any, reread: list[Path] | None = None) -> Any:
        stamp = _stamp(path)
        hit = self._cache.get(path)
        if hit and hit[0] == stamp:
            return hit[1]
        (self.reread if reread is None else reread).append(path)
        value = read(path)
        self._cache[path] = (stamp, value)
        return value

    def _stale(self, paths: list[Path]) -> list[tuple[Path, Stamp]]:
        """The files that :meth:`_cached` would read, with their stamps."""
        out = []
        for path in paths:
            stamp = _stamp(path)
            hit = self._cache.get(path)
            if not (hit and hit[0] == stamp):
                out.append((path, stamp))
        return out

    def _share_bibtex(self, bg: _Background, bib_paths: list[Path]) -> None:
        """Fork the second process (:func:`_can_fork`) and give it the BibTeX files that
        changed, if they alone are enough work for it; else leave it to :meth:`_share_claims`."""
        if not _can_fork():
            return
        bg.stale_bibs = self._stale(bib_paths)
        bg.bib_work = BIBTEX_COST * sum(stamp[1] for _, stamp in bg.stale_bibs)
        if bg.bib_work >= BACKGROUND_MIN_WORK:
            self._fork(bg)

    def _share_claims(self, bg: _Background, claim_paths: list[Path]) -> None:
        """Give the second process the last claim files that changed, so that it has about half
        the work in all; fork it now if the BibTeX was too little work to fork it for."""
        if bg.stale_bibs is None:  # no forking here
            return
        claims = self._stale(claim_paths)
        claim_work = sum(stamp[1] for _, stamp in claims)
        if bg.pool is None and (bg.bib_work + claim_work < BACKGROUND_MIN_WORK
                                or not self._fork(bg)):
            return
        assert bg.pool is not None
        share = (claim_work - bg.bib_work) / 2
        tail: list[tuple[Path, Stamp]] = []
        for path, stamp in reversed(claims):
            if share < stamp[1] / 2:
                break
            share -= stamp[1]
            tail.append((path, stamp))
        if not tail:
            return
        tail.reverse()
        try:
            future = bg.pool.submit(_read_claim_files,
                                    [(path, self._shown(path)) for path, _ in tail])
        except Exception:  # the worker is gone: read them all here
            log.debug("cannot read claims in the background", exc_info=True)
            return
        bg.claims = dict(tail)
        bg.claims_future = future

    def _fork(self, bg: _Background) -> bool:
        """Start the second process with the changed BibTeX files; False if it cannot be."""
        try:
            bg.pool = _process_pool()
            for path, stamp in bg.stale_bibs or []:
                bg.bibs[path] = (stamp, bg.pool.submit(_read_bib_file, path, self._shown(path)))
            return True
        except Exception:  # no processes here (a sandbox): read everything in this one
            log.debug("cannot read files in the background", exc_info=True)
            if bg.pool:
                bg.pool.shutdown(wait=False, cancel_futures=True)
            bg.pool = None
            bg.bibs.clear()
            bg.stale_bibs = None  # do not try again in this load
            return False

    def _collect_bib(self, path: Path, stamp: Stamp, future: Future[Any]) -> Any:
        """A BibTeX file read in the background, cached as :meth:`_cached` would have."""
        self.reread.append(path)
        try:
            value = future.result()
        except Exception:  # the worker died or could not start: read it here, as before
            log.debug("reading %s in the background failed; reading it here", path,
                      exc_info=True)
            value = self._read_bib(path)
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
        found = finding.find(self.root, self._shown)
        kb.report.extend(found.problems)
        bib_paths = found.bibs
        claim_reread: list[Path] = []
        bg = _Background()
        try:
            self._share_bibtex(bg, bib_paths)
            claim_files = [(path, False) for path in found.claims]
            self._share_claims(bg, [p for p, misnamed in claim_files if not misnamed])
            # with files read in the background, read the other claims meanwhile
            claims = self._read_claims(claim_files, live, claim_reread, bg) if bg.pool else None

            # load + validate: sources
            bibs: list[BibResult] = []
            for path in bib_paths:
                live.add(path)
                if path in bg.bibs:
                    bibs.append(self._collect_bib(path, *bg.bibs[path]))
                else:
                    bibs.append(self._cached(path, self._read_bib))
        finally:
            if bg.pool:
                bg.pool.shutdown(wait=True, cancel_futures=True)
        folded: dict[str, Source] = {}
        for entries, problems in resolve(bibs):  # @string macros and crossref across files
            self._add_sources(kb, folded, entries, problems)

        # load: captures, split into passages and normalised once for quote look-ups
        capture_paths: dict[str, str] = {}
        for path in found.captures:
            live.add(path)
            passages, problems = self._cached(path, self._read_capture)
            kb.report.extend(problems)
            capture_paths[path.stem] = self._shown(path)
            if passages is not None:
                kb.splits[path.stem] = passages
                kb.captures[path.stem] = passages.normalized
                if path.stem not in kb.sources:
                    kb.report.warning(self._shown(path), 1, 1,
                                      f"capture for unknown source '{path.stem}' (expected the "
                                      "file named after a key in sources/*.bib)")

        # load + validate: claims
        if claims is None:
            claims = self._read_claims(claim_files, live, claim_reread, bg)
        self.reread.extend(claim_reread)
        for claim, problems in claims:
            kb.report.extend(problems)
            if claim is not None:
                kb.claims.append(claim)

        # link + flag
        kb.report.extend(duplicate_ids(kb.claims))
        unread = finding.unread_keys(found.unread_bibs, self._shown)
        for claim in kb.claims:
            kb.report.extend(link_claim(claim, kb.sources, kb.captures, today,
                                        self.review_months, kb.splits, unread))
            claim.flags = compute_flags(claim, kb.sources)
        if not found.unread_claims:  # else what the claims use is not known
            kb.report.extend(unused_sources(kb.claims, kb.sources))

        # load + validate: set-aside files; coverage of every captured article
        set_asides: dict[str, SetAsideFile] = {}
        broken: list[str] = []
        for path in found.set_asides:
            live.add(path)
            decisions, problems = self._cached(path, self._read_set_aside)
            kb.report.extend(problems)
            set_asides[path.stem] = decisions
            if problems:
                broken.append(path.stem)
        all_read = all(len(c.positions) > 1 for c in kb.claims) and not found.unread_claims
        kb.coverage, problems = cover(kb.claims, kb.sources, kb.splits, capture_paths,
                                      set_asides, all_read, broken)
        kb.report.extend(problems)

        for gone in set(self._cache) - live:
            del self._cache[gone]
        log.debug("loaded %d claims, %d sources; re-read %d files", len(kb.claims),
                  len(kb.sources), len(self.reread))
        return kb

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

    def _read_claims(self, files: list[tuple[Path, bool]], live: set[Path], reread: list[Path],
                     bg: _Background) -> list[tuple[Claim | None, list[Problem]]]:
        """Every claim file's record and problems, in order (None for a misnamed file); the
        files given to the background process are collected from it once the rest are read."""
        out: list[tuple[Claim | None, list[Problem]]] = []
        waiting: list[int] = []
        for path, _misnamed in files:
            live.add(path)
            if path in bg.claims:
                waiting.append(len(out))
                out.append((None, []))
            else:
                out.append(self._cached(path, self._read_claim, reread))
        if waiting:
            values: list[tuple[Claim, list[Problem]]] | None = None
            try:
                values = bg.claims_future.result() if bg.claims_future else None
            except Exception:  # the worker died or could not start: read them here, as before
                log.debug("reading claims in the background failed; reading them here",
                          exc_info=True)
            for k, at in enumerate(waiting):
                path = files[at][0]  # misnamed files are in `out` too, so indices agree
                reread.append(path)
                value = values[k] if values is not None else self._read_claim(path)
                self._cache[path] = (bg.claims[path], value)
                out[at] = value
        return out

    def _read_bib(self, path: Path) -> BibResult:
        return _read_bib_file(path, self._shown(path))

    def _read_capture(self, path: Path) -> tuple[SplitCapture | None, list[Problem]]:
        text, problems = read_text(path, self._shown(path))
        return (split(text) if text is not None else None), problems

    def _read_set_aside(self, path: Path) -> tuple[SetAsideFile, list[Problem]]:
        return read_set_aside(path, self._shown(path))

    def _read_claim(self, path: Path) -> tuple[Claim, list[Problem]]:
        return _read_claim_file(path, self._shown(path))


@dataclass
class _Background:
    """What a second process reads during one load: nothing, without a pool."""

    pool: Executor | None = None
    stale_bibs: list[tuple[Path, Stamp]] | None = None
    """The BibTeX files to read, once it is known that a process can be forked."""
    bib_work: float = 0.0
    bibs: dict[Path, tuple[Stamp, Future[Any]]] = field(default_factory=dict)
    claims: dict[Path, Stamp] = field(default_factory=dict)
    claims_future: Future[Any] | None = None


def load(root: Path | str = ".", today: dt.date | None = None,
         review_months: int = DEFAULT_MONTHS) -> KnowledgeBase:
    """Load and check the knowledge base at ``root`` once."""
    return Loader(root, today, review_months).load()
