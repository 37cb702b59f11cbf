"""The whole site, built for real: ``python -m mkdocs build --strict`` in a subprocess.

One build of the repository's own knowledge base (into ``tmp_path`` with ``-d``, so the
repository's ``site/`` is never touched) is shared by most tests through a module-scoped
fixture; the determinism and broken-knowledge-base tests make one more build each, the latter
on a copy of mkdocs.yml, docs/, claims/ and sources/.

Every build runs with ``SOURCE_DATE_EPOCH`` fixed: MkDocs takes the build date (the sitemap's
``lastmod`` and the gzip header of ``sitemap.xml.gz``) from it, so two builds of the same input
can be compared byte for byte.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from build_tools.knowledge_base import load

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SOURCE_DATE_EPOCH = "1700000000"
"""Fixed for every build, so the sitemap dates (and the gzip header) are the same each time."""
CLAIM_IDS = sorted(p.stem for p in (REPO / "claims").glob("*.yml"))
SEARCH_WORDS = ("recurrence", "lumbar pillow", "disc pressure", "acetaminophen")
SITE_URL = "https://example.org/walking/"
"""The published address, as the Pages workflow sets it (mkdocs.yml reads SITE_URL)."""
SITE_PATH = urlsplit(SITE_URL).path


def mkdocs_build(cwd: Path, site_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m mkdocs build --strict`` in ``cwd`` (into ``site_dir`` if given)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    if site_dir is not None:
        cmd += ["-d", str(site_dir)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
               SITE_URL=SITE_URL)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
                          check=False)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by its relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


class Html(HTMLParser):
    """The parts of a built page the tests look at: every tag's attributes (and whether it is
    inside a <nav>), the text of every <script>, and the inline CSS."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], bool]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.styles: list[str] = []
        self._nav = 0
        self._in: tuple[str, dict[str, str]] | None = None
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "nav":
            self._nav += 1
        self.tags.append((tag, a, self._nav > 0))
        if "style" in a:
            self.styles.append(a["style"])
        if tag in ("script", "style"):
            self._in, self._text = (tag, a), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}, self._nav > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav -= 1
        if self._in and tag == self._in[0]:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._in[1], text))
            else:
                self.styles.append(text)
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site, built once with --strict into a temporary folder."""
    out = tmp_path_factory.mktemp("built") / "site"
    done = mkdocs_build(REPO, out)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}{done.stderr}"
    return out


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Html]:
    """Every built HTML page, parsed, by its path in the site."""
    return {p.relative_to(site).as_posix(): Html(p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html"))}


# (a) ----------------------------------------------------------------------------------------

def test_builds_clean_with_strict(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert not site.with_name("site.building").exists()
    assert not site.with_name("site.old").exists()
    for claim_id in CLAIM_IDS:
        assert (site / "claims" / claim_id / "index.html").is_file(), claim_id


# (b) ----------------------------------------------------------------------------------------

def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "site"
    done = mkdocs_build(REPO, again)
    assert done.returncode == 0, done.stdout + done.stderr
    first, second = snapshot(site), snapshot(again)
    assert sorted(first) == sorted(second), "the two builds made different sets of files"
    differ = [rel for rel in first if first[rel] != second[rel]]
    assert not differ, f"{len(differ)} files differ between two builds, e.g. {differ[:10]}"


# (c) ----------------------------------------------------------------------------------------

def _copy_project(to: Path) -> Path:
    shutil.copy2(REPO / "mkdocs.yml", to / "mkdocs.yml")
    for name in ("docs", "claims", "sources"):
        shutil.copytree(REPO / name, to / name)
    return to


def test_knowledge_base_error_fails_build_and_keeps_old_site(site: Path, tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    shutil.copytree(site, project / "site")  # a previously built site, where mkdocs.yml says
    before = snapshot(project / "site")

    claim = project / "claims" / "acetaminophen-relieves-low-back-pain.yml"
    lines = claim.read_text(encoding="utf-8").splitlines(keepends=True)
    line_no = next(i for i, ln in enumerate(lines, 1) if ln.startswith("verdict: "))
    lines[line_no - 1] = "verdict: acurate\n"
    claim.write_text("".join(lines), encoding="utf-8")

    done = mkdocs_build(project)
    output = done.stdout + done.stderr
    assert done.returncode != 0, f"the build succeeded on a broken knowledge base:\n{output}"
    message = re.compile(
        rf"claims/acetaminophen-relieves-low-back-pain\.yml:{line_no}:10: error: verdict: "
        r"'acurate' is not an allowed value")
    assert message.search(output), f"no checker message for the broken verdict in:\n{output}"
    assert "the knowledge base has 1 problem(s)" in output, output

    assert snapshot(project / "site") == before, "the failed build changed the old site"
    assert not (project / "site.building").exists(), "the staging folder was left behind"
    assert not (project / "site.old").exists()


# (d) ----------------------------------------------------------------------------------------

def _target(site: Path, page: str, url: str) -> Path | None:
    """The file a relative (or site-absolute) link on ``page`` points at; None for links that
    leave the page's document (other schemes, hosts) or stay on it (#fragment only)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith(SITE_PATH):  # the 404 page links from the site's root
        joined = path[len(SITE_PATH):]
    elif path.startswith("/"):
        return site.parent / "OUTSIDE-THE-SITE" / path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    rel = posixpath.normpath(joined)
    if rel == ".." or rel.startswith("../"):
        return site.parent / "OUTSIDE-THE-SITE" / rel
    target = site / rel if rel != "." else site
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path, pages: dict[str, Html]) -> tuple[int, list[str]]:
    """How many internal links the pages have, and those whose target is not in the site."""
    broken = []
    checked = 0
    for page, html in pages.items():
        for tag, attrs, _ in html.tags:
            for name in ("href", "src"):
                if name not in attrs:
                    continue
                target = _target(site, page, attrs[name])
                if target is None:
                    continue
                checked += 1
                if not target.is_file():
                    broken.append(f"{page}: <{tag} {name}={attrs[name]!r}>")
    return checked, broken


