"""Hostile text in the knowledge base stays text on the built site.

Every text field a claim or a BibTeX entry can carry holds the same payloads (a script tag, an
``<img onerror>``, a Markdown ``javascript:`` link, an attribute break-out with ``<svg onload>``
and a template expression); topics cannot hold them (they must be kebab-case words), so they are
left out. The study's notices (concern, corrected) hold what a DOI allows, which is anything
without white space. The knowledge base must still check clean, and ``mkdocs build --strict``
must turn it into pages where none of it became markup: no ``<script>alert``, no ``<img src=x``, no
``onerror``/``onload`` attribute, no ``javascript:`` address in any href or src, and no ``49``
where ``{{ 7*7 }}`` was written.

A ``javascript:`` address in a BibTeX ``url`` is refused by the checker, so that case is tested
on its own: the checker's error, and what the render functions make of such a source if it
slipped through anyway.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from build_tools.knowledge_base import load
from build_tools.render.references import doi_url, safe_url
from build_tools.render.site import SiteSettings, render_site

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 1, 1)

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    '"><svg onload=alert(1)>',
    "{{ 7*7 }}",
)
ALL = " ".join(PAYLOADS)
QUOTE = f"Walking cures back pain {ALL} so walk more"
"""The article's words: in the capture, verbatim, so the checker finds the quote."""

CLAIM_ID = "walking-cures-back-pain-payload"
ARTICLE = "evil-article"
STUDY = "evil2020"


def _bib(url: str = "https://evil.example/walking") -> str:
    return f"""\
@online{{{ARTICLE},
  title     = {{Evil article {ALL}}},
  author    = {{{{Evil Org {ALL}}}}},
  publisher = {{Evil Press {ALL}}},
  year      = {{2024}},
  url       = {{{url}}},
  design    = {{web-article}},
  interest  = {{pillows {ALL}}},
  note      = {{Article note {ALL}}}
}}

@article{{{STUDY},
  author    = {{Payload, Anna and {{Group {ALL}}} and Other, B}},
  title     = {{Study title {ALL}}},
  journal   = {{Journal {ALL}}},
  publisher = {{Study Press {ALL}}},
  year      = {{2020}},
  doi       = {{10.1000/evil.2020.1}},
  design    = {{rct}},
  concern   = {{10.1000/"><svg/onload=alert(1)>, 2021}},
  corrected = {{10.1000/<script>alert(1)</script>, 2022-01-02; PMID 123}},
  note      = {{Study note {ALL}}}
}}
"""


CLAIM = {
    "statement": f"Walking cures back pain {ALL}",
    "bottom_line": f"Walking may help {ALL}",
    "topics": ["walking"],
    "population": ["low-back-pain"],
    "intervention": ["walking"],
    "outcome": ["pain"],
    "appearances": [{
        "source": ARTICLE,
        "quote": QUOTE,
        "cites": [STUDY],
        "promotional": True,
        "note": f"Appearance note {ALL}",
    }],
    "evidence": [{
        "source": STUDY,
        "stance": "partly-supports",
        "finding": f"Finding {ALL}",
        "note": f"Evidence note {ALL}",
    }],
    "verdict": "overstated",
    "certainty": {"level": "low", "start": "high",
                  "downgrades": {"risk_of_bias": -1, "inconsistency": 0, "indirectness": -1,
                                 "imprecision": 0, "publication_bias": 0}, "upgrades": {},
                  "reasons": {"risk_of_bias": f"Bias {ALL}", "indirectness": f"Other {ALL}"}},
    "rationale": f"Rationale {ALL}",
    "reviewed": dt.date(2024, 6, 1),
    "note": f"Editor note {ALL}",
}


