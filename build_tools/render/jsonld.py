"""schema.org ClaimReview for a claim page, so search engines and fact-check tools can read it."""

from __future__ import annotations

from typing import Any

from build_tools.core import vocabulary as v
from build_tools.model.claim import Claim
from build_tools.model.source import Source
from build_tools.render.framing import first_article, published, publisher_name
from build_tools.render.references import safe_url


def _work(source: Source) -> dict[str, Any]:
    """One appearance: the article as a CreativeWork with its publisher, date and address."""
    work: dict[str, Any] = {"@type": "CreativeWork", "headline": source.title}
    name = publisher_name(source)
    if name:
        work["author"] = {"@type": "Organization", "name": name}
    if source.get("date"):  # a range (2020-01-01/2020-02-01, 2020/..): its first day
        start = published(source)
        if start:
            work["datePublished"] = start
    url = safe_url(source.get("url"))
    if url:
        work["url"] = url
    return work


def claim_review(claim: Claim, sources: dict[str, Source], page_url: str | None,
                 site_name: str) -> dict[str, Any]:
    """The ClaimReview object for ``claim``; ``page_url`` is absolute when site_url is set.

    ``claimReviewed`` is the whole statement: Google's advice to keep it under 75 characters is
    advice, and a cut statement loses meaning. The first appearance is the earliest dated one
    (the first listed when none is dated); the claim's author is that appearance's publisher.
    """
    term = v.VERDICTS[claim.verdict or "unproven"]
    appearances = [_work(sources[key]) for key in claim.articles if key in sources]
    key = first_article(claim.articles, sources)
    first = _work(sources[key]) if key else None
    rating: dict[str, Any] = {
        "@type": "Rating",
        "ratingValue": term.rating,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": term.label,
    }
    if claim.bottom_line:
        rating["ratingExplanation"] = claim.bottom_line
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearances}
    if first is not None:
        item["firstAppearance"] = first
        if "author" in first:
            item["author"] = first["author"]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim.statement,
        "author": {"@type": "Organization", "name": site_name},
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if claim.reviewed:
        review["datePublished"] = claim.reviewed.isoformat()
    if page_url:
        review["url"] = page_url
    return review
