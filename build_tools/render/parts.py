"""The pieces that many pages repeat, each rendered once per build and reused.

A source is named, linked and listed among the references on every claim page that cites it; a
verdict, a certainty and a set of flags are shown as the same badges on thousands of pages; a
claim is listed with the same line on each source page that names it. Rendering those again on
every page was most of the time of a build (Jinja calling back into Python and into macros a
hundred times a page). :class:`Parts` renders each the first time a page needs it, with the
macros of ``_macros.j2`` (so the markup and its escaping stay in the templates, autoescaped like
the rest), and keeps it for every later page of the same build.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from build_tools.model.claim import Certainty, Claim
from build_tools.model.source import Notice, Source
from build_tools.render import urls
from build_tools.render.fragments import Fragments
from build_tools.render.framing import SaidIn, said_in
from build_tools.render.markup import md_text
from build_tools.render.outputs import MACROS
from build_tools.render.references import ama_parts
from build_tools.rules.grade import body

_CLAIM = urls.claim_page("_")
"""A claim page: where the links of :attr:`SourceParts.cite` and ``credit`` start."""


def short_name(source: Source) -> str:
    """``Steffens 2016``, or the publisher/title for an organisation's page."""
    if source.is_article:
        return source.get("publisher") or source.title
    authors = source.names
    if authors:
        first = authors[0].family
        name = first if len(authors) == 1 else f"{first} et al." if len(authors) > 2 or \
            authors[-1].others else f"{first} & {authors[1].family}"
    else:
        name = source.get("organization") or source.get("publisher") or source.title
    return f"{name} {source.year}" if source.year else name


@dataclass(frozen=True, slots=True)
class SourceParts:
    """What a page that cites a source shows of it, escaped for Markdown and HTML where it is
    text. For a key with no entry (a knowledge base with errors still renders), ``name`` is the
    key and the fields after ``credit`` keep their defaults."""

    key: str
    name: Markup
    """Its short name (``Smith et al. 2019``)."""
    slug: str
    cite: Markup
    """Its name linked to its page, from a claim page."""
    credit: Markup
    """A passage's source as a claim page credits it: the title linked to the article's
    scorecard (or the source's page) and the publisher; the name when there is no entry."""
    interest: Markup | None = None
    design: str | None = None
    reference: Markup | None = None
    """The whole reference, in AMA style with its links (the ``reference`` macro)."""
    retraction: Notice | None = None
    concerns: tuple[Notice, ...] = ()