def test_every_internal_link_resolves(site: Path, pages: dict[str, Html]) -> None:
    checked, broken = broken_links(site, pages)
    assert checked > 1000, f"only {checked} internal links found; is the parser right?"
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])


# (e) ----------------------------------------------------------------------------------------

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""", re.IGNORECASE)
_LOADS = {  # tag: the attributes through which it loads something
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "embed": ("src",), "object": ("data",), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "input": ("src",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"), "link": ("href",),
}


def _css_remote(css: str) -> list[str]:
    urls = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(css)]
    urls += _CSS_IMPORT.findall(css)
    return [u for u in urls if _REMOTE.match(u)]


def test_site_loads_nothing_from_other_hosts(site: Path, pages: dict[str, Html]) -> None:
    remote = []
    for page, html in pages.items():
        for tag, attrs, _ in html.tags:
            if tag == "link" and attrs.get("rel", "").lower() in ("next", "prev", "canonical",
                                                                  "alternate"):
                continue  # navigation between pages, not a resource the page loads
            for name in _LOADS.get(tag, ()):
                for url in re.split(r",\s*", attrs.get(name, "")):
                    if _REMOTE.match(url):
                        remote.append(f"{page}: <{tag} {name}={url!r}>")
        for css in html.styles:
            remote += [f"{page}: inline CSS loads {u!r}" for u in _css_remote(css)]
    for css_file in sorted(site.rglob("*.css")):
        remote += [f"{css_file.relative_to(site)}: loads {u!r}"
                   for u in _css_remote(css_file.read_text(encoding="utf-8"))]
    assert not remote, "the site loads from other hosts:\n" + "\n".join(remote[:40])


def test_links_to_doi_org_are_allowed_and_present(pages: dict[str, Html]) -> None:
    """Following a link is the reader's choice; the references do link to doi.org."""
    assert any(tag == "a" and attrs.get("href", "").startswith("https://doi.org/")
               for html in pages.values() for tag, attrs, _ in html.tags)


# (f) ----------------------------------------------------------------------------------------

