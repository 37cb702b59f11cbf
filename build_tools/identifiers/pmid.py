"""PubMed ids, resolved with NCBI E-utilities.

NCBI's ``esummary.fcgi?db=pubmed&retmode=json`` answers ``{"result": {"uids": [...],
"<pmid>": {...}}}`` with ``title``, ``authors`` (``{"name": "Hendrick P"}``), ``source`` (the
journal's abbreviation), ``pubdate``, ``articleids`` (doi, pmc), ``pubtype`` (``Retracted
Publication`` once retracted) and ``references`` (``{"reftype": "Retraction in", "pmid",
"refsource"}``).
"""

from __future__ import annotations

import re
from typing import Any

from build_tools.core.net import PROJECT, contact, decode_json, get, ncbi_base, with_query
from build_tools.core.problems import IntakeError, one_line
from build_tools.identifiers.base import BatchIdentifier
from build_tools.identifiers.record import Author, Record, clean, pages
from build_tools.identifiers.shape import Shape, WrongRecord
from build_tools.model.source import Notice

PUBMED_NOTICES = {"retraction in": "retracted", "expression of concern in": "concern",
                  "erratum in": "corrected"}
"""PubMed's reference types that point to a notice, and the field each is recorded in."""
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                        "sep", "oct", "nov", "dec"), 1)}


def _email() -> dict[str, str]:
    address = contact()
    return {"email": address} if address else {}


def _pubmed_date(text: str) -> str | None:
    """``Lancet. 2010 Feb 6;375(9713):445`` or ``2010 Feb 6`` -> ``2010-02-06``."""
    m = re.search(r"(?:^|[.;]\s*)(\d{4})(?:\s+([A-Za-z]{3})[a-z]*(?:\s+(\d{1,2}))?)?(?=[;:.\s]|$)",
                  text)
    if not m:
        return None
    year, month, day = m.groups()
    if not month or month.casefold() not in _MONTHS:
        return year
    out = f"{year}-{_MONTHS[month.casefold()]:02d}"
    return f"{out}-{int(day):02d}" if day else out


def _pubmed_author(name: str, collective: bool) -> Author:
    """``Hendrick P`` -> Hendrick, P; ``van Tulder MW`` -> van Tulder, MW."""
    parts = name.split()
    if not collective and len(parts) > 1 and re.fullmatch(r"[A-Z]{1,4}", parts[-1]):
        return Author(" ".join(parts[:-1]), parts[-1])
    return Author(name, organisation=True)


def pubmed_record(s: dict[str, Any], url: str, db: str = "pubmed",
                  shape: Shape | None = None, w: str = "summary") -> Record:
    """A PubMed document summary as a record; from another database (``pmc``), whose uid is
    not a PMID, the PMID is the one among its ``articleids``. :class:`WrongShape` when a field
    it reads is not of the kind E-utilities documents."""
    shape = shape or Shape("PubMed", "a summary")
    ids: dict[str, str] = {}
    for i, a in enumerate(shape.objects(s, "articleids", w)):
        kind = shape.text(a, "idtype", f"{w}.articleids[{i}]")
        value = shape.text(a, "value", f"{w}.articleids[{i}]", numbers=True)
        if kind and value:
            ids.setdefault(kind, clean(value))
    authors = []
    for i, a in enumerate(shape.objects(s, "authors", w)):
        name = clean(shape.text(a, "name", f"{w}.authors[{i}]"))
        if name:
            authors.append(_pubmed_author(name, shape.text(a, "authtype", f"{w}.authors[{i}]")
                                          == "CollectiveName"))
    title = clean(shape.text(s, "title", w)).rstrip(".")
    if title.startswith("[") and title.endswith("]"):  # a translated title
        title = title[1:-1]
    written = {k: shape.text(s, k, w) or "" for k in ("pubdate", "epubdate")}
    years = {d[:4] for d in map(_pubmed_date, written.values()) if d}
    pubdate = _pubmed_date(written["pubdate"]) or _pubmed_date(written["epubdate"])
    notices: dict[str, list[Notice]] = {}
    for i, ref in enumerate(shape.objects(s, "references", w)):
        where = f"{w}.references[{i}]"
        notice = PUBMED_NOTICES.get((shape.text(ref, "reftype", where) or "").casefold())
        ref_pmid = shape.text(ref, "pmid", where, numbers=True) or ""
        if notice and ref_pmid.isdigit():
            notices.setdefault(notice, []).append(
                Notice(f"PMID {ref_pmid}", _pubmed_date(shape.text(ref, "refsource", where)
                                                        or "")))
    uid = shape.text(s, "uid", w, numbers=True) or ""
    pmid = uid if db == "pubmed" else ids.get("pmid", "")
    if "Retracted Publication" in shape.texts(s, "pubtype", w) and "retracted" not in notices \
            and pmid.isdigit():
        notices["retracted"] = [Notice(f"PMID {pmid}")]  # the notice is not linked
    pmcid = ids.get("pmc") or ids.get("pmcid", "").removeprefix("pmc-id: ").split(";")[0]
    return Record(
        database="PubMed", url=url, title=title, authors=authors,
        journal=clean(shape.text(s, "source", w)) or None, year=pubdate[:4] if pubdate else None,
        other_years=years, volume=clean(shape.text(s, "volume", w, numbers=True)) or None,
        number=clean(shape.text(s, "issue", w, numbers=True)) or None,
        pages=pages(clean(shape.text(s, "pages", w, numbers=True)) or None),
        doi=ids.get("doi") or None, pmid=pmid if pmid.isdigit() else None,
        pmcid=pmcid if pmcid and pmcid.startswith("PMC") else None,
        notices={k: sorted(v, key=lambda n: n.date or "") for k, v in notices.items()})


