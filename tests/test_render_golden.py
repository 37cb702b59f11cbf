"""Golden-file tests of the renderer: every page :func:`render_site` produces, byte for byte.

The fixture knowledge base in ``tests/golden/kb/`` holds four claims, one for each kind of
record the templates treat differently:

* ``lumbar-pillow-protects-walking-progress``: said only by a seller, to promote its product
  (flags unsupported, uncited, marketing-only);
* ``paracetamol-relieves-acute-low-back-pain``: the article cites a trial that contradicts it
  (flags unsupported, miscited; verdict inaccurate), and a trial since retracted (the claim page
  and the trial's page carry the notice; the other trial has two corrections);
* ``walking-reduces-low-back-pain-recurrence``: certainty written in full (GRADE start and steps),
  two appearances, evidence notes, no flags; its trial has an expression of concern;
* ``walking-backwards-strengthens-deep-spine-muscles``: no evidence and no certainty.

Its texts carry Markdown and HTML punctuation (``*``, ``[1]``, ``&``, ``"``, ``<``-free on
purpose: the hostile payloads live in ``test_site_safety.py``), so the expected files also show
how ordinary text is escaped.

``tests/golden/expected/`` holds one file per output path (``claims/<id>.md``,
``data/claims.json``, ...). The tests render the fixture and compare each file, and the set of
files, with the expected ones.

After an intended change to a template or to the fixture, rewrite the expected files with::

    UPDATE_GOLDEN=1 python -m pytest tests/test_render_golden.py

and review the change with ``git diff tests/golden/expected`` before committing it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
from pathlib import Path

import pytest

from build_tools.knowledge_base import load
from build_tools.render.history import Change, History
from build_tools.render.site import SiteSettings, render_site

GOLDEN = Path(__file__).resolve().parent / "golden"
KB_ROOT = GOLDEN / "kb"
EXPECTED = GOLDEN / "expected"
TODAY = dt.date(2025, 1, 1)
"""The fixture's claims are reviewed before this day (the checker's 'today')."""

SETTINGS = SiteSettings(
    site_name="Golden fixture: walking and back pain",
    site_url="https://example.org/evidence/",
    repo_url="https://github.com/example/evidence",
    review_months=6,
    as_of=TODAY,
)
"""site_url and repo_url are set so that the ClaimReview url and the edit links are covered;
with reviews due every 6 months, every claim reviewed on 2024-06-01 is overdue on TODAY, and
walking-reduces-low-back-pain-recurrence (reviewed 2024-12-01) is not."""


def _when(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")


RECURRENCE = "walking-reduces-low-back-pain-recurrence"
PARACETAMOL = "paracetamol-relieves-acute-low-back-pain"
HISTORY = History(
    available=True,
    changes=[  # newest first, as git log gives them
        Change(RECURRENCE, "certainty", "high", "moderate", _when("2024-12-01"),
               "recurrence: downgrade for imprecision (one trial, 2 of 3 *sites*)", "c" * 40),
        Change(PARACETAMOL, "verdict", "mostly-accurate", "inaccurate", _when("2024-06-01"),
               "paracetamol: the trial cited <contradicts> it", "b" * 40),
        Change(PARACETAMOL, "statement", "Paracetamol relieves back pain.",
               "Paracetamol relieves acute low back pain.", _when("2024-06-01"),
               "paracetamol: the trial cited <contradicts> it", "b" * 40),
    ],
    added={RECURRENCE: _when("2024-01-15"), PARACETAMOL: _when("2024-02-01")},
    head="d" * 40,
    head_when=_when("2024-12-02"),
)
"""A history as :func:`build_tools.render.history.read_history` would read it (tests/test_history.py
reads real ones from git), so that the History sections, the corrections page and its feed are
covered byte for byte."""

UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")
UPDATE_COMMAND = "UPDATE_GOLDEN=1 python -m pytest tests/test_render_golden.py"


@functools.cache
def _render() -> dict[str, str]:
    kb = load(KB_ROOT, today=TODAY)
    problems = [p.format() for p in kb.report.sorted()]
    assert not problems, "the golden fixture must check clean:\n" + "\n".join(problems)
    return render_site(kb, SETTINGS, HISTORY)


def _expected_paths() -> list[str]:
    if not EXPECTED.is_dir():
        return []
    return sorted(p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*") if p.is_file())


def _all_paths() -> list[str]:
    """Every path that is rendered or expected; a rendering failure shows up in the tests."""
    try:
        rendered = set(_render())
    except Exception:  # reported by the fixture, with its traceback, in every test
        rendered = set()
    return sorted(rendered | set(_expected_paths()))


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


def _write_expected(pages: dict[str, str]) -> None:
    """Rewrite tests/golden/expected/ to exactly ``pages``: new and changed files written, files
    no longer rendered removed."""
    for rel in _expected_paths():
        if rel not in pages:
            (EXPECTED / rel).unlink()
    for rel, text in pages.items():
        target = EXPECTED / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or _read(target) != text:
            with target.open("w", encoding="utf-8", newline="") as f:
                f.write(text)
    for d in sorted((p for p in EXPECTED.rglob("*") if p.is_dir()), reverse=True):
        if not any(d.iterdir()):
            d.rmdir()


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    pages = _render()
    if UPDATE:
        _write_expected(pages)
    return pages


def test_fixture_covers_every_kind_of_claim() -> None:
    """The fixture keeps one claim of each kind the golden files are meant to show."""
    kb = load(KB_ROOT, today=TODAY)
    by_id = kb.claims_by_id
    assert "marketing-only" in by_id["lumbar-pillow-protects-walking-progress"].flags
    assert "miscited" in by_id["paracetamol-relieves-acute-low-back-pain"].flags
    paracetamol = by_id["paracetamol-relieves-acute-low-back-pain"]
    assert kb.sources["wu2016paracetamol"].retraction is not None
    assert "wu2016paracetamol" in paracetamol.appearances[0].cites
    assert kb.sources["smith2019walking"].concerns and kb.sources["lee2018paracetamol"].corrections
    full = by_id["walking-reduces-low-back-pain-recurrence"]
    assert full.certainty is not None and full.certainty.detailed and not full.flags
    bare = by_id["walking-backwards-strengthens-deep-spine-muscles"]
    assert not bare.evidence and bare.certainty is None


def test_same_set_of_files(rendered: dict[str, str]) -> None:
    expected = set(_expected_paths())
    missing = sorted(set(rendered) - expected)
    extra = sorted(expected - set(rendered))
    assert not missing and not extra, (
        f"rendered pages and tests/golden/expected/ differ:\n"
        f"  rendered but not expected: {missing or 'none'}\n"
        f"  expected but not rendered: {extra or 'none'}\n"
        f"If the change is intended, run: {UPDATE_COMMAND}")


@pytest.mark.parametrize("rel", _all_paths())
def test_page_matches_golden(rendered: dict[str, str], rel: str) -> None:
    expected_file = EXPECTED / rel
    if rel not in rendered:
        pytest.fail(f"{rel} is expected but no longer rendered (run: {UPDATE_COMMAND})",
                    pytrace=False)
    if not expected_file.is_file():
        pytest.fail(f"{rel} is rendered but has no expected file (run: {UPDATE_COMMAND})",
                    pytrace=False)
    expected, actual = _read(expected_file), rendered[rel]
    if actual == expected:
        return
    diff = "".join(difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True),
        fromfile=f"tests/golden/expected/{rel}", tofile=f"rendered {rel}", n=2))
    if not diff.strip():  # only line endings or a final newline differ
        diff = f"expected {expected[-40:]!r}\nrendered {actual[-40:]!r}"
    pytest.fail(f"{rel} differs from its golden file:\n{diff}\n"
                f"If the change is intended, run: {UPDATE_COMMAND}\n"
                f"and review it with: git diff tests/golden/expected", pytrace=False)


def test_rendering_is_deterministic(rendered: dict[str, str]) -> None:
    """A second render of a freshly loaded fixture gives the same bytes (no clock, no order)."""
    again = render_site(load(KB_ROOT, today=TODAY), SETTINGS, HISTORY)
    assert again == rendered
