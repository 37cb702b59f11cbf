"""Coverage: every passage of a captured article is claimed, set aside, or reported unreviewed.

The fixture article (:data:`CAPTURE`) has six passages; the claim of ``conftest`` quotes two of
them and the set-aside file (:data:`SET_ASIDE`) the other four. Each table case breaks one thing
and lists the exact ``path:line:col`` lines ``check`` must print; the positions were read off the
inputs. Then the ``coverage`` command, its JSON, and the splitting rule itself.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BIB_PATH, CLAIM_PATH, KB, TODAY
from hypothesis import given
from hypothesis import strategies as st

from build_tools.commands import coverage as coverage_command
from build_tools.core.text import normalize
from build_tools.rules.passages import split

CAPTURE = """\
Walk Your Back Pain Away

Our physio says: Walking every day
cures \u201cback pain\u201d \u2014 try it. Free shipping on all orders!

References
  1. Smith A, Jones B. Walking for chronic low back pain. Spine. 2018.
"""
"""sources/captures/shop2024.txt. Passages: line 1 the title; 3 and 4 (first sentence) quoted
by the claim; 4 "Free shipping on all orders!"; 6 "References"; 7 the reference entry."""

SET_ASIDE = """\
set_aside:
  - quote: Walk Your Back Pain Away
    reason: heading
  - quote: Free shipping on all orders!
    reason: page-furniture
  - quote: References
    reason: heading
  - quote: "1. Smith A, Jones B."
    reason: reference-entry
    source: smith2018
