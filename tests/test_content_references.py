"""Every reference the five articles list is in sources/, with its DOI exactly as printed (in the
entry's doi field, or, when no record confirms the printed DOI, in its note as "prints doi:...":
a DOI goes into a field only when a record shows it).

The expected values are read from the committed captures, not typed here, so this test fails
if a reference is dropped, or its DOI altered, in sources/*.bib.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools.knowledge_base import load

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = ROOT / "sources" / "captures"
ARTICLES = ["verywell-walking-lbp", "healthsite-walking-lbp", "sciaticalm-walking-lbp",
            "shop-walking-lbp", "hinge-walking-lbp"]


@pytest.fixture(scope="module")
def kb():
    return load(ROOT)


def printed_dois(key: str) -> list[str]:
    text = (CAPTURES / f"{key}.txt").read_text(encoding="utf-8")
    return sorted({d.rstrip(".") for d in re.findall(r"doi:\s*(10\.\S+)", text)})


def test_each_article_is_a_web_article_source_with_its_capture(kb):
    for key in ARTICLES:
        assert key in kb.sources, key
        assert kb.sources[key].design == "web-article"
        assert (CAPTURES / f"{key}.txt").is_file()
    assert kb.sources["shop-walking-lbp"].interest
    assert kb.sources["hinge-walking-lbp"].interest


@pytest.mark.parametrize(("article", "count"), [("verywell-walking-lbp", 4),
                                                ("hinge-walking-lbp", 5)])
def test_every_printed_doi_is_a_source_with_that_doi(kb, article, count):
    dois = printed_dois(article)
    assert len(dois) == count  # 000 prints 4 DOIs, 004 prints 5 (its body twice)
    recorded = {s.get("doi") for s in kb.sources.values()}
    recorded |= {d.rstrip(".,") for s in kb.sources.values()
                 for d in re.findall(r"prints doi:(10\.\S+)", s.get("note") or "")}
    missing = [d for d in dois if d not in recorded]
    assert not missing, f"references printed in {article} missing from sources/: {missing}"


@pytest.mark.parametrize(("article", "titles"), [
    ("verywell-walking-lbp", ["Low-back surgery exercise guide"]),
    ("healthsite-walking-lbp", ["Why movement is so important for back pain",
                                "Do’s and Don’ts with Low Back Pain",
                                "Taking Care of Your Back at Home", "Moonwalk"]),
    ("hinge-walking-lbp", ["Immerse Yourself in a Forest for Better Health"]),
])
def test_references_without_doi_are_present_by_title(kb, article, titles):
    capture = (CAPTURES / f"{article}.txt").read_text(encoding="utf-8")
    norm = {re.sub(r"\W+", " ", s.title).strip().lower() for s in kb.sources.values()}
    for title in titles:
        assert title in capture, f"test data: {title!r} is not printed in {article}"
        want = re.sub(r"\W+", " ", title).strip().lower()
        assert any(want in t for t in norm), f"{title!r} ({article}) not in sources/"


def test_the_printed_url_is_recorded_as_printed(kb):
    urls = {s.get("url") for s in kb.sources.values()}
    assert "https://www.dec.ny.gov/lands/90720.html" in urls


def test_every_article_has_claims_and_cites_link_to_its_references(kb):
    per_article = {key: [c for c in kb.claims if key in c.articles] for key in ARTICLES}
    assert all(per_article.values()), {k: len(v) for k, v in per_article.items()}
    cited = {k for c in kb.claims for a in c.appearances for k in a.cites}
    for doi in printed_dois("verywell-walking-lbp") + printed_dois("hinge-walking-lbp"):
        key = next(s.key for s in kb.sources.values()
                   if s.get("doi") == doi or f"prints doi:{doi}" in (s.get("note") or ""))
        assert key in cited, f"{key} ({doi}) is listed by its article but cited by no claim"


def test_the_real_knowledge_base_checks_clean_in_strict_mode(kb):
    assert not kb.report.failed(strict=True), "\n".join(p.format() for p in kb.report.sorted())
    assert len(kb.claims) > 100


@pytest.mark.parametrize("article", ARTICLES)
def test_every_passage_of_every_article_is_reviewed(kb, article):
    """The knowledge base stays complete: each passage claimed or set aside with a reason."""
    cov = kb.coverage[article]
    assert [f"{p.line}: {p.text}" for p in cov.unreviewed] == []
    assert cov.count("claimed") > 0 and cov.count("set-aside") > 0


@pytest.mark.parametrize(("article", "printed"), [("verywell-walking-lbp", 5),
                                                  ("healthsite-walking-lbp", 4),
                                                  ("hinge-walking-lbp", 6)])
def test_every_printed_reference_is_set_aside_naming_its_entry(kb, article, printed):
    """Each printed reference (counts from the articles' README) is set aside as a
    reference-list entry naming a BibTeX entry that exists."""
    cov = kb.coverage[article]
    keys = {d.source for d in cov.decisions if d is not None and d.reason == "reference-entry"}
    assert len(keys) == printed
    assert all(k in kb.sources for k in keys)
