"""schema.org ClaimReview for a claim page, so search engines and fact-check tools can read it."""

from __future__ import annotations

from typing import Any

from build_tools import vocabulary as v
from build_tools.model import Claim, Source
from build_tools.render.references import safe_url


def claim_reviewed(statement: str, limit: int = 75) -> str:
    """The statement cut to ``limit`` characters at a word boundary, with an ellipsis."""
    if len(statement) <= limit:
        return statement
    return statement[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _creator(source: Source) -> dict[str, Any]:
    name = source.get("publisher") or source.get("organization")
    if not name and source.authors:
        name = source.authors[0]
    return {"@type": "Organization", "name": name or f"Publisher of '{source.title}'"}


def claim_review(claim: Claim, sources: dict[str, Source], page_url: str | None,
                 site_name: str) -> dict[str, Any]:
    """The ClaimReview object for ``claim``; ``page_url`` is absolute when site_url is set."""
    term = v.VERDICTS[claim.verdict or "unproven"]
    appearances = []
    for a in claim.appearances:
        s = sources.get(a.source)
        if s is None:
            continue
        work: dict[str, Any] = {"@type": "CreativeWork", "headline": s.title,
                                "author": _creator(s)}
        if s.get("date"):
            work["datePublished"] = s.get("date")
        if safe_url(s.get("url")):
            work["url"] = s.get("url")
        appearances.append(work)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim_reviewed(claim.statement),
        "author": {"@type": "Organization", "name": site_name},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": term.rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": term.label,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": appearances[0]["author"] if appearances else
            {"@type": "Organization", "name": "Unknown"},
            "appearance": appearances,
        },
    }
    if appearances:
        review["itemReviewed"]["firstAppearance"] = appearances[0]
    if claim.reviewed:
        review["datePublished"] = claim.reviewed.isoformat()
    if page_url:
        review["url"] = page_url
    return review
