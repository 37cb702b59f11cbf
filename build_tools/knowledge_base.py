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

What a stage makes from its inputs is kept in a :class:`~build_tools.core.cache.Cache` under a
key made of those inputs' contents (:mod:`build_tools.knowledge_base_keys` says which): each
file's records and problems, each claim's link problems and flags, each article's coverage. A
second :meth:`Loader.load` (``mkdocs serve`` after a save), or the next command when the cache
is kept on disk, reads and works out only what an edit changed. When much has to be read, a
second process reads part of it (:func:`build_tools.core.parallel.map_in_two`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from build_tools import knowledge_base_keys as keys
from build_tools.bibtex.files import load_bibtex
from build_tools.bibtex.macros import BibResult, read_entries, resolve
from build_tools.core.cache import MISSING, Cache, dumps, loads
from build_tools.core.digest import digest, digest_parts
from build_tools.core.parallel import gc_paused, map_in_two
from build_tools.core.problems import CannotRun, Problem, Severity
from build_tools.core.problems import shown as quoted
from build_tools.core.reading import read_text
from build_tools.model.claim import Claim, ClaimFacts, LazyClaim
from build_tools.model.coverage import SetAsideFile
from build_tools.model.knowledge_base import CLAIMS_DIR, SOURCES_DIR, KnowledgeBase
from build_tools.model.source import Source
from build_tools.rules import readability as reading
from build_tools.rules import schema
from build_tools.rules.grade import rating, sister_warnings
from build_tools.rules.passages import split
from build_tools.rules.review import DEFAULT_MONTHS
from build_tools.stages import s1_find as finding
from build_tools.stages.s2_read import load_yaml
from build_tools.stages.s3_validate import read_set_aside, validate_claim
from build_tools.stages.s4_link import duplicate_ids, link_claim, readability, unused_sources
from build_tools.stages.s5_flag import compute_flags
from build_tools.stages.s6_cover import cover, placements

log = logging.getLogger(__name__)

BACKGROUND_MIN_WORK = 500_000
"""From this much to read (in bytes of claim YAML or their equivalent), a second process reads a
part of it (:func:`build_tools.core.parallel.map_in_two`); below it, forking costs more than it
saves."""

COST = {"bib": 2.0, "claim": 1.0, "capture": 1.0, "set-aside": 1.0}
"""What a byte of each kind of file costs to read, in bytes of claim YAML: bibtexparser is pure
Python (0.15 s per 1,000 entries), libyaml is C."""

RECORDS, STAGES = "records", "stages"
"""The cache's tables: each file's records and problems; each claim's and article's results."""


def _to_read(found: finding.Files) -> list[tuple[Path, str]]:
    """Every file a stage reads, with its kind; BibTeX last (the second process takes the last
    ones)."""
    return [*((p, "capture") for p in found.captures),
            *((p, "set-aside") for p in found.set_asides),
            *((p, "claim") for p in found.claims),
            *((p, "bib") for p in found.bibs)]


class Loader:
    """Loads a knowledge base rooted at ``root``, keeping what it worked out in ``cache``
    (by default in memory, for the life of the loader)."""

    def __init__(self, root: Path | str = ".", today: dt.date | None = None,
                 review_months: int = DEFAULT_MONTHS, cache: Cache | None = None,
                 readability: bool = False) -> None:
        self.root = Path(root)
        self.today = today
        self.review_months = review_months
        """How long a review stays current (:mod:`build_tools.rules.review`)."""
        self.readability = readability
        """Also warn about bottom lines that do not read in plain words (``check`` does; the
        site build does not: :func:`build_tools.stages.s4_link.readability`)."""
        self.cache = cache if cache is not None else Cache(None)
        self.reread: list[Path] = []
        """The files the last :meth:`load` had to read (the rest came from the cache)."""
        self._live: dict[bytes, Claim] = {}
        """The claims of the last load, by key: the same objects for the next one."""

    def _shown(self, path: Path) -> str:
        return os.path.normpath(path).replace(os.sep, "/")

    def load(self) -> KnowledgeBase:
        """Run every stage over the whole knowledge base; problems go to ``kb.report``. The
        cache is written (or, in memory, swept) at the end."""
        with gc_paused(keep=True):  # millions of YAML nodes and records, no cycles
            kb = self._load()
        self.cache.save()
        return kb

    def _load(self) -> KnowledgeBase:
        for needed in (self.root / CLAIMS_DIR, self.root / SOURCES_DIR):
            if not needed.is_dir():
                raise CannotRun(f"{self._shown(needed)}: no such directory (expected a "
                                f"knowledge base with {CLAIMS_DIR}/ and {SOURCES_DIR}/)")
        # 1. find; 2. read (and 3. validate the claim and set-aside files, each as it is read)
        found = finding.find(self.root, self._shown)
        files = _to_read(found)
        file_keys = {path: keys.file_key(kind, self._shown(path), path) for path, kind in files}
        read = self._read(files, file_keys)
        kb = KnowledgeBase(root=self.root)
        kb.report.extend(found.problems)
        today = self.today or dt.date.today()

        # 3. validate: sources (@string macros and crossref resolved across files)
        folded: dict[str, Source] = {}
        for entries, problems in resolve([read[path] for path in found.bibs]):
            self._add_sources(kb, folded, entries, problems)
        prints = kb.fingerprints
        prints.sources = self._source_prints(kb.sources, [file_keys[p] for p in found.bibs])

        # 3. validate: each capture belongs to a source; its passages are kept for quote look-ups
        capture_paths: dict[str, str] = {}
        for path in found.captures:
            passages, problems = read[path]
            kb.report.extend(problems)
            capture_paths[path.stem] = self._shown(path)
            if passages is not None:
                kb.splits[path.stem] = passages
                kb.captures[path.stem] = passages.normalized
                prints.captures[path.stem] = keys.known(file_keys[path], path)
                if path.stem not in kb.sources:
                    kb.report.warning(self._shown(path), 1, 1,
                                      f"capture for unknown source '{path.stem}' (expected the "
                                      "file named after a key in sources/*.bib)")

        # 3. validate: claims (validated as they were read)
        claim_facts: list[ClaimFacts] = []
        for path in found.claims:
            claim, problems, facts = read[path]
            kb.report.extend(problems)
            kb.claims.append(claim)
            claim_facts.append(facts)

        # 4. link; 5. flag (kept by claim, with where its quotes stand, for the cover stage)
        kb.report.extend(duplicate_ids(kb.claims))
        unread = finding.unread_keys(found.unread_bibs, self._shown)
        context = keys.LinkContext(today, self.review_months, prints, kb.sources, unread)
        stages = self.cache.table(STAGES)
        places: dict[int, list[list[tuple[int, int]]]] = {}
        for path, claim, facts in zip(found.claims, kb.claims, claim_facts, strict=True):
            record = keys.known(file_keys[path], path)
            key = context.key(facts, record)
            hit = stages.get(key)
            if hit is MISSING:
                hit = (link_claim(claim, kb.sources, kb.captures, today, self.review_months,
                                  kb.splits, unread),
                       compute_flags(claim, kb.sources), placements(claim, kb.splits))
                stages.put(key, hit)
            problems, claim.flags, places[id(claim)] = hit
            kb.report.extend(problems)
            prints.claims[claim.id] = keys.claim_print(record, claim.flags)
        kb.report.extend(sister_warnings(f.rating for f in claim_facts if f.rating))
        if self.readability:
            kb.report.extend(self._readability(found.claims, kb.claims, file_keys))
        if not found.unread_claims:  # else what the claims use is not known
            kb.report.extend(unused_sources(kb.claims, kb.sources, claim_facts))

        # 6. cover: the set-aside files (validated as they were read), and every article
        set_asides: dict[str, SetAsideFile] = {}
        set_aside_keys: dict[str, bytes] = {}
        broken: list[str] = []
        for path in found.set_asides:
            decisions, problems = read[path]
            kb.report.extend(problems)
            set_asides[path.stem] = decisions
            set_aside_keys[path.stem] = keys.known(file_keys[path], path)
            if problems:
                broken.append(path.stem)
        all_read = all(f.readable for f in claim_facts) and not found.unread_claims
        memo = keys.cover_key(claim_facts, prints, set_aside_keys, capture_paths, broken,
                              all_read, kb.sources)
        kept = stages.get(memo)
        if kept is MISSING:
            kb.coverage, problems = cover(kb.claims, kb.sources, kb.splits, capture_paths,
                                          set_asides, all_read, broken,
                                          places=lambda c: places[id(c)])
            stages.put(memo, keys.keep_coverage(kb.coverage, problems))
        else:
            kb.coverage, problems = keys.restore_coverage(kept, kb.claims, kb.splits)
        prints.coverage = {k: digest(memo, k) for k in kb.coverage}
        kb.report.extend(problems)

        log.debug("loaded %d claims, %d sources; re-read %d files", len(kb.claims),
                  len(kb.sources), len(self.reread))
        return kb

    def _readability(self, paths: list[Path], claims: list[Claim],
                     file_keys: dict[Path, bytes | None]) -> list[Problem]:
        """The readability warnings of every claim, each kept by its file and the version of
        the reading-level library (a claim whose file did not change is not read again). A
        changed file's bottom line is graded again only if its text changed: its messages are
        kept by the text too, so a new verdict does not load the pronouncing dictionary."""
        table = self.cache.table(STAGES)
        library = reading.fingerprint()

        def messages(text: str) -> list[str]:
            key = digest_parts("readability text", text, library)
            found: list[str] = table.get(key)
            if found is MISSING:
                found = reading.readability_problems(text)
                table.put(key, found)
            return found

        out: list[Problem] = []
        for path, claim in zip(paths, claims, strict=True):
            key = digest_parts("readability", keys.known(file_keys[path], path), library)
            hit = table.get(key)
            if hit is MISSING:
                hit = readability([claim], messages)
                table.put(key, hit)
            out.extend(hit)
        return out

    def _read(self, files: list[tuple[Path, str]],
              file_keys: dict[Path, bytes | None]) -> dict[Path, Any]:
        """What each file holds: from the cache when a file with the same path and bytes was
        read before, else read now (in two processes if there is much to read). A claim comes
        with its :class:`~build_tools.model.claim.ClaimFacts`; one from the disk cache is a
        :class:`~build_tools.model.claim.LazyClaim`, unpickled only if a stage needs it."""
        table = self.cache.table(RECORDS)
        out: dict[Path, Any] = {}
        stale: list[tuple[Path, str]] = []
        live: dict[bytes, Claim] = {}
        for path, kind in files:
            key = file_keys[path]
            hit = table.get(key) if key is not None else MISSING
            if hit is MISSING:
                stale.append((path, kind))
            elif kind == "claim":
                facts, problems = hit
                claim = self._live.get(key) or LazyClaim(facts, loads)  # type: ignore[arg-type]
                live[key] = claim  # type: ignore[index]
                out[path] = (claim, problems, facts)
            else:
                out[path] = hit
        values = map_in_two(self._read_file, stale,
                            [keys.size(path) * COST[kind] for path, kind in stale],
                            min_work=BACKGROUND_MIN_WORK)
        for (path, kind), value in zip(stale, values, strict=True):
            key = file_keys[path]
            # kept only if the file still holds the bytes its key was made from
            keep = key is not None and keys.file_key(kind, self._shown(path), path) == key
            if kind == "claim":
                claim, problems = value
                facts = ClaimFacts.of(claim, dumps(claim) if keep and self.cache.enabled
                                      else b"", rating(claim))
                value = (claim, problems, facts)
                if keep:
                    live[key] = claim  # type: ignore[index]
                    table.put(key, (facts, problems))  # type: ignore[arg-type]
            elif keep:
                table.put(key, value)  # type: ignore[arg-type]
            out[path] = value
        self._live = live
        self.reread = [path for path, _ in stale]
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

    def _source_prints(self, sources: dict[str, Source],
                       bib_keys: list[bytes | None]) -> dict[str, bytes]:
        """The fingerprint of each source's fields, worked out again only when some BibTeX
        file changed."""
        table = self.cache.table(STAGES)
        memo = keys.sources_key(bib_keys)
        hit = table.get(memo) if memo is not None else MISSING
        if hit is MISSING or set(hit) != set(sources):
            hit = {key: keys.source_print(s) for key, s in sources.items()}
            if memo is not None:
                table.put(memo, hit)
        return hit

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
         review_months: int = DEFAULT_MONTHS, cache: Cache | None = None,
         readability: bool = False) -> KnowledgeBase:
    """Load and check the knowledge base at ``root`` once."""
    return Loader(root, today, review_months, cache, readability).load()
