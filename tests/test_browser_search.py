"""The site's search in a real Chromium, on the MkDocs build and on the Zensical build.

The search (docs/javascripts/search.js, on Pagefind's index: docs/decisions/0007-search.md) is
the same on both: a reader's words open the right claim first, a filter narrows the results and
survives a reload, the keyboard alone works it, axe-core finds nothing wrong with results open
or a filter applied, and nothing is fetched for it before it is opened. Every page a test opens
is watched (test_browser.session): a console error, a failed request or a request to another
host fails the test.
"""

# ruff: noqa: F811  (the fixtures browser and site, imported from test_browser, are parameters)
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from test_browser import (  # noqa: F401  (browser and site are fixtures)
    ROOT,
    VIEWPORTS,
    Site,
    _axe,
    _serve,
    browser,
    session,
    site,
)

pytestmark = pytest.mark.browser

CLAIM_IDS = {p.stem for p in (ROOT / "claims").glob("*.yml")}

RIGHT_CLAIMS = {
    "does walking stop back pain coming back": {"walking-prevents-future-back-pain-episodes",
                                               "walking-reduces-recurrence-25-40-percent"},
    "tylenol for back pain": {"acetaminophen-relieves-low-back-pain"},
    "walking backwards": {"physiotherapists-recommend-retro-walking"},
    "sitting pressure on discs": {"sitting-disc-pressure-40-90-percent-above-standing",
                                  "walking-disc-pressure-lower-than-sitting"},
    "10,000 steps": {"far-fewer-than-10000-steps-bring-health-benefits"},
    "lumbar pillow": {"lumbar-pillow-maintains-alignment-when-sitting",
                      "lumbar-pillow-protects-walking-progress"},
}
"""A reader's query, and the claims (any of them) that must come first."""

START = "claims/acetaminophen-relieves-low-back-pain/"
"""The page the searches start from: any page has the search box."""


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The same pages rendered to disk (``render --out``), built by Zensical with
    mkdocs.rendered.yml and indexed by ``search-index``, as CI builds them."""
    project = tmp_path_factory.mktemp("zensical")
    for name in ("mkdocs.yml", "mkdocs.rendered.yml"):
        shutil.copy2(ROOT / name, project / name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    built = project / "rendered" / "site"
    for cmd, cwd in (([sys.executable, "-m", "build_tools", "render", "--out",
                       str(project / "rendered" / "docs")], ROOT),
                     ([sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f",
                       str(project / "mkdocs.rendered.yml")], project),
                     ([sys.executable, "-m", "build_tools", "search-index", str(built)], ROOT)):
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=600, check=False)
        assert done.returncode == 0, f"{cmd[2:5]} failed:\n{done.stdout}\n{done.stderr}"
    with _serve(built) as served:
        yield served


BUILDERS = ("mkdocs", "zensical")


def _site(request: pytest.FixtureRequest, builder: str) -> Site:
    return request.getfixturevalue("site" if builder == "mkdocs" else "zensical_site")


def _search(page: Any, query: str) -> list[str]:
    """Type ``query`` into the open search; the results' paths, once they are shown."""
    box = page.locator("#kb-search-input")
    box.fill("")
    box.press_sequentially(query, delay=20)
    page.locator("#kb-search-status", has_text=f"“{query}”").wait_for()
    return _paths(page)


def _count(page: Any) -> int:
    """The number of results the status line announces."""
    return int(page.locator("#kb-search-status").inner_text().split()[0])


def _paths(page: Any) -> list[str]:
    return page.locator(".kb-result__link").evaluate_all(
        "as => as.map(a => new URL(a.href).pathname)")


