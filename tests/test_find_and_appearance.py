"""``find``, the similar-claim hint of ``new claim``, and ``add appearance`` (which keeps the
claim file's comments and layout, then checks the file)."""

from __future__ import annotations

import difflib
import io
import os
from pathlib import Path

import pytest
from conftest import BIB, CAPTURE, CLAIM, TODAY, snapshot, write_kb

from build_tools.commands import add, find, new
from build_tools.intake.appearance import add_appearance
from build_tools.intake.scaffold import claim_scaffold
from build_tools.intake.similar import CACHE, read_claims

SECOND_ARTICLE = """\
@online{blog2025,
  title    = {Back Pain Myths},
  design   = {web-article},
  url      = {https://blog.example/myths},
}
"""
SECOND_CAPTURE = ("Back Pain Myths\n\nA daily walk cures back pain for good, says our coach.\n"
                  "Stretching before bed helps you sleep.\n")

RECURRENCE = """\
statement: Walking regularly lowers the chance that low back pain comes back.
topics: [walking, recurrence]
appearances:
  - source: shop2024
    quote: Walking every day
    cites: []
    promotional: false
evidence: []
verdict: unproven
rationale: No study of walking and recurrence was found.
reviewed: 2024-05-01
bottom_line: We don't know whether walking keeps back pain away.
population: [recovered-low-back-pain]
intervention: [walking]
outcome: [recurrence]
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_kb(tmp_path / "kb", claims={"walking-cures": CLAIM, "walking-recurrence": RECURRENCE},
             bibs={"refs.bib": BIB, "articles.bib": SECOND_ARTICLE},
             captures={"shop2024": CAPTURE, "blog2025": SECOND_CAPTURE})
    monkeypatch.chdir(tmp_path / "kb")
    return Path(".")


# ---------------------------------------------------------------------------------------------
# find


def run_find(root: Path, *words: str, limit: int = 10) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = find.run(root, list(words), limit, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_find_ranks_claims_by_statement_and_quotes(root: Path) -> None:
    code, out, err = run_find(root, "walking", "cures", "back", "pain")
    assert (code, err) == (0, "")
    # the rare word ("cures") outweighs the common ones; each match says what it shares
    assert out.splitlines() == [
        "  0.7  walking-cures  [accurate]  Walking every day cures low back pain.",
        "       matched: cures, back, pain, walking",
        "  0.4  walking-recurrence  [unproven]  Walking regularly lowers the chance that low "
        "back pain comes back.",
        "       matched: back, pain, walking"]
    # the words' order does not matter; a quote counts as much as the statement
    assert run_find(root, "pain", "back", "cures")[1].splitlines()[0].startswith(
        "  0.7  walking-cures")
    assert run_find(root, "lowers", "chance", "comes", "back")[1].splitlines()[0].endswith(
        "comes back.")
    # words are stemmed: "cured" and "walks" find "cures" and "walking"
    assert run_find(root, "walks", "cured")[1].splitlines()[1] == \
        "       matched: cured, walks"


def test_find_says_when_nothing_matches(root: Path) -> None:
    code, out, err = run_find(root, "quantum", "chromodynamics")
    assert (code, out) == (1, "")
    assert err == ("no claim shares a word with 'quantum chromodynamics' (stop words such as "
                   "'the' and 'for' do not count; try other words)\n")


def test_find_keeps_an_index_and_rereads_only_changed_files(root: Path) -> None:
    read_claims(root)
    assert (root / CACHE).is_file()
    path = root / "claims" / "walking-recurrence.yml"
    path.write_text(RECURRENCE.replace("lowers the chance", "halves the risk"),
                    encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    code, out, _ = run_find(root, "halves", "risk")
    assert code == 0 and "walking-recurrence" in out.splitlines()[0]
    (root / "claims" / "broken.yml").write_text("statement: [unclosed\n", encoding="utf-8")
    code, out, err = run_find(root, "halves", "risk")
    assert code == 0
    assert err == ("warning: claims/broken.yml: not searched (it does not read as a claim "
                   "record; run `python -m build_tools check`)\n")


def test_find_without_a_knowledge_base(tmp_path: Path) -> None:
    code, _, err = run_find(tmp_path, "walking")
    assert code == 2
    assert err.startswith(f"error: {tmp_path / 'claims'}: no such directory")


# ---------------------------------------------------------------------------------------------
# new claim: a similar claim exists


def test_new_claim_says_when_a_similar_claim_exists(root: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = new.run_claim(root, "blog2025", "A daily walk cures back pain for good", out=out,
                         err=err, statement="Walking every day cures low back pain.")
    assert code == 0
    assert err.getvalue() == (
        "hint: a similar claim exists: walking-cures (similarity 1.00, sharing cures, low, back, "
        "day, every, pain, walking: \"Walking every day cures low back pain.\"); add an "
        "appearance to it instead? python -m build_tools add appearance "
        "walking-cures --source blog2025 --quote 'A daily walk cures back pain for good' "
        "--cites ... (and delete claims/walking-every-day-cures-low-back-pain.yml)\n")
    assert (root / "claims" / "walking-every-day-cures-low-back-pain.yml").is_file()


def test_new_claim_gives_no_hint_for_a_different_claim(root: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = new.run_claim(root, "blog2025", "Stretching before bed helps you sleep.", out=out,
                         err=err)
    assert (code, err.getvalue()) == (0, "")


# ---------------------------------------------------------------------------------------------
# add appearance


def run_add(root: Path, claim: str, source: str, quote: str, cites: list[str] | None = None,
            promotional: bool = False, note: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = add.run_appearance(root, claim, source, quote, cites or [], promotional, note,
                              out=out, err=err, today=TODAY)
    return code, out.getvalue(), err.getvalue()


def inserted(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails if it changes or removes any."""
    ops = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(),
                                  autojunk=False).get_opcodes()
    changed = [op for op in ops if op[0] != "equal"]
    assert len(changed) == 1 and changed[0][0] == "insert", changed
    _, _, _, j1, j2 = changed[0]
    return after.splitlines()[j1:j2]


