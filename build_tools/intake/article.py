"""A web article captured from its page: the main text and the metadata, with trafilatura.

trafilatura finds the article in a page and leaves out navigation, cookie banners, related
links, sharing buttons and footers; it also reads the metadata a page declares (its ``<title>``,
``og:`` and ``article:`` tags, JSON-LD, the byline). The capture is its text, as extracted,
after the article's title on a line of its own (editors capture "from the title to the last
paragraph", and a title can make a claim too); it is never edited afterwards.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass

from build_tools.core.problems import IntakeError
from build_tools.intake import require

log = logging.getLogger(__name__)

STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from",
    "how", "i", "in", "is", "it", "its", "of", "on", "or", "our", "than", "that", "the",
    "their", "this", "to", "what", "when", "where", "which", "who", "why", "will", "with",
    "you", "your", "according", "guide", "tips", "things",
})
"""Words left out of a suggested key."""
KEY_TITLE_WORDS = 4


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
    """The byline, one name per item, as the page gives it."""
    publisher: str | None
    date: str | None
    """YYYY-MM-DD, as the page declares it (published, else updated)."""


def extract(html: bytes | str, url: str | None) -> Capture:
    """The article in ``html`` (fetched from ``url``, when known)."""
    require("trafilatura")
    import trafilatura

    text = trafilatura.extract(html, url=url, output_format="txt", include_comments=False,
                               include_tables=True, include_images=False, include_links=False,
                               deduplicate=False, with_metadata=False)
    meta = trafilatura.extract_metadata(html if isinstance(html, str) else
                                        html.decode("utf-8", errors="replace"),
                                        default_url=url)
    if not text or not text.strip():
        raise IntakeError("no article text found in the page (expected a page with an "
                          "article; if the site needs JavaScript, save the page from a browser "
                          "and pass it with --html)")
    title = " ".join((meta.title or "").split())
    if not title:
        raise IntakeError("the page declares no title (expected a <title>, an og:title or a "
                          "heading)")
    body = text.strip("\n")
    first = body.split("\n", 1)[0].strip()
    capture = body if first == title else f"{title}\n\n{body}"
    canonical = meta.url if meta.url and meta.url.startswith(("http://", "https://")) else url
    authors = [a.strip() for a in re.split(r";|\band\b", meta.author or "") if a.strip()]
    return Capture(text=capture + "\n", title=title, url=canonical or "", fetched_url=url,
                   author=authors, publisher=(meta.sitename or "").strip() or None,
                   date=meta.date if meta.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}",
                                                               meta.date) else None)


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


def slug_words(text: str) -> list[str]:
    """The words of ``text`` as ids and keys spell them: lowercase ASCII letters and digits,
    accents dropped, apostrophes closed up (``don't`` -> ``dont``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"['\u2019]", "", ascii_text.lower())
    return re.findall(r"[a-z0-9]+", ascii_text)


def suggest_key(publisher: str | None, title: str, url: str | None) -> str:
    """``riverbend-walking-low-back-pain``: the publisher's first word, then the title's first
    words that say something (at most four)."""
    lead = slug_words(publisher or "")[:1]
    if not lead and url:
        host = urllib.parse.urlsplit(url).hostname or ""
        parts = [p for p in host.split(".") if p not in ("www", "m", "blog")]
        lead = slug_words(parts[0])[:1] if parts else []
    words = [w for w in slug_words(title) if w not in STOPWORDS and w not in lead]
    return "-".join([*lead, *words[:KEY_TITLE_WORDS]]) or "article"


def normalize_url(url: str) -> str:
    """An address as compared for "already captured": scheme and host in lowercase, no
    ``www.``, no fragment, no trailing slash, no ``utm_`` tracking parameters."""
    parts = urllib.parse.urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("utm_"))
    path = parts.path.rstrip("/")
    return urllib.parse.urlunsplit(("https" if parts.scheme in ("http", "https") else
                                    parts.scheme.lower(), host, path, query, ""))
