"""``verify``: every source with a DOI or PMID against its Crossref or PubMed record.

Title, first author and year must match the record (:func:`records.compare`); a mismatch, or an
identifier the database does not know, is an error at the entry's field. For an entry that
matches, the notices the record lists (retraction, expression of concern, correction) are added
to the fields the tool owns, and ``verified`` is set to the day, when it has none or something
changed: a run that finds nothing new changes nothing, so a weekly run opens no pull request
for it. Notices already in an entry are kept (an editor may have recorded one by hand).

Every record is fetched before anything is written; without a network the run stops with
nothing written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser

from build_tools import vocabulary as v
from build_tools.intake import IntakeError, records
from build_tools.intake.bibedit import set_fields
from build_tools.intake.files import write_all
from build_tools.knowledge_base import KnowledgeBase
from build_tools.model import NOTICE_FIELDS, Notice, Source, format_notices
from build_tools.problems import Problem, Severity, did_you_mean

log = logging.getLogger(__name__)

PUBMED_BATCH = 200
"""PMIDs asked for in one esummary request."""


@dataclass
class Change:
    """What ``verify`` wrote into one entry."""

    source: Source
    fields: dict[str, str]
    news: list[str]
    """The notices that were not in the entry before, in words."""


@dataclass
class Outcome:
    checked: int = 0
    dois: int = 0
    pmids: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    relying: dict[str, list[str]] = field(default_factory=dict)
    """For each newly retracted source, the claim files whose support rests on it."""


def _problem(source: Source, name: str, message: str) -> Problem:
    line = source.field_lines.get(name, source.line)
    return Problem(source.path, line, 1, Severity.ERROR, f"{source.key}: {message}")


def _chosen(kb: KnowledgeBase, keys: Iterable[str]) -> list[Source]:
    keys = list(keys)
    for key in keys:
        if key not in kb.sources:
            raise IntakeError(f"unknown source '{key}'" + (
                did_you_mean(key, kb.sources) or " (expected a key defined in sources/*.bib)"))
    chosen = [kb.sources[k] for k in keys] if keys else list(kb.sources.values())
    return sorted((s for s in chosen if s.get("doi") or s.get("pmid")),
                  key=lambda s: (s.path, s.line))


def verify(kb: KnowledgeBase, keys: Iterable[str] = (), today: dt.date | None = None) -> Outcome:
    """Compare, record what is new, and write it: the outcome says what was found."""
    today = today or dt.date.today()
    sources = _chosen(kb, keys)
    out = Outcome(checked=len(sources))
    # fetch everything first: a failure leaves every file as it was
    crossref: dict[str, records.Record | None] = {}
    for s in sources:
        doi = s.get("doi")
        if doi and records.DOI_IN_TEXT.match(doi):
            out.dois += 1
            try:
                crossref[s.key] = records.crossref(doi)
            except IntakeError:
                crossref[s.key] = None
    pmids = sorted({p for s in sources if (p := s.get("pmid")) and p.isdigit()}, key=int)
    out.pmids = len(pmids)
    pubmed: dict[str, records.Record] = {}
    for i in range(0, len(pmids), PUBMED_BATCH):
        pubmed.update(records.pubmed(pmids[i:i + PUBMED_BATCH]))

    edits: dict[Path, list[tuple[Source, dict[str, str | None]]]] = {}
    for s in sources:
        found: list[records.Record] = []
        ok = True
        if s.key in crossref:
            record = crossref[s.key]
            if record is None:
                ok = False
                out.problems.append(_problem(s, "doi", f"Crossref has no record of DOI "
                                                       f"{s.get('doi')} (expected a registered "
                                                       "DOI; correct it, or delete the field)"))
            else:
                found.append(record)
        pmid = s.get("pmid")
        if pmid and pmid.isdigit():
            if pmid in pubmed:
                found.append(pubmed[pmid])
            else:
                ok = False
                out.problems.append(_problem(s, "pmid", f"PubMed has no record of PMID {pmid} "
                                                        "(expected a PubMed id; correct it, or "
                                                        "delete the field)"))
        for record in found:
            for m in records.compare(s, record):
                ok = False
                name = {"author": "author", "title": "title"}.get(m.field, "year" if "year" in
                                                                  s.fields else "date")
                ident = f"DOI {record.doi}" if record.database == "Crossref" else \
                    f"PMID {record.pmid}"
                out.problems.append(_problem(
                    s, name, f"{m.field} differs from the {record.database} record of its "
                             f"{ident}: the entry has {m.entry!r}, the record {m.record!r} "
                             "(expected the entry to describe the work its identifier names: "
                             "correct the entry, or the identifier)"))
        if not ok or not found:
            continue
        values, news = _new_values(s, found, today)
        if values:
            edits.setdefault(Path(s.path), []).append((s, values))
            out.changes.append(Change(s, {k: val for k, val in values.items() if val}, news))
            if any(n.startswith("retraction") for n in news):
                out.relying[s.key] = _relying(kb, s.key)
    _write(edits)
    return out


def _new_values(source: Source, found: list[records.Record],
                today: dt.date) -> tuple[dict[str, str | None], list[str]]:
    """The tool's fields to write in ``source`` (none when nothing changed), and the news."""
    values: dict[str, str | None] = {}
    news = []
    for name, kind in NOTICE_FIELDS.items():
        notices: list[Notice] = list(source.notices(name))
        known = {n.ident.casefold() for n in notices}
        for record in found:
            for n in record.notices.get(name, []):
                if n.ident.casefold() not in known:
                    known.add(n.ident.casefold())
                    notices.append(n)
                    news.append(f"{kind} {n}")
        if len(notices) != len(source.notices(name)):
            values[name] = format_notices(sorted(notices, key=lambda n: (n.date or "",
                                                                        n.ident)))
    if values or not source.get("verified"):
        values["verified"] = today.isoformat()
    return values, news


def _relying(kb: KnowledgeBase, key: str) -> list[str]:
    return sorted({c.path for c in kb.claims for e in c.evidence
                   if e.source == key and e.stance in v.SUPPORTING_STANCES})


def _write(edits: dict[Path, list[tuple[Source, dict[str, str | None]]]]) -> None:
    texts = {}
    for path, changes in edits.items():
        text = path.read_text(encoding="utf-8")
        entries = {e.key: e for e in bibtexparser.parse_string(text).entries}
        # bottom-up, so that an edit never moves an entry still to be edited
        for source, values in sorted(changes, key=lambda c: -c[0].line):
            entry = entries.get(source.key)
            if entry is None:
                raise IntakeError(f"{source.path}: entry '{source.key}' is no longer there")
            text = set_fields(text, entry, values)
        texts[path] = text
    if texts:
        write_all(texts, new_ok=False)
