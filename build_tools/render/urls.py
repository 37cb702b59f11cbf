"""Page paths and the relative links between them, for directory or file URLs.

Generated Markdown holds final relative URLs, not ``.md`` links, so it renders the same under
any builder that reads Markdown (MkDocs today, its successor tomorrow).
"""

from __future__ import annotations

import posixpath
import re

from build_tools.model import key_address


def slug(key: str) -> str:
    """A source key as a path segment that no other key can share (see
    :func:`build_tools.model.key_address`)."""
    return key_address(key)


def claim_page(claim_id: str) -> str:
    return f"claims/{claim_id}.md"


def source_page(key: str) -> str:
    return f"sources/{slug(key)}.md"


def article_page(key: str) -> str:
    return f"articles/{slug(key)}.md"


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL path of a page or file, relative to the site root."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/" if directory_urls else stem + ".html"


def relative(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """The link from page ``from_src`` to page or file ``to_src``."""
    here = page_url(from_src, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    target = page_url(to_src, directory_urls)
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    if not directory_urls and (target == "" or target.endswith("/")):
        rel += "index.html"
    return rel


def safe_title(text: str, limit: int = 70) -> str:
    """A page title that no template can misread: letters, digits and plain punctuation only."""
    cleaned = re.sub(r"[^\w\s.,;:%'’()\-–?!/+]", "", text, flags=re.UNICODE)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rsplit(" ", 1)[0] + "…"
    return cleaned or "Untitled"
