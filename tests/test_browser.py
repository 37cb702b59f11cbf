"""The built site in a real Chromium: the claims index's filters and sorting, the plain table
without JavaScript, a flagged claim page, accessibility on every kind of page, and screenshots
for a person to look at (the search: test_browser_search.py, with these fixtures).

The site is built once per module (``mkdocs build --strict``) into a temporary directory and
served on 127.0.0.1. Every page a test opens is watched: a console error, an uncaught
exception, a failed request, an HTTP error status or any request to another host fails the test.

Needs Debian's Chromium at ``/usr/bin/chromium`` (``apt-get install chromium``) and the Python
``playwright`` package; ``playwright install`` is never needed. ``KB_SKIP_BROWSER=1`` skips the
module; without it a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 20_000

if os.environ.get("KB_SKIP_BROWSER") == "1":
    pytest.skip("KB_SKIP_BROWSER=1: browser tests skipped", allow_module_level=True)


# --- the site, its server, the browser -------------------------------------------------------


@dataclass(frozen=True)
class Site:
    root: Path
    """The built site directory."""
    base: str
    """Its address, ending in a slash: ``http://127.0.0.1:PORT/``."""
    claims: list[dict[str, Any]]
    """``data/claims.json``'s claims, as the build wrote them."""

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # one line per request is noise
        pass


def _build(cwd: Path, out: Path, **env: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}, capture_output=True,
        text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"


@contextlib.contextmanager
def _serve(out: Path) -> Iterator[Site]:
    """The built site ``out`` on 127.0.0.1, in a thread."""
    claims = json.loads((out / "data" / "claims.json").read_text(encoding="utf-8"))["claims"]
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield Site(out, f"http://127.0.0.1:{server.server_address[1]}/", claims)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real site, built once with ``--strict`` and served on 127.0.0.1 in a thread."""
    out = tmp_path_factory.mktemp("browser") / "site"
    _build(ROOT, out)
    with _serve(out) as served:
        yield served


FIXTURE_AS_OF = "1735689600"
"""SOURCE_DATE_EPOCH of the fixture site: 2025-01-01, when its claims reviewed on 2024-06-01
are overdue under a 6-month review policy."""


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The golden fixture's knowledge base (tests/golden/kb) as a site, outside any git
    checkout: claims overdue for review, a quote with a hype word, and no change history."""
    with _fixture_project(tmp_path_factory.mktemp("fixture-site"), "") as served:
        yield served