def search_fragments(site: Path) -> dict[str, dict]:
    """Every page in the site's search index (Pagefind's fragments: gzip, a signature, JSON),
    by its address under the site."""
    out = {}
    for f in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(f.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), f
        data = json.loads(raw[len(b"pagefind_dcd"):])
        out[data["url"].removeprefix(SITE_PATH).lstrip("/")] = data
    return out


def test_search_finds_claim_pages(site: Path) -> None:
    """Pagefind's index (issue 17) has every claim page, with the words a reader types."""
    indexed = search_fragments(site)
    missing = [c for c in CLAIM_IDS if f"claims/{c}/" not in indexed]
    assert not missing, f"claims not in the search index: {missing[:5]}"
    for word in SEARCH_WORDS:
        hits = [u for u, d in indexed.items()
                if u.startswith("claims/") and word in d["content"].lower()]
        assert hits, f"no claim page in the search index contains {word!r}"
        for url in hits:
            assert (site / url / "index.html").is_file(), url


# (g) ----------------------------------------------------------------------------------------

def test_each_claim_page_has_one_claim_review(pages: dict[str, Html]) -> None:
    kb = load(REPO)
    claims = kb.claims_by_id
    for claim_id in CLAIM_IDS:
        claim = claims[claim_id]
        html = pages[f"claims/{claim_id}/index.html"]
        blocks = [text for attrs, text in html.scripts
                  if attrs.get("type") == "application/ld+json"]
        assert len(blocks) == 1, f"{claim_id}: {len(blocks)} JSON-LD blocks (expected 1)"
        data = json.loads(blocks[0])
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "ClaimReview", claim_id
        reviewed = data["claimReviewed"]
        assert reviewed == claim.statement, (claim_id, reviewed)  # whole, never cut
        rating = data["reviewRating"]
        assert rating["@type"] == "Rating"
        assert isinstance(rating["ratingValue"], int) and 1 <= rating["ratingValue"] <= 5
        assert isinstance(rating["alternateName"], str) and rating["alternateName"]
        assert rating["ratingExplanation"] == claim.bottom_line, claim_id
        item = data["itemReviewed"]
        assert item["@type"] == "Claim", claim_id
        assert item["appearance"], f"{claim_id}: itemReviewed has no appearance"
        for work in item["appearance"]:
            assert work["@type"] == "CreativeWork" and work["headline"]
        first = item["firstAppearance"]
        dates = [w["datePublished"] for w in item["appearance"] if "datePublished" in w]
        assert first.get("datePublished") == min(dates, default=None), claim_id
        for work in [*item["appearance"], item]:  # a publisher's name, or no author at all
            assert "Publisher of" not in work.get("author", {}).get("name", ""), claim_id
        source = kb.sources[claim.articles[0]] if not dates else None
        if source is not None and source.get("publisher"):
            assert item["author"]["name"] == source.get("publisher"), claim_id


# (h) ----------------------------------------------------------------------------------------

def test_data_downloads_agree_with_the_claims(site: Path) -> None:
    data = json.loads((site / "data" / "claims.json").read_text(encoding="utf-8"))
    assert sorted(c["id"] for c in data["claims"]) == CLAIM_IDS

    rows = list(csv.DictReader(io.StringIO((site / "data" / "claims.csv")
                                           .read_text(encoding="utf-8"))))
    assert sorted(r["id"] for r in rows) == CLAIM_IDS

    bib = (site / "data" / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,\s]+),$", bib, flags=re.MULTILINE)
    kb = load(REPO)
    assert sorted(keys) == sorted(kb.sources), "references.bib and sources/*.bib differ"
    used = {a["source"] for c in data["claims"] for a in c["appearances"]}
    used |= {k for c in data["claims"] for a in c["appearances"] for k in a["cites"]}
    used |= {e["source"] for c in data["claims"] for e in c["evidence"]}
    assert used <= set(keys), f"claims use sources missing from references.bib: {used - set(keys)}"
    assert set(data["sources"]) == set(keys)


# (i) ----------------------------------------------------------------------------------------

_DETAIL_PAGE = re.compile(r"^(claims|sources|articles)/[^/]+/")


