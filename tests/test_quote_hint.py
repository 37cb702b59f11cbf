"""The "quote not found" hint: the closest passage of the capture and where the quote first
differs from it, word by word (:mod:`build_tools.rules.quote_hint`)."""

from __future__ import annotations

import pytest

from build_tools.rules.passages import split
from build_tools.rules.quote_hint import closest, hint

CAPTURE = """\
Why Walking Is Good for Low Back Pain

Walking is one of the best things you can do for your back, both to help relieve a current \
flare\u2011up and prevent future pain episodes.
\u201cIt\u2019s low-impact,\u201d says Heather Broach, PT, DPT.

Start with 10 minutes a day.
"""
LINE3 = ("Walking is one of the best things you can do for your back, both to help relieve a "
         "current flare\u2011up and prevent future pain episodes.")


@pytest.mark.parametrize(("quote", "line", "shown", "detail"), [
    pytest.param("Walking is one of the best thing you can do for your back", 3,
                 "Walking is one of the best things you can do for your back,",
                 "word 7 of 13: the quote has 'thing', the capture has 'things'", id="typo"),
    pytest.param("Walkng is one of the best things you can do", 3,
                 "Walking is one of the best things you can do",
                 "word 1 of 10: the quote has 'Walkng', the capture has 'Walking'",
                 id="typo-in-the-first-word"),
    pytest.param("Walking is one of best things you can do", 3,
                 "Walking is one of the best things you can do",
                 "after word 4 of 9: the capture has 'the', which the quote leaves out",
                 id="word-left-out"),
    pytest.param("Walking is one of the very best things you can do", 3,
                 "Walking is one of the best things you can do",
                 "word 6 of 11: the quote has 'very', which the capture does not have here",
                 id="word-added"),
    pytest.param("walking is one of the best things", 3, "Walking is one of the best things",
                 "word 1 of 7: the quote has 'walking', the capture has 'Walking'",
                 id="capital-letter"),
    pytest.param("you can do for your back; both to help", 3,
                 "you can do for your back, both to help",
                 "word 6 of 9: the quote has 'back;', the capture has 'back,'",
                 id="punctuation"),
    pytest.param("future pain episodes. It's low impact", 3,
                 "future pain episodes. \u201cIt\u2019s low-impact,\u201d",
                 "word 4 of 6: the quote has 'It's low impact', the capture has "
                 "'\"It's low-impact,\"'", id="across-lines-typography-kept-in-what-is-shown"),
    pytest.param("Start with 10 minutes a week", 6, "Start with 10 minutes a day.",
                 "word 6 of 6: the quote has 'week', the capture has 'day.'",
                 id="last-word"),
])
def test_closest_passage_and_first_difference(quote: str, line: int, shown: str,
                                              detail: str) -> None:
    found = closest(quote, split(CAPTURE))
    assert found is not None
    assert (found.line, found.shown, found.detail) == (line, shown, detail)
    assert hint(quote, split(CAPTURE)) == f'; closest passage, line {line}: "{shown}"; {detail}'


@pytest.mark.parametrize("quote", [
    pytest.param("Quantum chromodynamics explains the universe", id="nothing-close"),
    pytest.param("best", id="one-word-not-anchored-by-a-longer-run"),
    pytest.param(LINE3, id="the-quote-is-there"),
])
def test_no_hint(quote: str) -> None:
    assert closest(quote, split(CAPTURE)) is None
    assert hint(quote, split(CAPTURE)) == ""
    assert hint(quote, None) == ""


def test_a_long_passage_is_cut_at_a_word() -> None:
    words = " ".join(f"w{i}" for i in range(80))
    found = closest(words.replace("w40", "x40"), split(words + "\n"))
    assert found is not None and found.detail.startswith("word 41 of 80:")
    shown = found.message().split('"')[1]
    assert shown.endswith(" ...") and len(shown) <= 165
    assert shown.startswith("w0 w1 w2")