def _claim_id(path: str) -> str | None:
    parts = path.strip("/").split("/")
    return parts[-1] if len(parts) >= 2 and parts[-2] == "claims" else None


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("query", list(RIGHT_CLAIMS))
def test_a_readers_words_open_the_right_claim_first(browser: Any, request: Any, query: str,
                                                    builder: str) -> None:
    assert RIGHT_CLAIMS[query] <= CLAIM_IDS, f"claims renamed? {RIGHT_CLAIMS[query] - CLAIM_IDS}"
    served = _site(request, builder)
    with session(browser, served) as web:
        page = web.page
        web.goto(START)
        page.get_by_role("button", name="Search").click()
        paths = _search(page, query)
        assert paths, f"no results for {query!r}"
        first = _claim_id(paths[0])
        assert first in RIGHT_CLAIMS[query], f"{query!r}: first result {paths[0]} ({paths[:5]})"
        # the result as a claim: its kind, its verdict badge, its statement, its bottom line
        result = page.locator(".kb-result").first
        assert result.locator(".kb-result__kind").inner_text().strip().lower() == "claim"
        badge = result.locator(".kb-badge.kb-verdict")
        assert badge.count() == 1 and badge.inner_text().strip(), "no verdict badge"
        title = result.locator(".kb-result__title").inner_text().strip()
        assert result.locator(".kb-result__text").inner_text().startswith("Bottom line:")
        result.locator("a").click()
        page.wait_for_load_state("load")
        assert _claim_id(urlsplit(page.url).path) == first, page.url
        assert page.locator("h1").first.inner_text().strip() == title
        web.assert_clean()


@pytest.mark.parametrize("builder", BUILDERS)
def test_a_filter_narrows_the_results_and_survives_a_reload(browser: Any, request: Any,
                                                            builder: str) -> None:
    served = _site(request, builder)
    verdict = "overstated"
    with session(browser, served) as web:
        page = web.page
        web.goto(START)
        page.keyboard.press("/")
        _search(page, "walking")
        every = _count(page)
        page.locator(".kb-search__more-filters summary").click()
        page.select_option("#kb-search-filter-verdict", verdict)
        page.wait_for_function(
            """([v, n]) => { const b = [...document.querySelectorAll('.kb-result .kb-verdict')];
                   const s = document.getElementById('kb-search-status').textContent;
                   return b.length && b.every(x => x.classList.contains('kb-verdict-' + v))
                          && parseInt(s, 10) < n; }""", arg=[verdict, every])
        narrowed = _paths(page)
        assert 0 < _count(page) < every
        assert "Filters (1 on)" in page.locator(".kb-search__more-filters summary").inner_text()
        query = parse_qs(urlsplit(page.url).query)
        assert query == {"q": ["walking"], "verdict": [verdict]}, page.url

        page.wait_for_load_state("networkidle")  # nothing in flight is cut off
        page.reload(wait_until="load")  # the address brings the same search back
        page.locator(".kb-result").first.wait_for()
        assert page.locator("dialog.kb-search").evaluate("d => d.open")
        assert page.locator("#kb-search-input").input_value() == "walking"
        assert page.locator("#kb-search-filter-verdict").input_value() == verdict
        page.locator("#kb-search-status", has_text="“walking”").wait_for()
        assert _paths(page) == narrowed

        page.keyboard.press("Escape")  # closing the search takes it out of the address
        assert not page.locator("dialog.kb-search").evaluate("d => d.open")
        assert urlsplit(page.url).query == ""
        web.assert_clean()


def test_the_search_works_with_the_keyboard(browser: Any, site: Site) -> None:
    with session(browser, site) as web:
        page = web.page
        web.goto(START)
        page.keyboard.press("Tab")  # focus leaves the page's body, as a keyboard user's would
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "kb-search-input"
        assert page.locator("#kb-search-status").get_attribute("role") == "status"
        paths = _search(page, "walking")
        assert len(paths) >= 2
        status = page.locator("#kb-search-status").inner_text()
        assert "results" in status and "“walking”" in status, status
        page.keyboard.press("ArrowDown")
        first = page.evaluate("document.activeElement.getAttribute('href')")
        assert first and new_path(first) == paths[0]
        page.keyboard.press("ArrowDown")
        assert new_path(page.evaluate("document.activeElement.getAttribute('href')")) == paths[1]
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.id") == "kb-search-input"
        assert page.locator("#kb-search-input").input_value() == "walking"  # focus kept
        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.classList.contains('kb-search-button')")
        page.keyboard.press("Enter")  # the header's button opens it again
        assert page.locator("dialog.kb-search").evaluate("d => d.open")
        web.assert_clean()


