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

from build_tools.core.net import NotFound, crossref_base, decode_json, get
from build_tools.core.problems import IntakeError, one_line
from build_tools.identifiers.base import Identifier
from build_tools.identifiers.record import Author, Record, clean, pages
from build_tools.identifiers.shape import Shape, WrongRecord
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


def _date(value: Any, where: str, shape: Shape) -> str | None:
    """``{"date-parts": [[2010, 2, 6]]}`` as ``2010-02-06`` (or YYYY-MM, YYYY); None when the
    date is missing or holds no year (``[[null]]``)."""
    if value is None:
        return None
    parts = shape.obj(value, where).get("date-parts")
    if parts is None:
        return None
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        shape.fail(f"{where}.date-parts", parts, "a list holding [year, month, day]")
    first = parts[0]
    if not first or first[0] is None:
        return None
    year = shape.year(first[0], f"{where}.date-parts[0][0]")
    out = [f"{year:04d}"]
    for i, (what, high) in enumerate((("a month", 12), ("a day", 31)), 1):
        if len(first) > i and first[i] is not None:
            part = shape.between(first[i], f"{where}.date-parts[0][{i}]", 1, high, what)
            out.append(f"{part:02d}")
        else:
            break
    return "-".join(out)


def crossref_record(work: dict[str, Any], url: str, shape: Shape | None = None) -> Record:
    """A Crossref work (the ``message`` of its answer) as a record; :class:`WrongShape` when a
    field it reads is not of the kind Crossref documents."""
    shape = shape or Shape("Crossref", "a work")
    w = "message"
    titles = [clean(t) for t in shape.texts(work, "title", w) if clean(t)]
    subtitles = [clean(t) for t in shape.texts(work, "subtitle", w) if clean(t)]
    title = titles[0] if titles else ""
    if subtitles and subtitles[0].casefold() not in title.casefold():
        title = f"{title}: {subtitles[0]}"
    authors = []
    for i, a in enumerate(shape.objects(work, "author", w)):
        family = clean(shape.text(a, "family", f"{w}.author[{i}]"))
        given = clean(shape.text(a, "given", f"{w}.author[{i}]"))
        name = clean(shape.text(a, "name", f"{w}.author[{i}]"))
        if family:
            authors.append(Author(family, given))
        elif name:
            authors.append(Author(name, organisation=True))
    dates = {k: _date(work.get(k), f"{w}.{k}", shape)
             for k in ("issued", "published-print", "published-online", "published")}
    years = {d[:4] for d in dates.values() if d}
    issued = dates["issued"] or dates["published"]
    notices: dict[str, list[Notice]] = {}
    seen = set()
    for i, update in enumerate(shape.objects(work, "updated-by", w)):
        where = f"{w}.updated-by[{i}]"
        kind = (shape.text(update, "type", where) or "").casefold().replace("-", "_") \
            .replace(" ", "_")
        notice = CROSSREF_NOTICES.get(kind)
        doi = clean(shape.text(update, "DOI", where))
        if not notice or not DOI_IN_TEXT.match(doi) or (notice, doi.casefold()) in seen:
            continue
        seen.add((notice, doi.casefold()))
        notices.setdefault(notice, []).append(Notice(doi, _date(update.get("updated"),
                                                             f"{where}.updated", shape)))
    containers = [clean(t) for t in shape.texts(work, "container-title", w) if clean(t)]
    page = clean(shape.text(work, "page", w, numbers=True)) or \
        clean(shape.text(work, "article-number", w, numbers=True))
    return Record(
        database="Crossref", url=url, title=title, authors=authors,
        journal=containers[0] if containers else None,
        year=issued[:4] if issued else None, other_years=years,
        volume=clean(shape.text(work, "volume", w, numbers=True)) or None,
        number=clean(shape.text(work, "issue", w, numbers=True)) or None,
        pages=pages(page or None), doi=clean(shape.text(work, "DOI", w)) or None,
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
            answer = get(url, accept="application/json")
        except NotFound:
            raise IntakeError(f"{self.not_found(value)} (expected {self.record_of}; check it "
                              f"at https://doi.org/{value})") from None
        shape = Shape(self.database, f"{self.label} {value}")
        data = shape.obj(decode_json(answer), "the answer")
        record = crossref_record(shape.obj(data.get("message"), "message"), answer.url, shape)
        if record.doi is None:
            record.doi = value
        elif not self.same(record.doi, value):
            raise WrongRecord(one_line(
                f"Crossref answered for DOI {record.doi} when asked for DOI {value} (expected "
                f"the record of the DOI asked; check it at https://doi.org/{value})"))
        return record