def test_add_appearance_appends_and_checks_the_file(root: Path) -> None:
    path = root / "claims" / "walking-cures.yml"
    before = path.read_text(encoding="utf-8")
    code, out, err = run_add(root, "walking-cures", "blog2025",
                             "A daily walk cures back pain for good", ["smith2018"],
                             promotional=True, note='The coach\'s "daily walk".')
    assert (code, err) == (0, "")
    assert inserted(before, path.read_text(encoding="utf-8")) == [
        "  - source: blog2025",
        '    quote: "A daily walk cures back pain for good"',
        "    cites: [smith2018]",
        "    promotional: true",
        '    note: "The coach\'s \\"daily walk\\"."']
    assert out.splitlines() == ["added appearances[1] to claims/walking-cures.yml",
                                "check: claims/walking-cures.yml is clean"]


def test_add_appearance_keeps_the_comments_of_a_scaffolded_file(root: Path) -> None:
    path = root / "claims" / "scaffolded.yml"
    text = claim_scaffold("shop2024", "Walking every day")
    path.write_text(text, encoding="utf-8")
    code, out, _ = run_add(root, "scaffolded", "blog2025", "Stretching before bed helps you "
                                                           "sleep.")
    assert code == 0
    after = path.read_text(encoding="utf-8")
    lines = after.splitlines()
    added = inserted(text, after)
    assert added[0] == "  - source: blog2025"
    # the new item follows the old one's commented-out note, and the comment of `evidence:`
    # still stands right above it
    at = lines.index(added[0])
    assert lines[at - 1] == "    # note: TODO"
    assert lines[at + len(added)] == "# What the evidence shows; may be empty."
    assert lines[at + len(added) + 1] == "evidence:"
    assert out.splitlines()[1].startswith("check: claims/scaffolded.yml has ")  # its TODOs


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(("walking-cure", "blog2025", "A daily walk cures back pain for good"),
                 "error: no claim 'walking-cure' (did you mean 'walking-cures'?)",
                 id="unknown-claim"),
    pytest.param(("walking-cures", "blog", "A daily walk cures back pain for good"),
                 "error: unknown source 'blog' (did you mean 'blog2025'?)", id="unknown-source"),
    pytest.param(("walking-cures", "blog2025", "A daily walk cures back pain for good",
                  ["smith2019"]),
                 "error: --cites: unknown source 'smith2019' (did you mean 'smith2018'?)",
                 id="unknown-cite"),
    pytest.param(("walking-cures", "blog2025", "A daily walk cure back pain for good"),
                 "error: quote not found in sources/captures/blog2025.txt (expected the "
                 "article's words verbatim; only white space, quote marks and dashes may "
                 "differ); closest passage, line 3: \"A daily walk cures back pain for good,\"; "
                 "word 4 of 8: the quote has 'cure', the capture has 'cures'",
                 id="quote-with-a-typo"),
    pytest.param(("walking-cures", "shop2024", "Walking every day cures \"back pain\""),
                 "error: claims/walking-cures.yml already has this appearance (appearances[0])",
                 id="duplicate"),
    pytest.param(("walking-cures", "blog2025", " "),
                 "error: the quote is empty or too short (expected the article's words, "
                 "verbatim)", id="empty-quote"),
])
def test_add_appearance_refuses_with_nothing_written(root: Path, args: tuple[object, ...],
                                                     message: str) -> None:
    before = snapshot(root)
    code, out, err = run_add(root, *args)  # type: ignore[arg-type]
    assert (code, out, err) == (1, "", message + "\n")
    assert snapshot(root) == before


