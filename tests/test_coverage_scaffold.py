"""``coverage KEY --scaffold``: every unreviewed passage appended to the set-aside file with
``reason: TODO``, then ``check`` names each TODO at its line; the listing's hints, strongest
first."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from conftest import KB, snapshot

from build_tools.commands import coverage
from build_tools.core.problems import IntakeError
from build_tools.intake.passage_hints import hint, signals
from build_tools.intake.set_aside_scaffold import scaffold
from build_tools.model.capture import Passage

ARTICLE = """\
Walking and Your Back

Walking is pleasant.
A 2024 trial found that walking halved the risk of another episode.
Walking strengthens the muscles that support the spine.
Subscribe to our newsletter.
- Smith, A. (2018). Walking for chronic low back pain. Spine, 12(3), 45-50.
"""


def run(*keys: str, scaffold: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = coverage.run(".", list(keys), scaffold=scaffold, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def article(kb: KB) -> KB:
    (kb.root / "sources" / "captures" / "shop2024.txt").write_text(
        "Our physio says: Walking every day\ncures \u201cback pain\u201d \u2014 try it.\n"
        + ARTICLE, encoding="utf-8")
    return kb


def test_the_likeliest_claims_come_first_each_with_why(article: KB) -> None:
    code, out, _ = run("shop2024")
    assert code == 1
    lines = out.splitlines()[1:]
    assert lines == [
        "  sources/captures/shop2024.txt:6: A 2024 trial found that walking halved the risk of "
        "another episode.  [may hold a claim: names a study or a body, gives a number]",
        "  sources/captures/shop2024.txt:7: Walking strengthens the muscles that support the "
        "spine.  [may hold a claim: says something has an effect]",
        "  sources/captures/shop2024.txt:3: Walking and Your Back",
        "  sources/captures/shop2024.txt:5: Walking is pleasant.",
        "  sources/captures/shop2024.txt:8: Subscribe to our newsletter.",
        "  sources/captures/shop2024.txt:9: - Smith, A. (2018). Walking for chronic low back "
        "pain. Spine, 12(3), 45-50."]


def test_scaffold_then_check_names_every_todo(article: KB) -> None:
    code, out, err = run("shop2024", scaffold=True)
    assert (code, err) == (1, "")
    assert out == ("wrote 6 passages to sources/captures/shop2024.yml with reason: TODO; delete "
                   "each item that makes a claim (and quote it in a claim), choose a reason for "
                   "the others; `python -m build_tools check` lists the TODOs left\n")
    text = (article.root / "sources" / "captures" / "shop2024.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/set-aside.schema.json"
                           "\nset_aside:\n")
    assert '  - quote: "Walking strengthens the muscles that support the spine."  # may hold ' \
           "a claim: says something has an effect\n    reason: TODO\n" in text
    todo_lines = [i for i, line in enumerate(text.splitlines(), 1) if line.endswith("TODO")]
    assert len(todo_lines) == 6
    code, problems, _ = article.check()
    assert code == 1
    todos = [p for p in problems if "'TODO' is not an allowed value" in p]
    assert [int(re.match(r"[^:]+:(\d+):", p)[1]) for p in todos] == todo_lines  # type: ignore[index]
    assert all(p.startswith("sources/captures/shop2024.yml:") for p in todos)
    # a second scaffold adds nothing; the editor's decisions are kept
    before = snapshot(article.root)
    code, out, _ = run("shop2024", scaffold=True)
    assert out == "shop2024: no unreviewed passage to scaffold\n"
    assert snapshot(article.root) == before


def test_decided_items_count_and_the_rest_stay_todo(article: KB) -> None:
    run("shop2024", scaffold=True)
    path = article.root / "sources" / "captures" / "shop2024.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('"Walking and Your Back"\n    reason: TODO',
                        '"Walking and Your Back"\n    reason: heading')
    path.write_text(text, encoding="utf-8")
    _, problems, _ = article.check()
    assert len([p for p in problems if "'TODO'" in p]) == 5


def test_scaffold_needs_a_key(article: KB) -> None:
    assert run(scaffold=True)[0] == 2


P = [Passage("Walking reduces the risk.", "walking reduces the risk.", 5)]
TODAY = dt.date(2026, 1, 2)
ITEM = ('  - quote: "Walking reduces the risk."  # may hold a claim: says something has an '
        "effect\n    reason: TODO\n")


@pytest.mark.parametrize(("old", "expected_end"), [
    (None, ITEM),
    ("note: An article.\n", "note: An article.\nset_aside:\n"),
    ("set_aside: []\n", "set_aside:\n"),
    ("set_aside:\n- quote: A\n  reason: heading\n", ITEM.replace("  - ", "- ").replace(
        "    reason", "  reason")),
    ("set_aside:\n    - quote: A\n      reason: heading\n", ITEM.replace("  - ", "    - ")
     .replace("    reason", "      reason")),
])
def test_items_are_appended_in_the_files_own_layout(old: str | None, expected_end: str
                                                    ) -> None:
    import yaml

    new = scaffold(old, P, "sources/captures/x.yml", TODAY)
    assert new.startswith((old or "# yaml-language-server").replace(" []", ""))
    assert expected_end in new
    data = yaml.safe_load(new)
    assert data["set_aside"][-1] == {"quote": "Walking reduces the risk.", "reason": "TODO"}


@pytest.mark.parametrize(("old", "message"), [
    ("set_aside: [{quote: A, reason: heading}]\n", "not a list of items one per line"),
    ("set_aside:\n  - quote: A\n    reason: heading\nnote: x\n", "not the file's last field"),
    ("set_aside: [unclosed\n", "does not parse"),
    ("- a\n- b\n", "not a mapping"),
])
def test_a_layout_it_cannot_append_to_is_refused(old: str, message: str) -> None:
    with pytest.raises(IntakeError, match=message):
        scaffold(old, P, "sources/captures/x.yml", TODAY)


@pytest.mark.parametrize(("text", "names"), [
    ("A 2024 trial found that walking reduced pain.", ["study", "number", "cause"]),
    ("Walking is better than resting.", ["compare"]),
    ("You should walk every day.", ["advice"]),
    ("Viollt, A., & Oshman, L. (2018). Walking. doi:10.1/x", []),
    ("Walking for Lower Back Pain", []),
])
def test_passage_signals(text: str, names: list[str]) -> None:
    assert [s.name for s in signals(text)] == names
    assert (hint(text) == "") == (not names)
