"""Existing claims ranked by how much their statement and quotes share some words' meaning.

The ranking is BM25 over stemmed content words with the vocabulary's synonyms folded
(:mod:`.claim_rank`, :mod:`.search_text`): a rare word shared counts for more than a common one,
``walking`` matches ``walk``, ``Tylenol`` matches ``paracetamol``. Each match says which of the
query's words it shares. The similar-claim hint of ``new claim`` fires from a similarity of
:data:`SIMILAR`, a threshold held to the appearances the knowledge base records across articles
(``tests/test_find_quality.py``; measured in bench/README.md).

Reading 10,000 claim files with libyaml takes seconds, so the statements, verdicts and quotes are
kept in an index, ``.kb-cache/claims-index.json`` under the knowledge base's root (ignored by
git), keyed on each file's size and modification time: a search re-reads only the files that
changed since the last one.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from build_tools.core import vocabulary as v
from build_tools.intake.claim_rank import ClaimIndex
from build_tools.intake.files import write_all
from build_tools.intake.search_text import Analyzer
from build_tools.model.knowledge_base import CLAIMS_DIR

log = logging.getLogger(__name__)

CACHE = Path(".kb-cache") / "claims-index.json"
INDEX_VERSION = 2
SIMILAR = 0.5
"""From this similarity (:attr:`.claim_rank.Hit.similarity`, 0 to 1) ``new claim`` says that a
similar claim exists: on the real pairs, the hint is right two times in three from here
(``tests/test_find_quality.py`` holds it there)."""
SAME = 0.9
"""From this similarity the texts are nearly the same sentence: hinted whatever their words."""
HINTED = 3
"""How many similar claims the hint names at most."""

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class ClaimText:
    """What a search compares and shows of one claim."""

    id: str
    path: str
    statement: str
    verdict: str
    quotes: tuple[str, ...]
    tokens: tuple[tuple[str, ...], ...] = ()
    """Each of :attr:`texts` analysed (:class:`.search_text.Analyzer`), kept in the index."""

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.statement, *self.quotes) if self.statement else self.quotes


@dataclass(frozen=True)
class Match:
    score: float
    """BM25: how much of the query's weight the claim's best text holds."""
    claim: ClaimText
    similarity: float = 0.0
    """How alike the query and the claim's most similar text are, 0 to 1."""
    matched: tuple[str, ...] = ()
    """The query's words the claim shares, heaviest first."""
    distinctive: bool = False
    """Whether one of them is rare among the claims' texts (:data:`.claim_rank.DISTINCTIVE`)."""

    @property
    def hinted(self) -> bool:
        """Whether ``new claim`` names this claim as similar."""
        return self.similarity >= SAME or (self.similarity >= SIMILAR and self.distinctive)


@functools.cache
def analyzer() -> Analyzer:
    """The search's analyser, with the vocabulary's synonym table."""
    return Analyzer(v.SYNONYMS)


def _read(path: Path, shown: str) -> ClaimText | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None

    def text(value: Any) -> str:
        return " ".join(value.split()) if isinstance(value, str) else ""

    quotes = tuple(text(a.get("quote")) for a in data.get("appearances") or []
                   if isinstance(a, dict) and text(a.get("quote")))
    statement = text(data.get("statement"))
    texts = (statement, *quotes) if statement else quotes
    return ClaimText(path.stem, shown, statement, text(data.get("verdict")), quotes,
                     tuple(tuple(analyzer().tokens(t)) for t in texts))


def read_claims(root: Path, skipped: list[str] | None = None) -> list[ClaimText]:
    """Every claim file's statement, verdict and quotes, from the index where it is current;
    the files that could not be read are added to ``skipped``."""
    claims_dir = root / CLAIMS_DIR
    cache_path = root / CACHE
    try:
        cached = json.loads(cache_path.read_text(encoding="utf-8"))
        if cached.get("version") != INDEX_VERSION or \
                cached.get("analyzer") != analyzer().signature():
            cached = {}
    except (OSError, ValueError, AttributeError):
        cached = {}
    entries: dict[str, Any] = cached.get("files", {}) if isinstance(cached, dict) else {}
    out: list[ClaimText] = []
    fresh: dict[str, Any] = {}
    changed = False
    try:
        files = sorted((e.name, e) for e in os.scandir(claims_dir) if e.name.endswith(".yml"))
    except OSError:
        files = []
    for name, dir_entry in files:
        path = claims_dir / name
        shown = f"{CLAIMS_DIR}/{name}"
        try:
            st = dir_entry.stat()
        except OSError:
            continue
        stamp = [st.st_mtime_ns, st.st_size]
        hit = entries.get(path.name)
        if hit and hit.get("stamp") == stamp:
            record = hit.get("claim")
            claim = ClaimText(path.stem, shown, record[0], record[1], tuple(record[2]),
                              tuple(tuple(t) for t in record[3])) if record else None
        else:
            changed = True
            claim = _read(path, shown)
        fresh[path.name] = {"stamp": stamp, "claim": [
            claim.statement, claim.verdict, list(claim.quotes),
            [list(t) for t in claim.tokens]] if claim else None}
        if claim is None:
            if skipped is not None:
                skipped.append(shown)
            continue
        out.append(claim)
    if changed or set(fresh) != set(entries) or not cached:
        try:
            write_all({cache_path: json.dumps({"version": INDEX_VERSION,
                                               "analyzer": analyzer().signature(),
                                               "files": fresh},
                                              ensure_ascii=False, separators=(",", ":"))})
        except OSError:  # a read-only checkout: search without keeping the index
            log.debug("cannot write %s", cache_path, exc_info=True)
    return out


def rank(words: str, claims: Iterable[ClaimText], limit: int = 10) -> list[Match]:
    """The claims that share a content word with ``words``, best first, at most ``limit``."""
    claims = list(claims)
    index = ClaimIndex([c.texts for c in claims], analyzer(), [c.tokens for c in claims])
    return [Match(h.score, claims[h.claim], h.similarity, h.matched, h.distinctive)
            for h in index.search(words, limit)]


def similar_to(root: Path, *texts: str | None, exclude: str | None = None) -> list[Match]:
    """Claims at least :data:`SIMILAR` alike to any of ``texts`` (a new claim's quote and
    statement), sharing a distinctive word, among the best :data:`HINTED` for it; most similar
    first, at most :data:`HINTED`; ``exclude`` names the new claim itself."""
    claims = [c for c in read_claims(root) if c.id != exclude]
    index = ClaimIndex([c.texts for c in claims], analyzer(), [c.tokens for c in claims])
    found: dict[str, Match] = {}
    for text in texts:
        if not text:
            continue
        for h in index.search(text, HINTED):
            m = Match(h.score, claims[h.claim], h.similarity, h.matched, h.distinctive)
            if m.hinted and (m.claim.id not in found
                                            or found[m.claim.id].similarity < m.similarity):
                found[m.claim.id] = m
    return sorted(found.values(), key=lambda m: (-m.similarity, m.claim.id))[:HINTED]