@contextlib.contextmanager
def _fixture_project(work: Path, options: str) -> Iterator[Site]:
    """The golden fixture in ``work``, with the site's configuration, its reviews due every 6
    months and the plugin ``options`` added, built as of FIXTURE_AS_OF and served."""
    shutil.copytree(ROOT / "tests" / "golden" / "kb", work, dirs_exist_ok=True)
    shutil.copytree(ROOT / "docs", work / "docs")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, n = re.subn(r"review_months: \d+", "review_months: 6" + options, config)
    assert n == 1, "mkdocs.yml sets review_months once"
    (work / "mkdocs.yml").write_text(config, encoding="utf-8")
    _build(work, work / "site", SOURCE_DATE_EPOCH=FIXTURE_AS_OF)
    with _serve(work / "site") as served:
        yield served


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The golden fixture with two items a page (``page_size: 2``): every kind of long list
    cut into pages, each with its pager."""
    with _fixture_project(tmp_path_factory.mktemp("paged-site"),
                          "\n      page_size: 2") as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; a missing browser fails, it does not skip."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install chromium` "
                    "(or set KB_SKIP_BROWSER=1 to skip the browser tests)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package `playwright` is missing: pip install playwright "
                    "(or set KB_SKIP_BROWSER=1 to skip the browser tests)", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Session:
    """One browser context and page, with everything that went wrong while it was open."""

    page: Any
    site: Site
    problems: list[str] = field(default_factory=list)

    def goto(self, path: str = "") -> None:
        response = self.page.goto(self.site.url(path), wait_until="load")
        assert response is not None and response.ok, f"{path}: {response and response.status}"

    def assert_clean(self) -> None:
        assert not self.problems, "the browser reported problems:\n" + "\n".join(self.problems)


@contextlib.contextmanager
def session(browser: Any, site: Site, **context_options: Any) -> Iterator[Session]:
    """A fresh context and page on ``site``; requests to any other host are aborted and noted."""
    context_options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    s = Session(page, site)
    here = urlsplit(site.base).netloc

    def route(r: Any) -> None:
        parts = urlsplit(r.request.url)
        if parts.scheme in ("http", "https") and parts.netloc == here:
            r.continue_()
        else:
            s.problems.append(f"request to another host: {r.request.url}")
            r.abort()

    def console(msg: Any) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            where = f"{loc.get('url')}:{loc.get('lineNumber')}"
            s.problems.append(f"console error: {msg.text} ({where})")

    def request_failed(req: Any) -> None:
        # net::ERR_ABORTED is the browser dropping a request itself, when the page it was for
        # goes away (a reload while the favicon loads); anything else is a real failure, and a
        # missing file is an HTTP status, which response() reports
        if "ERR_ABORTED" not in (req.failure or ""):
            s.problems.append(f"request failed: {req.url} ({req.failure})")

    def response(resp: Any) -> None:
        if resp.status >= 400:
            s.problems.append(f"HTTP {resp.status}: {resp.url}")

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda exc: s.problems.append(f"page error: {exc}"))
    page.on("requestfailed", request_failed)
    page.on("response", response)
    try:
        yield s
    finally:
        context.close()


@pytest.fixture
def web(browser: Any, site: Site) -> Iterator[Session]:
    """A watched page: the test fails if the browser saw an error, a failed request or a
    request to a host other than the local server."""
    with session(browser, site) as s:
        yield s
        s.assert_clean()


def _visible_rows(page: Any) -> Any:
    return page.locator("#kb-claims tbody tr:visible")


def _marketing_only(site: Site) -> dict[str, Any]:
    found = [c for c in site.claims if "marketing-only" in c.get("flags", [])]
    assert found, "no claim in data/claims.json has the marketing-only flag"
    return found[0]


# --- the claims index ------------------------------------------------------------------------


def test_claims_index_filters_and_sorts(web: Session) -> None:
    page = web.page
    claims = web.site.claims
    web.goto("claims/")
    for name in ("verdict", "certainty", "flag", "topic", "article"):
        page.locator(f"select#kb-filter-{name}").wait_for(state="visible")
    total = len(claims)
    count = page.locator("#kb-count")
    assert _visible_rows(page).count() == total
    assert count.inner_text().strip() == f"{total} of {total} claims shown"

    # A verdict: only its rows stay, and the count says so.
    verdict = "inaccurate"
    want = sum(c.get("verdict") == verdict for c in claims)
    assert 0 < want < total
    page.select_option("select#kb-filter-verdict", verdict)
    assert _visible_rows(page).count() == want
    verdicts = _visible_rows(page).evaluate_all("rows => rows.map(r => r.dataset.verdict)")
    assert set(verdicts) == {verdict}
    hidden = page.locator("#kb-claims tbody tr[hidden]")
    assert hidden.count() == total - want
    assert verdict not in hidden.evaluate_all("rows => rows.map(r => r.dataset.verdict)")
    assert count.inner_text().strip() == f"{want} of {total} claims shown"

    # Back to all, then a flag.
    page.select_option("select#kb-filter-verdict", "")
    assert _visible_rows(page).count() == total
    flag = "marketing-only"
    want = sum(flag in c.get("flags", []) for c in claims)
    assert 0 < want < total
    page.select_option("select#kb-filter-flag", flag)
    assert _visible_rows(page).count() == want
    flags = _visible_rows(page).evaluate_all("rows => rows.map(r => r.dataset.flag)")
    assert all(flag in f.split() for f in flags)
    assert count.inner_text().strip() == f"{want} of {total} claims shown"

    # Both filters together narrow further.
    both = sum(flag in c.get("flags", []) and c.get("verdict") == "unproven" for c in claims)
    page.select_option("select#kb-filter-verdict", "unproven")
    assert _visible_rows(page).count() == both
    assert count.inner_text().strip() == f"{both} of {total} claims shown"
    page.select_option("select#kb-filter-verdict", "")
    page.select_option("select#kb-filter-flag", "")
    assert _visible_rows(page).count() == total

    # The Verdict heading is a button that sorts by rating: ascending, then descending.
    header = page.locator("#kb-claims thead th", has_text=re.compile(r"^\s*Verdict"))
    button = header.get_by_role("button", name="Verdict")
    ratings = "rows => rows.map(r => Number(r.dataset.rating))"
    button.click()
    assert header.get_attribute("aria-sort") == "ascending"
    up = page.locator("#kb-claims tbody tr").evaluate_all(ratings)
    assert len(up) == total and up == sorted(up) and up[0] < up[-1]
    button.click()
    assert header.get_attribute("aria-sort") == "descending"
    down = page.locator("#kb-claims tbody tr").evaluate_all(ratings)
    assert down == sorted(up, reverse=True)
    web.assert_clean()


@pytest.mark.parametrize("key", ["Space", "Enter"])
def test_sortable_headings_are_buttons_for_the_keyboard(web: Session, key: str) -> None:
    page = web.page
    web.goto("claims/")
    buttons = page.locator("#kb-claims thead th button")
    assert buttons.all_inner_texts() == ["Claim", "Verdict", "Certainty"]
    header = page.locator("#kb-claims thead th", has=page.get_by_role("button",
                                                                        name="Certainty"))
    page.get_by_role("button", name="Certainty").focus()
    page.keyboard.press(key)
    assert header.get_attribute("aria-sort") == "ascending"
    levels = page.locator("#kb-claims tbody tr").evaluate_all(
        "rows => rows.map(r => Number(r.dataset.level))")
    assert levels == sorted(levels) and levels[0] < levels[-1]
    page.keyboard.press(key)
    assert header.get_attribute("aria-sort") == "descending"
    web.assert_clean()


def test_claims_index_does_not_shift_on_a_phone(browser: Any, site: Site) -> None:
    """The filter form is in the page from the start: nothing moves when the script runs."""
    with session(browser, site, viewport={"width": 390, "height": 844}) as s:
        s.page.add_init_script("""
            window.__shift = 0;
            new PerformanceObserver(list => {
              for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
            }).observe({type: "layout-shift", buffered: true});
        """)
        s.goto("claims/")
        s.page.locator("#kb-count").wait_for(state="visible")
        s.page.wait_for_timeout(500)
        shift = s.page.evaluate("window.__shift")
        assert shift < 0.01, f"cumulative layout shift {shift:.3f} (expected none)"
        s.assert_clean()


def test_claims_index_without_javascript(browser: Any, site: Site) -> None:
    with session(browser, site, java_script_enabled=False) as s:
        s.goto("claims/")
        page = s.page
        total = len(site.claims)
        assert page.locator("#kb-claims tbody tr").count() == total
        assert _visible_rows(page).count() == total
        assert page.locator("#kb-filters").is_hidden()  # filters that cannot work are hidden
        assert page.locator("#kb-count").is_hidden()
        assert page.locator("select:visible").count() == 0
        assert page.locator("#kb-claims thead button").count() == 0
        links = page.locator("#kb-claims tbody tr td:first-child > a")  # the statement
        assert links.count() == total
        hrefs = links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert all("claims/" in h or not h.startswith("/") for h in hrefs)
        assert page.locator("#kb-claims tbody .kb-badge.kb-verdict").count() == total
        s.assert_clean()


def test_claims_index_on_a_phone(browser: Any, site: Site) -> None:
    """On a narrow screen the table scrolls sideways; the claim text is not squeezed into a
    column a few letters wide."""
    with session(browser, site, viewport={"width": 390, "height": 844}) as s:
        s.goto("claims/")
        page = s.page
        page.locator("#kb-count").wait_for(state="visible")
        cell = page.locator("#kb-claims tbody tr").first.locator("td").first.bounding_box()
        assert cell is not None and cell["width"] >= 180, f"claim column squeezed: {cell}"
        table = page.locator("#kb-claims")
        overflow = table.evaluate("t => getComputedStyle(t).overflowX")
        assert overflow in ("auto", "scroll"), f"the table cannot scroll sideways: {overflow}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page itself scrolls sideways: {width}px wide"
        s.assert_clean()


# --- the evidence map ------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", ["desktop", "phone"])  # VIEWPORTS, below
def test_evidence_map_rings_lead_to_their_claims(browser: Any, site: Site, viewport: str) -> None:
    """Each ring is a link named in words; following one reaches its row, whose claim links
    open claim pages. On a phone the map scrolls inside its own region, keeping its text size,
    and the page itself does not scroll sideways."""
    with session(browser, site, viewport=VIEWPORTS[viewport]) as s:
        s.goto("evidence-map/")
        page = s.page
        rings = page.locator(".kb-map-svg a")
        assert rings.count() == page.locator("#kb-map-table tbody tr").count() > 10
        first = rings.first
        name = first.get_attribute("aria-label") or ""
        assert re.match(r"^Walking and pain: \d+ claims; ", name), name
        first.click()
        assert page.url.endswith("#map-walking-pain")
        row = page.locator("#map-walking-pain")
        assert row.is_visible()
        box = page.locator(".kb-map-svg").bounding_box()
        assert box is not None and box["width"] >= 900, f"the map was shrunk: {box}"
        region = page.locator(".kb-map")
        if viewport == "phone":
            assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the map cannot scroll"
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        href = row.locator("a").first.get_attribute("href") or ""
        row.locator("a").first.click()
        page.wait_for_load_state("load")
        assert "/claims/" in page.url and href.strip("./").split("/")[-2] in page.url
        s.assert_clean()


# --- a flagged claim page --------------------------------------------------------------------


def test_marketing_only_claim_page(web: Session) -> None:
    page = web.page
    claim = _marketing_only(web.site)
    web.goto(f"claims/{claim['id']}/")
    admonition = page.locator(".admonition.warning", has=page.locator(
        ".admonition-title", has_text="Marketing only"))
    assert admonition.count() == 1, "no 'Marketing only' admonition"
    assert admonition.first.is_visible()
    badge = page.locator(".kb-verdict-line .kb-badge.kb-flag-marketing-only")
    assert badge.count() == 1 and badge.is_visible()
    assert "Marketing only" in badge.inner_text()
    verdict = page.locator(".kb-claim-frame .kb-badge.kb-verdict")  # beside the Claim label
    assert verdict.inner_text().strip(), "the verdict badge has no word"
    web.assert_clean()


# --- screenshots -----------------------------------------------------------------------------


def test_screenshots(web: Session) -> None:
    """Full-page screenshots under test-output/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = web.page
    shots = {
        "home.png": "",
        "claims-index.png": "claims/",
        "claim.png": f"claims/{_marketing_only(web.site)['id']}/",
    }
    for name, path in shots.items():
        target = SCREENSHOTS / name
        target.unlink(missing_ok=True)
        web.goto(path)
        if path == "claims/":
            page.locator("#kb-count").wait_for(state="visible")
        page.screenshot(path=str(target), full_page=True)
        assert target.is_file() and target.stat().st_size > 0, f"{target} not written"
    web.assert_clean()


