"""What a web page declares about itself: its publication date, its authors and its publisher,
each with where the page declares it.

Nothing here is guessed. trafilatura (through htmldate) also dates a page from a copyright line
or a comment, splits a byline into "authors" such as ``• January 9``, and takes a site name from
the title's suffix or the host name, title-cased (``1 on 1`` becomes ``1 On 1``). An entry holds
only what the page states, and its note says where each value came from, so this module reads
the declarations themselves (with lxml, which trafilatura is built on), in this order:

- **date**: JSON-LD ``datePublished`` (of the article, else of the page), a publication-date
  ``<meta>`` (``article:published_time`` first), microdata ``itemprop=datePublished``, the
  article's first ``<time>`` (not one in a comment, a list of related posts, a sidebar or a
  footer), then a date in the article's byline. A byline date labelled reviewed or updated is
  not a publication date; neither is JSON-LD ``dateModified``: they are kept as
  :attr:`PageMeta.modified`, for the note.
- **authors**: JSON-LD ``author`` (people and organisations; ``@id`` references followed),
  microdata ``itemprop=author``, the ``author`` meta tag, then the byline; each only when it
  reads as a name (:func:`looks_like_name`).
- **publisher**: ``og:site_name``, then JSON-LD (the article's ``publisher``, the
  ``WebSite``'s ``name``, an ``Organization``'s ``name``), then microdata ``publisher``; as
  written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from build_tools.intake.bylines import (
    NOT_PUBLISHED,
    byline_names,
    byline_parts,
    clean_name,
    split_names,
    unique,
)
from build_tools.rules.names import DATE_PATTERNS, MONTHS

DATE_META = ("article:published_time", "og:article:published_time",
             "citation_publication_date", "citation_date", "dc.date.issued", "dcterms.issued",
             "dc.date", "dcterms.date", "date", "pubdate", "publishdate", "publish-date",
             "parsely-pub-date", "sailthru.date")
"""``<meta>`` names or properties that declare the publication date, in this order."""
MODIFIED_META = ("article:modified_time", "og:updated_time")

ARTICLE_TYPES = frozenset({
    "article", "blogposting", "newsarticle", "medicalscholarlyarticle", "scholarlyarticle",
    "report", "techarticle", "analysisnewsarticle", "reportagenewsarticle", "posting",
    "socialmediaposting", "liveblogposting", "opinionnewsarticle", "reviewnewsarticle"})
PAGE_TYPES = frozenset({"webpage", "medicalwebpage", "itempage", "aboutpage", "faqpage",
                        "collectionpage", "qapage"})
ORGANISATION_TYPES = frozenset({"organization", "medicalorganization", "localbusiness",
                                "medicalclinic", "physician", "corporation",
                                "newsmediaorganization"})
BYLINE_CLASS = re.compile(r"byline|author|entry-meta|post-meta|post-info|posted-on|"
                          r"article-meta|article-info|blog-date|post-date|entry-date|"
                          r"published|dateline|meta-info", re.IGNORECASE)
"""Classes and ids of the elements that hold an article's byline."""
NOT_ARTICLE = re.compile(r"comment|related|sidebar|widget|footer|recent|popular|share",
                         re.IGNORECASE)
"""Classes and ids of the parts of a page that are not the article (their dates are others')."""
MAX_JSONLD_NODES = 10_000


@dataclass(frozen=True)
class Declared:
    """A value the page declares, and where: ``Declared("2024-03-12", "its JSON-LD
    datePublished")``."""

    value: str
    where: str


@dataclass
class PageMeta:
    """What a page declares about itself."""

    date: Declared | None = None
    """The publication date, ``YYYY-MM-DD`` (or ``YYYY-MM``)."""
    modified: Declared | None = None
    """The date the page gives as updated or reviewed, when it declares no publication date."""
    authors: list[str] = field(default_factory=list)
    """Each a name as the page writes it, post-nominals (``PT, DPT``) left out."""
    authors_where: str | None = None
    publisher: Declared | None = None
    unread: list[str] = field(default_factory=list)
    """What the page seems to declare but could not be read (``"03/04/2025" could be
    day/month or month/day``)."""


