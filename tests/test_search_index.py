"""The search's parts outside the browser: the synonym table and its matching, the filters and
the settings file, and ``search-index`` (Pagefind run over a built site) on small sites written
here: deterministic output, what is kept, and the errors that leave the old index in place.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import cbor2
import pytest

from build_tools import search_index
from build_tools.core import vocabulary as v
from build_tools.core.problems import CannotRun
from build_tools.core.synonyms import other_words, uses
from build_tools.render import search

REPO = Path(__file__).resolve().parents[1]

# --- the synonym table -------------------------------------------------------------------------

OTHER_WORDS = [
    # text, the other words it is indexed with (in the table's order)
    ("Over-the-counter Tylenol relieves back pain.", ["paracetamol", "acetaminophen", "panadol"]),
    ("acetaminophen (paracetamol, Tylenol)", ["panadol"]),
    ("NSAIDs such as naproxen", ["aleve", "anti-inflammatory painkiller",
                                "anti-inflammatory drug"]),
    ("lowers the risk of back pain coming back", ["recurrence", "flare-up", "relapse"]),
    ("a flare up of pain", ["recurrence", "coming back", "relapse"]),
    ("Retro walking (walking backward)", ["walking backwards", "backward walking",
                                          "backwards walking", "reverse walking"]),
    ("Bed rest is not advised", ["resting in bed", "staying in bed"]),
    ("pressure on the lumbar discs", ["disk"]),
    ("10,000 steps a day", ["ten thousand steps", "10k steps"]),
    ("a discussion of diskettes and flared-up tempers", []),
    ("worn lumbar supports did not prevent back pain", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), OTHER_WORDS)
def test_a_text_is_indexed_with_the_other_words_of_its_groups(text: str,
                                                              expected: list[str]) -> None:
    assert other_words(text) == expected


def test_matching_takes_plurals_and_hyphens_not_parts_of_words() -> None:
    assert uses("two NSAIDs", "nsaid") and uses("the discs", "disc")
    assert uses("a flare up", "flare-up") and uses("a flare-up", "flare up")
    assert not uses("discussion", "disc") and not uses("physiology", "physio")


def test_the_synonym_table_is_groups_of_distinct_lowercase_words() -> None:
    seen: dict[str, int] = {}
    for i, group in enumerate(v.SYNONYMS):
        assert len(group) >= 2, group
        for word in group:
            assert word == word.lower().strip() and word, word
            assert word not in seen, f"{word!r} in groups {seen.get(word)} and {i}"
            seen[word] = i
    assert not v.SEARCH_STOP_WORDS & set(seen), "a synonym is also a stop word"


def test_the_methodology_page_shows_the_table() -> None:
    from build_tools.knowledge_base import load
    from build_tools.render.site import SiteSettings, render_site

    page = render_site(load(REPO / "tests" / "golden" / "kb"), SiteSettings())["methodology.md"]
    for group in v.SYNONYMS:
        assert " · ".join(g.replace("-", "\\-").replace(".", "\\.") for g in group) in page, group


# --- filters and settings -----------------------------------------------------------------------


def _claim(**fields: object) -> SimpleNamespace:
    base: dict[str, object] = dict(verdict="overstated", certainty=None, flags=["uncited"],
                                   topics=["walking", "sleep"], articles=["a1"], population=[],
                                   intervention=[], comparator=[], outcome=[],
                                   evidence=[])
    return SimpleNamespace(**{**base, **fields})


def test_a_claims_filters_and_its_row_on_the_claims_index() -> None:
    claim = _claim(certainty=SimpleNamespace(level="low"))
    assert search.claim_filters(claim) == [  # type: ignore[arg-type]
        ("type", "claim"), ("verdict", "overstated"), ("certainty", "low"), ("flag", "uncited"),
        ("topic", "walking"), ("topic", "sleep"), ("article", "a1")]
    assert search.row_values(claim) == {  # type: ignore[arg-type]
        "verdict": "overstated", "certainty": "low", "flag": "uncited",
        "topic": "walking sleep", "article": "a1"}
    assert ("certainty", "not-assessed") in search.claim_filters(_claim())  # type: ignore


def test_pico_filters_appear_when_some_claim_uses_their_terms() -> None:
    plain = [_claim()]
    names = [f.name for f in search.facets(plain, [], str)]  # type: ignore[arg-type]
    assert names == ["type", "verdict", "certainty", "flag", "topic", "article"]
    with_pico = [_claim(population=["older-adults"], outcome=["pain", "function"]),
                 _claim(population=["athletes"])]
    facets = {f.name: f for f in search.facets(with_pico, [], str)}  # type: ignore[arg-type]
    assert "intervention" not in facets
    assert {value for value, _ in facets["population"].values} == {"older-adults", "athletes"}
    assert ("outcome", "pain") in search.claim_filters(with_pico[0])  # type: ignore[arg-type]


def test_the_settings_file_names_every_filter_once() -> None:
    from build_tools.knowledge_base import load
    from build_tools.render.site import SiteSettings, render_site

    pages = render_site(load(REPO / "tests" / "golden" / "kb"), SiteSettings())
    data = json.loads(pages[search.SETTINGS_PATH])
    names = [f["name"] for f in data["facets"]]
    assert len(names) == len(set(names)) and "q" not in names
    assert data["ranking"] == search.RANKING
    assert set(data["stop_words"]) == v.SEARCH_STOP_WORDS
    # the claims index offers the same filters, under the same names
    index = pages["claims/index.md"]
    for name in names:
        assert (f'id="kb-filter-{name}"' in index) == (name != "type"), name


# --- search-index on a small site -----------------------------------------------------------------

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<nav>Menu words that must not be indexed</nav>
<h1 data-pagefind-body>{title}</h1>
<p data-pagefind-body data-pagefind-weight="5">{text}</p>
<div hidden>{filters}</div>
<footer>Footer words</footer></body></html>
"""