def write_kb(root: Path, url: str = "https://evil.example/walking") -> Path:
    (root / "claims").mkdir(parents=True)
    (root / "sources" / "captures").mkdir(parents=True)
    (root / "claims" / f"{CLAIM_ID}.yml").write_text(
        yaml.safe_dump(CLAIM, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (root / "sources" / "refs.bib").write_text(_bib(url), encoding="utf-8")
    (root / "sources" / "captures" / f"{ARTICLE}.txt").write_text(
        f"Evil article\n\n{QUOTE}.\n", encoding="utf-8")
    (root / "sources" / "captures" / f"{ARTICLE}.yml").write_text(
        "set_aside:\n  - quote: Evil article\n    reason: heading\n", encoding="utf-8")
    return root


class Tags(HTMLParser):
    """Every tag with its attributes, the page's <title> text (the first one: charts carry SVG
    <title>s too), and the text outside scripts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []
        self.title = ""
        self.text: list[str] = []
        self._in: str | None = None
        self._titles = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, [(k, v or "") for k, v in attrs]))
        if tag in ("title", "script", "style"):
            self._in = tag
        if tag == "title":
            self._titles += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, [(k, v or "") for k, v in attrs]))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            if self._titles == 1:
                self.title += data
        elif self._in is None:
            self.text.append(data)


_JS_URL = re.compile(r"^[\s\x00-\x1f]*(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|vbscript|data)\s*:",
                     re.IGNORECASE)


def unsafe_markup(html: str) -> list[str]:
    """What in ``html`` is markup a payload made, rather than text."""
    found = []
    for raw in ("<script>alert", "<img src=x", "<svg onload"):
        if raw in html.lower():
            found.append(f"raw {raw!r}")
    parsed = Tags(html)
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            if name in ("onerror", "onload") or (name.startswith("on") and "alert" in value):
                found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "xlink:href", "action", "formaction") and \
                    _JS_URL.match(value) and not value.startswith("data:image/"):
                found.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            found.append("<img src=x>")
    return found


def _project(root: Path) -> Path:
    """A project like the repository's (its mkdocs.yml and docs/), around a hostile KB."""
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    write_kb(root)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _project(tmp_path_factory.mktemp("hostile"))
    kb = load(root, today=TODAY)
    assert not kb.report.sorted(), [p.format() for p in kb.report.sorted()]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "site"


@pytest.fixture(scope="module")
def html_pages(built: Path) -> dict[str, str]:
    return {p.relative_to(built).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(built.rglob("*.html"))}


@pytest.mark.slow
def test_payloads_reach_the_pages_as_text(html_pages: dict[str, str]) -> None:
    """The test is not vacuous: the payloads are on the pages, escaped."""
    claim = html_pages[f"claims/{CLAIM_ID}/index.html"]
    text = " ".join(Tags(claim).text)
    for payload in PAYLOADS:
        assert payload in text, f"{payload!r} is not shown as text on the claim page"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in claim
    for page in ("sources/evil2020/index.html", "articles/evil-article/index.html"):
        assert "&lt;script&gt;alert(1)" in html_pages[page], page


@pytest.mark.slow
def test_no_payload_became_markup(html_pages: dict[str, str]) -> None:
    problems = {page: found for page, html in html_pages.items()
                if (found := unsafe_markup(html))}
    assert not problems, json.dumps(problems, indent=1)


@pytest.mark.slow
def test_template_expressions_are_not_evaluated(html_pages: dict[str, str]) -> None:
    for page in (f"claims/{CLAIM_ID}/index.html", "sources/evil2020/index.html",
                 "articles/evil-article/index.html", "claims/index.html"):
        text = " ".join(Tags(html_pages[page]).text)
        assert "7*7" in text, page
        assert "49" not in text, f"{page}: {{{{ 7*7 }}}} was evaluated"


@pytest.mark.slow
def test_page_titles_are_plain_text(html_pages: dict[str, str]) -> None:
    for page in (f"claims/{CLAIM_ID}/index.html", "sources/evil2020/index.html",
                 "sources/evil-article/index.html", "articles/evil-article/index.html"):
        title = Tags(html_pages[page]).title
        assert title.strip(), page
        assert not set(title) & set('<>"{}[]`'), f"{page}: <title>{title}</title>"
        assert "49" not in title


@pytest.mark.slow
def test_claim_review_carries_the_payload_as_data(html_pages: dict[str, str]) -> None:
    claim = html_pages[f"claims/{CLAIM_ID}/index.html"]
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', claim, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["claimReviewed"].startswith("Walking cures back pain <script>alert(1)")


@pytest.mark.slow
def test_search_index_holds_the_payloads_as_text(built: Path) -> None:
    """Pagefind stores a page's text, title and metadata as text (its excerpts escaped, with
    ``<mark>`` added): the payloads are in the index as the reader's words, and the site's
    search (docs/javascripts/search.js) puts them on the page as text nodes, never as markup."""
    from test_site_build import search_fragments

    indexed = search_fragments(built)
    claims = [d for u, d in indexed.items() if u.startswith("claims/")]
    assert claims, "no claim page in the search index"
    for payload in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>"):
        assert any(payload in d["meta"]["title"] + d["content"] for d in claims), payload
    script = (REPO / "docs" / "javascripts" / "search.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)


# A javascript: URL -------------------------------------------------------------------------

def test_checker_rejects_a_javascript_url(tmp_path: Path) -> None:
    kb = load(write_kb(tmp_path, url="javascript:alert(1)"), today=TODAY)
    errors = [p.format() for p in kb.report.sorted()]
    bib = (tmp_path / "sources" / "refs.bib").as_posix()
    assert errors == [f"{bib}:6:1: error: evil-article: url 'javascript:alert(1)' is not valid "
                      "(expected an http:// or https:// address)"]


_MD_EXTENSIONS = ["admonition", "attr_list", "tables", "toc"]


def _as_html(text: str) -> str:
    """A rendered Markdown page as HTML, as the site's Markdown extensions would make it."""
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return markdown.markdown(body, extensions=_MD_EXTENSIONS)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 'https://x.example/"><svg onload=alert(1)>'])
def test_render_drops_unsafe_urls_that_slipped_through(tmp_path: Path, url: str) -> None:
    """If a bad url got past the checker, the renderer still links nothing to it."""
    kb = load(write_kb(tmp_path, url=url), today=TODAY)
    assert kb.sources[ARTICLE].get("url") == url.strip()  # the bad value is in the record
    settings = SiteSettings(site_url="https://example.org/", repo_url="javascript:alert(1)")
    pages = render_site(kb, settings)
    for path, text in pages.items():
        if not path.endswith(".md"):
            continue
        found = unsafe_markup(_as_html(text))
        assert not found, (path, found)
    claim = pages[f"claims/{CLAIM_ID}.md"]
    assert "Edit this claim" not in claim  # repo_url javascript: gives no edit link
    review = json.loads(re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>',
                                  claim, re.S).group(1))
    assert "url" not in review["itemReviewed"]["appearance"][0]


@pytest.mark.parametrize("url", [None, "", "javascript:alert(1)", "JAVASCRIPT:alert(1)",
                                 "vbscript:x", "//evil.example/x", "ftp://x.example/",
                                 "https://x.example/a b", 'https://x.example/"onload=x',
                                 "https://x.example/<svg>"])
def test_safe_url_refuses(url: str | None) -> None:
    assert safe_url(url) is None


def test_safe_url_keeps_plain_web_addresses() -> None:
    assert safe_url("https://www.nice.org.uk/guidance/ng59") == \
        "https://www.nice.org.uk/guidance/ng59"
    assert safe_url("http://example.org/a?b=1&c=2") == "http://example.org/a?b=1&c=2"


def test_doi_url_refuses_or_encodes_markup() -> None:
    assert doi_url("javascript:alert(1)") is None
    url = doi_url('10.1000/x"><svg/onload=alert(1)>')
    assert url is not None and not set(url) & set('<>" ')
