""":class:`build_tools.knowledge_base.Loader` re-reads only what changed between two loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import BIB, CLAIM, CLAIM_PATH, KB, TODAY

from build_tools.knowledge_base import Loader

CLAIM_FILE = Path(CLAIM_PATH)
BIB_FILE = Path("sources/refs.bib")
CAPTURE_FILE = Path("sources/captures/shop2024.txt")
ALL = [BIB_FILE, CAPTURE_FILE, CLAIM_FILE]


def touch_later(path: Path) -> None:
    """A save that a coarse file-system clock could not tell from the last one, made visible."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def save(kb: KB, rel: Path, text: str) -> None:
    kb.write(str(rel), text)
    touch_later(rel)


def test_first_load_reads_everything_second_load_nothing(kb: KB) -> None:
    loader = Loader(kb.root, today=TODAY)
    first = loader.load()
    assert sorted(loader.reread) == sorted(ALL)
    second = loader.load()
    assert loader.reread == []
    assert [c.id for c in second.claims] == [c.id for c in first.claims] == ["walking-cures"]
    assert sorted(second.sources) == sorted(first.sources)
    assert second.report.problems == first.report.problems == []


def test_an_edited_claim_is_reread_and_its_edit_seen(kb: KB) -> None:
    loader = Loader(kb.root, today=TODAY)
    assert loader.load().claims[0].verdict == "accurate"
    save(kb, CLAIM_FILE, CLAIM.replace("verdict: accurate", "verdict: unproven"))
    again = loader.load()
    assert loader.reread == [CLAIM_FILE]
    assert again.claims[0].verdict == "unproven"
    assert again.report.problems == []


def test_a_new_claim_is_read_alone(kb: KB) -> None:
    loader = Loader(kb.root, today=TODAY)
    loader.load()
    new = Path("claims/walking-helps.yml")
    save(kb, new, CLAIM.replace("cures low back pain", "helps low back pain"))
    again = loader.load()
    assert loader.reread == [new]
    assert [c.id for c in again.claims] == ["walking-cures", "walking-helps"]
    assert again.claims_by_id["walking-helps"].statement == "Walking every day helps low back pain."


def test_a_deleted_claim_is_gone(kb: KB) -> None:
    loader = Loader(kb.root, today=TODAY)
    loader.load()
    other = Path("claims/walking-helps.yml")
    save(kb, other, CLAIM)
    assert len(loader.load().claims) == 2
    other.unlink()
    again = loader.load()
    assert loader.reread == []
    assert [c.id for c in again.claims] == ["walking-cures"]
    # what the load that did not see it did not use is forgotten: back, it is read again
    save(kb, other, CLAIM)
    loader.load()
    assert loader.reread == [other]


def test_an_edited_bibliography_is_reread_and_links_are_redone(kb: KB) -> None:
    """The claim is not re-read, but what it cites is checked again against the new sources."""
    loader = Loader(kb.root, today=TODAY)
    loader.load()
    save(kb, BIB_FILE, BIB.replace("smith2018", "smith2019"))
    again = loader.load()
    assert loader.reread == [BIB_FILE]
    assert sorted(again.sources) == ["shop2024", "smith2019"]
    assert [p.format() for p in again.report.sorted()] == [
        f"{CLAIM_PATH}:6:13: error: appearances[0].cites[0]: unknown source 'smith2018' (did "
        "you mean 'smith2019'?)",
        f"{CLAIM_PATH}:9:13: error: evidence[0].source: unknown source 'smith2018' (did you "
        "mean 'smith2019'?)",
        "sources/refs.bib:7:1: warning: smith2019: source is not used by any claim (expected it "
        "cited as an appearance, a citation or evidence, or removed)",
    ]


def test_an_edited_capture_is_reread_and_quotes_checked_again(kb: KB) -> None:
    loader = Loader(kb.root, today=TODAY)
    loader.load()
    save(kb, CAPTURE_FILE, "The article was rewritten.\n")
    again = loader.load()
    assert loader.reread == [CAPTURE_FILE]
    assert [p.format() for p in again.report.sorted()] == [
        f"{CLAIM_PATH}:5:12: error: appearances[0].quote: quote not found in "
        "sources/captures/shop2024.txt (expected the article's words verbatim; only white "
        "space, quote marks and dashes may differ)"]


def test_problems_of_an_unchanged_file_are_reported_again(kb: KB) -> None:
    """A cached file keeps its problems: a second load does not make them disappear."""
    save(kb, CLAIM_FILE, CLAIM.replace("verdict: accurate", "verdict: maybe"))
    loader = Loader(kb.root, today=TODAY)
    first = [p.format() for p in loader.load().report.sorted()]
    assert len(first) == 1 and "'maybe' is not an allowed value" in first[0]
    second = [p.format() for p in loader.load().report.sorted()]
    assert loader.reread == []
    assert second == first


def test_flags_follow_an_edit_of_another_file(kb: KB) -> None:
    """A claim's flags are kept with the sources it names, so an edit to a source changes an
    unchanged claim's."""
    loader = Loader(kb.root, today=TODAY)
    assert loader.load().claims[0].flags == []
    save(kb, BIB_FILE, BIB.replace("  design = {web-article},",
                                   "  design = {web-article},\n  interest = {walking shoes},"))
    save(kb, CLAIM_FILE, CLAIM)  # saved again with the same bytes: the same record, not re-read
    again = loader.load()
    assert loader.reread == [BIB_FILE]
    assert again.claims[0].flags == []  # independent support from the trial: not marketing-only
    save(kb, BIB_FILE, BIB.replace("  design  = {rct},",
                                   "  design  = {rct},\n  interest = {walking shoes},")
         .replace("  design = {web-article},",
                  "  design = {web-article},\n  interest = {walking shoes},"))
    again = loader.load()
    assert loader.reread == [BIB_FILE]
    assert again.claims[0].flags == ["marketing-only"]


def test_a_new_verdict_grades_no_bottom_line_again(kb: KB,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Readability messages are kept by the text graded: an edit elsewhere in the claim (a
    verdict) does not load the pronouncing dictionary; a new bottom line is graded."""
    from build_tools.rules import readability as reading

    graded: list[str] = []
    real = reading.grade

    def counting(text: str) -> float:
        graded.append(text)
        return real(text)

    monkeypatch.setattr(reading, "grade", counting)
    loader = Loader(kb.root, today=TODAY, readability=True)
    first = loader.load()
    assert len(graded) == 1
    save(kb, CLAIM_FILE, CLAIM.replace("verdict: accurate", "verdict: unproven"))
    again = loader.load()
    assert loader.reread == [CLAIM_FILE] and len(graded) == 1
    assert [p.message for p in again.report.problems] == \
        [p.message for p in first.report.problems]
    line = next(ln for ln in CLAIM.splitlines() if ln.startswith("bottom_line:"))
    save(kb, CLAIM_FILE, CLAIM.replace(line, "bottom_line: Walking is fine, but the evidence "
                                             "is thin."))
    loader.load()
    assert graded[1:] == ["Walking is fine, but the evidence is thin."]
