"""The pages of the long lists: the claims index, the flagged claims, the review list, the
evidence map, each article's scorecard and each source's page, cut into pages of
``page_size`` items (:mod:`build_tools.render.paging`, docs/decisions/0012-long-lists.md).

:class:`ListPages` declares their outputs for :class:`~build_tools.render.site.Site`, which
it is a part of: one :class:`~build_tools.render.outputs.Output` per page, whose inputs are the
claims that page shows (and, on a first page, what it counts), so that an edit re-renders the
pages the claim is on, not the whole list.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from build_tools.core import vocabulary as v
from build_tools.model.claim import Claim
from build_tools.model.knowledge_base import KnowledgeBase
from build_tools.model.source import Source
from build_tools.render import evidence_map, paging, search, urls
from build_tools.render.fragments import Fragments
from build_tools.render.outputs import Output
from build_tools.render.settings import SiteSettings

EVIDENCE_MAP = evidence_map.PAGE

SOURCE_LISTS = {"appearance": "Claims that appeared in it",
                "citation": "Claims an article cited it for",
                "evidence": "Claims it is evidence for"}
"""The lists of claims on a source's page: the kind of use, and its heading."""


class ListPages:
    """The long lists' pages, as a part of :class:`~build_tools.render.site.Site` (which sets
    these attributes and gives the methods below)."""

    kb: KnowledgeBase
    settings: SiteSettings
    fragments: Fragments
    claims: list[Claim]
    sources: dict[str, Source]
    articles: list[Source]
    overdue: list[tuple[Claim, dt.date]]
    as_of: dt.date
    uses: dict[str, dict[str, list[Claim]]]
    facets: list[search.Facet]

    def _render(self, template: str, here: str, **context: Any) -> str:
        raise NotImplementedError

    def _scorecard(self, article: Source) -> dict[str, Any]:
        raise NotImplementedError

    def _article_inputs(self, key: str) -> Any:
        raise NotImplementedError

    def _source_print(self, key: str) -> tuple[str, bytes | None]:
        raise NotImplementedError

    def _paged(self, first: str, folder: str, items: list[Any]) -> list[paging.Page]:
        return paging.split(first, folder, len(items), self.settings.page_size)

    def _claims_index(self, page: paging.Page) -> str:
        return self._render("claims_index.md.j2", page.path, claims=page.of(self.claims),
                            page=page, facets=[f for f in self.facets if f.on_claims_index],
                            row_values=search.row_values)

    def _flag_pages(self) -> list[Output]:
        """The flags page (``flags/index.md``), with the first page of each flag's claims, and
        the further pages of each flag that has more (``flags/FLAG/pages/N/index.md``)."""
        flagged = {name: [c for c in self.claims if name in c.flags] for name in v.FLAGS}
        return self._parted_pages(urls.FLAGS_PAGE, urls.folder(urls.FLAGS_PAGE), flagged,
                                  "flags.md.j2", {}, ())

    def _parted_pages(self, first: str, folder: str, lists: dict[str, list[Claim]],
                      template: str, context: dict[str, Any], inputs_too: Any) -> list[Output]:
        """A page of several lists (``first``), which shows the first page of each, and the
        further pages of each list that has more (``FOLDER/NAME/pages/N/index.md``), which show
        that list alone (``part``). The template gets ``groups`` (the claims of each list on
        this page), ``pages`` (each list's page here) and ``part``; each page's inputs are the
        claims it shows and ``inputs_too``."""
        pages = {name: self._paged(first, f"{folder}/{name}", items)
                 for name, items in lists.items()}
        claim = self.fragments.claim

        def here(part: str | None, number: int) -> dict[str, paging.Page]:
            return {name: p[number - 1] if name == part else p[0] for name, p in pages.items()}

        def render(part: str | None, number: int) -> str:
            on = here(part, number)
            return self._render(template, on[part].path if part else first, **context,
                                groups={name: on[name].of(items) for name, items in lists.items()
                                        if part is None or name == part},
                                pages=on, part=part)

        def inputs(part: str | None, number: int) -> Any:
            on = here(part, number)
            return inputs_too, [(name, on[name], b"".join(claim(c) for c in on[name].of(items)))
                                for name, items in lists.items() if part is None or name == part]

        out = [Output(first, functools.partial(render, None, 1),
                      functools.partial(inputs, None, 1), template)]
        out += [Output(page.path, functools.partial(render, name, page.number),
                       functools.partial(inputs, name, page.number), template)
                for name, group in pages.items() for page in group[1:]]
        return out

    def _review_pages(self) -> list[Output]:
        """The claims due for review, a page of them at a time (``review/pages/N/index.md``
        after the first); only the first says how many there are and as of when."""
        claim = self.fragments.claim

        def render(page: paging.Page) -> str:
            return self._render("review.md.j2", page.path, overdue=page.of(self.overdue),
                                page=page)

        def inputs(page: paging.Page) -> Any:
            return (page, [(claim(c), since) for c, since in page.of(self.overdue)],
                    self.as_of if page.number == 1 else None)

        return [Output(page.path, functools.partial(render, page),
                       functools.partial(inputs, page), "review.md.j2")
                for page in self._paged("review.md", "review", self.overdue)]

    def _scorecard_pages(self, article: Source) -> list[Output]:
        """An article's scorecard, and when its claims in reading order are more than a page,
        the further pages of them (``articles/KEY/pages/N/index.md``), which show only those
        claims: an edit changes the counts on the first page, not every page."""
        first = urls.article_page(article.key)
        coverage = self.kb.coverage.get(article.key)
        readings = coverage.readings if coverage else []
        pages = self._paged(first, urls.folder(first), readings)
        claim = self.fragments.claim

        def render(page: paging.Page) -> str:
            if page.number == 1:
                card = self._scorecard(article)
                return self._render("article.md.j2", first, **{**card, "page": page,
                                                               "readings": page.of(readings)})
            return self._render("article.md.j2", page.path, article=article, page=page,
                                readings=page.of(readings))

        def inputs(page: paging.Page) -> Any:
            if page.number == 1:
                return self._article_inputs(article.key), page
            return (self._source_print(article.key),
                    self.kb.fingerprints.coverage.get(article.key), page,
                    b"".join(claim(r.claim) for r in page.of(readings)))

        return [Output(page.path, functools.partial(render, page),
                       functools.partial(inputs, page), "article.md.j2") for page in pages]

    @functools.cached_property
    def _map(self) -> tuple[evidence_map.EvidenceMap, list[evidence_map.Cell],
                            list[paging.Page]]:
        """The evidence map, its pairs in the table's order, and the pages of the table."""
        m = evidence_map.build(self.claims)
        cells = m.ordered()
        return m, cells, paging.split_weighted(
            EVIDENCE_MAP, EVIDENCE_MAP.rpartition("/")[0], [len(cell.claims) for cell in cells],
            self.settings.page_size)

    @functools.cached_property
    def _map_page_of(self) -> dict[str, str]:
        _, cells, pages = self._map
        return {cell.anchor: page.path for page in pages for cell in page.of(cells)}

    def map_page(self, anchor: str) -> str:
        """The page of the evidence map's table that holds the pair ``anchor`` names (what a
        claim page links to, so it is among the claim page's inputs)."""
        return self._map_page_of.get(anchor, EVIDENCE_MAP)

    def map_places(self, claim: Claim) -> list[str]:
        """The page of each pair a claim is on."""
        return [self.map_page(evidence_map.anchor(i, o)) for i in dict.fromkeys(claim.intervention)
                for o in dict.fromkeys(claim.outcome)]

    def _map_pages(self) -> list[Output]:
        """The evidence map and its table in words, whose pairs (each with its claims, never
        cut) go on further pages (``evidence-map/pages/N/index.md``) past a page of claims.
        The first page, with the map, shows every claim's place; the others only theirs."""
        m, cells, pages = self._map
        claim = self.fragments.claim

        def shown(claims: list[Claim]) -> bytes:
            """What the map shows of each claim, where it is placed and its line in the table
            (its statement, verdict and certainty): all of it from its file and sources."""
            return b"".join(claim(c) for c in claims)

        def render(page: paging.Page) -> str:
            if page.number > 1:
                return self._render("evidence_map.md.j2", page.path, cells=page.of(cells),
                                    page=page)
            where = {anchor: urls.url(EVIDENCE_MAP, path,
                                      directory_urls=self.settings.directory_urls)
                     for anchor, path in self._map_page_of.items() if path != EVIDENCE_MAP}
            placed = {c.id for cell in cells for c in cell.claims}
            return self._render("evidence_map.md.j2", EVIDENCE_MAP, cells=page.of(cells),
                                page=page, n_placed=len(placed),
                                n_off=len(self.claims) - len(placed),
                                map_svg=evidence_map.svg(m, "The evidence map: interventions "
                                                            "and outcomes, with their claims",
                                                         where))

        def inputs(page: paging.Page) -> Any:
            if page.number == 1:
                return page, shown(self.claims)
            return page, shown([c for cell in page.of(cells) for c in cell.claims])

        return [Output(page.path, functools.partial(render, page),
                       functools.partial(inputs, page), "evidence_map.md.j2")
                for page in pages]

    def _source_pages(self, key: str) -> list[Output]:
        """A source's page, with the first page of each list of the claims it bears on, and
        the further pages of a list that has more (``sources/KEY/KIND/pages/N/index.md``)."""
        first = urls.source_page(key)
        source = self.sources[key]
        scorecard = source in self.articles
        return self._parted_pages(
            first, urls.folder(first), {kind: self.uses[key][kind] for kind in SOURCE_LISTS},
            "source.md.j2", {"source": source, "has_scorecard": scorecard,
                             "HEADINGS": SOURCE_LISTS}, (self._source_print(key), scorecard))