class Parts:
    """The repeated pieces of one build, made on first use (see the module's docstring)."""

    def __init__(self, env: jinja2.Environment, sources: dict[str, Source],
                 fragments: Fragments | None = None, directory_urls: bool = True) -> None:
        self.macros: Any = env.globals["m"]
        self.sources = sources
        self.directory_urls = directory_urls
        """The URL style of the raw HTML links in lists of claims."""
        self.fragments = fragments
        """Where each claim's line in a list is kept between builds, when it is."""
        self._names: dict[str, str] = {}
        self._references: dict[str, list[tuple[str, str]]] = {}
        self._sources: dict[str, SourceParts] = {}
        self._made: dict[tuple[Any, ...], Markup] = {}
        self._items: dict[tuple[str, str], Markup] = {}

    def short_name(self, source: Source) -> str:
        """:func:`short_name`, once per source."""
        name = self._names.get(source.key)
        if name is None:
            name = self._names[source.key] = short_name(source)
        return name

    def ama_parts(self, source: Source) -> list[tuple[str, str]]:
        """:func:`~build_tools.render.references.ama_parts`, once per source (the pages and
        ``data/claims.json`` both show each reference)."""
        parts = self._references.get(source.key)
        if parts is None:
            parts = self._references[source.key] = ama_parts(source)
        return parts

    def source(self, key: str) -> SourceParts:
        """The parts of the source ``key``."""
        found = self._sources.get(key)
        if found is None:
            found = self._sources[key] = self._source(key)
        return found

    def _source(self, key: str) -> SourceParts:
        s = self.sources.get(key)
        page = urls.source_page(key)
        name = md_text(self.short_name(s) if s else key)
        cite = self.macros.source_link(name, urls.relative(_CLAIM, page))
        if s is None:
            return SourceParts(key, name, urls.slug(key), cite, credit=name)
        home = urls.article_page(key) if s.is_article else page
        publisher, interest = s.get("publisher"), s.interest
        credit = self.macros.credit(md_text(s.title), md_text(publisher) if publisher else None,
                                    urls.relative(_CLAIM, home))
        return SourceParts(key, name, urls.slug(key), cite, credit,
                           interest=md_text(interest) if interest else None, design=s.design,
                           reference=self.macros.reference(s, self.ama_parts(s)),
                           retraction=s.retraction, concerns=tuple(s.concerns))

    def cites(self, keys: list[str]) -> Markup:
        """What a passage cited, each source linked, from a claim page."""
        return Markup(", ").join(self.source(k).cite for k in keys)

    def verdict_badge(self, verdict: str | None) -> Markup:
        return self._memo(("verdict", verdict), self.macros.verdict_badge, verdict)

    def flag_badges(self, flags: list[str]) -> Markup:
        return self._memo(("flags", *flags), self.macros.flag_badges, flags)

    def claim_label(self, verdict: str | None) -> Markup:
        """The "Claim" label and the verdict's badge beside it."""
        return self._memo(("label", verdict), self.macros.claim_label, verdict)

    def certainty_flag_badges(self, claim: Claim) -> Markup:
        """A claim's certainty and flag badges (its verdict is beside its "Claim" label)."""
        rated = bool(body(claim))
        return self._memo(("certainty-flags", _certainty_key(claim.certainty), rated,
                           *claim.flags), self.macros.certainty_flag_badges, claim.certainty,
                          claim.flags, rated)

    def assessment(self, claim: Claim) -> Markup:
        """What a claim's verdict, certainty and flags mean, as its page explains them."""
        rated = bool(body(claim))
        return self._memo(("assessment", claim.verdict, _certainty_key(claim.certainty), rated,
                           *claim.flags), self.macros.assessment, claim.verdict_term,
                          claim.certainty, claim.flags, rated)

    def _memo(self, key: tuple[Any, ...], macro: Any, *args: Any) -> Markup:
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = macro(*args)
        return made

    def said(self, claim: Claim, article: str | None = None) -> SaidIn | None:
        """Who said ``claim`` (:func:`~build_tools.render.framing.said_in`); on the scorecard
        of ``article``, the other articles."""
        return said_in(claim, self.sources, article)

    def said_in(self, claim: Claim, here: str, article: str | None = None,
                html: bool = False) -> Markup:
        """The "said in" line of ``claim`` on page ``here``, with Markdown links (or, ``html``,
        raw HTML ones on an index page): to the first article's scorecard and to where the
        claim's page lists them all."""
        said = self.said(claim, article)
        if said is None:
            return Markup("")
        link = functools.partial(urls.url, here, directory_urls=self.directory_urls) if html \
            else functools.partial(urls.relative, here)
        page = urls.claim_page(claim.id)
        others = "#where-it-appeared" if page == here else link(page) + "#where-it-appeared"
        return self.macros.said_in(said, link(urls.article_page(said.key)), others, html)

    def claim_items(self, claims: list[Claim], here: str) -> list[Markup]:
        """Each claim's line in a list of claims on the index page ``here`` (the
        ``claim_item`` macro, raw HTML): the same on every page of the same folder."""
        out = []
        where = posixpath.dirname(here)
        for c in claims:
            item = self._items.get((where, c.id))
            if item is None:
                make = functools.partial(self._claim_item, c, here)
                f = self.fragments
                item = self._items[(where, c.id)] = make() if f is None else f.make(
                    f.key("claim_item", f.template_digest(MACROS), where, c), make)
            out.append(item)
        return out

    def _claim_item(self, claim: Claim, here: str) -> Markup:
        said = self.said(claim)
        url = functools.partial(urls.url, here, directory_urls=self.directory_urls)
        first = url(urls.article_page(said.key)) if said else ""
        item: Markup = self.macros.claim_item(claim, url(urls.claim_page(claim.id)), said,
                                              first)
        return item


def _certainty_key(certainty: Certainty | None) -> tuple[Any, ...] | None:
    """Everything a certainty's badge and explanation show."""
    if certainty is None:
        return None
    return (certainty.level, certainty.reason, certainty.start,
            *certainty.downgrades.items(), None, *certainty.upgrades.items(), None,
            *sorted(certainty.reasons.items()))