# --- accessibility: axe-core on every page type, at desktop and phone width ------------------

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _page_with(site: Site, folder: str, text: str) -> str:
    """The address of the first built page under ``folder`` whose HTML contains ``text``."""
    for page in sorted((site.root / folder).glob("*/index.html")):
        if text in page.read_text(encoding="utf-8"):
            return f"{folder}/{page.parent.name}/"
    raise AssertionError(f"no page under {folder}/ contains {text!r}")


REAL_PAGES: dict[str, Any] = {
    "home": lambda s: "",
    "claims index": lambda s: "claims/",
    "evidence map": lambda s: "evidence-map/",
    "claim, flagged": lambda s: f"claims/{_marketing_only(s)['id']}/",
    "claim, corrected": lambda s: _page_with(s, "claims", "changed from"),
    "articles index": lambda s: "articles/",
    "article scorecard": lambda s: f"articles/{s.claims[0]['appearances'][0]['source']}/",
    "sources index": lambda s: "sources/",
    "source": lambda s: f"sources/{s.claims[0]['evidence'][0]['source']}/",
    "flagged claims": lambda s: "flags/",
    "methodology": lambda s: "methodology/",
    "about": lambda s: "about/",
    "corrections": lambda s: "corrections/",
    "due for review": lambda s: "review/",
    "not found": lambda s: "404.html",
}
"""Every kind of page of the real site (a claim page twice: flagged, and with a History)."""

