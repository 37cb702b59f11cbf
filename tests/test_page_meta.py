"""What a page declares about itself (``build_tools.intake.page_meta``): each way real pages
declare a date, an author and a publisher, read with where it came from; nothing read from a
page that declares none; never an exception."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.intake import page_meta
from build_tools.rules.names import looks_like_name

PAGES = FIXTURES / "pages"


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>T</title>{head}</head><body>{body}</body></html>")


def ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


# (case, html, date, where the date is declared, or None)
DATES = [
    ("JSON-LD datePublished of the article",
     page(ld('{"@type":"BlogPosting","datePublished":"2024-03-12T09:30:00+00:00"}')),
     "2024-03-12", "its JSON-LD datePublished"),
    ("JSON-LD in a @graph, of the web page",
     page(ld('{"@graph":[{"@type":"WebPage","datePublished":"2023-01-25"}]}')),
     "2023-01-25", "its JSON-LD datePublished"),
    ("the day as written, in its own time zone",
     page(ld('{"@type":"NewsArticle","datePublished":"2024-03-12T23:30:00-05:00"}')),
     "2024-03-12", "its JSON-LD datePublished"),
    ("article:published_time",
     page('<meta property="article:published_time" content="2022-06-01T08:00:00Z">'),
     "2022-06-01", "its article:published_time meta tag"),
    ("citation_publication_date",
     page('<meta name="citation_publication_date" content="2021-11-30">'),
     "2021-11-30", "its citation_publication_date meta tag"),
    ("microdata datePublished",
     page(body='<div itemscope itemtype="https://schema.org/Article">'
               '<meta itemprop="datePublished" content="2020-02-29"><p>x</p></div>'),
     "2020-02-29", "its microdata datePublished"),
    ("the article's <time>",
     page(body='<article><time datetime="2023-06-14">June 14, 2023</time><p>x</p></article>'),
     "2023-06-14", "its <time> element"),
    ("a <time> without datetime, read from its text",
     page(body="<article><time>4 November 2024</time><p>x</p></article>"),
     "2024-11-04", "its <time> element"),
    ("a byline with only a date",
     page(body='<main><div class="blog-byline">• January 9, 2026</div><p>x</p></main>'),
     "2026-01-09", 'its byline ("• January 9, 2026")'),
    ("a dated byline, US order on an en-US page",
     page(body='<p class="article-byline">By Rowan Ash | Published: 03/04/2025</p>',
          lang="en-US"),
     "2025-03-04", 'its byline ("By Rowan Ash | Published: 03/04/2025")'),
    ("a dated byline whose order the day settles",
     page(body='<p class="byline">Published Date: 18/10/2025</p>'),
     "2025-10-18", 'its byline ("Published Date: 18/10/2025")'),
    ("a copyright line is no date",
     page(body="<p>Walking helps.</p><footer>Copyright 2026 Acme Clinic</footer>"), None, None),
    ("a <time> in the comments is another's date",
     page(body='<article><p>x</p><div class="comments"><time datetime="2025-02-11">'
               "</time></div></article>"), None, None),
    ("a <time> in a list of related posts is another article's",
     page(body='<article><p>x</p></article><aside><time datetime="2023-09-02"></time></aside>'
               ), None, None),
    ("a date in the address is no declaration",
     page(body="<p>See /2024/03/12/walking/</p>"), None, None),
    ("a review date is not a publication date",
     page(body='<div class="post-meta">Medically Reviewed on 10/13/2021</div>'), None, None),
    ("an ambiguous numeric date on a page of no stated order",
     page(body='<div class="byline">Published: 03/04/2025</div>', lang="en-GB"), None, None),
    ("JSON-LD that is not JSON",
     page(ld('{"@type":"Article","datePublished":"2024-01-01",}')), None, None),
    ("a date that does not exist",
     page('<meta property="article:published_time" content="2023-02-30">'), None, None),
]


@pytest.mark.parametrize(("html", "value", "where"), [c[1:] for c in DATES],
                         ids=[c[0] for c in DATES])
def test_a_date_only_as_the_page_declares_it(html: str, value: str | None, where: str | None
                                             ) -> None:
    meta = page_meta.read(html)
    assert (meta.date.value, meta.date.where) == (value, where) if value else meta.date is None


def test_an_update_or_review_date_is_kept_apart_for_the_note() -> None:
    meta = page_meta.read(page(body='<div class="post-meta">Medically Reviewed on 10/13/2021'
                                    "</div>"))
    assert meta.date is None
    assert meta.modified == page_meta.Declared(
        "2021-10-13", 'its byline ("Medically Reviewed on 10/13/2021")')
    meta = page_meta.read(page('<meta property="article:modified_time" content="2024-05-02">'))
    assert (meta.date, meta.modified) == (None, page_meta.Declared(
        "2024-05-02", "its article:modified_time meta tag"))


def test_an_ambiguous_date_is_said_unread() -> None:
    meta = page_meta.read(page(body='<div class="byline">Published: 03/04/2025</div>',
                               lang="en-GB"))
    assert meta.unread == ['"03/04/2025" could be day/month or month/day']


# (case, html, authors, where)
AUTHORS = [
    ("JSON-LD Person through its @id",
     page(ld('{"@graph":[{"@type":"Article","author":{"@id":"#p"}},'
             '{"@type":"Person","@id":"#p","name":"Imogen Thackeray-Vale"}]}')),
     ["Imogen Thackeray-Vale"], "its JSON-LD author"),
    ("JSON-LD authors, a list with an organisation",
     page(ld('{"@type":"Article","author":[{"@type":"Person","name":"Ann Lee"},'
             '{"@type":"Organization","name":"2nd Wind Clinical Team"}]}')),
     ["Ann Lee", "2nd Wind Clinical Team"], "its JSON-LD author"),
    ("microdata author",
     page(body='<span itemprop="author" itemscope><span itemprop="name">Saoirse Penhallow'
               "</span></span>"), ["Saoirse Penhallow"], "its microdata author"),
    ("the author meta tag",
     page('<meta name="author" content="Tobias Wrenfield">'), ["Tobias Wrenfield"],
     "its author meta tag"),
    ("a byline, post-nominals left out",
     page(body='<p class="byline">By Dana Whitfield, PT, DPT · March 12, 2024</p>'),
     ["Dana Whitfield"], 'its byline ("By Dana Whitfield, PT, DPT · March 12, 2024")'),
    ("a byline naming two",
     page(body='<div class="author">Written by Ann Lee and Tom Ray on 3 March 2022</div>'),
     ["Ann Lee", "Tom Ray"], 'its byline ("Written by Ann Lee and Tom Ray on 3 March 2022")'),
    ("a byline with only a date names no one",
     page(body='<div class="blog-byline"><span class="blog-author"></span> • January 9, 2026'
               "</div>"), [], None),
    ("a reviewer is not the author",
     page(body='<div class="byline">Medically reviewed by Dr. Jane Roe</div>'), [], None),
    ("a login is not a name",
     page('<meta name="author" content="admin">'), [], None),
    ("a handle is not a name",
     page('<meta name="author" content="@coastalmovement">'), [], None),
    ("an address is not a name",
     page('<meta property="article:author" content="https://www.facebook.com/x">'), [], None),
    ("punctuation is not a name",
     page('<meta name="author" content="— ·">'), [], None),
]


@pytest.mark.parametrize(("html", "authors", "where"), [c[1:] for c in AUTHORS],
                         ids=[c[0] for c in AUTHORS])
def test_an_author_only_when_it_is_a_name(html: str, authors: list[str], where: str | None
                                          ) -> None:
    meta = page_meta.read(html)
    assert (meta.authors, meta.authors_where) == (authors, where)


# (case, html, publisher, where)
PUBLISHERS = [
    ("og:site_name as written, not title-cased",
     page('<meta property="og:site_name" content="1 on 1 Physical Therapy">'),
     "1 on 1 Physical Therapy", "its og:site_name"),
    ("og:site_name before the JSON-LD organisation's legal name",
     page('<meta property="og:site_name" content="Maple Grove Physiotherapy">'
          + ld('{"@type":"Organization","name":"Maple Grove Physiotherapy Ltd"}')),
     "Maple Grove Physiotherapy", "its og:site_name"),
    ("the JSON-LD WebSite's name",
     page(ld('{"@type":"WebSite","name":"2nd Wind Physical Therapy"}')),
     "2nd Wind Physical Therapy", "its JSON-LD WebSite name"),
    ("the JSON-LD article's publisher through its @id",
     page(ld('{"@graph":[{"@type":"Article","publisher":{"@id":"#o"}},'
             '{"@type":"Organization","@id":"#o","name":"Riverbend PT"}]}')),
     "Riverbend PT", "its JSON-LD publisher"),
    ("microdata publisher",
     page(body='<div itemprop="publisher" itemscope><meta itemprop="name" '
               'content="Coastal Movement Physio"></div>'),
     "Coastal Movement Physio", "its microdata publisher"),
    ("a title's suffix is no declaration",
     page().replace("<title>T</title>", "<title>Walking | Summit Health Blog</title>"),
     None, None),
]


@pytest.mark.parametrize(("html", "publisher", "where"), [c[1:] for c in PUBLISHERS],
                         ids=[c[0] for c in PUBLISHERS])
def test_the_publisher_as_the_page_writes_it(html: str, publisher: str | None,
                                             where: str | None) -> None:
    meta = page_meta.read(html)
    got = (meta.publisher.value, meta.publisher.where) if meta.publisher else (None, None)
    assert got == (publisher, where)


def test_a_page_that_declares_nothing_gives_nothing() -> None:
    meta = page_meta.read((PAGES / "declares-nothing.html").read_bytes())
    assert meta == page_meta.PageMeta()


@pytest.mark.parametrize(("text", "expected"), [
    ("Dana Whitfield", True), ("José María Núñez-García", True), ("O'Neill Physio", True),
    ("2nd Wind Clinical Team", True), ("Sciaticalm Medical Team", True),
    ("• January 9", False), ("January 9, 2026", False), ("10/13/2021", False),
    ("2026-01-09", False), ("—", False), ("· ·", False), ("@clinic", False), ("admin", False),
    ("https://example.org/author/x", False), ("", False),
])
def test_what_reads_as_a_name(text: str, expected: bool) -> None:
    assert looks_like_name(text) is expected


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["@type", "@id", "@graph", "author", "name", "publisher",
                         "datePublished", "dateModified", "mainEntity"]), children,
        max_size=5), max_leaves=30)


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES, st.text(max_size=80))
def test_no_page_makes_it_raise(data: object, byline: str) -> None:
    import json

    html = page(ld(json.dumps(data)), f'<div class="byline">{byline}</div>')
    meta = page_meta.read(html)
    assert all(looks_like_name(a) for a in meta.authors)
    page_meta.read(byline)
    page_meta.read(byline.encode("utf-8", "replace"))
