"""References in AMA style, and the link rules: only http(s) and DOI links are ever rendered."""

from __future__ import annotations

import re
import urllib.parse

from build_tools.model import Notice, Source, strip_braces

_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address with nothing that could break out of an attribute."""
    return url if url and _SAFE_URL.match(url) else None


def doi_url(doi: str | None) -> str | None:
    """The https://doi.org/ address of a well-formed DOI, percent-encoded."""
    if not doi or not _DOI.match(doi):
        return None
    return "https://doi.org/" + urllib.parse.quote(doi, safe="/:;()._-")


def notice_url(notice: Notice) -> str | None:
    """Where a retraction, concern or correction notice can be read: its DOI, or PubMed."""
    if notice.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{notice.pmid}/"
    return doi_url(notice.doi)


def _initials(given: str) -> str:
    parts = re.split(r"[\s.\-]+", given.strip())
    if len(parts) == 1 and parts[0].isupper() and len(parts[0]) <= 4:
        return parts[0]  # already initials, as in "Steffens, D" or "Maher, CG"
    return "".join(p[0].upper() for p in parts if p)


def ama_author(name: str) -> str:
    """``Maher, C. G.`` -> ``Maher CG``; an organisation (no comma) stays as written."""
    name = strip_braces(name)
    if "," not in name:
        return name
    last, given = (p.strip() for p in name.split(",", 1))
    initials = _initials(given)
    return f"{last} {initials}".strip()


def ama_authors(authors: list[str]) -> str:
    """AMA: all authors up to six; more than six, the first three and et al."""
    others = bool(authors) and authors[-1].lower() == "others"
    names = [ama_author(a) for a in authors if a.lower() != "others"]
    if len(names) > 6:
        names, others = names[:3], True
    text = ", ".join(names)
    if others:
        text += ", et al"
    return text


def _end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def ama_parts(source: Source) -> list[tuple[str, str]]:
    """The reference as (kind, text) runs: kind is "text" or "em" (italic, for the journal).

    Templates escape each run; nothing here is trusted HTML.
    """
    f = {k: strip_braces(v) for k, v in source.fields.items()}
    runs: list[tuple[str, str]] = []
    authors = ama_authors(source.authors)
    if authors:
        runs.append(("text", _end(authors) + " "))
    runs.append(("text", _end(f.get("title", source.key)) + " "))
    if f.get("journal"):
        runs.append(("em", _end(f["journal"])))
        detail = f.get("year", "")
        if f.get("volume"):
            detail += f";{f['volume']}"
            if f.get("number"):
                detail += f"({f['number']})"
        if f.get("pages"):
            detail += f":{f['pages'].replace('--', '-')}"
        if detail:
            runs.append(("text", " " + _end(detail)))
    else:
        publisher = f.get("publisher") or f.get("organization") or f.get("institution")
        if publisher:
            runs.append(("text", _end(publisher) + " "))
        if f.get("date") and f.get("date") != f.get("year"):
            runs.append(("text", f"{f['date']}. "))
        elif f.get("year"):
            runs.append(("text", f"{f['year']}. "))
    if f.get("doi") and doi_url(f["doi"]):
        runs.append(("text", f" doi:{f['doi']}"))
    return [(k, t) for k, t in runs if t.strip()]


def ama_plain(source: Source) -> str:
    """The AMA reference as plain text (for exports)."""
    return "".join(t for _, t in ama_parts(source)).strip()
