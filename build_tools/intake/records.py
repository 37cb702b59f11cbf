"""Bibliographic records from Crossref and PubMed, as BibTeX fields, and compared with entries.

Crossref's REST API answers ``GET /works/{doi}`` with ``{"status": "ok", "message": {...}}``:
``title`` and ``container-title`` are lists, ``author`` a list of ``{"given", "family"}`` (or
``{"name"}`` for an organisation), dates are ``{"date-parts": [[y, m, d]]}``, and
``updated-by`` lists the notices that update the work (``{"DOI", "type", "updated"}``; the types
include ``retraction``, ``expression_of_concern`` and ``correction``, filled from publishers and
from the Retraction Watch database). NCBI's ``esummary.fcgi?db=pubmed&retmode=json`` answers
``{"result": {"uids": [...], "<pmid>": {...}}}`` with ``title``, ``authors`` (``{"name":
"Hendrick P"}``), ``source`` (the journal's abbreviation), ``pubdate``, ``articleids`` (doi,
pmc), ``pubtype`` (``Retracted Publication`` once retracted) and ``references`` (``{"reftype":
"Retraction in", "pmid", "refsource"}``).
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from build_tools.intake import IntakeError
from build_tools.intake.net import (
    PROJECT,
    NotFound,
    contact,
    crossref_base,
    get_json,
    ncbi_base,
    with_query,
)
from build_tools.model import Notice, Source, strip_braces

CROSSREF_NOTICES = {
    "retraction": "retracted", "partial_retraction": "retracted", "withdrawal": "retracted",
    "removal": "retracted",
    "expression_of_concern": "concern",
    "correction": "corrected", "erratum": "corrected", "corrigendum": "corrected",
}
"""Crossref's update types, and the field each is recorded in (other types are ignored)."""

PUBMED_NOTICES = {"retraction in": "retracted", "expression of concern in": "concern",
                  "erratum in": "corrected"}
"""PubMed's reference types that point to a notice, and the field each is recorded in."""

DOI_IN_TEXT = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$",
                         re.IGNORECASE)
TITLE_SIMILARITY = 0.9
"""Titles this similar (difflib's ratio, after folding case, accents and punctuation) match."""
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                        "sep", "oct", "nov", "dec"), 1)}


def parse_doi(text: str) -> str:
    """``10.xxxx/...`` from a DOI as written (``doi:``, ``https://doi.org/`` accepted)."""
    m = DOI_IN_TEXT.match(text.strip())
    if not m:
        raise IntakeError(f"'{text}' is not a DOI (expected 10.NNNN/..., e.g. "
                          "10.1016/S0140-6736(24)00755-4, or its https://doi.org/ address)")
    return m.group(1)


def parse_pmid(text: str) -> str:
    value = text.strip().removeprefix("PMID:").removeprefix("PMID").strip()
    if not re.fullmatch(r"\d{1,9}", value):
        raise IntakeError(f"'{text}' is not a PMID (expected the PubMed id, digits only, e.g. "
                          "20414688)")
    return value


@dataclass
class Author:
    family: str
    given: str = ""
    organisation: bool = False

    def bibtex(self) -> str:
        if self.organisation:
            return "{" + self.family + "}"
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass
class Record:
    """What a bibliographic database says about a work."""

    database: str
    """``Crossref`` or ``PubMed``."""
    url: str
    """The address the record was read from."""
    title: str
    authors: list[Author] = field(default_factory=list)
    journal: str | None = None
    year: str | None = None
    other_years: set[str] = field(default_factory=set)
    """Years the work also carries (online before print): an entry giving one of them matches."""
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    notices: dict[str, list[Notice]] = field(default_factory=dict)
    """By field (``retracted``, ``concern``, ``corrected``), each list in date order."""

    def fields(self) -> dict[str, str]:
        """The BibTeX fields the record fills, in the order they are written."""
        out = {
            "author": " and ".join(a.bibtex() for a in self.authors),
            "title": self.title,
            "journal": self.journal,
            "year": self.year,
            "volume": self.volume,
            "number": self.number,
            "pages": self.pages,
            "doi": self.doi,
            "pmid": self.pmid,
            "pmcid": self.pmcid,
        }
        return {k: v for k, v in out.items() if v}


# ---------------------------------------------------------------------------------------------
# text


def clean(text: Any) -> str:
    """A title or name from a record: markup (``<i>``, MathML) and entities removed, white
    space folded."""
    text = re.sub(r"<[^>]+>", "", str(text or ""))
    return " ".join(html.unescape(text).split())