class PMID(BatchIdentifier):
    field = "pmid"
    label = "PMID"
    database = "PubMed"
    pattern = re.compile(r"^\d{1,9}$")
    form = "digits only"
    example = "20414688"
    known_as = "a PubMed id"
    record_of = "the id of a PubMed record"
    batch = 200
    """PMIDs asked for in one esummary request."""

    def parse(self, text: str) -> str:
        value = text.strip().removeprefix("PMID:").removeprefix("PMID").strip()
        if not self.valid(value):
            raise IntakeError(f"'{text}' is not a PMID (expected the PubMed id, digits only, "
                              f"e.g. {self.example})")
        return value

    def url(self, value: str | None) -> str | None:
        return f"https://pubmed.ncbi.nlm.nih.gov/{value}/" if self.valid(value) else None

    def answered(self, values: list[str]) -> dict[str, Record]:
        wanted = sorted(dict.fromkeys(values), key=int)
        out: dict[str, Record] = {}
        for i in range(0, len(wanted), self.batch):
            out.update(esummary("pubmed", wanted[i:i + self.batch]))
        return out


def esummary(db: str, ids: list[str]) -> dict[str, Record]:
    """E-utilities' summaries of ``ids`` in database ``db`` (one request), by uid; an id the
    database does not know is left out. :class:`WrongShape` for an answer not in the documented
    form, :class:`WrongRecord` for a summary filed under another uid than its own."""
    if not ids:
        return {}
    url = with_query(f"{ncbi_base()}/esummary.fcgi", db=db, id=",".join(ids),
                     retmode="json", tool=PROJECT, **_email())
    answer = get(url, accept="application/json")
    asked = f"{'PMID' if db == 'pubmed' else db + ' id'} {', '.join(ids)}"
    shape = Shape("PubMed" if db == "pubmed" else "PubMed Central", asked)
    data = shape.obj(decode_json(answer), "the answer")
    if data.get("result") is None:
        return {}
    result = shape.obj(data["result"], "result")
    out: dict[str, Record] = {}
    for uid in shape.texts(result, "uids", "result"):
        summary = result.get(uid)
        if summary is None:
            continue
        summary = shape.obj(summary, f"result.{uid}")
        if summary.get("error") or not summary.get("title"):
            continue
        own = shape.text(summary, "uid", f"result.{uid}", numbers=True)
        if own is not None and own != uid:
            raise WrongRecord(one_line(
                f"{shape.database} filed the record of {own} under {uid} in its answer for "
                f"{asked} (expected each record under its own id; try again later)"))
        out[uid] = pubmed_record(summary, answer.url, db, shape, f"result.{uid}")
    return out
