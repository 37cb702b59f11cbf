"""The evidence map page: the map of the real knowledge base byte for byte (a golden file), and
what the map must hold whatever the claims: a cell for each pair some claim names, every ring a
link to its row, the same page from the same claims in any order.

After an intended change to the map, its template or the knowledge base, rewrite the golden file
with::

    UPDATE_GOLDEN=1 python -m pytest tests/test_evidence_map.py

and review the change with ``git diff tests/golden/real`` before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from build_tools.core import vocabulary as v
from build_tools.knowledge_base import load
from build_tools.model.claim import Certainty, Claim
from build_tools.model.knowledge_base import KnowledgeBase
from build_tools.render import evidence_map
from build_tools.render.history import unavailable
from build_tools.render.site import SiteSettings, render_site

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "real" / "evidence-map.md"
UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")
SETTINGS = SiteSettings(as_of=dt.date(2026, 12, 1))


def _map_page(kb: KnowledgeBase) -> str:
    return render_site(kb, SETTINGS, unavailable("not needed"))[evidence_map.PAGE]


@pytest.fixture(scope="module")
def real() -> KnowledgeBase:
    kb = load(ROOT)
    assert [p.format() for p in kb.report.sorted() if p.severity.name == "ERROR"] == []
    return kb


def test_the_map_of_the_knowledge_base_is_its_golden_file(real: KnowledgeBase) -> None:
    page = _map_page(real)
    if UPDATE:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(page, encoding="utf-8")
    assert GOLDEN.is_file(), "no golden file: run UPDATE_GOLDEN=1 python -m pytest " + __file__
    assert page == GOLDEN.read_text(encoding="utf-8"), \
        "the map changed: if that is intended, rewrite it with UPDATE_GOLDEN=1 (module docstring)"


def test_every_ring_links_to_its_row_and_every_pair_is_there(real: KnowledgeBase) -> None:
    page = _map_page(real)
    links = re.findall(r'<a href="#(map-[a-z0-9-]+)" aria-label="', page)
    rows = re.findall(r'<tr id="(map-[a-z0-9-]+)">', page)
    assert links and links == rows  # one ring per row, in the same order
    pairs = {evidence_map.anchor(i, o) for c in real.claims for i in c.intervention
             for o in c.outcome}
    assert set(rows) == pairs
    for claim in real.claims:  # each claim is listed in the row of each of its pairs
        for i in claim.intervention:
            for o in claim.outcome:
                row = page.split(f'<tr id="{evidence_map.anchor(i, o)}">', 1)[1].split("</tr>")[0]
                assert f"/{claim.id}/" in row, (claim.id, i, o)


def test_the_same_claims_in_any_order_give_the_same_page(real: KnowledgeBase) -> None:
    first = _map_page(real)
    real.claims.reverse()
    try:
        assert _map_page(real) == first
    finally:
        real.claims.reverse()


def _claim(cid: str, verdict: str, interventions: list[str], outcomes: list[str],
           level: str | None = None) -> Claim:
    return Claim(id=cid, path=f"claims/{cid}.yml", verdict=verdict, intervention=interventions,
                 outcome=outcomes, certainty=Certainty(level) if level else None)


def test_a_cell_counts_its_claims_by_verdict_and_keeps_the_best_certainty() -> None:
    m = evidence_map.build([
        _claim("b", "overstated", ["walking"], ["pain", "disability"], "low"),
        _claim("a", "accurate", ["walking", "footwear"], ["pain"], "moderate"),
        _claim("c", "overstated", ["walking"], ["pain"]),
        _claim("d", "unproven", ["not-a-term"], ["pain"], "high"),  # reported by check: left out
    ])
    assert [t.value for t in m.rows] == ["walking", "footwear"]  # vocabulary order
    assert [t.value for t in m.columns] == ["pain", "disability"]
    cell = m.cells[("walking", "pain")]
    assert [c.id for c in cell.claims] == ["a", "b", "c"]
    assert cell.verdicts == [("accurate", 1), ("overstated", 2)]
    assert cell.best is not None and cell.best.level == "moderate"
    assert cell.said() == ("Walking and pain: 3 claims; 1 accurate, 2 overstated; highest "
                           "certainty moderate")
    assert m.cells[("footwear", "pain")].said().endswith("; highest certainty moderate")
    assert ("footwear", "disability") not in m.cells
    assert m.largest == 3


def test_rings_grow_with_their_count_and_dots_show_the_level() -> None:
    sizes = [evidence_map.radius(n, 34) for n in (1, 2, 10, 34)]
    assert sizes == sorted(sizes) and sizes[0] == evidence_map.R_MIN \
        and sizes[-1] == evidence_map.R_MAX
    assert evidence_map.radius(1, 1) == evidence_map.R_MIN
    for level, term in v.CERTAINTY_LEVELS.items():
        assert str(evidence_map.dots(level)).count('fill="#000"') == term.rating
    svg = str(evidence_map.svg(evidence_map.build([
        _claim("a", "accurate", ["walking"], ["pain"], "low")]), "A <map>"))
    assert "<title id=\"kb-map-title\">A &lt;map&gt;</title>" in svg
    assert v.VERDICT_COLOURS["accurate"].fill in svg
