"""The marketing-only flag says in words why it fired (``why_marketing_only``), on the claim page
near the flag; the scorecard says how to read its counts."""

from __future__ import annotations

from build_tools.model.claim import Appearance, Claim, Evidence
from build_tools.model.source import Source
from build_tools.stages.s5_flag import marketing_only, why_marketing_only


def source(key: str, title: str, **fields: str) -> Source:
    return Source(key=key, entry_type="online", fields={"title": title, **fields}, path="x.bib",
                  line=1, field_lines={})


SOURCES = {
    "hinge": source("hinge", "Why Walking Is Good", publisher="Hinge Health",
                    design="web-article", interest="a digital exercise programme"),
    "shop": source("shop", "Walking for Lower Back Pain", design="web-article",
                   interest="lumbar support pillows"),
    "brand-study": source("brand-study", "Our pillow trial", design="rct",
                          interest="lumbar support pillows", publisher="PillowCo"),
}


def claim(*appearances: Appearance, evidence: tuple[Evidence, ...] = ()) -> Claim:
    return Claim(id="c", path="claims/c.yml", appearances=list(appearances),
                 evidence=list(evidence))


def test_a_passage_not_marked_promotional_is_explained() -> None:
    c = claim(Appearance("hinge", "Walking helps", promotional=False))
    assert marketing_only(c, SOURCES)
    assert why_marketing_only(c, SOURCES) == (
        "The only article that makes this claim comes from a seller: “Why Walking Is Good” "
        "(Hinge Health), whose publisher sells: a digital exercise programme. No study or "
        "guideline supports it. No passage is marked as promoting a product: the flag is about "
        "who makes the claim and what supports it, not about one passage.")


def test_several_sellers_promotion_and_interested_support() -> None:
    c = claim(Appearance("hinge", "a", promotional=True), Appearance("shop", "b"),
              evidence=(Evidence("brand-study", "supports", "It worked."),))
    assert marketing_only(c, SOURCES)
    assert why_marketing_only(c, SOURCES) == (
        "All 2 articles that make this claim come from sellers: “Why Walking Is Good” (Hinge "
        "Health), whose publisher sells: a digital exercise programme; “Walking for Lower Back "
        "Pain”, whose publisher sells: lumbar support pillows. 1 of its 2 passages promotes "
        "the publisher's own product directly. The only evidence that supports it comes from a "
        "source with a commercial interest too (PillowCo).")
