"""The plain-words rule for bottom lines (issue 22): a Flesch-Kincaid grade ceiling and a list of
jargon with plain replacements, warned by ``check`` at the bottom line's line and column.

The hidden sentences below exist only here: each must set the rule off, and no real bottom line
in claims/ may.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import CLAIM_PATH, KB
from test_check_cli import kb_check, no_traceback

from build_tools.core import vocabulary as v
from build_tools.rules import readability as r

REPO = Path(__file__).resolve().parents[1]

DENSE = ("Vertebroplasty probably confers minimal incremental therapeutic benefit relative to "
         "comparator procedures for osteoporotic spinal compression fractures.")
"""A hidden test sentence: one long sentence of long words (grade about 25)."""


def test_the_hidden_sentence_reads_above_the_ceiling() -> None:
    problem = r.grade_problem(DENSE)
    assert problem is not None
    assert problem.startswith("reads at Flesch-Kincaid grade ")
    assert f"above {v.READING_GRADE_MAX:g}" in problem
    assert "its longest sentence has 16 words" in problem
    assert "'Vertebroplasty'" in problem and "'osteoporotic'" in problem


@pytest.mark.parametrize(("text", "words"), [
    ("Paracetamol did no better than a placebo.", ["placebo"]),
    ("A sham operation helped as much.", ["sham"]),
    ("A lumbar pillow may help.", ["lumbar"]),
    ("NSAIDs probably help a little.", ["NSAIDs"]),
    ("The effect is modest and Randomised trials agree.", ["randomised", "modest"]),
    ("Walking may help; the effect was statistically significant.",
     ["statistically significant"]),
    ("Walking may help a little.", []),
    ("Placebos and shams", ["placebo"]),  # a form, whole words only: "shams" is not "sham"
])
def test_jargon_is_named_with_its_plain_words(text: str, words: list[str]) -> None:
    problems = r.jargon_problems(text)
    named = [next(t for t in v.JARGON.values() if p.split("'")[1].lower()
                  in (f.lower() for f in t.forms)) for p in problems]
    assert sorted(t.value.lower() for t in named) == sorted(w.lower() for w in words)
    for term, message in zip(named, problems, strict=True):
        assert message.endswith(f"(expected plain words, such as '{term.plain}')")


def test_plain_sentences_pass() -> None:
    assert r.readability_problems("Walking probably eases back pain a little.") == []
    assert r.readability_problems("") == []


def test_no_real_bottom_line_sets_the_rule_off() -> None:
    problems = {}
    for path in sorted((REPO / "claims").glob("*.yml")):
        line = yaml.safe_load(path.read_text(encoding="utf-8")).get("bottom_line") or ""
        found = r.readability_problems(line)
        if found:
            problems[path.name] = found
    assert not problems, problems


def test_check_warns_at_the_bottom_line(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "bottom_line: Walking every day probably eases low back pain.",
            f"bottom_line: \"{DENSE}\"")
    done = kb_check(Path.cwd())
    assert done.returncode == 0  # warnings only
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{CLAIM_PATH}:16:14: warning: bottom_line: reads at "
                               "Flesch-Kincaid grade ")
    assert lines[1:] == ["1 claims, 2 sources, 0 flagged: 0 errors, 1 warning"]
    strict = kb_check(Path.cwd(), "--strict")
    assert strict.returncode == 1 and ": error: bottom_line: reads at" in strict.stdout
    no_traceback(strict)


def test_check_names_each_jargon_word(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "bottom_line: Walking every day probably eases low back pain.",
            "bottom_line: Walking probably eases lumbar pain more than a placebo.")
    done = kb_check(Path.cwd())
    assert done.stdout.splitlines()[:2] == [  # in the order check sorts problems
        f"{CLAIM_PATH}:16:14: warning: bottom_line: 'lumbar' is jargon (expected plain words, "
        "such as 'lower back')",
        f"{CLAIM_PATH}:16:14: warning: bottom_line: 'placebo' is jargon (expected plain words, "
        "such as 'a dummy treatment (or dummy pill)')"]


def test_without_textstat_check_says_so_and_still_checks_jargon(
        kb: KB, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from build_tools.commands import check

    kb.edit(CLAIM_PATH, "bottom_line: Walking every day probably eases low back pain.",
            f"bottom_line: \"{DENSE} A placebo.\"")
    monkeypatch.setattr(r, "textstat", None)
    assert check.run(".") == 0
    out, err = capsys.readouterr()
    assert f"note: {r.MISSING}" in err
    assert "'placebo' is jargon" in out and "Flesch-Kincaid" not in out