FIXTURE_PAGES = {
    "claim, overdue with hype": "claims/lumbar-pillow-protects-walking-progress/",
    "due for review, with claims": "review/",
    "corrections, no history": "corrections/",
}
"""What the real site may not show today: an overdue review, a hype word, no git history."""


PAGED_PAGES = {
    "claims index, page 2": "claims/pages/2/",
    "evidence map, page 2": "evidence-map/pages/2/",
    "scorecard, page 2": "articles/dailyhealth-walking/pages/2/",
    "source, page 2 of its claims": "sources/dailyhealth-walking/appearance/pages/2/",
    "flagged claims, page 2": "flags/unsupported/pages/2/",
    "due for review, page 2": "review/pages/2/",
}
"""The further pages of each kind of long list, and the first pages, which gain a pager."""


def _axe(page: Any) -> list[str]:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail("the Python package `axe-playwright-python` is missing: pip install "
                    "axe-playwright-python", pytrace=False)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']}; e.g. {v['nodes'][0]['target']}: "
            f"{v['nodes'][0].get('failureSummary', '')}" for v in results.response["violations"]]


SCHEMES = {"light": "default", "dark": "slate"}
"""The reader's system setting (``prefers-color-scheme``) and the theme's scheme it selects."""


def _check_axe(browser: Any, site: Site, path: str, viewport: str, scheme: str) -> None:
    with session(browser, site, viewport=VIEWPORTS[viewport], color_scheme=scheme) as s:
        s.goto(path)
        s.page.wait_for_load_state("load")
        assert s.page.get_by_role("button", name="Search").count() == 1, "no search button"
        shown = s.page.locator("body").get_attribute("data-md-color-scheme")
        assert shown == SCHEMES[scheme], f"the {scheme} system setting showed {shown}"
        violations = _axe(s.page)
        assert not violations, f"{path} at {viewport} width, {scheme} scheme:\n" + \
            "\n".join(violations)
        s.assert_clean()


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", list(REAL_PAGES))
def test_no_accessibility_violations(browser: Any, site: Site, kind: str, viewport: str,
                                     scheme: str) -> None:
    _check_axe(browser, site, REAL_PAGES[kind](site), viewport, scheme)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", list(FIXTURE_PAGES))
