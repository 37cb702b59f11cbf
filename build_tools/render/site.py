"""After the stages, render: the knowledge base to Markdown pages and data files, with Jinja2.

Independent of MkDocs: :func:`render_site` returns ``{path: text}`` for any builder that reads
Markdown. Everything is sorted, and nothing depends on the clock, so the same input renders
byte-identical output.

Every output is declared in one place, :meth:`Site.outputs`, with what it is made from (the
dependency map, :mod:`build_tools.render.outputs`): :func:`render_outputs` renders only those
whose inputs changed since a build whose keys it is given. A new page type is one more
:class:`~build_tools.render.outputs.Output` there, with its inputs.
"""

from __future__ import annotations

import dataclasses
import functools
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from build_tools.core import vocabulary as v
from build_tools.core.cache import Table
from build_tools.core.digest import digest
from build_tools.core.parallel import gc_paused, map_in_two
from build_tools.model.claim import Claim
from build_tools.model.knowledge_base import KnowledgeBase
from build_tools.model.source import Source
from build_tools.render import exports, palette, search, urls
from build_tools.render.chart import bar_chart
from build_tools.render.fragments import Fragments
from build_tools.render.framing import (
    claim_title,
    interest_sentence,
    published,
    publisher_name,
    verdict_summary,
)
from build_tools.render.history import History, as_of, read_history
from build_tools.render.jsonld import claim_review
from build_tools.render.lists import ListPages
from build_tools.render.outputs import Output, Rendered, Templates, changed, output_key
from build_tools.render.parts import Parts, SourceParts
from build_tools.render.references import plain, safe_url
from build_tools.render.settings import SiteSettings
from build_tools.render.templating import environment
from build_tools.rules import review
from build_tools.rules.hype import hype_words
from build_tools.stages.s5_flag import why_marketing_only


