"""How well the claim search finds an existing claim from another article's words.

The knowledge base records, for some claims, appearances in several articles: a second article
said the same thing in its own words. Each such quote is a real test: with the article it comes
from left out (as if it were new: its quotes gone, and the claims only it makes), search the
claims with the quote; the claim it belongs to should come first. Every other claim ranked with
it is a pair that should not be called similar.

- **recall at 1 and at 3**: the share of those quotes whose claim is ranked first, or in the
  first three;
- **precision and recall of the similar-claim hint** at a threshold: of the claims in the first
  three whose similarity reaches it, the share that are the quote's claim; and the share of the
  quotes whose claim reaches it. Quotes of claims only their own article makes count too: each
  claim they reach is a false hint.

Used by ``tests/test_find_quality.py`` (which holds the hint's threshold to these pairs) and
``bench/bench_find_quality.py`` (which reports them beside the former search).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

HINTED = 3
"""How many of the best claims the hint can name."""

ClaimRecord = tuple[str, str, Sequence[tuple[str, str]]]
"""A claim as judged here: its id, its statement, and its appearances as (article, quote)."""
Searcher = Callable[[Sequence[tuple[str, Sequence[str]]]], Callable[[str], list[tuple[str, float]]]]
"""Given the claims kept (id, texts), a function from a query to the claims ranked, best first,
each with its similarity (0 to 1)."""


@dataclass(frozen=True)
class Trial:
    query: str
    article: str
    target: str | None
    """The claim the quote belongs to, when another article makes it too."""
    ranked: list[tuple[str, float]]


@dataclass(frozen=True)
class Quality:
    queries: int
    """Quotes whose claim another article makes too."""
    recall_at_1: float
    recall_at_3: float
    threshold: float
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def trials(claims: Sequence[ClaimRecord], searcher: Searcher) -> Iterator[Trial]:
    """One trial per quote of every article, that article left out."""
    articles = sorted({a for _, _, apps in claims for a, _ in apps})
    for article in articles:
        kept = [(cid, [statement, *(q for a, q in apps if a != article)])
                for cid, statement, apps in claims if any(a != article for a, _ in apps)]
        ids = {cid for cid, _ in kept}
        search = searcher(kept)
        for cid, _, apps in claims:
            for a, quote in apps:
                if a == article:
                    yield Trial(quote, article, cid if cid in ids else None, search(quote))


def quality(all_trials: Iterable[Trial], threshold: float) -> Quality:
    """The measures of the module's docstring, at ``threshold``."""
    ranks: list[int] = []
    hits = false_hits = 0
    for t in all_trials:
        order = [cid for cid, _ in t.ranked]
        if t.target is not None:
            ranks.append(order.index(t.target) + 1 if t.target in order else len(order) + 1)
        for cid, sim in t.ranked[:HINTED]:
            if sim >= threshold:
                if cid == t.target:
                    hits += 1
                else:
                    false_hits += 1
    n = len(ranks)
    return Quality(n, sum(r == 1 for r in ranks) / n if n else 0.0,
                   sum(r <= 3 for r in ranks) / n if n else 0.0, threshold,
                   hits / (hits + false_hits) if hits + false_hits else 1.0,
                   hits / n if n else 0.0)


def best_threshold(all_trials: Sequence[Trial]) -> Quality:
    """The threshold, among the similarities the quotes' own claims reach, with the best F1
    (the highest of equals, for fewer false hints)."""
    candidates = sorted({round(sim, 3) for t in all_trials for cid, sim in t.ranked[:HINTED]
                         if cid == t.target}, reverse=True)
    measured = [quality(all_trials, c) for c in candidates]
    return max(measured, key=lambda q: (round(q.f1, 6), q.threshold), default=quality(
        all_trials, 1.0))
