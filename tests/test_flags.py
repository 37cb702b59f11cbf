"""Every rule of :mod:`build_tools.stages.s5_flag`, one edge at a time, on records built in
memory."""

from __future__ import annotations

import pytest
from conftest import CERTAINTY, CLAIM_PATH, KB

from build_tools.core import vocabulary as v
from build_tools.model.claim import Appearance, Claim, Evidence
from build_tools.model.source import Source
from build_tools.stages import s5_flag as flags

SOURCES = {
    "shop": Source("shop", "online", {"design": "web-article", "interest": "back braces"},
                   "sources/refs.bib", 1),
    "news": Source("news", "online", {"design": "web-article"}, "sources/refs.bib", 7),
    "trial": Source("trial", "article", {"design": "rct"}, "sources/refs.bib", 13),
    "review": Source("review", "article", {"design": "systematic-review"},
                     "sources/refs.bib", 19),
    "maker": Source("maker", "article", {"design": "rct", "interest": "back braces"},
                    "sources/refs.bib", 25),
}


def app(source: str = "news", *cites: str, promotional: bool = False) -> Appearance:
    return Appearance(source=source, quote="words", cites=list(cites), promotional=promotional)


def ev(source: str, stance: str) -> Evidence:
    return Evidence(source=source, stance=stance, finding="What the study found.")


def claim(appearances: list[Appearance], evidence: list[Evidence]) -> Claim:
    return Claim(id="c", path="claims/c.yml", appearances=appearances, evidence=evidence)


def test_every_flag_in_the_vocabulary_has_one_rule_in_its_order() -> None:
    assert list(flags.RULES) == list(v.FLAGS)


# --- unsupported: no evidence item with stance supports or partly-supports -----------------

@pytest.mark.parametrize(("stances", "expected"), [
    pytest.param([], True, id="no-evidence"),
    pytest.param(["supports"], False, id="supports"),
    pytest.param(["partly-supports"], False, id="partly-supports-counts-as-support"),
    pytest.param(["inconclusive"], True, id="inconclusive-is-not-support"),
    pytest.param(["contradicts"], True, id="contradicts"),
    pytest.param(["not-relevant"], True, id="not-relevant"),
    pytest.param(["contradicts", "inconclusive", "not-relevant"], True, id="none-supports"),
    pytest.param(["contradicts", "partly-supports"], False, id="one-supports-among-others"),
])
def test_unsupported(stances: list[str], expected: bool) -> None:
    c = claim([app()], [ev("trial", s) for s in stances])
    assert flags.unsupported(c, SOURCES) is expected


def test_unsupported_ignores_who_the_support_comes_from() -> None:
    """Support from a commercial source is support here (marketing-only is about interest)."""
    c = claim([app("shop")], [ev("maker", "supports")])
    assert not flags.unsupported(c, SOURCES)


# --- uncited: no appearance cites anything -------------------------------------------------

@pytest.mark.parametrize(("appearances", "expected"), [
    pytest.param([app()], True, id="cites-nothing"),
    pytest.param([app(), app("shop")], True, id="no-appearance-cites"),
    pytest.param([app("news", "trial")], False, id="cites-a-source"),
    pytest.param([app(), app("shop", "trial")], False, id="one-of-two-cites"),
    pytest.param([app("news", "nosuchkey")], False, id="cites-an-unknown-key-still-cites"),
])
def test_uncited(appearances: list[Appearance], expected: bool) -> None:
    assert flags.uncited(claim(appearances, []), SOURCES) is expected


# --- miscited: an appearance cites a source the evidence marks contradicts/not-relevant ----

@pytest.mark.parametrize(("stance", "expected"), [
    pytest.param("contradicts", True, id="contradicts"),
    pytest.param("not-relevant", True, id="not-relevant"),
    pytest.param("supports", False, id="supports"),
    pytest.param("partly-supports", False, id="partly-supports"),
    pytest.param("inconclusive", False, id="inconclusive"),
])
def test_miscited_by_the_stance_of_the_cited_source(stance: str, expected: bool) -> None:
    c = claim([app("news", "trial")], [ev("trial", stance)])
    assert flags.miscited(c, SOURCES) is expected


def test_not_miscited_when_the_contradicting_source_is_not_the_one_cited() -> None:
    c = claim([app("news", "review")], [ev("trial", "contradicts"), ev("review", "supports")])
    assert not flags.miscited(c, SOURCES)


