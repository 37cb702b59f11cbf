"""DOIs, resolved with Crossref's REST API.

Crossref answers ``GET /works/{doi}`` with ``{"status": "ok", "message": {...}}``: ``title``
and ``container-title`` are lists, ``author`` a list of ``{"given", "family"}`` (or
``{"name"}`` for an organisation), dates are ``{"date-parts": [[y, m, d]]}``, and
``updated-by`` lists the notices that update the work (``{"DOI", "type", "updated"}``; the types
include ``retraction``, ``expression_of_concern`` and ``correction``, filled from publishers and
from the Retraction Watch database).
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from build_tools.core.net import NotFound, crossref_base, get_json
from build_tools.core.problems import IntakeError
from build_tools.identifiers.base import Identifier
from build_tools.identifiers.record import Author, Record, clean, pages
from build_tools.model.source import Notice

CROSSREF_NOTICES = {
    "retraction": "retracted", "partial_retraction": "retracted", "withdrawal": "retracted",
    "removal": "retracted",
    "expression_of_concern": "concern",
    "correction": "corrected", "erratum": "corrected", "corrigendum": "corrected",
}
"""Crossref's update types, and the field each is recorded in (other types are ignored)."""

DOI_IN_TEXT = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$",
                         re.IGNORECASE)


def _date(parts: Any) -> str | None:
    """``{"date-parts": [[2010, 2, 6]]}`` as ``2010-02-06`` (or YYYY-MM, YYYY)."""
    try:
        values = [int(p) for p in parts["date-parts"][0] if p is not None]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if not values:
        return None
    return "-".join([f"{values[0]:04d}", *(f"{v:02d}" for v in values[1:3])])


def crossref_record(work: dict[str, Any], url: str) -> Record:
    titles = [clean(t) for t in work.get("title") or [] if clean(t)]
    subtitles = [clean(t) for t in work.get("subtitle") or [] if clean(t)]
    title = titles[0] if titles else ""
    if subtitles and subtitles[0].casefold() not in title.casefold():
        title = f"{title}: {subtitles[0]}"
    authors = []
    for a in work.get("author") or []:
        if a.get("family"):
            authors.append(Author(clean(a["family"]), clean(a.get("given"))))
        elif a.get("name"):
            authors.append(Author(clean(a["name"]), organisation=True))
    years = {d[:4] for d in (_date(work.get(k)) for k in ("issued", "published-print",
                                                         "published-online", "published"))
             if d}
    issued = _date(work.get("issued")) or _date(work.get("published"))
    notices: dict[str, list[Notice]] = {}
    seen = set()
    for update in work.get("updated-by") or []:
        kind = str(update.get("type", "")).casefold().replace("-", "_").replace(" ", "_")
        name = CROSSREF_NOTICES.get(kind)
        doi = str(update.get("DOI", "")).strip()
        if not name or not DOI_IN_TEXT.match(doi) or (name, doi.casefold()) in seen:
            continue
        seen.add((name, doi.casefold()))
        notices.setdefault(name, []).append(Notice(doi, _date(update.get("updated"))))
    containers = [clean(t) for t in work.get("container-title") or [] if clean(t)]
    return Record(
        database="Crossref", url=url, title=title, authors=authors,
        journal=containers[0] if containers else None,
        year=issued[:4] if issued else None, other_years=years,
        volume=clean(work.get("volume")) or None, number=clean(work.get("issue")) or None,
        pages=pages(clean(work.get("page")) or clean(work.get("article-number")) or None),
        doi=clean(work.get("DOI")) or None,
        notices={k: sorted(v, key=lambda n: n.date or "") for k, v in notices.items()})


class DOI(Identifier):
    field = "doi"
    label = "DOI"
    database = "Crossref"
    pattern = re.compile(r"^10\.\d{4,9}/\S+$")
    form = "a DOI of the form 10.NNNN/... without prefix"
    example = "10.1016/S0140-6736(24)00755-4"
    known_as = "a registered DOI"
    record_of = "a registered DOI"

    def parse(self, text: str) -> str:
        """``10.xxxx/...`` from a DOI as written (``doi:``, ``https://doi.org/`` accepted)."""
        m = DOI_IN_TEXT.match(text.strip())
        if not m:
            raise IntakeError(f"'{text}' is not a DOI (expected 10.NNNN/..., e.g. "
                              f"{self.example}, or its https://doi.org/ address)")
        return m.group(1)

    def same(self, a: str, b: str) -> bool:
        return a.casefold() == b.casefold()  # DOIs ignore case

    def url(self, value: str | None) -> str | None:
        """The https://doi.org/ address of a well-formed DOI, percent-encoded."""
        if not value or not self.valid(value):
            return None
        return "https://doi.org/" + urllib.parse.quote(value, safe="/:;()._-")

    def fetch_one(self, value: str) -> Record:
        """The Crossref record of ``value``; :class:`IntakeError` when there is none."""
        url = f"{crossref_base()}/works/{urllib.parse.quote(value, safe='/:;()._-<>[]')}"
        try:
            data = get_json(url)
        except NotFound:
            raise IntakeError(f"{self.not_found(value)} (expected {self.record_of}; check it "
                              f"at https://doi.org/{value})") from None
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, dict):
            raise IntakeError(f"Crossref's answer for DOI {value} holds no work record")
        return crossref_record(message, url)