def _fold(text: str) -> str:
    """For comparison: no accents, braces, markup, case or punctuation."""
    text = unicodedata.normalize("NFKD", clean(strip_braces(text)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"^\W*(retracted|retraction|withdrawn)( article)?\W+", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def pages(text: str | None) -> str | None:
    """``1613-20`` (PubMed) or ``1613-1620`` (Crossref) as ``1613--1620``."""
    if not text:
        return None
    m = re.fullmatch(r"\s*(\w*?)(\d+)\s*[-\u2013]+\s*(\w*?)(\d+)\s*", text)
    if not m:
        return text.strip()
    prefix, first, prefix2, last = m.groups()
    if not prefix2 and len(last) < len(first):
        last = first[:len(first) - len(last)] + last
    return f"{prefix}{first}--{prefix2 or prefix}{last}"


def _date(parts: Any) -> str | None:
    """``{"date-parts": [[2010, 2, 6]]}`` as ``2010-02-06`` (or YYYY-MM, YYYY)."""
    try:
        values = [int(p) for p in parts["date-parts"][0] if p is not None]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if not values:
        return None
    return "-".join([f"{values[0]:04d}", *(f"{v:02d}" for v in values[1:3])])


# ---------------------------------------------------------------------------------------------
# Crossref


def crossref(doi: str) -> Record:
    """The Crossref record of ``doi``; :class:`IntakeError` when there is none."""
    url = f"{crossref_base()}/works/{urllib.parse.quote(doi, safe='/:;()._-<>[]')}"
    try:
        data = get_json(url)
    except NotFound:
        raise IntakeError(f"Crossref has no record of DOI {doi} (expected a registered DOI; "
                          f"check it at https://doi.org/{doi})") from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise IntakeError(f"Crossref's answer for DOI {doi} holds no work record")
    return crossref_record(message, url)


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


# ---------------------------------------------------------------------------------------------
# PubMed


def pubmed(pmids: list[str]) -> dict[str, Record]:
    """The PubMed records of ``pmids``, by PMID (one request for all); a PMID PubMed does not
    know is left out."""
    if not pmids:
        return {}
    url = with_query(f"{ncbi_base()}/esummary.fcgi", db="pubmed", id=",".join(pmids),
                     retmode="json", tool=PROJECT, **_email())
    data = get_json(url)
    result = data.get("result") if isinstance(data, dict) else None
    out: dict[str, Record] = {}
    if not isinstance(result, dict):
        return out
    for uid in result.get("uids") or []:
        summary = result.get(str(uid))
        if isinstance(summary, dict) and not summary.get("error") and summary.get("title"):
            out[str(uid)] = pubmed_record(summary, url)
    return out


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


def pubmed_record(s: dict[str, Any], url: str) -> Record:
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
    if "Retracted Publication" in (s.get("pubtype") or []) and "retracted" not in notices:
        notices["retracted"] = [Notice(f"PMID {s.get('uid')}")]  # the notice is not linked
    pmcid = ids.get("pmc") or ids.get("pmcid", "").removeprefix("pmc-id: ").split(";")[0]
    return Record(
        database="PubMed", url=url, title=title, authors=authors,
        journal=clean(s.get("source")) or None, year=pubdate[:4] if pubdate else None,
        other_years=years, volume=clean(s.get("volume")) or None,
        number=clean(s.get("issue")) or None, pages=pages(clean(s.get("pages")) or None),
        doi=ids.get("doi") or None, pmid=str(s.get("uid") or "") or None,
        pmcid=pmcid if pmcid and pmcid.startswith("PMC") else None,
        notices={k: sorted(v, key=lambda n: n.date or "") for k, v in notices.items()})


# ---------------------------------------------------------------------------------------------
# comparing an entry with its record


@dataclass(frozen=True)
class Mismatch:
    field: str
    """The entry's field that differs: title, author or year."""
    entry: str
    record: str


def first_family(authors: list[str]) -> str | None:
    """The family name of the first author as BibTeX writes it (``Last, First`` or ``First
    Last``; an organisation in braces as a whole)."""
    if not authors:
        return None
    first = authors[0]
    if "," in first:
        return first.split(",", 1)[0].strip()
    return first.strip() if " " not in first.strip() else first.split()[-1]


def compare(source: Source, record: Record) -> list[Mismatch]:
    """Where the entry and the record disagree about title, first author and year."""
    out = []
    title = source.get("title")
    if title and record.title:
        ratio = difflib.SequenceMatcher(None, _fold(title), _fold(record.title)).ratio()
        if ratio < TITLE_SIMILARITY:
            out.append(Mismatch("title", strip_braces(title), record.title))
    raw_authors = source.get("author")
    ours = first_family(source.authors)
    theirs = record.authors[0].family if record.authors else None
    if raw_authors and ours and theirs:
        a, b = _fold(ours), _fold(theirs)
        if not (a == b or (a and b and (a in b or b in a))):
            out.append(Mismatch("author", ours, theirs))
    year = source.year
    years = {y for y in (record.year, *record.other_years) if y}
    if year and years and year not in years:
        out.append(Mismatch("year", year, ", ".join(sorted(years))))
    return out