def test_not_miscited_when_the_cited_source_has_no_evidence_entry() -> None:
    """That is the 'cites a source with no evidence entry' warning, not a flag."""
    c = claim([app("news", "trial")], [])
    assert not flags.miscited(c, SOURCES)


def test_miscited_by_any_one_appearance() -> None:
    c = claim([app("news", "review"), app("shop", "trial")],
              [ev("review", "supports"), ev("trial", "not-relevant")])
    assert flags.miscited(c, SOURCES)


def test_miscited_when_one_of_two_entries_for_the_cited_source_contradicts() -> None:
    c = claim([app("news", "trial")], [ev("trial", "supports"), ev("trial", "contradicts")])
    assert flags.miscited(c, SOURCES)


# --- marketing-only: no independent support, and every appearance commercial or promotional -

@pytest.mark.parametrize(("appearances", "evidence", "expected"), [
    pytest.param([app("shop")], [], True,
                 id="commercial-article-no-evidence"),
    pytest.param([app("shop")], [ev("trial", "supports")], False,
                 id="commercial-article-independent-support"),
    pytest.param([app("shop")], [ev("trial", "partly-supports")], False,
                 id="partly-supports-counts-as-support"),
    pytest.param([app("shop")], [ev("maker", "supports")], True,
                 id="support-only-from-a-commercial-source"),
    pytest.param([app("shop")], [ev("trial", "inconclusive")], True,
                 id="inconclusive-is-not-support"),
    pytest.param([app("shop")], [ev("trial", "contradicts")], True,
                 id="contradicted"),
    pytest.param([app("shop")], [ev("nosuchkey", "supports")], True,
                 id="support-from-an-unknown-source-is-not-independent"),
    pytest.param([app("news", promotional=True)], [], True,
                 id="promotional-appearance-in-an-independent-article"),
    pytest.param([app("news", promotional=True)], [ev("review", "supports")], False,
                 id="promotional-but-independently-supported"),
    pytest.param([app("news")], [], False,
                 id="independent-article-not-promotional"),
    pytest.param([app("shop"), app("news")], [], False,
                 id="also-said-by-an-independent-article"),
    pytest.param([app("shop"), app("news", promotional=True)], [], True,
                 id="commercial-and-promotional"),
    pytest.param([app("nosuchkey")], [], False,
                 id="unknown-article-is-not-commercial"),
    pytest.param([], [], False,
                 id="no-appearances"),
])
def test_marketing_only(appearances: list[Appearance], evidence: list[Evidence],
                        expected: bool) -> None:
    assert flags.marketing_only(claim(appearances, evidence), SOURCES) is expected


def test_interest_makes_a_source_commercial() -> None:
    assert SOURCES["shop"].commercial and SOURCES["maker"].commercial
    assert not SOURCES["news"].commercial
    empty = Source("x", "online", {"design": "web-article", "interest": ""}, "s.bib", 1)
    assert not empty.commercial  # an empty interest field is no interest


# --- all together ----------------------------------------------------------------------------

def test_compute_flags_lists_every_flag_that_fires_in_vocabulary_order() -> None:
    c = claim([app("shop", "trial")], [ev("trial", "contradicts")])
    assert flags.compute_flags(c, SOURCES) == ["unsupported", "miscited", "marketing-only"]
    c = claim([app("shop")], [])
    assert flags.compute_flags(c, SOURCES) == ["unsupported", "uncited", "marketing-only"]
    c = claim([app("news", "trial")], [ev("trial", "supports")])
    assert flags.compute_flags(c, SOURCES) == []


def test_flags_are_computed_when_the_knowledge_base_loads(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "stance: supports", "stance: not-relevant")
    kb.edit(CLAIM_PATH, "verdict: accurate", "verdict: unproven")
    kb.edit(CLAIM_PATH, CERTAINTY, "")  # nothing that bears on the claim: no certainty
    kb.edit("sources/refs.bib", "  design = {web-article},",
            "  design = {web-article},\n  interest = {walking shoes},")
    loaded = kb.load()
    assert kb.problems() == []
    assert loaded.claims[0].flags == ["unsupported", "miscited", "marketing-only"]


def test_flags_cannot_be_typed_into_a_claim(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "verdict: accurate\n", "verdict: accurate\nflags: [uncited]\n")
    assert kb.problems() == [
        f"{CLAIM_PATH}:13:1: error: flags: unknown field 'flags' (expected one of: statement, "
        "bottom_line, topics, population, intervention, comparator, outcome, appearances, "
        "evidence, verdict, certainty, rationale, reviewed, note)"]
    assert kb.load().claims[0].flags == []
