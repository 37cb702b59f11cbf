"""Claims ranked by BM25 over their statement and quotes, with why each matched.

Each statement and each quote is a document of its claim; a claim scores what its best document
scores. BM25 (bm25s, Lucene's variant, k1 = 1.2, b = 0.75) weighs each shared term by how rare
it is, so "walking", "back" and "pain", in most claims here, count little and "recurrence" a lot;
the terms are stemmed, stop words left out and synonyms folded (:mod:`.search_text`).

BM25 scores grow with the number of claims, so the similar-claim hint of ``new claim`` uses
another measure, :attr:`Hit.similarity`: the IDF-weighted Dice overlap of the query's terms and
the best document's (0 to 1, the same whatever the size of the knowledge base). Measured on the
claims recorded in several articles, the two rank alike (docs/decisions and bench/README.md).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from build_tools.intake import require
from build_tools.intake.search_text import Analyzer

K1, B = 1.2, 0.75
DISTINCTIVE = 0.05
"""A term in fewer than this share of the texts is distinctive: a hint that rests only on
common terms (walk, back, pain: in 37 to 49% of the texts here) names a topic, not a claim.
In a small knowledge base, a term in fewer than :data:`FEW` texts is distinctive too."""
FEW = 2


@dataclass(frozen=True)
class Hit:
    """One claim that shares terms with the query."""

    claim: int
    """Its index in the sequence ranked."""
    score: float
    """BM25 of its best document."""
    similarity: float
    """IDF-weighted Dice overlap of the query's terms and its most similar document's."""
    matched: tuple[str, ...]
    """The query's words that matched, heaviest first (as written in the query)."""
    distinctive: bool = False
    """Whether a matched term is distinctive (:data:`DISTINCTIVE`)."""


class ClaimIndex:
    """A BM25 index of claims' texts: ``texts[i]`` are claim ``i``'s statement and quotes,
    ``tokens[i]`` (when given) the same texts already analysed."""

    def __init__(self, texts: Sequence[Sequence[str]], analyzer: Analyzer,
                 tokens: Sequence[Sequence[Sequence[str]]] | None = None) -> None:
        require("bm25s")
        import bm25s

        # bm25s sets its own logger to DEBUG on import, which would print "Building index
        # from tokens" on every search: its messages are for its own debugging
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.analyzer = analyzer
        self.owner: list[int] = []
        self.docs: list[list[str]] = []
        self.of_claim: dict[int, list[int]] = {}
        for i, claim_texts in enumerate(texts):
            analysed = tokens[i] if tokens is not None else [analyzer.tokens(t)
                                                             for t in claim_texts]
            for doc in analysed:
                if doc:
                    self.of_claim.setdefault(i, []).append(len(self.docs))
                    self.docs.append(list(doc))
                    self.owner.append(i)
        self.df: Counter[str] = Counter(t for d in self.docs for t in set(d))
        self._bm25 = None
        if self.docs:
            self._bm25 = bm25s.BM25(k1=K1, b=B, method="lucene")
            self._bm25.index(self.docs, show_progress=False)

    def idf(self, term: str) -> float:
        n, df = len(self.docs), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The claims sharing a term with ``query``, best first (BM25, then similarity, then
        their order), at most ``limit``."""
        terms = self.analyzer.terms(query)
        known = [t for t, _ in terms if t in self.df]
        if not known or self._bm25 is None:
            return []
        scores = self._bm25.get_scores(known)
        best: dict[int, tuple[float, int]] = {}
        for k, value in enumerate(scores):
            if value > 0:
                i = self.owner[k]
                if i not in best or value > best[i][0]:
                    best[i] = (float(value), k)
        query_set = set(known)
        weight = {t: self.idf(t) for t in query_set}
        query_weight = sum(weight.values())
        shown: dict[str, str] = {}
        for term, word in terms:
            shown.setdefault(term, word)

        def similarity(doc: list[str]) -> float:
            d = set(doc)
            both = sum(weight[t] for t in query_set & d)
            total = query_weight + sum(self.idf(t) for t in d)
            return 2 * both / total if total else 0.0

        sims = {i: max(similarity(self.docs[k]) for k in self.of_claim[i]) for i in best}
        order = sorted(best, key=lambda i: (-round(best[i][0], 6), -sims[i], i))[:limit]
        hits = []
        for i in order:
            doc = set(self.docs[best[i][1]])
            matched = sorted(query_set & doc, key=lambda t: (-weight[t], t))
            rare = any(self.df[t] < max(DISTINCTIVE * len(self.docs), FEW) for t in matched)
            hits.append(Hit(i, round(best[i][0], 2), round(sims[i], 3),
                            tuple(shown[t] for t in matched), rare))
        return hits