def test_no_accessibility_violations_on_fixture_pages(browser: Any, fixture_site: Site,
                                                      kind: str, viewport: str,
                                                      scheme: str) -> None:
    _check_axe(browser, fixture_site, FIXTURE_PAGES[kind], viewport, scheme)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", [*PAGED_PAGES.values(), "claims/", "flags/", "evidence-map/"])
def test_no_accessibility_violations_on_paged_lists(browser: Any, paged_site: Site, path: str,
                                                    viewport: str, scheme: str) -> None:
    _check_axe(browser, paged_site, path, viewport, scheme)


def test_a_reader_pages_through_the_claims_and_filters_a_page(browser: Any,
                                                             paged_site: Site) -> None:
    """The pager leads from page to page; on a page, the filters narrow its claims, and the
    page says that the search covers them all."""
    with session(browser, paged_site) as s:
        page = s.page
        s.goto("claims/")
        assert _visible_rows(page).count() == 2
        assert "the site's search" in page.locator("article").inner_text().lower()
        page.locator(".kb-pager").first.get_by_role("link", name="next page").click()
        page.wait_for_url("**/claims/pages/2/")
        assert page.locator("h1").inner_text() == "All claims, page 2"
        pager = page.locator(".kb-pager").first
        assert "Page 2 of 3, claims 3 to 4 of 5" in pager.inner_text(), pager.inner_text()
        shown = _visible_rows(page).all_inner_texts()
        assert len(shown) == 2
        page.select_option("#kb-filter-verdict", "inaccurate")
        left = _visible_rows(page).count()
        assert left < 2 and page.locator("#kb-count").inner_text() == f"{left} of 2 claims shown"
        pager.get_by_role("link", name="1", exact=True).click()
        page.wait_for_url("**/claims/")
        s.assert_clean()