class Site(ListPages):
    """Renders one knowledge base; one instance per build."""

    def __init__(self, kb: KnowledgeBase, settings: SiteSettings,
                 history: History | None = None, fragments: Table | None = None) -> None:
        self.kb = kb
        self.settings = settings
        self.history = history if history is not None else read_history(kb.root)
        self.as_of = settings.as_of or as_of(self.history)
        self.overdue = review.overdue(kb.claims, self.as_of, settings.review_months)
        self.claims = sorted(kb.claims, key=lambda c: c.id)
        self.sources = kb.sources
        self.env = environment()
        self.templates = Templates(self.env, fragments)
        self.settings_key = digest(dataclasses.replace(settings, as_of=None))
        """Every output's key holds the settings; the day reviews are judged on is declared by
        the outputs that show it (it moves with every commit)."""
        self.fragments = Fragments(fragments, kb.fingerprints, self.settings_key,
                                   self.templates.digest)
        self.parts = Parts(self.env, self.sources, self.fragments, settings.directory_urls)
        self.uses = self._uses()
        self.articles = [a for a in kb.articles if self.uses[a.key]["appearance"]]
        """The checked articles: web-article sources in which some claim appeared (a web page
        cited only as evidence gets a source page, not a scorecard)."""
        self.facets = search.facets(self.claims, self.articles, self.parts.short_name)
        """The search's filters, which the claims index offers too."""

    def _uses(self) -> dict[str, dict[str, list[Claim]]]:
        """For each source: the claims that cite it as appearance, citation or evidence."""
        uses: dict[str, dict[str, list[Claim]]] = {
            k: {"appearance": [], "citation": [], "evidence": []} for k in self.sources}
        for c in self.claims:
            for kind, keys in (("appearance", c.articles),
                               ("citation", list(dict.fromkeys(k for a in c.appearances
                                                               for k in a.cites))),
                               ("evidence", list(dict.fromkeys(e.source for e in c.evidence)))):
                for key in keys:
                    if key in uses:
                        uses[key][kind].append(c)
        return uses

    def _render(self, template: str, here: str, **context: Any) -> str:
        tpl = self.env.get_template(template)
        return tpl.render(link=functools.partial(urls.relative, here),
                          url=functools.partial(urls.url, here,
                                                directory_urls=self.settings.directory_urls),
                          here=here, site=self.settings, sources=self.sources,
                          parts=self.parts, urls=urls, fragments=self.fragments,
                          history=self.history, as_of=self.as_of, **context)

    def pages(self) -> dict[str, str]:
        """Every generated page and data file, by its path under the docs directory."""
        outputs = self.outputs()
        return dict(zip((o.path for o in outputs), self.render(outputs), strict=True))

    def render(self, outputs: list[Output]) -> list[str]:
        """The texts of ``outputs``, in a second process too when there are many; the pieces
        that process makes come back with its pages, for the cache."""
        done = map_in_two(_run, [(o.make, self.fragments) for o in outputs],
                          min_work=PARALLEL_MIN_PAGES)
        for _, new in done:
            self.fragments.merge(new)
        return [text for text, _ in done]

    def keys(self, outputs: list[Output]) -> dict[str, bytes]:
        return {o.path: output_key(o, self.templates, self.settings_key) for o in outputs}

    def outputs(self) -> list[Output]:
        """Every generated page and data file, each with what it is made from (see
        :mod:`build_tools.render.outputs`): the one place a page type is declared."""
        claim, source = self.fragments.claim, self._source_print
        claims = self.claims

        def every_claim() -> bytes:
            return b"".join(claim(c) for c in claims)  # fixed-size fingerprints: one value

        def every_source() -> list[tuple[str, bytes | None]]:
            return [source(k) for k in sorted(self.sources)]
        out = [
            Output("index.md", lambda: self._render("home.md.j2", "index.md", **self._counts()),
                   lambda: self._counts(sort=True), "home.md.j2"),
        ]
        out += [Output(page.path, functools.partial(self._claims_index, page),
                       functools.partial(lambda page: (
                           page, b"".join(claim(c) for c in page.of(claims)), self.facets),
                           page), "claims_index.md.j2")
                for page in self._paged("claims/index.md", "claims", claims)]
        overdue = dict((c.id, since) for c, since in self.overdue)
        out += [Output(urls.claim_page(c.id),
                       functools.partial(self._claim_page, c, overdue.get(c.id)),
                       functools.partial(self._claim_inputs, c, overdue.get(c.id)),
                       "claim.md.j2") for c in claims]
        out.append(Output("sources/index.md", lambda: self._render(
            "sources_index.md.j2", "sources/index.md", groups=self._source_groups()),
            every_source, "sources_index.md.j2"))
        out += [o for key in sorted(self.sources) for o in self._source_pages(key)]
        cards = {a.key: functools.partial(self._scorecard, a) for a in self.articles}
        out.append(Output("articles/index.md", lambda: self._render(
            "articles_index.md.j2", "articles/index.md",
            cards=[self._card(a) for a in self.articles]),
            lambda: [self._article_inputs(k) for k in cards], "articles_index.md.j2"))
        out += [o for a in self.articles for o in self._scorecard_pages(a)]
        out += self._flag_pages()
        out += [
            Output("methodology.md", lambda: self._render("methodology.md.j2", "methodology.md"),
                   lambda: (), "methodology.md.j2"),
        ]
        out += self._map_pages()
        by_id = self.kb.claims_by_id
        changes = [c for c in self.history.changes if c.claim_id in by_id]
        changed_claims = lambda: [claim(by_id[c.claim_id]) for c in changes]  # noqa: E731
        out.append(Output("corrections.md", lambda: self._render(
            "corrections.md.j2", "corrections.md", changes=changes, claims=by_id),
            lambda: (self.history.available, changes, changed_claims()), "corrections.md.j2"))
        if self.history.available:
            updated = changes[0].when if changes else self.history.head_when
            out.append(Output("corrections.xml", lambda: self._render(
                "corrections.xml.j2", "corrections.xml", changes=changes, claims=by_id,
                absolute=self._absolute, entry_id=_entry_id, feed_id=self._feed_id(),
                updated=updated), lambda: (changes, changed_claims(), updated),
                "corrections.xml.j2"))
        out += self._review_pages()
        out += [
            Output("data/claims.json", lambda: exports.claims_json(
                claims, self.sources, lambda s: plain(self.parts.ama_parts(s)),
                self.fragments), lambda: (every_claim(), every_source())),
            Output("data/claims.csv", lambda: exports.claims_csv(claims, self.fragments),
                   every_claim),
            Output("data/references.bib", lambda: exports.references_bib(self.sources),
                   every_source),
            Output(palette.PATH, palette.stylesheet, lambda: ()),
            Output(search.SETTINGS_PATH, lambda: search.settings_json(self.facets),
                   lambda: self.facets),
        ]
        return out

    def _source_print(self, key: str) -> tuple[str, bytes | None]:
        return key, self.kb.fingerprints.sources.get(key)

    def _claim_inputs(self, claim: Claim, overdue_since: Any) -> Any:
        return (self.fragments.claim(claim), overdue_since, self.history.available,
                self.history.for_claim(claim.id), self.history.added.get(claim.id),
                self.map_places(claim))

    def _article_inputs(self, key: str) -> Any:
        return (self._source_print(key), self.kb.fingerprints.coverage.get(key),
                b"".join(self.fragments.claim(c) for c in self.uses[key]["appearance"]))

    def _claim_page(self, claim: Claim, overdue_since: Any) -> str:
        here = urls.claim_page(claim.id)
        return self._render("claim.md.j2", here, claim=claim, jsonld=self._jsonld(claim, here),
                            claim_title=claim_title(claim),
                            references=self._references(claim),
                            cited_keys={k for a in claim.appearances for k in a.cites},
                            evidence_keys={e.source for e in claim.evidence},
                            edit_url=self._edit_url(claim),
                            overdue_since=overdue_since,
                            changes=self.history.for_claim(claim.id),
                            added=self.history.added.get(claim.id),
                            search_filters=search.claim_filters(claim),
                            map_page=self.map_page,
                            also_known_as=search.also_known_as(claim),
                            marketing_why=why_marketing_only(claim, self.sources)
                            if "marketing-only" in claim.flags else None)

    def _counts(self, sort: bool = False) -> dict[str, Any]:
        verdicts = Counter(c.verdict for c in self.claims)
        return {
            "n_claims": len(self.claims),
            "n_articles": len(self.articles),
            "n_sources": len(self.sources) - len(self.articles),
            "flag_counts": {name: sum(1 for c in self.claims if name in c.flags)
                            for name in v.FLAGS},
            "verdict_counts": sorted(verdicts.items(), key=str) if sort else verdicts,
        }

    def _absolute(self, here: str) -> str | None:
        """The absolute address of a page, when the site's address is known."""
        if not self.settings.site_url:
            return None
        return self.settings.site_url.rstrip("/") + "/" + urls.page_url(
            here, self.settings.directory_urls)

    def _feed_id(self) -> str:
        """The corrections feed's permanent id: its address, or a name made from the site's."""
        return self._absolute("corrections.xml") or \
            f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, self.settings.site_name + '/corrections')}"

    def _jsonld(self, claim: Claim, here: str) -> dict[str, Any]:
        return claim_review(claim, self.sources, self._absolute(here), self.settings.site_name)

    def _references(self, claim: Claim) -> list[SourceParts]:
        keys = [k for a in claim.appearances for k in a.cites] + [e.source
                                                                  for e in claim.evidence]
        return [self.parts.source(k) for k in dict.fromkeys(keys) if k in self.sources]

    def _edit_url(self, claim: Claim) -> str | None:
        repo = safe_url(self.settings.repo_url)
        if not repo:
            return None
        return f"{repo.rstrip('/')}/{self.settings.edit_path.strip('/')}/claims/{claim.id}.yml"

    def _source_groups(self) -> list[tuple[str, list[Source]]]:
        groups: dict[str, list[Source]] = {}
        for _, s in sorted(self.sources.items()):
            groups.setdefault(s.design, []).append(s)
        return [(v.DESIGNS[d].label if d in v.DESIGNS else d, groups[d])
                for d in v.DESIGNS if d in groups]

    def _card(self, article: Source) -> dict[str, Any]:
        """What the articles index shows of an article."""
        claims = self.uses[article.key]["appearance"]
        cited = [c for c in claims if any(a.cites for a in c.appearances
                                          if a.source == article.key)]
        return {"article": article, "coverage": self.kb.coverage.get(article.key),
                "claims": claims, "n_cited": len(cited)}

    def _scorecard(self, article: Source) -> dict[str, Any]:
        """What an article's scorecard shows: its card, and more."""
        card = self._card(article)
        claims, coverage = card["claims"], card["coverage"]
        verdicts = Counter(c.verdict for c in claims)
        rows = [(t.value, t.label, verdicts.get(t.value, 0)) for t in v.VERDICTS.values()]
        flag_counts = {name: sum(1 for c in claims if name in c.flags) for name in v.FLAGS}
        return {
            **card,
            "publisher": publisher_name(article),
            "published": published(article),
            "original": safe_url(article.get("url")),
            "summary": verdict_summary([(label, n) for _, label, n in rows],
                                       flag_counts["marketing-only"]),
            "interest": interest_sentence(article.interest) if article.interest else None,
            "readings": coverage.readings if coverage else [],
            "verdict_rows": rows,
            "flag_counts": flag_counts,
            "chart": bar_chart(rows, f"Claims in {article.title} by verdict"),
            "promotional": sum(1 for c in claims for a in c.appearances
                               if a.source == article.key and a.promotional),
            "hype": sum(1 for c in claims for a in c.appearances
                        if a.source == article.key and hype_words(a.quote)),
        }


