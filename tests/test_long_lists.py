"""Long lists cut into pages (:mod:`build_tools.render.paging`): the pages, byte for byte, and
the site they build.

The golden fixture rendered one item a page (``page_size: 1``) cuts every list of two or more.
``tests/golden/expected-paged/`` holds the outputs that render differently from
``tests/golden/expected/`` (the first pages, with their pagers) and the further pages; an
output the same both ways is not repeated there. Rewrite it after an intended change with::

    UPDATE_GOLDEN=1 python -m pytest tests/test_long_lists.py
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_render_golden import (
    GOLDEN,
    HISTORY,
    KB_ROOT,
    SETTINGS,
    TODAY,
    UPDATE,
    _read,
    _render,
)
from test_site_build import REPO, SITE_URL, SOURCE_DATE_EPOCH, Html, broken_links, mkdocs_build

from build_tools.knowledge_base import load
from build_tools.render import paging
from build_tools.render.site import render_site

EXPECTED = GOLDEN / "expected-paged"
UPDATE_COMMAND = "UPDATE_GOLDEN=1 python -m pytest tests/test_long_lists.py"
PAGED = dataclasses.replace(SETTINGS, page_size=1)


@functools.cache
def _paged() -> dict[str, str]:
    return render_site(load(KB_ROOT, today=TODAY), PAGED, HISTORY)


def _differing() -> dict[str, str]:
    whole = _render()
    return {p: t for p, t in _paged().items() if whole.get(p) != t}


def _expected_paths() -> list[str]:
    return sorted(p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*")
                  if p.is_file()) if EXPECTED.is_dir() else []


@pytest.fixture(scope="module")
def differing() -> dict[str, str]:
    pages = _differing()
    if UPDATE:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel, text in pages.items():
            (EXPECTED / rel).parent.mkdir(parents=True, exist_ok=True)
            with (EXPECTED / rel).open("w", encoding="utf-8", newline="") as f:
                f.write(text)
    return pages


# --- where the pages go ---------------------------------------------------------------------

@pytest.mark.parametrize(("total", "size", "bounds"), [
    (0, 3, [(0, 0)]),              # an empty list: one page, saying none
    (3, 3, [(0, 3)]),              # a list that fits
    (4, 3, [(0, 3), (3, 4)]),
    (7, 2, [(0, 2), (2, 4), (4, 6), (6, 7)]),
])
def test_a_list_is_cut_into_pages_of_size_items(total: int, size: int,
                                                bounds: list[tuple[int, int]]) -> None:
    pages = paging.split("claims/index.md", "claims", total, size)
    assert [(p.start, p.stop) for p in pages] == bounds
    assert pages[0].path == "claims/index.md"
    assert [p.path for p in pages[1:]] == [f"claims/pages/{n}/index.md"
                                           for n in range(2, len(bounds) + 1)]
    assert all(p.total == total and p.count == len(bounds) for p in pages)
    assert pages[0].previous is None and pages[-1].next is None


@pytest.mark.parametrize(("weights", "size", "bounds"), [
    ([2, 2, 2], 4, [(0, 2), (2, 3)]),
    ([5, 1, 1], 4, [(0, 1), (1, 3)]),      # a pair heavier than a page goes alone, whole
    ([1, 5, 1], 4, [(0, 1), (1, 2), (2, 3)]),
    ([], 4, [(0, 0)]),
])
def test_the_evidence_maps_pairs_are_never_cut(weights: list[int], size: int,
                                               bounds: list[tuple[int, int]]) -> None:
    pages = paging.split_weighted("evidence-map/index.md", "evidence-map", weights, size)
    assert [(p.start, p.stop) for p in pages] == bounds


@pytest.mark.parametrize(("number", "count", "shown"), [
    (1, 1, [1]),
    (1, 4, [1, 2, 3, 4]),
    (1, 9, [1, 2, 3, None, 9]),
    (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),   # a gap of one page: the page, not …
    (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
    (12, 12, [1, None, 10, 11, 12]),
])
def test_the_pager_names_the_ends_and_the_pages_around(number: int, count: int,
                                                       shown: list[int | None]) -> None:
    page = paging.split("flags.md", "flags/unsupported", count, 1)[number - 1]
    assert page.shown() == shown


# --- the pages, byte for byte ----------------------------------------------------------------

def test_same_set_of_paged_files(differing: dict[str, str]) -> None:
    assert sorted(differing) == _expected_paths(), f"run: {UPDATE_COMMAND}"


@pytest.mark.parametrize("rel", _expected_paths())
def test_paged_page_matches_golden(differing: dict[str, str], rel: str) -> None:
    if rel not in differing:
        pytest.fail(f"{rel} is expected but now renders as with whole lists (run: "
                    f"{UPDATE_COMMAND})", pytrace=False)
    expected, actual = _read(EXPECTED / rel), differing[rel]
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"tests/golden/expected-paged/{rel}", tofile=f"rendered {rel}", n=2))
        pytest.fail(f"{rel} differs from its golden file:\n{diff}\nIf the change is intended, "
                    f"run: {UPDATE_COMMAND}", pytrace=False)


def test_every_list_of_the_fixture_is_cut_and_nothing_else_changes() -> None:
    """One a page: each page type with a list gets further pages; the data files are the
    same as with whole lists, and a claim's page differs only where it links to its pairs on
    the evidence map, which may now be on a further page of its table."""
    paged, whole = _paged(), _render()
    further = sorted(p for p in paged if "/pages/" in p)
    kinds = {re.sub(r"/pages/\d+/index\.md$", "", p).split("/")[0] for p in further}
    assert kinds == {"claims", "flags", "articles", "sources", "review", "evidence-map"}
    assert set(paged) - set(whole) == set(further)
    assert all(paged[p] == whole[p] for p in whole if p.startswith("data/"))
    claims = [p for p in whole if p.startswith("claims/") and p != "claims/index.md"]
    moved = 0
    for p in claims:
        changed = [(a, b) for a, b in zip(whole[p].splitlines(), paged[p].splitlines(),
                                          strict=True) if a != b]
        assert all(a.startswith("On the evidence map: ") for a, _ in changed), (p, changed)
        moved += bool(changed)
        assert all("evidence-map/pages/" in b for _, b in changed), (p, changed)
    assert moved, "no claim's pair is on a further page of the map: the test shows nothing"


def test_each_claim_of_a_list_is_on_exactly_one_of_its_pages() -> None:
    paged = _paged()
    kb = load(KB_ROOT, today=TODAY)
    index = [t for p, t in paged.items()
             if p == "claims/index.md" or p.startswith("claims/pages/")]
    for claim in kb.claims:
        link = re.compile(rf'<a href="(?:[^"]*/)?{re.escape(claim.id)}/">')
        assert sum(bool(link.search(t)) for t in index) == 1, claim.id


def test_a_scorecards_further_page_goes_on_counting() -> None:
    """The reading order's numbers go on from page to page: the raw HTML list starts at the
    page's first reading (the first page's at 1)."""
    pages = _paged()
    further = pages["articles/dailyhealth-walking/pages/2/index.md"]
    assert re.search(r'^<ol start="2">\n<li>“', further, re.M), further
    assert re.search(r"^<ol>\n<li>“", pages["articles/dailyhealth-walking/index.md"], re.M)


# --- the site they build --------------------------------------------------------------------

SIZE = 40
"""A page size that cuts the repository's own lists: its claims index, evidence map, flags,
and its longer scorecards and source pages (none of its claims is due for review on the day
the build is dated)."""


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The repository's site with ``page_size: 40``, built with the plugin, and from the tree
    ``render --out`` writes, without it (``mkdocs.rendered.yml``)."""
    work = tmp_path_factory.mktemp("paged")
    for name in ("docs", "claims", "sources"):
        shutil.copytree(REPO / name, work / name)
    for name in ("mkdocs.yml", "mkdocs.rendered.yml"):
        shutil.copy(REPO / name, work / name)
    config = (work / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      review_months: 24" in config
    (work / "mkdocs.yml").write_text(config.replace(
        "      review_months: 24", f"      page_size: {SIZE}\n      review_months: 24", 1),
        encoding="utf-8")
    done = mkdocs_build(work, work / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    rendered = subprocess.run([sys.executable, "-m", "build_tools", "render", "--out",
                               "rendered/docs"], cwd=work, capture_output=True, text=True,
                              check=False)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.rendered.yml"]
    plain = subprocess.run(cmd, cwd=work, capture_output=True, text=True, check=False,
                           env=dict(os.environ, NO_MKDOCS_2_WARNING="1",
                                    SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, SITE_URL=SITE_URL))
    assert plain.returncode == 0, plain.stdout + plain.stderr
    return work / "site", work / "rendered" / "site"


@pytest.mark.slow
def test_a_paged_site_builds_strict_with_every_link_resolving(
        paged_site: tuple[Path, Path]) -> None:
    site, _ = paged_site
    pages = {p.relative_to(site).as_posix(): Html(p.read_text(encoding="utf-8"))
             for p in sorted(site.rglob("*.html"))}
    further = [p for p in pages if "/pages/" in p]
    assert {p.split("/")[0] for p in further} >= {"claims", "flags", "articles", "sources",
                                                  "evidence-map"}, further
    checked, broken = broken_links(site, pages)
    assert checked > 1000 and not broken, broken[:20]
    # a further page is in no navigation: only the first page of a list is
    nav = {a.get("href", "") for _, a, in_nav in pages["index.html"].tags if in_nav}
    assert not [h for h in nav if "/pages/" in h], nav


@pytest.mark.slow
def test_each_ring_of_the_map_leads_to_its_pair_on_whichever_page_it_is(
        paged_site: tuple[Path, Path]) -> None:
    site, _ = paged_site
    first = (site / "evidence-map" / "index.html").read_text(encoding="utf-8")
    rings = re.findall(r'<a href="([^"]*)#(map-[^"]+)" aria-label', first)
    assert len(rings) > 40 and any(href for href, _ in rings), rings[:3]
    for href, anchor in rings:
        target = (site / "evidence-map" / href / "index.html") if href else \
            site / "evidence-map" / "index.html"
        assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), (href, anchor)
    # and each claim page's links to its pairs on the map
    links = 0
    for page in (site / "claims").glob("*/index.html"):
        for href, anchor in re.findall(r'href="([^"#]*evidence-map/[^"#]*)#(map-[^"]+)"',
                                       page.read_text(encoding="utf-8")):
            target = (page.parent / href / "index.html").resolve()
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), (page, href)
            links += 1
    assert links > 100


@pytest.mark.slow
def test_the_paged_pages_are_the_same_without_the_plugin(paged_site: tuple[Path, Path]) -> None:
    """The tree ``render --out`` wrote, built without the plugin, gives every page of every
    long list as the plugin's build does (the builders' own files aside)."""
    site, plain = paged_site
    paged = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html")
                   if "/pages/" in p.as_posix() or p.parent.name in ("claims", "flags"))
    assert len(paged) > 10
    differ = [p for p in paged if (site / p).read_bytes() != (plain / p).read_bytes()]
    assert not differ, differ[:10]
