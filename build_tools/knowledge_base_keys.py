"""What each cached result of a load is made from: the keys of :mod:`build_tools.knowledge_base`.

Each key is a hash (:func:`build_tools.core.digest.digest`) of everything the stage reads to
make the result, so a result is reused exactly when those inputs are the same:

- a **file's records and problems**: the file's kind, the path shown in messages and its bytes;
- a **claim's link problems, flags and quote places**: the claim's file, the day and the review
  period, each source it names (its fields, or that it is missing; with a missing one, every
  key and the keys of the BibTeX files not read, which the message names), and the capture of
  each article it quotes;
- an **article's coverage**: its capture, its set-aside file, the path shown for the capture,
  whether every claim was read and every quote placed, every source key (set-aside reference
  entries name one), and which appearance of which claim quotes it, in order.

The day the link stage judges reviews by is in a claim's key, so a new day works out the
claims' links again (an overdue review is a message of that stage).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from build_tools.core.digest import digest, digest_parts
from build_tools.core.problems import Problem
from build_tools.model.capture import SplitCapture
from build_tools.model.claim import Claim, ClaimFacts
from build_tools.model.coverage import ArticleCoverage, Reading
from build_tools.model.knowledge_base import Fingerprints
from build_tools.model.source import Source


def file_key(kind: str, shown: str, path: Path) -> bytes | None:
    """The key of a file's records: None when it is not a regular file or cannot be read
    (reading it again says why; a pipe is never opened here, where it would wait for a
    writer)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with open(fd, "rb", closefd=False) as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            data = f.read()
    except OSError:
        return None
    finally:
        os.close(fd)
    return digest_parts(kind, shown, data)


def size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def known(key: bytes | None, path: Path) -> bytes:
    """A record's key, or for a file that could not be read a key no run finds again."""
    return key if key is not None else digest("unread", str(path), os.urandom(16))


def source_print(source: Source) -> bytes:
    """A source as the later stages and the pages see it: its type and fields."""
    return digest(source.key, source.entry_type, source.fields)


def sources_key(bib_keys: list[bytes | None]) -> bytes | None:
    """What every source's fingerprint is made from: every BibTeX file."""
    return None if None in bib_keys else digest("sources", bib_keys)


def claim_print(record: bytes, flags: list[str]) -> bytes:
    return digest_parts(record, *flags)


def all_keys(sources: Mapping[str, Source]) -> bytes:
    """Every source key: what "did you mean" chooses from."""
    return digest(sorted(sources))


class LinkContext:
    """What the link and flag stages read besides the claim itself."""

    def __init__(self, today: dt.date, months: int, prints: Fingerprints,
                 sources: Mapping[str, Source], unread: Mapping[str, str]) -> None:
        self.today, self.months = today, months
        self.prints, self.sources, self.unread = prints, sources, unread
        self._missing: bytes | None = None
        self._when = f"{today.isoformat()} {months}"

    def key(self, facts: ClaimFacts, record: bytes) -> bytes:
        sources = self.prints.sources
        missing = None
        if any(k not in sources for k in facts.names):
            if self._missing is None:
                self._missing = digest(all_keys(self.sources), sorted(self.unread.items()))
            missing = self._missing
        captures = self.prints.captures
        parts: list[bytes | str | None] = ["link", record, self._when, missing,
                                           b"%d" % len(facts.names)]
        for k in facts.names:
            parts += (k, sources.get(k))
        for q in facts.quotes:
            parts += (q[0], captures.get(q[0]))
        return digest_parts(*parts)


def cover_key(facts: list[ClaimFacts], prints: Fingerprints, set_asides: Mapping[str, bytes],
              capture_paths: Mapping[str, str], broken: list[str], known_all: bool,
              sources: Mapping[str, Source]) -> bytes:
    """What the coverage of every article is made from: each claim's appearances (source,
    quote and where the quote is), the captures, the set-aside files, whether every claim was
    read, every source key, and where each article's entry is (for the warning about an
    article with no capture)."""
    return digest("cover", b"".join(f.quotes_print for f in facts),
                  sorted(prints.captures.items()), sorted(set_asides.items()),
                  sorted(capture_paths.items()), sorted(broken), known_all, all_keys(sources),
                  [(k, s.path, s.line) for k, s in sorted(sources.items()) if s.is_article])


Kept = tuple[dict[str, tuple[str, list[str], list[tuple[int, str, int, str]], list[Any]]],
             list[Problem]]
"""Every article's coverage as it is kept: claims named by their path, not copied."""


def keep_coverage(coverage: Mapping[str, ArticleCoverage], problems: list[Problem]) -> Kept:
    return ({key: (cov.capture_path, cov.status,
                   [(r.offset, r.claim.path, r.index, r.text) for r in cov.readings],
                   cov.decisions) for key, cov in coverage.items()}, problems)


def restore_coverage(kept: Kept, claims: list[Claim], splits: Mapping[str, SplitCapture]
                     ) -> tuple[dict[str, ArticleCoverage], list[Problem]]:
    """The coverage kept by :func:`keep_coverage`, pointing to this load's records (those read
    from the same files, as the key it was kept under says)."""
    by_path = {c.path: c for c in claims}
    articles, problems = kept
    return {key: ArticleCoverage(key, capture_path, splits[key], list(status),
                                 [Reading(offset, by_path[path], i, text)
                                  for offset, path, i, text in readings], list(decisions))
            for key, (capture_path, status, readings, decisions) in articles.items()}, \
        list(problems)