def _nav_targets(page: str, html: Html) -> set[str]:
    out = set()
    for tag, attrs, in_nav in html.tags:
        if tag == "a" and in_nav and "href" in attrs:
            parts = urlsplit(attrs["href"])
            if parts.scheme or parts.netloc or not parts.path:
                continue  # other hosts; and the table of contents' #fragments of this page
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
            out.add("" if rel == "." else rel + "/")
    return out


@pytest.mark.parametrize("page", ["index.html", "claims/index.html",
                                  f"claims/{CLAIM_IDS[0]}/index.html"])
def test_claim_and_source_pages_are_not_in_the_navigation(pages: dict[str, Html],
                                                          page: str) -> None:
    targets = _nav_targets(page, pages[page])
    assert {"claims/", "sources/", "articles/", "flags/"} <= targets, \
        f"the navigation of {page} does not list the index pages: {sorted(targets)}"
    detail = sorted(t for t in targets if _DETAIL_PAGE.match(t))
    assert not detail, f"the navigation of {page} lists claim/source/article pages: {detail}"


# (j) ----------------------------------------------------------------------------------------

def _pages_of(site: Path) -> list[str]:
    """The address of every built page but the 404 page, relative to the site's root."""
    out = []
    for p in sorted(site.rglob("index.html")):
        rel = p.relative_to(site).parent.as_posix()
        out.append("" if rel == "." else rel + "/")
    return out


def test_published_pages_carry_absolute_addresses(site: Path, pages: dict[str, Html]) -> None:
    """With SITE_URL set: canonical links, absolute ClaimReview urls and a full sitemap."""
    for path in _pages_of(site):
        html = pages[path + "index.html"]
        canonical = [a["href"] for tag, a, _ in html.tags
                     if tag == "link" and a.get("rel") == "canonical"]
        assert canonical == [SITE_URL + path], path
    for claim_id in CLAIM_IDS:
        html = pages[f"claims/{claim_id}/index.html"]
        data = json.loads(next(t for a, t in html.scripts
                               if a.get("type") == "application/ld+json"))
        assert data["url"] == f"{SITE_URL}claims/{claim_id}/"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert sorted(listed) == sorted(SITE_URL + p for p in _pages_of(site))


def test_search_shows_the_statement_verdict_and_bottom_line(site: Path) -> None:
    """What a result shows of a claim: its statement (the title), its verdict (a filter) and
    its bottom line (metadata), each as the claim has it."""
    indexed = search_fragments(site)
    for claim in load(REPO).claims:
        data = indexed[f"claims/{claim.id}/"]
        assert data["meta"]["title"] == " ".join(claim.statement.split()), claim.id
        assert data["meta"]["bottom_line"] == " ".join(claim.bottom_line.split()), claim.id
        assert data["filters"]["verdict"] == [claim.verdict], claim.id
        assert data["filters"]["type"] == ["claim"], claim.id
        assert data["content"].startswith(data["meta"]["title"]), claim.id


def test_every_page_has_its_own_description(pages: dict[str, Html]) -> None:
    seen: dict[str, str] = {}
    for path, html in pages.items():
        if path == "404.html":
            continue
        found = [a.get("content", "") for tag, a, _ in html.tags
                 if tag == "meta" and a.get("name") == "description"]
        assert len(found) == 1 and found[0].strip(), path
        assert found[0] not in seen, f"{path} and {seen.get(found[0])} share {found[0]!r}"
        seen[found[0]] = path


def test_corrections_feed_is_atom_and_matches_the_page(site: Path) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "corrections.xml").getroot()
    assert feed.tag == f"{atom}feed"
    assert feed.find(f"{atom}id").text == SITE_URL + "corrections.xml"
    entries = feed.findall(f"{atom}entry")
    page = (site / "corrections" / "index.html").read_text(encoding="utf-8")
    assert len(entries) == page.count("Recorded with the change")
    dates = [e.find(f"{atom}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True), "not newest first"
    for e in entries:
        assert e.find(f"{atom}link").get("href").startswith(SITE_URL + "claims/")
        assert e.find(f"{atom}id").text.startswith("urn:uuid:")