def read(page: bytes | str) -> PageMeta:
    """What ``page`` declares; an empty :class:`PageMeta` for anything that is not HTML."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(page)
    except (ValueError, TypeError, etree.ParserError):
        return PageMeta()
    meta = PageMeta()
    nodes = list(_jsonld_nodes(tree))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    main = [n for n in nodes if _types(n) & ARTICLE_TYPES] + \
        [n for n in nodes if _types(n) & PAGE_TYPES]
    article = _article_element(tree)
    bylines = _bylines(article if article is not None else tree)
    lang = (tree.get("lang") or "").casefold()
    _read_date(meta, tree, main, article, bylines, lang)
    _read_authors(meta, tree, main, by_id, bylines)
    _read_publisher(meta, tree, nodes, main, by_id)
    return meta


def _read_date(meta: PageMeta, tree: Any, main: list[dict[str, Any]], article: Any,
               bylines: list[str], lang: str) -> None:
    for node in main:
        value = iso_date(_text(node.get("datePublished")))
        if value:
            meta.date = Declared(value, "its JSON-LD datePublished")
            return
    meta.date = _meta_date(tree, DATE_META)
    if meta.date:
        return
    for el in tree.xpath('//*[@itemprop="datePublished"]'):
        value = iso_date(el.get("content") or el.get("datetime") or "") or \
            date_in(el.text_content(), lang, meta)
        if value:
            meta.date = Declared(value, "its microdata datePublished")
            return
    if article is not None:
        for el in article.iter("time"):
            if _outside_article(el, article):
                continue
            value = iso_date(el.get("datetime") or "") or date_in(el.text_content(), lang, meta)
            if value:
                meta.date = Declared(value, "its <time> element")
                return
    for text in bylines:
        value = byline_date(text, lang, meta)
        if value:
            meta.date = Declared(value, f"its byline (\"{_short(text)}\")")
            return
    for node in main:
        value = iso_date(_text(node.get("dateModified")))
        if value and meta.modified is None:
            meta.modified = Declared(value, "its JSON-LD dateModified")
    meta.modified = meta.modified or _meta_date(tree, MODIFIED_META)


def _read_authors(meta: PageMeta, tree: Any, main: list[dict[str, Any]],
                  by_id: dict[str, dict[str, Any]], bylines: list[str]) -> None:
    for node in main:
        names = unique([n for a in _as_list(node.get("author"))
                         if (n := _jsonld_name(_resolve(a, by_id)))])
        if names:
            meta.authors, meta.authors_where = names, "its JSON-LD author"
            return
    names = unique([n for el in tree.xpath('//*[@itemprop="author"]')
                     if (n := clean_name(_microdata_name(el)))])
    if names:
        meta.authors, meta.authors_where = names, "its microdata author"
        return
    for el in tree.xpath('//meta[@name="author" or @property="article:author"]'):
        names = split_names(el.get("content") or "")
        if names:
            meta.authors, meta.authors_where = names, "its author meta tag"
            return
    for text in bylines:
        names = byline_names(text)
        if names:
            meta.authors, meta.authors_where = names, f"its byline (\"{_short(text)}\")"
            return


def _read_publisher(meta: PageMeta, tree: Any, nodes: list[dict[str, Any]],
                    main: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> None:
    for content in tree.xpath('//meta[@property="og:site_name"]/@content'):
        if " ".join(content.split()):
            meta.publisher = Declared(" ".join(content.split()), "its og:site_name")
            return
    candidates = [(_resolve(n.get("publisher"), by_id), "its JSON-LD publisher") for n in main]
    candidates += [(n, "its JSON-LD WebSite name") for n in nodes if "website" in _types(n)]
    candidates += [(n, "its JSON-LD Organization name") for n in nodes
                   if _types(n) & ORGANISATION_TYPES]
    for node, where in candidates:
        name = " ".join(_text(node.get("name")).split()) if isinstance(node, dict) else ""
        if name:
            meta.publisher = Declared(name, where)
            return
    for el in tree.xpath('//*[@itemprop="publisher"]'):
        name = " ".join(_microdata_name(el).split())
        if name:
            meta.publisher = Declared(name, "its microdata publisher")
            return


# ---------------------------------------------------------------------------------------------
# JSON-LD


def _jsonld_nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every object of every JSON-LD block, with ``@graph`` members and main entities; a block
    that is not JSON is skipped."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "", strict=False)
        except (ValueError, RecursionError):
            continue
        stack: list[Any] = [data]
        seen = 0
        while stack and seen < MAX_JSONLD_NODES:
            item = stack.pop(0)
            seen += 1
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                stack.extend(v for k, v in item.items()
                             if k in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart"))


def _types(node: dict[str, Any]) -> set[str]:
    return {t.rsplit("/", 1)[-1].casefold() for t in _as_list(node.get("@type"))
            if isinstance(t, str)}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    """A reference ``{"@id": ...}`` without a name, replaced by the object it names."""
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        return by_id.get(value["@id"], value)
    return value


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return value if isinstance(value, str) else ""


def _jsonld_name(author: Any) -> str | None:
    if isinstance(author, str):
        return clean_name(author)
    if isinstance(author, dict):
        return clean_name(_text(author.get("name")))
    return None


# ---------------------------------------------------------------------------------------------
# dates


def _meta_date(tree: Any, names: tuple[str, ...]) -> Declared | None:
    found: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = (el.get("property") or el.get("name") or "").casefold()
        if key in names:
            found.setdefault(key, el.get("content") or "")
    for name in names:
        value = iso_date(found.get(name, ""))
        if value:
            return Declared(value, f"its {name} meta tag")
    return None


def iso_date(text: str) -> str | None:
    """``YYYY-MM-DD`` from an ISO 8601 date or date-time as written (the day it names, in its
    own time zone), ``YYYY-MM`` from a month; None for anything else."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})(?:-(\d{2}))?"
                     r"(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*", text or "")
    if not m:
        return None
    return _valid(int(m[1]), int(m[2]), int(m[3]) if m[3] else None)