def new_path(href: str) -> str:
    return urlsplit(href).path


STATES = {"results": "?q=walking", "filtered": "?q=walking&verdict=overstated&flag=uncited"}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("state", list(STATES))
def test_the_open_search_has_no_accessibility_violations(browser: Any, site: Site, state: str,
                                                         viewport: str) -> None:
    with session(browser, site, viewport=VIEWPORTS[viewport]) as web:
        web.goto(START + STATES[state])
        web.page.locator(".kb-result").first.wait_for()
        web.page.locator("#kb-search-status", has_text="“walking”").wait_for()
        violations = _axe(web.page)
        assert not violations, f"search ({state}) at {viewport} width:\n" + "\n".join(violations)
        web.assert_clean()


def test_nothing_is_fetched_for_the_search_until_it_is_opened(browser: Any, site: Site) -> None:
    with session(browser, site) as web:
        requests: list[str] = []
        web.page.on("request", lambda r: requests.append(urlsplit(r.url).path))
        web.goto(START)
        web.page.wait_for_load_state("networkidle")
        assert not [p for p in requests if "/pagefind/" in p or p.endswith("/search.json")], \
            requests
        web.page.get_by_role("button", name="Search").click()
        web.page.locator("#kb-search-status", has_text="Type to search").wait_for()
        assert any(p.endswith("/pagefind/pagefind.js") for p in requests), requests
        web.assert_clean()


def test_without_javascript_there_is_no_search_box(browser: Any, site: Site) -> None:
    with session(browser, site, java_script_enabled=False) as web:
        web.goto(START + "?q=walking")
        page = web.page
        assert page.locator(".kb-search-button, dialog.kb-search").count() == 0
        assert page.locator("h1").first.inner_text().strip()
        assert page.locator(".kb-bottom-line").is_visible()
        web.assert_clean()


def test_claims_index_keeps_its_filters_and_words_in_the_address(browser: Any,
                                                                 site: Site) -> None:
    with session(browser, site) as web:
        page = web.page
        web.goto("claims/?verdict=inaccurate")
        rows = page.locator("#kb-claims tbody tr:visible")
        assert page.locator("#kb-filter-verdict").input_value() == "inaccurate"
        verdicts = rows.evaluate_all("rs => rs.map(r => r.dataset.verdict)")
        assert verdicts and set(verdicts) == {"inaccurate"}
        page.select_option("#kb-filter-flag", "unsupported")
        assert parse_qs(urlsplit(page.url).query) == {"verdict": ["inaccurate"],
                                                       "flag": ["unsupported"]}
        narrowed = rows.count()
        assert 0 < narrowed <= len(verdicts)
        page.wait_for_load_state("networkidle")  # nothing in flight is cut off
        page.reload(wait_until="load")
        assert page.locator("#kb-filter-flag").input_value() == "unsupported"
        assert rows.count() == narrowed
        address = urlsplit(page.url).query
        page.get_by_role("button", name="Search").click()  # the header's search, opened and
        page.locator("#kb-search-input").press_sequentially("walking", delay=20)  # closed,
        page.keyboard.press("Escape")  # leaves the page's address as it was
        assert urlsplit(page.url).query == address

        page.wait_for_load_state("networkidle")
        web.goto("claims/")
        page.locator("#kb-filter-q").press_sequentially("tylenol", delay=20)
        page.wait_for_function("document.querySelectorAll('#kb-claims tbody tr:not([hidden])')"
                               ".length < 20")
        # the statement's link: the said-in line under it links too
        first = rows.first.locator("a").first.get_attribute("href")
        assert "acetaminophen-relieves-low-back-pain" in first, first
        assert parse_qs(urlsplit(page.url).query) == {"q": ["tylenol"]}
        shown = rows.count()
        page.wait_for_load_state("networkidle")  # nothing in flight is cut off
        page.reload(wait_until="load")
        assert page.locator("#kb-filter-q").input_value() == "tylenol"
        page.wait_for_function(f"document.querySelectorAll('#kb-claims tbody tr:not([hidden])')"
                               f".length === {shown}")
        assert page.locator("dialog.kb-search[open]").count() == 0  # the page's own form
        web.assert_clean()