def test_add_appearance_without_a_knowledge_base(tmp_path: Path) -> None:
    code, _, err = run_add(tmp_path, "x", "y", "some words here")
    assert code == 2
    assert err == (f"error: {tmp_path.as_posix()}/claims: no such directory (expected a "
                   "knowledge base with claims/ and sources/); nothing was written\n")


def test_a_blank_line_before_the_next_field_stays_before_it() -> None:
    text = ("statement: x\nappearances:\n  - source: a\n    quote: b\n    # kept with the item\n"
            "\n# about evidence\nevidence: []\n")
    after = add_appearance(text, {"source": "c", "quote": "d", "cites": [],
                                  "promotional": False})
    assert after == ("statement: x\nappearances:\n  - source: a\n    quote: b\n"
                     "    # kept with the item\n  - source: c\n    quote: \"d\"\n    cites: []\n"
                     "    promotional: false\n\n# about evidence\nevidence: []\n")


def test_appearances_as_a_flow_list_get_one_more_flow_item() -> None:
    item = {"source": "c", "quote": "d e", "cites": [], "promotional": False}
    assert add_appearance("appearances: [{source: a, quote: b}]\n", item) == (
        'appearances: [{source: a, quote: b}, {source: c, quote: "d e", cites: [], '
        'promotional: false}]\n')


def test_what_would_change_the_file_is_refused() -> None:
    from build_tools.core.problems import IntakeError

    # the last item's block scalar keeps its trailing line ends (|+): an item after it would
    # take them, so the file would say something else
    text = "appearances:\n  - source: a\n    quote: |+\n      b\n\n\nevidence: []\n"
    with pytest.raises(IntakeError, match="would change what the file says"):
        add_appearance(text, {"source": "c", "quote": "d", "cites": [], "promotional": False})


def test_without_the_intake_extra_find_says_how_to_install_it_and_new_claim_still_works(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "bm25s" else real(name, *a))
    code, out, err = run_find(root, "walking")
    assert (code, out) == (2, "")
    assert err == ("error: bm25s is not installed: this command needs the editor's tools: "
                   "pip install -e '.[intake]' (or '.[test]', which includes them)\n")
    out_buf, err_buf = io.StringIO(), io.StringIO()
    assert new.run_claim(root, "blog2025", "A daily walk cures back pain for good",
                         out=out_buf, err=err_buf,
                         statement="Walking every day cures low back pain.") == 0
    assert err_buf.getvalue() == ""  # no hint, and no error


def test_add_appearance_says_what_it_brings_elsewhere(root: Path) -> None:
    (root / "sources" / "captures" / "blog2025.yml").write_text(
        "set_aside:\n  - quote: Stretching before bed helps you sleep.\n    reason: framing\n",
        encoding="utf-8")
    code, out, _ = run_add(root, "walking-recurrence", "blog2025",
                           "Stretching before bed helps you sleep.")
    assert code == 0
    assert out.splitlines()[1:] == [
        "check: claims/walking-recurrence.yml is clean",
        "check: the new appearance also brings, elsewhere:",
        "sources/captures/blog2025.yml:2:12: error: the passage at line 4 of the capture is also "
        "quoted by claims/walking-recurrence.yml:9:12 (expected each passage either claimed or "
        "set aside, not both)"]
