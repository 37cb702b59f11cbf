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

from build_tools.core.net import PROJECT, contact, get_json, ncbi_base, with_query
from build_tools.core.problems import IntakeError
from build_tools.identifiers.base import BatchIdentifier
from build_tools.identifiers.record import Author, Record, clean, pages
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


def pubmed_record(s: dict[str, Any], url: str, db: str = "pubmed") -> Record:
    """A PubMed document summary as a record; from another database (``pmc``), whose uid is
    not a PMID, the PMID is the one among its ``articleids``."""
    ids = {a.get("idtype"): str(a.get("value", "")) for a in s.get("articleids") or []
           if isinstance(a, dict)}
    authors = [_pubmed_author(clean(a.get("name")), a.get("authtype") == "CollectiveName")
               for a in s.get("authors") or [] if isinstance(a, dict) and clean(a.get("name"))]
    title = clean(s.get("title")).rstrip(".")
    if title.startswith("[") and title.endswith("]"):  # a translated title
        title = title[1:-1]
    years = {d[:4] for d in (_pubmed_date(str(s.get(k) or "")) for k in ("pubdate", "epubdate"))
             if d}
    pubdate = _pubmed_date(str(s.get("pubdate") or "")) or _pubmed_date(str(s.get("epubdate")
                                                                           or ""))
    notices: dict[str, list[Notice]] = {}
    for ref in s.get("references") or []:
        name = PUBMED_NOTICES.get(str(ref.get("reftype", "")).casefold())
        if name and str(ref.get("pmid", "")).isdigit():
            notices.setdefault(name, []).append(
                Notice(f"PMID {ref['pmid']}", _pubmed_date(str(ref.get("refsource", "")))))
    pmid = str(s.get("uid") or "") if db == "pubmed" else ids.get("pmid", "")
    if "Retracted Publication" in (s.get("pubtype") or []) and "retracted" not in notices \
            and pmid.isdigit():
        notices["retracted"] = [Notice(f"PMID {pmid}")]  # the notice is not linked
    pmcid = ids.get("pmc") or ids.get("pmcid", "").removeprefix("pmc-id: ").split(";")[0]
    return Record(
        database="PubMed", url=url, title=title, authors=authors,
        journal=clean(s.get("source")) or None, year=pubdate[:4] if pubdate else None,
        other_years=years, volume=clean(s.get("volume")) or None,
        number=clean(s.get("issue")) or None, pages=pages(clean(s.get("pages")) or None),
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

    def fetch(self, values: list[str]) -> dict[str, Record]:
        """The PubMed records of ``values``, by PMID, in requests of :attr:`batch`; a PMID
        PubMed does not know is left out."""
        wanted = sorted(dict.fromkeys(values), key=int)
        out: dict[str, Record] = {}
        for i in range(0, len(wanted), self.batch):
            out.update(esummary("pubmed", wanted[i:i + self.batch]))
        return out


def esummary(db: str, ids: list[str]) -> dict[str, Record]:
    """E-utilities' summaries of ``ids`` in database ``db`` (one request), by uid; an id the
    database does not know is left out."""
    if not ids:
        return {}
    url = with_query(f"{ncbi_base()}/esummary.fcgi", db=db, id=",".join(ids),
                     retmode="json", tool=PROJECT, **_email())
    data = get_json(url)
    result = data.get("result") if isinstance(data, dict) else None
    out: dict[str, Record] = {}
    if not isinstance(result, dict):
        return out
    for uid in result.get("uids") or []:
        summary = result.get(str(uid))
        if isinstance(summary, dict) and not summary.get("error") and summary.get("title"):
            out[str(uid)] = pubmed_record(summary, url, db)
    return out