def write_site(root: Path, n: int = 40, marked: bool = True, directories: bool = True) -> Path:
    """``n`` claim-like pages with three filters of several values each, a home page, a claims
    index that marks nothing and a page outside the claims that marks something (it is not
    read: only the folders of indexed pages are); ``directories``: ``claims/x/index.html``,
    else ``claims/x.html``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text("<!doctype html><html lang='en'><body><h1>Home</h1>"
                                     "</body></html>", encoding="utf-8")
    verdicts = ["accurate", "mostly-accurate", "overstated", "unproven", "inaccurate"]
    for i in range(n):
        filters = "".join(f'<span data-pagefind-filter="{k}:{val}"></span>' for k, val in (
            ("verdict", verdicts[i % 5]), ("topic", f"topic-{i % 7}"), ("topic", f"t{i % 3}"),
            ("article", f"article-{i % 4}"), ("type", "claim")))
        html = PAGE.format(title=f"Claim number {i} about walking", text=f"Bottom line {i}: "
                           f"walking {'helps' if i % 2 else 'may help'} back pain.",
                           filters=filters)
        if not marked:
            html = html.replace(" data-pagefind-body", "")
        page = root / "claims" / (f"c{i:03d}/index.html" if directories else f"c{i:03d}.html")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(html, encoding="utf-8")
    (root / "claims" / "index.html").write_text(PAGE.format(  # as the site's: marks nothing
        title="All claims", text="A list", filters="").replace(" data-pagefind-body", ""),
        encoding="utf-8")
    (root / "flags.html").write_text(PAGE.format(title="Flags", text="A list", filters=""),
                                     encoding="utf-8")
    return root


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def read(path: Path) -> object:
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(search_index.SIGNATURE)
    return cbor2.loads(raw[len(search_index.SIGNATURE):])


def test_the_index_is_byte_identical_from_one_run_to_the_next(tmp_path: Path) -> None:
    """Pagefind alone writes its filter files in a different order (and so under other names)
    from run to run; search-index sorts them."""
    site = write_site(tmp_path / "site")
    runs = []
    for _ in range(4):
        summary = search_index.build_index(site)
        runs.append(digest(site / "pagefind"))
    assert summary.pages == 40 and summary.languages == ("en",)
    assert all(r == runs[0] for r in runs[1:]), "the index changed between runs"
    other = write_site(tmp_path / "elsewhere" / "site")  # the same pages in another folder
    search_index.build_index(other)
    assert digest(other / "pagefind") == runs[0]


@pytest.mark.parametrize("directories", [True, False])
def test_only_the_pages_of_claims_sources_and_articles_are_read(tmp_path: Path,
                                                                 directories: bool) -> None:
    site = write_site(tmp_path / "site", n=6, directories=directories)
    assert search_index.build_index(site).pages == 6
    urls = sorted(json.loads(gzip.decompress(f.read_bytes())[12:])["url"]
                  for f in (site / "pagefind" / "fragment").iterdir())
    assert urls == [f"/claims/c{i:03d}{'/' if directories else '.html'}" for i in range(6)]


def test_filters_are_sorted_and_named_by_their_bytes(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    search_index.build_index(site)
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_hash = entry["languages"]["en"]["hash"]
    meta = read(bundle / f"pagefind.{meta_hash}.pf_meta")
    assert isinstance(meta, list)
    names = [name for name, _ in meta[3]]
    assert names == sorted(names) == ["article", "topic", "type", "verdict"]
    for name, file_hash in meta[3]:
        path = bundle / "filter" / f"{file_hash}.pf_filter"
        key, values = read(path)  # type: ignore[misc]
        assert key == name and [x[0] for x in values] == sorted(x[0] for x in values)
        body = cbor2.dumps([key, values])
        assert f"en_{search_index._full_hash(body)}".startswith(file_hash)
    assert meta_hash == f"en_{search_index._full_hash(cbor2.dumps(meta))[:10]}"
    assert len(list((bundle / "filter").iterdir())) == 4


def test_only_what_the_site_loads_is_kept(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", n=5)
    search_index.build_index(site)
    bundle = site / "pagefind"
    top = sorted(p.name for p in bundle.iterdir())
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    assert top == sorted([*search_index.KEPT, "filter", "fragment", "index", "wasm.en.pagefind",
                          meta])
    content = " ".join(json.loads(gzip.decompress(f.read_bytes())[12:])["content"]
                       for f in (bundle / "fragment").iterdir())
    assert "Menu words" not in content and "Footer" not in content and "Home" not in content
    assert "Bottom line 3" in content


def test_a_site_that_marks_nothing_is_refused_and_the_old_index_kept(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", n=3)
    search_index.build_index(site)
    before = digest(site / "pagefind")
    for page in (site / "claims").rglob("index.html"):
        page.write_text(page.read_text(encoding="utf-8").replace(" data-pagefind-body", ""),
                        encoding="utf-8")
    with pytest.raises(CannotRun, match="no page marks what to index"):
        search_index.build_index(site)
    assert digest(site / "pagefind") == before
    assert not list(tmp_path.glob(".pagefind-*")), "the staging folder was left behind"


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p, "no index.html there"),
    (lambda p: p / "missing", "no index.html there"),
])
def test_search_index_command_errors_are_one_line(tmp_path: Path, make: object,
                                                  message: str) -> None:
    target = make(tmp_path)  # type: ignore[operator]
    done = subprocess.run([sys.executable, "-m", "build_tools", "search-index", str(target)],
                          cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines


def test_without_pagefind_the_error_says_what_to_install(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    site = write_site(tmp_path / "site", n=1)
    real = search_index.importlib.util.find_spec
    monkeypatch.setattr(search_index.importlib.util, "find_spec",
                        lambda name, *a: None if name == "pagefind" else real(name, *a))
    with pytest.raises(CannotRun, match=r"pip install 'pagefind\[bin\]'"):
        search_index.build_index(site)
    assert not (site / "pagefind").exists()
