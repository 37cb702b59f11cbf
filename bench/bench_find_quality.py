"""How well ``find`` and the similar-claim hint of ``new claim`` find a claim from another
article's words, on this knowledge base's real pairs; and how well the coverage hints order the
passages.

Run from the repository root::

    python3 bench/bench_find_quality.py

**Pairs** (:mod:`build_tools.intake.similar_quality`): each quote of a claim that another
article also makes is searched with its own article left out; its claim should come first.
Reported for the search as shipped (BM25 over stemmed content words with the synonym table,
the hint at a similarity of ``SIMILAR`` with a distinctive shared word) and for the former one
(rapidfuzz's ``token_set_ratio``, the hint from a score of 90 over texts of four words or more):
recall at 1 and at 3, and the hint's precision and recall at its threshold and at the best one.

**Passage hints** (:mod:`build_tools.intake.passage_hints`): the area under the ROC curve of a
passage's hint weight, claimed passages against set-aside ones, over the five articles.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from build_tools.intake import similar_quality as sq  # noqa: E402
from build_tools.intake.claim_rank import ClaimIndex  # noqa: E402
from build_tools.intake.passage_hints import strength  # noqa: E402
from build_tools.intake.similar import SAME, SIMILAR, analyzer  # noqa: E402
from build_tools.knowledge_base import load  # noqa: E402
from build_tools.model.coverage import CLAIMED, SET_ASIDE  # noqa: E402


def real_claims() -> list[sq.ClaimRecord]:
    out = []
    for path in sorted((REPO / "claims").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((path.stem, data["statement"],
                    [(a["source"], a["quote"]) for a in data["appearances"]]))
    return out


def bm25(kept: list[tuple[str, list[str]]]):  # type: ignore[no-untyped-def]
    index = ClaimIndex([t for _, t in kept], analyzer())
    ids = [c for c, _ in kept]
    return lambda q: [(ids[h.claim], h.similarity if h.distinctive or h.similarity >= SAME
                       else 0.0) for h in index.search(q, limit=10)]


def former(kept: list[tuple[str, list[str]]]):  # type: ignore[no-untyped-def]
    from rapidfuzz import fuzz, utils

    def search(q: str) -> list[tuple[str, float]]:
        best: dict[str, float] = {}
        for cid, texts in kept:
            for t in texts:
                score = fuzz.token_set_ratio(q, t, processor=utils.default_process) / 100
                if len(t.split()) < 4 or len(q.split()) < 4:
                    score = min(score, 0.89)  # the former hint compared four words or more
                best[cid] = max(best.get(cid, 0.0), score)
        return sorted(best.items(), key=lambda x: (-x[1], x[0]))[:10]

    return search


def row(name: str, trials: list[sq.Trial], threshold: float) -> str:
    at, best = sq.quality(trials, threshold), sq.best_threshold(trials)
    return (f"| {name} | {at.queries} | {at.recall_at_1:.2f} | {at.recall_at_3:.2f} | "
            f"{threshold:g} | {at.precision:.2f} | {at.recall:.2f} | {best.threshold:g} | "
            f"{best.precision:.2f} | {best.recall:.2f} |")


def passage_auc() -> tuple[float, int, int]:
    kb = load(REPO)
    pos: list[int] = []
    neg: list[int] = []
    for cov in kb.coverage.values():
        for p, status in zip(cov.passages, cov.status, strict=True):
            if status == CLAIMED:
                pos.append(strength(p.text))
            elif status == SET_ASIDE:
                neg.append(strength(p.text))
    auc = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / (len(pos) * len(neg))
    return auc, len(pos), len(neg)


def main() -> None:
    claims = real_claims()
    print(f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
          f"{len(claims)} claims")
    print("| search | quotes | recall@1 | recall@3 | hint from | precision | recall | "
          "best threshold | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(row("BM25 (shipped)", list(sq.trials(claims, bm25)), SIMILAR))
    print(row("token_set_ratio (former)", list(sq.trials(claims, former)), 0.9))
    auc, n_pos, n_neg = passage_auc()
    print(f"passage hints: ROC AUC {auc:.3f} ({n_pos} claimed, {n_neg} set-aside passages)")


if __name__ == "__main__":
    main()