def _valid(year: int, month: int, day: int | None) -> str | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def byline_date(text: str, lang: str, meta: PageMeta) -> str | None:
    """The publication date written in a byline. A part labelled reviewed or updated holds no
    publication date (its date goes to ``meta.modified``)."""
    for label, rest in byline_parts(text):
        value = date_in(rest, lang, meta)
        if value and NOT_PUBLISHED.search(label):
            meta.modified = meta.modified or Declared(value, f"its byline (\"{_short(text)}\")")
        elif value:
            return value
    return None


def date_in(text: str, lang: str, meta: PageMeta) -> str | None:
    """The first date written in ``text`` as ``YYYY-MM-DD``. A numeric date whose order the
    page's language does not settle (``03/04/2025`` without ``lang="en-US"``) is not read,
    and said so in ``meta.unread``."""
    for kind, pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        if kind == "ymd":
            return _valid(int(m[1]), int(m[2]), int(m[3]))
        if kind == "mdy":
            return _valid(int(m[3]), MONTHS[m[1].casefold()], int(m[2]))
        if kind == "dmy":
            return _valid(int(m[3]), MONTHS[m[2].casefold()], int(m[1]))
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if first > 12 >= second:
            return _valid(year, second, first)
        if second > 12 >= first or (lang in ("en-us", "en_us") and first <= 12):
            return _valid(year, first, second)
        meta.unread.append(f"\"{m[0]}\" could be day/month or month/day")
        return None
    return None


# ---------------------------------------------------------------------------------------------
# bylines and names


def _article_element(tree: Any) -> Any:
    for xpath in ("//article", '//*[@itemprop="articleBody"]/..', "//main", "//body"):
        found = tree.xpath(xpath)
        if found:
            return found[0]
    return None


def _outside_article(el: Any, root: Any) -> bool:
    """Whether ``el`` sits in a comment, a list of related posts, a sidebar or a footer."""
    node = el
    while node is not None and node is not root:
        if node.tag in ("aside", "footer", "nav") or NOT_ARTICLE.search(
                f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
        node = node.getparent()
    return False


def _bylines(scope: Any) -> list[str]:
    """The texts of the elements that look like the article's byline, in page order, each
    the outermost such element."""
    out: list[str] = []
    for el in scope.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "meta", "time"):
            continue
        if not BYLINE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}") \
                or _outside_article(el, scope):
            continue
        text = " ".join(el.text_content().split())
        if text and len(text) <= 200 and not any(text in o for o in out):
            out.append(text)
    return out


def _microdata_name(el: Any) -> str:
    names = el.xpath('.//*[@itemprop="name"]')
    target = names[0] if names else el
    return str(target.get("content") or target.text_content())


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