def test_fixture_pages_show_what_they_are_there_for(browser: Any, fixture_site: Site) -> None:
    with session(browser, fixture_site) as s:
        page = s.page
        s.goto(FIXTURE_PAGES["claim, overdue with hype"])
        page.wait_for_load_state("networkidle")  # the search worker, before leaving the page
        overdue = page.locator(".kb-overdue")
        assert overdue.is_visible() and "Review overdue since 2024-12-01" in overdue.inner_text()
        assert page.locator("mark.kb-hype").all_inner_texts() == ["clinically proven"]
        assert "Hype: proven" in page.locator(".kb-hype-badge").inner_text()
        texts = page.locator("article p").all_inner_texts()
        assert texts[0].split() == ["CLAIM", "Unproven"], texts[0]  # the claim's frame first
        assert texts[1].startswith("Said in: StepShop"), texts[1]
        assert texts[2].startswith("Bottom line:"), "the bottom line is not right under it"
        s.goto(FIXTURE_PAGES["due for review, with claims"])
        page.wait_for_load_state("networkidle")
        rows = page.locator("article table tbody tr")
        assert rows.count() == 4  # every fixture claim but the one reviewed on 2024-12-01
        s.goto(FIXTURE_PAGES["corrections, no history"])
        assert "not available" in page.locator("article").inner_text()
        s.assert_clean()


def test_no_hidden_control_in_the_tab_order(web: Session) -> None:
    """Tabbing through the home page reaches only visible controls (the palette's toggle is
    one, and its hidden radio buttons are not)."""
    page = web.page
    web.goto("")
    assert page.locator("[data-md-component=palette]").count() == 1
    # A radio button the theme hides before its label (the palette toggle: .md-option, then
    # the label it shows while checked) counts as that label: it is what the reader sees, and
    # where the theme draws the focus ring (.md-option.focus-visible + label).
    visible = """() => { const a = document.activeElement;
        if (!a || a === document.body) return null;
        const next = a.nextElementSibling;
        const e = a.matches("input.md-option") && next && next.tagName === "LABEL" ? next : a;
        const r = e.getBoundingClientRect(), st = getComputedStyle(e);
        return {tag: a.tagName,
                label: (e.innerText || a.getAttribute("aria-label") || e.title || "")
                .trim().slice(0, 40),
                visible: r.width > 0 && r.height > 0 && st.visibility !== "hidden"
                         && st.opacity !== "0"}; }"""
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(visible)
        if info is not None and not info["visible"]:  # the skip link fades in on focus
            page.wait_for_timeout(400)
            info = page.evaluate(visible)
        if info is None:
            break
        seen.append(info)
    hidden = [i for i in seen if not i["visible"]]
    assert seen and not hidden, f"hidden controls in the Tab order: {hidden}"
    web.assert_clean()


# --- the first screen on a phone: what a reader needs, without scrolling (issue 22) ----------

PHONE = VIEWPORTS["phone"]


