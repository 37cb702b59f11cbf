"""After the stages, render: the knowledge base to Markdown pages and data files, with Jinja2.

Independent of MkDocs: :func:`render_site` returns ``{path: text}`` for any builder that reads
Markdown. Everything is sorted, and nothing depends on the clock, so the same input renders
byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from build_tools.core import vocabulary as v
from build_tools.core.parallel import gc_paused, map_in_two
from build_tools.model.claim import Claim
from build_tools.model.knowledge_base import KnowledgeBase
from build_tools.model.source import Source
from build_tools.render import evidence_map, exports, palette, search, urls
from build_tools.render.chart import bar_chart
from build_tools.render.framing import (
    claim_title,
    interest_sentence,
    published,
    publisher_name,
    verdict_summary,
)
from build_tools.render.history import History, as_of, read_history
from build_tools.render.jsonld import claim_review
from build_tools.render.parts import Parts, SourceParts
from build_tools.render.references import plain, safe_url
from build_tools.render.templating import environment
from build_tools.rules import review
from build_tools.rules.hype import hype_words
from build_tools.stages.s5_flag import why_marketing_only


@dataclass(frozen=True)
class SiteSettings:
    """What the pages need to know about the site around them."""

    site_name: str = "Walking and low back pain: what the evidence says"
    site_url: str | None = None
    """Absolute base address, for the ClaimReview ``url``; None leaves it out."""
    repo_url: str | None = None
    """Where the repository lives; with it, each claim page links to its YAML for editing."""
    edit_path: str = "edit/main/"
    directory_urls: bool = True
    review_months: int = review.DEFAULT_MONTHS
    """How long a review stays current (the plugin's ``review_months`` option)."""
    as_of: dt.date | None = None
    """The day overdue reviews are judged on; None: :func:`build_tools.render.history.as_of`."""


class Site:
    """Renders one knowledge base; one instance per build."""

    def __init__(self, kb: KnowledgeBase, settings: SiteSettings,
                 history: History | None = None) -> None:
        self.kb = kb
        self.settings = settings
        self.history = history if history is not None else read_history(kb.root)
        self.as_of = settings.as_of or as_of(self.history)
        self.overdue = review.overdue(kb.claims, self.as_of, settings.review_months)
        self.claims = sorted(kb.claims, key=lambda c: c.id)
        self.sources = kb.sources
        self.env = environment()
        self.parts = Parts(self.env, self.sources)
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
                          parts=self.parts, urls=urls,
                          history=self.history, as_of=self.as_of, **context)

    def pages(self) -> dict[str, str]:
        """Every generated page and data file, by its path under the docs directory."""
        jobs: list[tuple[str, Callable[[], str]]] = [
            ("index.md", lambda: self._render("home.md.j2", "index.md", **self._counts())),
            ("claims/index.md", lambda: self._render(
                "claims_index.md.j2", "claims/index.md", claims=self.claims,
                facets=[f for f in self.facets if f.on_claims_index],
                row_values=search.row_values)),
        ]
        overdue = dict((c.id, since) for c, since in self.overdue)
        jobs += [(urls.claim_page(c.id), functools.partial(self._claim_page, c,
                                                           overdue.get(c.id)))
                 for c in self.claims]
        jobs.append(("sources/index.md", lambda: self._render(
            "sources_index.md.j2", "sources/index.md", groups=self._source_groups())))
        jobs += [(urls.source_page(key), functools.partial(self._source_page, key))
                 for key in sorted(self.sources)]
        cards = [self._scorecard(a) for a in self.articles]
        jobs.append(("articles/index.md", lambda: self._render(
            "articles_index.md.j2", "articles/index.md", cards=cards)))
        jobs += [(urls.article_page(card["article"].key),
                  functools.partial(self._render, "article.md.j2",
                                    urls.article_page(card["article"].key), **card))
                 for card in cards]
        jobs += [
            ("flags.md", lambda: self._render("flags.md.j2", "flags.md", groups={
                name: [c for c in self.claims if name in c.flags] for name in v.FLAGS})),
            ("methodology.md", lambda: self._render("methodology.md.j2", "methodology.md")),
            (EVIDENCE_MAP, self._evidence_map),
        ]
        by_id = self.kb.claims_by_id
        changes = [c for c in self.history.changes if c.claim_id in by_id]
        jobs.append(("corrections.md", lambda: self._render(
            "corrections.md.j2", "corrections.md", changes=changes, claims=by_id)))
        if self.history.available:
            updated = changes[0].when if changes else self.history.head_when
            jobs.append(("corrections.xml", lambda: self._render(
                "corrections.xml.j2", "corrections.xml", changes=changes, claims=by_id,
                absolute=self._absolute, entry_id=_entry_id, feed_id=self._feed_id(),
                updated=updated)))
        jobs += [
            ("review.md", lambda: self._render("review.md.j2", "review.md",
                                               overdue=self.overdue)),
            ("data/claims.json", lambda: exports.claims_json(
                self.claims, self.sources, lambda s: plain(self.parts.ama_parts(s)))),
            ("data/claims.csv", lambda: exports.claims_csv(self.claims)),
            ("data/references.bib", lambda: exports.references_bib(self.sources)),
            (palette.PATH, palette.stylesheet),
            (search.SETTINGS_PATH, lambda: search.settings_json(self.facets)),
        ]
        texts = map_in_two(_run, [job for _, job in jobs], min_work=PARALLEL_MIN_PAGES)
        return dict(zip((path for path, _ in jobs), texts, strict=True))

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
                            also_known_as=search.also_known_as(claim),
                            marketing_why=why_marketing_only(claim, self.sources)
                            if "marketing-only" in claim.flags else None)

    def _evidence_map(self) -> str:
        m = evidence_map.build(self.claims)
        placed = {c.id for cell in m.cells.values() for c in cell.claims}
        return self._render("evidence_map.md.j2", EVIDENCE_MAP, cells=m.ordered(),
                            map_svg=evidence_map.svg(m, "The evidence map: interventions and "
                                                        "outcomes, with their claims"),
                            n_placed=len(placed), n_off=len(self.claims) - len(placed))

    def _source_page(self, key: str) -> str:
        source = self.sources[key]
        return self._render("source.md.j2", urls.source_page(key), source=source,
                            uses=self.uses[key], has_scorecard=source in self.articles)

    def _counts(self) -> dict[str, Any]:
        return {
            "n_claims": len(self.claims),
            "n_articles": len(self.articles),
            "n_sources": len(self.sources) - len(self.articles),
            "flag_counts": {name: sum(1 for c in self.claims if name in c.flags)
                            for name in v.FLAGS},
            "verdict_counts": Counter(c.verdict for c in self.claims),
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

    def _scorecard(self, article: Source) -> dict[str, Any]:
        claims = self.uses[article.key]["appearance"]
        cited = [c for c in claims if any(a.cites for a in c.appearances
                                          if a.source == article.key)]
        verdicts = Counter(c.verdict for c in claims)
        rows = [(t.value, t.label, verdicts.get(t.value, 0)) for t in v.VERDICTS.values()]
        coverage = self.kb.coverage.get(article.key)
        flag_counts = {name: sum(1 for c in claims if name in c.flags) for name in v.FLAGS}
        return {
            "publisher": publisher_name(article),
            "published": published(article),
            "original": safe_url(article.get("url")),
            "summary": verdict_summary([(label, n) for _, label, n in rows],
                                       flag_counts["marketing-only"]),
            "interest": interest_sentence(article.interest) if article.interest else None,
            "article": article,
            "coverage": coverage,
            "readings": coverage.readings if coverage else [],
            "claims": claims,
            "n_cited": len(cited),
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


EVIDENCE_MAP = evidence_map.PAGE

PARALLEL_MIN_PAGES = 2_000
"""From this many pages, a second process renders the last half of them
(:func:`build_tools.core.parallel.map_in_two`, where a process can be forked)."""


def _run(job: Callable[[], str]) -> str:
    return job()


def render_site(kb: KnowledgeBase, settings: SiteSettings | None = None,
                history: History | None = None) -> dict[str, str]:
    """Every generated page and data file of the site, as ``{path: text}``.

    ``history`` is the claims' git history; by default it is read from the checkout that holds
    ``kb.root`` (:func:`build_tools.render.history.read_history`).
    """
    with gc_paused():  # thousands of pages' strings and Markup, no cycles
        return Site(kb, settings or SiteSettings(), history).pages()
