"""Existing claims ranked by how much their statement and quotes resemble some words.

Scoring is rapidfuzz's ``token_set_ratio`` (0 to 100) of the words against the statement and
against each quote, the best of them: the words' order does not matter, and a claim that holds
every word asked for scores 100. Ties are broken by ``WRatio`` against the statement, then by id.
On the knowledge base this scored best at putting a claim first for a second article's quote of
it (docs/decisions/0002-editor-intake.md).

Reading 10,000 claim files with libyaml takes seconds, so the statements, verdicts and quotes are
kept in an index, ``.kb-cache/claims-index.json`` under the knowledge base's root (ignored by
git), keyed on each file's size and modification time: a search re-reads only the files that
changed since the last one.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from build_tools.intake import require
from build_tools.intake.files import write_all
from build_tools.model.knowledge_base import CLAIMS_DIR

log = logging.getLogger(__name__)

CACHE = Path(".kb-cache") / "claims-index.json"
INDEX_VERSION = 1
SIMILAR = 90.0
"""From this score, ``new claim`` says that a similar claim exists."""
MIN_WORDS = 4
"""For that hint, texts of fewer words are not compared: every word of a three-word quote can
be in a sentence that claims something else, and such a subset scores 100."""

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

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.statement, *self.quotes) if self.statement else self.quotes


@dataclass(frozen=True)
class Match:
    score: float
    claim: ClaimText


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
    return ClaimText(path.stem, shown, text(data.get("statement")), text(data.get("verdict")),
                     quotes)


def read_claims(root: Path, skipped: list[str] | None = None) -> list[ClaimText]:
    """Every claim file's statement, verdict and quotes, from the index where it is current;
    the files that could not be read are added to ``skipped``."""
    claims_dir = root / CLAIMS_DIR
    cache_path = root / CACHE
    try:
        cached = json.loads(cache_path.read_text(encoding="utf-8"))
        if cached.get("version") != INDEX_VERSION:
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
            claim = ClaimText(path.stem, shown, record[0], record[1], tuple(record[2])) \
                if record else None
        else:
            changed = True
            claim = _read(path, shown)
        fresh[path.name] = {"stamp": stamp, "claim": [claim.statement, claim.verdict,
                                                      list(claim.quotes)] if claim else None}
        if claim is None:
            if skipped is not None:
                skipped.append(shown)
            continue
        out.append(claim)
    if changed or set(fresh) != set(entries):
        try:
            write_all({cache_path: json.dumps({"version": INDEX_VERSION, "files": fresh},
                                              ensure_ascii=False, separators=(",", ":"))})
        except OSError:  # a read-only checkout: search without keeping the index
            log.debug("cannot write %s", cache_path, exc_info=True)
    return out


def rank(words: str, claims: Iterable[ClaimText], limit: int = 10, minimum: float = 0.0,
         min_words: int = 1) -> list[Match]:
    """The claims most like ``words``, best first, at most ``limit``, each scoring at least
    ``minimum``; statements and quotes of fewer than ``min_words`` words are left out."""
    require("rapidfuzz")
    from rapidfuzz import fuzz, process, utils

    query = utils.default_process(words)
    if not query:
        return []
    claims = list(claims)
    flat: list[str] = []
    owner: list[int] = []
    for i, c in enumerate(claims):
        for t in c.texts:
            if min_words > 1 and len(t.split()) < min_words:
                continue
            flat.append(t)
            owner.append(i)
    best: dict[int, float] = {}
    for _, score, k in process.extract(query, flat, scorer=fuzz.token_set_ratio,
                                       processor=utils.default_process,
                                       score_cutoff=minimum or None, limit=None):
        i = owner[k]
        if score > best.get(i, -1.0):
            best[i] = score
    if not best:
        return []
    # Many claims can tie (every claim that holds all the words scores 100): among those that
    # could make the list, the one whose statement reads most like the words comes first.
    cut = sorted(best.values(), reverse=True)[min(limit, len(best)) - 1]
    tie = {i: fuzz.WRatio(query, claims[i].statement, processor=utils.default_process)
           for i, score in best.items() if score >= cut}
    order = sorted(tie, key=lambda i: (-best[i], -tie[i], claims[i].id))
    return [Match(round(best[i], 1), claims[i]) for i in order[:limit]]


def similar_to(root: Path, *texts: str | None, exclude: str | None = None) -> list[Match]:
    """Claims that score at least :data:`SIMILAR` against any of ``texts`` (a new claim's quote
    and statement), best first, at most three; ``exclude`` names the new claim itself."""
    require("rapidfuzz")
    claims = [c for c in read_claims(root) if c.id != exclude]
    found: dict[str, Match] = {}
    for text in texts:
        if not text or len(text.split()) < MIN_WORDS:
            continue
        for m in rank(text, claims, limit=3, minimum=SIMILAR, min_words=MIN_WORDS):
            if m.claim.id not in found or found[m.claim.id].score < m.score:
                found[m.claim.id] = m
    return sorted(found.values(), key=lambda m: (-m.score, m.claim.id))[:3]

