"""Page paths and the relative links between them, for directory or file URLs.

Generated Markdown links to the source files of other pages (``../claims/x.md``), which MkDocs,
ProperDocs and Zensical all turn into the target's final URL; see :func:`relative`.
"""

from __future__ import annotations

import functools
import posixpath
import re

from build_tools.model.source import key_address


def slug(key: str) -> str:
    """A source key as a path segment that no other key can share (see
    :func:`build_tools.model.source.key_address`)."""
    return key_address(key)


def claim_page(claim_id: str) -> str:
    return f"claims/{claim_id}.md"


FLAGS_PAGE = "flags/index.md"
"""The flagged claims. It, a source's page and an article's scorecard are the index pages of
their folders, like the first page of every long list: their lists of claims are raw HTML,
which every builder passes through as it is, and a raw HTML link works under every builder
only on an index page (:func:`url`). A list of a few hundred claims as Markdown links cost
MkDocs half a second to convert, on each build that changed it
(docs/decisions/0012-long-lists.md)."""


def source_page(key: str) -> str:
    return f"sources/{slug(key)}/index.md"


def article_page(key: str) -> str:
    return f"articles/{slug(key)}/index.md"


def folder(index_page: str) -> str:
    """The folder of an index page (``sources/x/index.md``: ``sources/x``), under which the
    further pages of its lists go."""
    assert index_page.endswith("/index.md"), index_page
    return index_page[: -len("/index.md")]


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL path of a page or file, relative to the site root."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/" if directory_urls else stem + ".html"


def relative(from_src: str, to_src: str) -> str:
    """The Markdown link from page ``from_src`` to page or file ``to_src``: the target's source
    path relative to the page's folder (``../sources/smith2018.md``).

    Every builder resolves such a link to the target's final URL, whatever its URL style:
    MkDocs and ProperDocs rewrite links to documentation files, and Zensical reads every
    relative link as relative to the page's source file (so a final URL such as
    ``../../sources/smith2018/`` would be wrong there). MkDocs also warns of a link whose target
    does not exist, which ``--strict`` makes an error.
    """
    return _relative(from_src.rpartition("/")[0], to_src)


@functools.cache
def _relative(folder: str, to_src: str) -> str:
    """:func:`relative` from any page in ``folder`` (``""`` for the top): the same link from
    every page there, worked out once."""
    here = folder.split("/") if folder else []
    there = to_src.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


@functools.cache
def url(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """The final relative URL from ``from_src`` to ``to_src``, for what no builder rewrites:
    a link in raw HTML (MkDocs leaves it as written; Zensical reads it relative to the source
    file) or in a generated non-Markdown file (the corrections feed).

    Only from an index page (``claims/index.md``), whose source file and built page are in the
    same folder, or from a file that is not a page, does one URL work for every builder; from
    any other page, write a Markdown link, made with :func:`relative`.
    """
    if from_src.endswith(".md") and not (from_src == "index.md"
                                         or from_src.endswith("/index.md")):
        raise ValueError(f"{from_src}: a raw HTML link works under every builder only on an "
                         "index page (expected a Markdown link, made with link())")
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