"""
"""sources/captures/shop2024.yml. Lines: 2 quote, 3 reason; 4 quote, 5 reason; 6 quote,
7 reason; 8 quote, 9 reason, 10 source."""

CAP, SA = "sources/captures/shop2024.txt", "sources/captures/shop2024.yml"
REASONS = ("heading, page-furniture, image, byline, question, call-to-action, reference-entry, "
           "framing, disclaimer")
Break = Callable[[KB], object]


@pytest.fixture
def article(kb: KB) -> KB:
    kb.write(CAP, CAPTURE)
    kb.write(SA, SET_ASIDE)
    return kb


def edit(old: str, new: str) -> Break:
    return lambda kb: kb.edit(SA, old, new)


def test_the_fixture_is_complete(article: KB) -> None:
    assert article.problems() == []
    cov = article.load().coverage["shop2024"]
    assert [p.line for p in cov.passages] == [1, 3, 4, 4, 6, 7]
    assert cov.status == ["set-aside", "claimed", "claimed", "set-aside", "set-aside",
                          "set-aside"]
    assert cov.by_reason == {"heading": 2, "page-furniture": 1, "reference-entry": 1}
    assert cov.as_json() == {"key": "shop2024", "passages": 6, "claimed": 2, "set_aside": 4,
                             "unreviewed": 0, "unreviewed_passages": []}


NOT_REVIEWED = ("{n} of 6 passages {what} not reviewed ({lines}; expected each quoted by a "
                f"claim or set aside in {SA}; run `python -m build_tools coverage shop2024` for "
                "the list)")

CASES = [
    pytest.param(
        edit("  - quote: Free shipping on all orders!\n    reason: page-furniture\n", ""),
        [f"{CAP}:4:1: warning: " + NOT_REVIEWED.format(n=1, what="is", lines="line 4")],
        id="unreviewed-passage-at-its-line"),
    pytest.param(
        lambda kb: kb.remove(SA),
        [f"{CAP}:1:1: warning: " + NOT_REVIEWED.format(n=4, what="are",
                                                       lines="lines 1, 4, 6, 7")],
        id="no-set-aside-file"),
    pytest.param(
        edit("reason: page-furniture", "reason: footer"),
        [f"{SA}:5:13: error: set_aside[1].reason: 'footer' is not an allowed value (expected "
         f"one of: {REASONS})"],
        id="reason-outside-the-vocabulary"),
    pytest.param(
        edit("quote: Free shipping on all orders!", "quote: Free delivery on all orders!"),
        [f"{SA}:4:12: error: quote not found in {CAP} (expected the passage's words verbatim; "
         "only white space, quote marks and dashes may differ); closest passage, line 4: "
         "\"Free shipping on all orders!\"; word 2 of 5: the quote has 'delivery', the capture "
         "has 'shipping'"],
        id="quote-not-in-capture"),
    pytest.param(
        edit("quote: References", "quote: Our physio says"),
        [f"{SA}:6:12: error: the passage at line 3 of the capture is also quoted by "
         f"{CLAIM_PATH}:5:12 (expected each passage either claimed or set aside, not both)"],
        id="claimed-and-set-aside"),
    pytest.param(
        edit("source: smith2018", "source: smyth2018"),
        [f"{SA}:10:13: error: unknown source 'smyth2018' (did you mean 'smith2018'?)"],
        id="reference-entry-unknown-key"),
    pytest.param(
        edit("    source: smith2018\n", ""),
        [f"{SA}:9:13: error: a reference-list entry names the BibTeX entry that records it "
         "(expected source: KEY, a key in sources/*.bib; add the entry first if it is "
         "missing)"],
        id="reference-entry-without-key"),
    pytest.param(
        edit("    reason: heading\n  - quote: Free", "    reason: heading\n    source: smith2018\n"
                                                   "  - quote: Free"),
        [f"{SA}:4:13: error: source is only for a reference-list entry (expected no source "
         "with reason heading, or reason: reference-entry)"],
        id="source-on-a-heading"),
    pytest.param(
        edit("  - quote: References\n", "  - quote: Walk Your Back\n    reason: heading\n"
                                        "  - quote: References\n"),
        [f"{SA}:6:12: error: the passage at line 1 of the capture is already set aside at line "
         "2 (expected each passage set aside once)"],
        id="set-aside-twice"),
    pytest.param(
        edit("    reason: page-furniture\n", "    reason: page-furniture\n    why: banner\n"),
        [f"{SA}:6:5: error: set_aside[1].why: unknown field 'why' (expected one of: quote, "
         "reason, source, note)"],
        id="unknown-field"),
    pytest.param(
        lambda kb: kb.write("sources/captures/nobody2020.yml", SET_ASIDE),
        ["sources/captures/nobody2020.yml:1:1: error: set-aside file for a capture that does "
         "not exist (expected sources/captures/nobody2020.txt beside it)"],
        id="set-aside-without-capture"),
    pytest.param(
        lambda kb: (kb.remove(SA), kb.remove(CAP)),
        [f"{BIB_PATH}:1:1: warning: shop2024: quotes not verified: 1 appearance quote this "
         "article, which has no capture (expected its text in sources/captures/shop2024.txt)"],
        id="web-article-with-quotes-and-no-capture"),
    pytest.param(
        lambda kb: kb.write(SA, "- quote: x\n"),
        [f"{SA}:1:1: error: got a list (expected a mapping with fields: set_aside, note)"],
        id="not-a-mapping"),
]


@pytest.mark.parametrize(("breaks", "expected"), CASES)
def test_each_coverage_problem_at_its_place(article: KB, breaks: Break,
                                            expected: list[str]) -> None:
    breaks(article)
    assert article.problems() == expected


def test_strict_makes_unreviewed_passages_an_error(article: KB) -> None:
    article.remove(SA)
    code, lines, _ = article.check(strict=True)
    assert code == 1
    assert lines == [f"{CAP}:1:1: error: " + NOT_REVIEWED.format(
        n=4, what="are", lines="lines 1, 4, 6, 7")]
    code, lines, _ = article.check()
    assert code == 0 and lines[0].startswith(f"{CAP}:1:1: warning: ")


def test_a_broken_claim_file_does_not_report_its_passages_unreviewed(article: KB) -> None:
    """What a claim that cannot be read quotes is unknown: its own error is enough."""
    article.write(CLAIM_PATH, "statement: [unclosed\n")
    assert all(CAP not in p for p in article.problems())


def coverage(kb: KB, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    keys = [a for a in args if not a.startswith("--")]
    code = coverage_command.run(kb.root, keys, as_json="--json" in args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_coverage_command_lists_each_unreviewed_passage_with_its_line(article: KB) -> None:
    article.edit(SA, "  - quote: References\n    reason: heading\n", "")
    code, out, err = coverage(article)
    assert code == 1
    assert out == ("shop2024: 6 passages: 2 claimed, 3 set aside (1 heading, 1 page furniture "
                   "or navigation, 1 reference-list entry), 1 unreviewed\n"
                   f"  {CAP}:6: References\n")
    assert err == ""


def test_coverage_json_is_exactly_the_documented_shape(article: KB) -> None:
    article.edit(SA, "  - quote: Walk Your Back Pain Away\n    reason: heading\n", "")
    code, out, _ = coverage(article, "shop2024", "--json")
    assert code == 1
    assert json.loads(out) == {"articles": [{
        "key": "shop2024", "passages": 6, "claimed": 2, "set_aside": 3, "unreviewed": 1,
        "unreviewed_passages": [{"line": 1, "text": "Walk Your Back Pain Away"}]}]}


def test_coverage_command_complete_and_unknown_key(article: KB) -> None:
    assert coverage(article)[0] == 0
    code, out, err = coverage(article, "shop2042")
    assert (code, out) == (2, "")
    assert err == "error: no captured article 'shop2042' (did you mean 'shop2024'?)\n"


def test_scorecard_shows_coverage_and_claims_in_reading_order(article: KB) -> None:
    from build_tools.render.site import render_site
    page = render_site(article.load(TODAY))["articles/shop2024/index.md"]
    assert ("- **Coverage:** All 6 passages reviewed: 2 quoted by a claim, 4 set aside as "
            "holding no checkable claim (heading: 2; page furniture or navigation: 1; "
            "reference-list entry: 1).") in page
    # the quote as it stands in the capture: its own curly quotes, not the claim file's
    # and its hype word marked ("cures" counts as "cure")
    assert ("<ol>\n<li>\u201cWalking every day <mark class=\"kb-hype\" "
            "title=\"Hype word: cure\">cures</mark> \u201cback pain\u201d\u201d "
            "<em>(hype: cure)</em><br>") in page


# ---------------------------------------------------------------------------------------------
# the splitting rule


@pytest.mark.parametrize(("text", "passages"), [
    ("One. Two three. 4 four.", ["One.", "Two three.", "4 four."]),
    ("Dr. Broach says so. Then e.g. Walking helps.", ["Dr. Broach says so.",
                                                      "Then e.g. Walking helps."]),
    ("Smith J. Jones K. et al. A trial.", ["Smith J. Jones K. et al. A trial."]),
    ("Is it? \u201cYes,\u201d she said. Really!", ["Is it?", "\u201cYes,\u201d she said.",
                                                   "Really!"]),
    ("  \u2022 One. Two.\n  2. Three. Four.\n- Five. Six.", ["\u2022 One. Two.",
                                                             "2. Three. Four.",
                                                             "- Five. Six."]),
    ("Version 2.0 is out. it continues.", ["Version 2.0 is out. it continues."]),
    ("Same line.\n\nSame line.\nOther.", ["Same line.", "Other."]),
    ("Walk \u2019n\u2019 talk.\nWalk 'n' talk.", ["Walk \u2019n\u2019 talk."]),
])
def test_passages_follow_the_documented_rule(text: str, passages: list[str]) -> None:
    assert [p.text for p in split(text).passages] == passages


def test_a_repeated_passage_counts_once_at_its_first_line() -> None:
    got = split("Title\n\nBody one. Body two.\nTitle\n\nBody two.\n")
    assert [(p.line, p.text, len(p.spans)) for p in got.passages] == [
        (1, "Title", 2), (3, "Body one.", 1), (3, "Body two.", 2)]


@given(st.text(alphabet=st.sampled_from(list("ab .?!\n\u2022-1)\u201c\u2019\u00a0\u2028AZ\t")),
               max_size=80))
def test_passages_tile_the_normalised_capture(text: str) -> None:
    """The passages, joined by one space, are exactly the text quotes are looked up in, and
    the excerpt shown to readers is aligned with it character for character."""
    got = split(text)
    assert got.normalized == normalize(text)
    assert len(got.display) == len(got.normalized)
    for p in got.passages:
        for start, end in p.spans:
            assert got.normalized[start:end] == p.key


def test_a_quote_marks_every_passage_it_overlaps() -> None:
    got = split("First one. Second one. Third one.")
    assert got.quoted("one. Second") == [0, 1]
    assert got.quoted("Third one.") == [2]
    assert got.quoted("Fourth") == []


def test_real_captures_split_as_the_site_shows() -> None:
    """The reference list of a real article stays one passage per entry."""
    root = Path(__file__).resolve().parents[1]
    text = (root / "sources" / "captures" / "verywell-walking-lbp.txt").read_text("utf-8")
    items = [p for p in split(text).passages if p.list_item]
    assert [p.text[:3] for p in items] == ["1. ", "2. ", "3. ", "4. ", "5. "]


def test_a_quote_that_is_a_whole_passage_marks_that_passage_only() -> None:
    """A title repeated inside an image label is set aside by quoting it alone."""
    got = split("Walking for Back Pain\nWalking for Back Pain - Hero Image\nMore text here.")
    assert got.quoted("Walking for Back Pain") == [0]
    assert got.quoted("Walking for Back") == [0, 1]
