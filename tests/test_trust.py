"""Hype words and the ClaimReview data: table-driven, on records made in the test."""

from __future__ import annotations

import json

import pytest

from build_tools.core import vocabulary as v
from build_tools.model.claim import Appearance, Claim
from build_tools.model.source import Source
from build_tools.render.exports import claims_json
from build_tools.render.jsonld import claim_review
from build_tools.render.markup import md_hype
from build_tools.rules.hype import hype_words


@pytest.mark.parametrize(("text", "words"), [
    ("Walking every day cures back pain", ["cure"]),
    ("A miraculous, game changer of a BREAKTHROUGH!", ["miracle", "breakthrough",
                                                      "game-changer"]),
    ("Our clinically proven pillow: results guaranteed", ["guaranteed", "proven"]),
    ("The secret’s out: instant relief", ["secret", "instant"]),
    ("a life-saving, ground-breaking cure-all", ["cure", "groundbreaking", "life-saver"]),
    # denials and look-alikes are not hype
    ("There is no cure for back pain", []),
    ("the benefit has yet to be proven over other exercise", []),
    ("relief is not guaranteed", []),
    ("a secure, curated, instantaneous programme", []),
    ("", []),
])
def test_hype_words(text: str, words: list[str]) -> None:
    assert hype_words(text) == words


def test_every_term_has_a_known_source() -> None:
    for term in v.HYPE_TERMS.values():
        assert term.sources and set(term.sources) <= set(v.HYPE_SOURCES), term.value
        assert hype_words(term.forms[0]) == [term.value], term.value


def test_quote_marks_hype_and_stays_escaped() -> None:
    out = md_hype("A <b>miracle</b> [cure](javascript:x)!")
    assert out == ('A &lt;b&gt;<mark class="kb-hype" title="Hype word: miracle">miracle</mark>'
                   '&lt;/b&gt; \\[<mark class="kb-hype" title="Hype word: cure">cure</mark>\\]'
                   '\\(javascript:x\\)\\!')


def _source(key: str, **fields: str) -> Source:
    return Source(key, "online", {"design": "web-article", "title": key.title(), **fields},
                  "sources/a.bib", 1)


def _claim(*keys: str, bottom_line: str = "Walking probably helps.") -> Claim:
    return Claim(id="c", path="claims/c.yml",
                 statement="Walking every day relieves low back pain in most adults over 50.",
                 bottom_line=bottom_line, verdict="overstated",
                 appearances=[Appearance(k, f"Walking is a miracle cure ({k})") for k in keys])


SOURCES = {
    "undated": _source("undated"),
    "late": _source("late", publisher="Late Media", date="2024-03-01",
                    url="https://late.example/walk"),
    "early": _source("early", author="{Early Health Team}", date="2021-10-13"),
    "bad-url": _source("bad-url", url="javascript:alert(1)"),
}


def test_claim_review_carries_the_whole_statement_and_the_bottom_line() -> None:
    claim = _claim("late")
    data = claim_review(claim, SOURCES, None, "Site")
    assert data["claimReviewed"] == claim.statement
    assert data["reviewRating"]["ratingExplanation"] == "Walking probably helps."
    no_line = claim_review(_claim("late", bottom_line=""), SOURCES, None, "Site")
    assert "ratingExplanation" not in no_line["reviewRating"]


def test_first_appearance_is_the_earliest_dated_and_names_its_publisher() -> None:
    item = claim_review(_claim("undated", "late", "early"), SOURCES, None, "Site")["itemReviewed"]
    assert [w["headline"] for w in item["appearance"]] == ["Undated", "Late", "Early"]
    assert item["firstAppearance"]["headline"] == "Early"
    assert item["author"] == {"@type": "Organization", "name": "Early Health Team"}
    late = item["appearance"][1]
    assert late["url"] == "https://late.example/walk"
    assert late["author"]["name"] == "Late Media"


@pytest.mark.parametrize("keys", [("undated",), ("bad-url",), ("undated", "bad-url")])
def test_no_placeholder_author_and_no_unsafe_url(keys: tuple[str, ...]) -> None:
    item = claim_review(_claim(*keys), SOURCES, None, "Site")["itemReviewed"]
    assert "author" not in item
    assert item["firstAppearance"]["headline"] == keys[0].title()
    assert all("url" not in w and "author" not in w for w in item["appearance"])


def test_claims_json_lists_hype_words_per_appearance() -> None:
    data = json.loads(claims_json([_claim("late", "early")], SOURCES))
    apps = data["claims"][0]["appearances"]
    assert [a["hype"] for a in apps] == [["cure", "miracle"], ["cure", "miracle"]]
    assert data["claims"][0]["bottom_line"] == "Walking probably helps."
    assert data["vocabulary"]["hype"] == list(v.HYPE_TERMS)


@pytest.mark.parametrize(("date", "published"), [("2021-10-13", "2021-10-13"),
                                                 ("2020-01-05/2020-02-01", "2020-01-05"),
                                                 ("2019/..", "2019"), ("/2020", None)])
def test_a_date_range_is_published_on_its_first_day(date: str, published: str | None) -> None:
    sources = {"ranged": _source("ranged", date=date)}
    work = claim_review(_claim("ranged"), sources, None, "Site")["itemReviewed"]["appearance"][0]
    assert work.get("datePublished") == published