def _on_first_screen(page: Any, locator: Any, what: str) -> str:
    """``locator``'s text, after asserting that it is shown and lies wholly inside the first
    screen of the page (the window at the top, no scrolling)."""
    assert page.evaluate("window.scrollY") == 0
    assert locator.count() >= 1, f"no {what} on the page"
    first = locator.first
    assert first.is_visible(), f"the {what} is not visible"
    box = first.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], \
        f"the {what} is not on the first screen: {box}"
    return str(first.inner_text())


def test_claim_page_first_screen_frames_the_claim(browser: Any, site: Site) -> None:
    claim = next(c for c in site.claims if len({a["source"] for a in c["appearances"]}) > 1)
    label = next(t for t in ("Accurate", "Mostly accurate", "Overstated", "Unproven",
                             "Inaccurate") if t.lower().replace(" ", "-") == claim["verdict"])
    with session(browser, site, viewport=PHONE) as s:
        s.goto(f"claims/{claim['id']}/")
        page = s.page
        frame = page.locator("article .kb-claim-frame")
        assert _on_first_screen(page, frame.locator(".kb-claim-label"), "Claim label") == "CLAIM"
        assert _on_first_screen(page, frame.locator(".kb-verdict"), "verdict") == label
        said = _on_first_screen(page, page.locator("article .kb-said-in"), "said-in line")
        others = len({a["source"] for a in claim["appearances"]}) - 1
        assert re.fullmatch(rf"Said in: .+, and {others} other articles?", said), said
        links = page.locator("article .kb-said-in a")
        assert links.first.get_attribute("href").startswith("../../articles/")
        assert links.nth(1).get_attribute("href") == "#where-it-appeared"
        assert page.title().startswith(f"Claim ({label}): ")
        s.assert_clean()


def test_scorecard_first_screen_says_what_the_article_is(browser: Any, site: Site,
                                                         fixture_site: Site) -> None:
    """The largest real scorecard and the fixture's (whose article has an address): publisher,
    date, the original and the summary sentence, before any scrolling."""
    largest = max((site.root / "articles").glob("*/index.html"), key=lambda p: p.stat().st_size)
    for where, path in ((site, f"articles/{largest.parent.name}/"),
                        (fixture_site, "articles/dailyhealth-walking/")):
        with session(browser, where, viewport=PHONE) as s:
            s.goto(path)
            page = s.page
            meta = _on_first_screen(page, page.locator("article .kb-article-meta"),
                                    "publisher and date")
            summary = _on_first_screen(page, page.locator("article .kb-summary"),
                                       "summary sentence")
            assert re.match(r"(Of \d+ claims we checked, |We checked )", summary), summary
            assert "passages" not in summary and "set aside" not in summary
            if where is fixture_site:
                assert meta.startswith("Published by Daily Health & Co., 2 May 2023."), meta
                link = page.locator("article .kb-article-meta a")
                assert _on_first_screen(page, link, "link to the original") == \
                    "Read the original article"
                assert link.get_attribute("href") == \
                    "https://dailyhealth.example/walking-back-pain?utm=feed&ref=1"
            else:  # no capture of the real articles carries an address
                assert "no address for the original" in meta, meta
            # the editors' figures are further down, under their own heading
            editors = page.get_by_role("heading", name="For editors: how the article was read")
            box = editors.bounding_box()
            assert box is not None and box["y"] > PHONE["height"]
            s.assert_clean()


def test_palette_toggle_switches_scheme_and_colours(browser: Any, site: Site) -> None:
    """The header's toggle turns the light scheme dark; a verdict's badge takes the dark fill
    the vocabulary gives it (the one source of both schemes' colours)."""
    from build_tools.core import vocabulary as v

    def rgb(hex_colour: str) -> str:
        h = hex_colour.lstrip("#")
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))

    with session(browser, site, viewport=PHONE, color_scheme="light") as s:
        s.goto("claims/")
        page = s.page
        badge = page.locator("#kb-claims .kb-verdict-inaccurate").first
        colour = v.VERDICT_COLOURS["inaccurate"]
        assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == rgb(colour.fill)
        page.locator("[data-md-component=palette] label:visible").first.click()
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == \
            rgb(colour.dark_fill)
        s.assert_clean()