def _entry_id(change: Any) -> str:
    """A permanent Atom id for one change: the same commit, claim and field give the same id."""
    name = f"{change.commit}/{change.claim_id}/{change.field}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"




PARALLEL_MIN_PAGES = 2_000
"""From this many pages, a second process renders the last half of them
(:func:`build_tools.core.parallel.map_in_two`, where a process can be forked)."""


def _run(job: tuple[Callable[[], str], Fragments]) -> tuple[str, dict[bytes, Any]]:
    make, fragments = job
    return make(), fragments.take_new()


def render_site(kb: KnowledgeBase, settings: SiteSettings | None = None,
                history: History | None = None) -> dict[str, str]:
    """Every generated page and data file of the site, as ``{path: text}``.

    ``history`` is the claims' git history; by default it is read from the checkout that holds
    ``kb.root`` (:func:`build_tools.render.history.read_history`).
    """
    with gc_paused():  # thousands of pages' strings and Markup, no cycles
        return Site(kb, settings or SiteSettings(), history).pages()


def render_outputs(kb: KnowledgeBase, settings: SiteSettings | None = None,
                   history: History | None = None, known: dict[str, bytes] | None = None,
                   fragments: Table | None = None, render: bool = True) -> Rendered:
    """Every output's key, and the texts of those whose key is not the one ``known`` gives
    for their path (all, without ``known``); ``fragments`` keeps rendered pieces between runs.
    With ``render`` false nothing is rendered yet: :meth:`Rendered.text` renders on demand."""
    with gc_paused():
        site = Site(kb, settings or SiteSettings(), history, fragments)
        outputs = site.outputs()
        keys = site.keys(outputs)
        todo = changed(outputs, keys, known or {}) if render else []
        texts = dict(zip((o.path for o in todo), site.render(todo), strict=True))
        return Rendered(keys, texts, {o.path: o for o in outputs})
