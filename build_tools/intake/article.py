"""A web article captured from its page: the main text with trafilatura, and what the page
declares about itself (:mod:`.page_meta`).

trafilatura finds the article in a page and leaves out navigation, cookie banners, related
links, sharing buttons and footers. The capture is its text, as extracted, after the article's
title on a line of its own (editors capture "from the title to the last paragraph", and a title
can make a claim too); it is never edited afterwards. The date, the authors and the publisher
are only what the page declares (trafilatura's own guesses, from a copyright line or a title's
suffix, are not used), and the entry's note says where each came from.
"""

from __future__ import annotations

import logging
import urllib.parse
from dataclasses import dataclass

from build_tools.core.problems import IntakeError
from build_tools.intake import require
from build_tools.intake.page_meta import PageMeta
from build_tools.intake.page_meta import read as read_meta
from build_tools.model.knowledge_base import CAPTURES_DIR

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Capture:
    """An article as captured."""

    text: str
    """The capture: the title, a blank line, then the main text as extracted."""
    title: str
    url: str
    """The canonical address when the page declares one, else the address fetched."""
    fetched_url: str | None
    author: list[str]
    """The authors the page declares, one name per item (:mod:`.page_meta`)."""
    publisher: str | None
    date: str | None
    """YYYY-MM-DD (or YYYY-MM), only as the page declares its publication."""
    meta: PageMeta
    """What the page declares, with where: for the entry's note."""


def extract(html: bytes | str, url: str | None) -> Capture:
    """The article in ``html`` (fetched from ``url``, when known)."""
    require("trafilatura")
    import trafilatura

    text = trafilatura.extract(html, url=url, output_format="txt", include_comments=False,
                               include_tables=True, include_images=False, include_links=False,
                               deduplicate=False, with_metadata=False)
    found = trafilatura.extract_metadata(html if isinstance(html, str) else
                                         html.decode("utf-8", errors="replace"),
                                         default_url=url, extensive=False)
    if not text or not text.strip():
        raise IntakeError("no article text found in the page (expected a page with an "
                          "article; if the site needs JavaScript, save the page from a browser "
                          "and pass it with --html)")
    title = " ".join((found.title or "").split())
    if not title:
        raise IntakeError("the page declares no title (expected a <title>, an og:title or a "
                          "heading)")
    body = text.strip("\n")
    first = body.split("\n", 1)[0].strip()
    capture = body if first == title else f"{title}\n\n{body}"
    canonical = found.url if found.url and found.url.startswith(("http://", "https://")) \
        else url
    meta = read_meta(html)
    return Capture(text=capture + "\n", title=title, url=canonical or "", fetched_url=url,
                   author=meta.authors,
                   publisher=meta.publisher.value if meta.publisher else None,
                   date=meta.date.value if meta.date else None, meta=meta)


def provenance(meta: PageMeta) -> str:
    """What the entry's note says of the date, the authors and the publisher: where the page
    declares each, or that it declares none."""
    said = []
    if meta.date:
        said.append(f"the date from {meta.date.where}")
    if meta.authors:
        said.append(f"the author from {meta.authors_where}")
    if meta.publisher:
        said.append(f"the publisher from {meta.publisher.where}")
    missing = [name for name, value in (("date", meta.date), ("author", meta.authors),
                                        ("publisher", meta.publisher)) if not value]
    out = ("; " + ", ".join(said)) if said else ""
    if missing:
        out += "; it declares no " + _join(missing)
        if meta.modified and not meta.date:
            out += f" (it gives {meta.modified.value} as updated or reviewed, in " \
                   f"{meta.modified.where})"
        for unread in meta.unread:
            out += f" ({unread}, so it is not written)"
    return out


DRY_RUN_LINES = 8
"""How many of the capture's lines ``add article --dry-run`` shows."""


def dry_run_lines(key: str, rel_bib: str, entry: str, text: str) -> list[str]:
    """What ``add article --dry-run`` prints: the key, the capture's first lines, the entry."""
    lines = text.splitlines()
    out = [f"key: {key} (--key to choose another)",
           f"would write {CAPTURES_DIR}/{key}.txt ({len(lines)} lines), beginning:"]
    out += [f"  | {line}" for line in lines[:DRY_RUN_LINES]]
    if len(lines) > DRY_RUN_LINES:
        out.append(f"  | ... ({len(lines) - DRY_RUN_LINES} more lines)")
    out.append(f"would append to {rel_bib}:")
    out += [f"  {line}" for line in entry.strip("\n").splitlines()]
    return [*out, "dry run: nothing was written"]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def person_or_org(name: str) -> str:
    """A byline name as a BibTeX author: ``Dana Whitfield`` -> ``Whitfield, Dana``; a name
    that does not look like a person's (one word, digits, ``Team``, ``Staff``) in braces."""
    words = name.split()
    org_words = {"team", "staff", "editors", "editorial", "health", "clinic", "medical",
                 "group", "inc", "llc", "ltd"}
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) \
            and not any(ch.isdigit() for ch in name) \
            and not {w.casefold().strip(".,") for w in words} & org_words:
        return f"{words[-1]}, {' '.join(words[:-1])}"
    return "{" + name + "}"


def normalize_url(url: str) -> str:
    """An address as compared for "already captured": scheme and host in lowercase, no
    ``www.``, no fragment, no trailing slash, no ``utm_`` tracking parameters."""
    parts = urllib.parse.urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("utm_"))
    path = parts.path.rstrip("/")
    return urllib.parse.urlunsplit(("https" if parts.scheme in ("http", "https") else
                                    parts.scheme.lower(), host, path, query, ""))
