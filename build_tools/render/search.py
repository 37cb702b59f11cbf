"""What the pages carry for the site's search, and the search's settings file.

The search is Pagefind's index of the built site (:mod:`build_tools.search_index`, after any
builder; docs/decisions/0007-search.md). The pages say what it indexes, with Pagefind's
attributes in the Markdown, so every builder's HTML carries them: ``data-pagefind-body`` on each
part of a claim, source or article page that is indexed (nothing else is), a weight on the parts
a reader's words should count most in, and on a claim page its filters (:func:`claim_filters`)
and the synonyms of the words it uses (:func:`build_tools.core.synonyms.other_words`).

The filters (:class:`Facet`) are one list, made here: the search dialog reads it from
``data/search.json`` (:func:`settings_json`), and the claims index renders the same filters,
so a filter has one name and one set of values in the index, the page address and both forms.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from build_tools.core import vocabulary as v
from build_tools.core.synonyms import other_words
from build_tools.model.claim import Claim
from build_tools.model.source import Source
from build_tools.rules.grade import body

SETTINGS_PATH = "data/search.json"
"""Where the search's settings go in the docs tree (docs/javascripts/search.js reads it)."""


KINDS = (("claim", "Claims"), ("article", "Articles"), ("source", "Studies and sources"))
"""The ``type`` filter: what a page is. Every indexed page has one."""

PICO_FILTERS = ("population", "intervention", "outcome")
"""The PICO fields a reader filters by (the comparator is too sparse to filter on); their
labels and terms are the vocabulary's (:data:`build_tools.core.vocabulary.PICO`)."""


@dataclass(frozen=True)
class Weights:
    """How much a word counts where it stands, in Pagefind's terms: a claim's statement is its
    page's heading (Pagefind gives a heading 7); the rest of what is indexed counts 1 (its
    rationale and notes, a source's reference). Pagefind squares a weight when it ranks."""

    bottom_line: int = 5
    quote: int = 3
    """The article's own words, which a reader who read the article may remember."""
    synonyms: int = 2
    source_title: int = 2
    """Below a claim's statement: a reader arrives with a claim, so a claim that says the
    words ranks above the study whose title does."""


WEIGHTS = Weights()

RANKING = {"metaWeights": {"title": 0}}
"""Pagefind's ranking options in the browser: a title counts as the heading it is (above)
and not again, as Pagefind's default does five times over, which put a study whose title
has the words above the claim that says them."""


@dataclass(frozen=True)
class Facet:
    """One filter: its name (in the index, the page address and a claims index row's data
    attribute), its label, and its values with their labels, in the order shown."""

    name: str
    label: str
    values: tuple[tuple[str, str], ...]

    @property
    def on_claims_index(self) -> bool:
        """The claims index lists claims only: every filter but ``type``."""
        return self.name != "type"


def _certainty(claim: Claim) -> str:
    """The certainty filter's value: the level, or why there is none (the evidence's designs
    carry no rating, or there is no evidence), as the claim's badge says."""
    if claim.certainty:
        return claim.certainty.level
    return (v.NOT_RATED if body(claim) else v.NOT_ASSESSED).value


def _pico(claim: Claim, name: str) -> list[str]:
    terms: list[str] = getattr(claim, name)
    return terms


def claim_filters(claim: Claim) -> list[tuple[str, str]]:
    """The claim's filter values, as ``(filter, value)`` pairs, in the facets' order."""
    pairs = [("type", "claim")]
    if claim.verdict:
        pairs.append(("verdict", claim.verdict))
    pairs.append(("certainty", _certainty(claim)))
    pairs += [("flag", f) for f in claim.flags]
    pairs += [("topic", t) for t in claim.topics]
    pairs += [("article", k) for k in claim.articles]
    for name in PICO_FILTERS:
        pairs += [(name, t) for t in _pico(claim, name)]
    return pairs


def row_values(claim: Claim) -> dict[str, str]:
    """A claims index row's filter attributes: each facet's values, space-separated."""
    out: dict[str, list[str]] = {}
    for name, value in claim_filters(claim):
        if name != "type":
            out.setdefault(name, []).append(value)
    return {name: " ".join(values) for name, values in out.items()}


def also_known_as(claim: Claim) -> list[str]:
    """The synonyms (:data:`build_tools.core.vocabulary.SYNONYMS`) of the words the claim's
    indexed text uses: its statement, bottom line, rationale, quotes and notes."""
    return other_words(claim.statement, claim.bottom_line, claim.rationale,
                       *(a.quote for a in claim.appearances),
                       *(a.note or "" for a in claim.appearances))


def facets(claims: Iterable[Claim], articles: Iterable[Source],
           name_of: Callable[[Source], str]) -> list[Facet]:
    """Every filter, with the values the knowledge base has for the open ones (topics,
    articles, PICO terms); ``name_of`` gives an article's short name."""
    claims = list(claims)
    certainty = [(t.value, t.label) for t in v.CERTAINTY_LEVELS.values()]
    certainty += [(t.value, t.label) for t in (v.NOT_APPLICABLE, v.NOT_RATED, v.NOT_ASSESSED)]
    out = [
        Facet("type", "Show", KINDS),
        Facet("verdict", "Verdict", tuple((t.value, t.label) for t in v.VERDICTS.values())),
        Facet("certainty", "Certainty", tuple(certainty)),
        Facet("flag", "Flag", tuple((f.value, f.label) for f in v.FLAGS.values())),
        Facet("topic", "Topic", tuple((t, t) for t in sorted({t for c in claims
                                                               for t in c.topics}))),
        Facet("article", "Article", tuple((a.key, name_of(a)) for a in articles)),
    ]
    for name in PICO_FILTERS:
        used = {t for c in claims for t in _pico(c, name)}
        if not used:
            continue
        terms = v.PICO[name]
        known = [(t, terms[t].label) for t in terms if t in used]
        rest = [(t, t) for t in sorted(used - set(terms))]
        out.append(Facet(name, v.PICO_LABELS[name], tuple(known + rest)))
    return out


def settings_json(facet_list: list[Facet]) -> str:
    """``data/search.json``: the filters, and the small words a query does without."""
    data = {
        "facets": [{"name": f.name, "label": f.label, "values": [list(p) for p in f.values]}
                   for f in facet_list],
        "ranking": RANKING,
        "stop_words": sorted(v.SEARCH_STOP_WORDS),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
