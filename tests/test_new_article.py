"""A new article from its address to a checked entry, with nothing to repair by hand: pages
served on 127.0.0.1 that declare their metadata in each of the ways real sites do, or not at
all, give an entry with exactly what they declare and a note saying where it came from;
``--dry-run`` writes nothing; ``check`` warns on a byline that is a date."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, snapshot, write_kb

from build_tools.commands import add
from build_tools.knowledge_base import load

PAGES = FIXTURES / "pages"
TODAY = dt.date(2026, 2, 1)
ARTICLES = "% The articles.\n"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_kb(tmp_path / "kb", bibs={"articles.bib": ARTICLES})
    monkeypatch.chdir(tmp_path / "kb")
    return Path(".")


SAVED = {"byline-date-only": "https://1on1pt.example/blog/walking-for-low-back-pain/"}
"""Pages given as saved from a browser (``--html``), with their own address: served on
127.0.0.1, a page's canonical address on another host is not taken (issue 19), and the key's
lead comes from the publisher alone."""


def add_page(root: Path, server: Any, name: str, **kw: Any) -> tuple[int, str, str, str]:
    if name in SAVED:
        url, html = SAVED[name], PAGES / f"{name}.html"
    else:
        path = f"/blog/{name}/"
        server.expect_request(path).respond_with_data(
            (PAGES / f"{name}.html").read_bytes(), content_type="text/html; charset=utf-8")
        url, html = server.url_for(path), None
    out, err = io.StringIO(), io.StringIO()
    code = add._run(lambda: add.add_article(root, url, html_file=html,
                                            interest="physical therapy", today=TODAY, **kw),
                    out, err)
    return code, out.getvalue(), err.getvalue(), url


def entry(root: Path) -> dict[str, str]:
    text = (root / "sources" / "articles.bib").read_text(encoding="utf-8")
    body = text[len(ARTICLES):].strip()
    fields = {"@": body.splitlines()[0]}
    for line in body.splitlines()[1:-1]:
        name, _, value = line.strip().partition(" = ")
        fields[name.strip()] = value.rstrip(",").strip()[1:-1]
    return fields


# page, key, the fields the page declares (None: the field must be left out), and what the note
# must say of where they came from
CASES = [
    ("yoast-graph", "mgp-walking-help-sciatica",
     {"date": "2024-11-04", "author": "Thackeray-Vale, Imogen",
      "publisher": "Maple Grove Physiotherapy"},
     "the date from its JSON-LD datePublished, the author from its JSON-LD author, the "
     "publisher from its og:site_name."),
    ("time-element", "five-myths-back-pain-exercise",
     {"date": "2023-06-14", "author": "Wrenfield, Tobias", "publisher": None},
     "the date from its <time> element, the author from its author meta tag; it declares no "
     "publisher."),
    ("jsonld-sitename", "2wpt-walking-lumbar-discectomy",
     {"date": "2025-04-30", "author": "{2nd Wind Clinical Team}",
      "publisher": "2nd Wind Physical Therapy"},
     "the date from its JSON-LD datePublished, the author from its JSON-LD author, the "
     "publisher from its JSON-LD WebSite name."),
    ("byline-date-only", "1on1pt-walking-low-back-pain",
     {"date": "2026-01-09", "author": None, "publisher": "1 on 1 Physical Therapy"},
     "the date from its byline (\"• January 9, 2026\"), the publisher from its og:site_name; it "
     "declares no author."),
    ("dated-byline", "nbr-walking-good-lower-back-pain",
     {"date": "2025-10-18", "author": "Ashcombe-Lindqvist, Rowan",
      "publisher": "Northfield Back Relief"},
     "the date from its byline (\"By Rowan Ashcombe-Lindqvist, PT, DPT | Published: "
     "10/18/2025\"), the author from its byline (\"By Rowan Ashcombe-Lindqvist, PT, DPT | "
     "Published: 10/18/2025\"), the publisher from its og:site_name."),
    ("microdata", "cmp-walking-backwards-ease-back-pain",
     {"date": "2022-03-03", "author": "Penhallow, Saoirse",
      "publisher": "Coastal Movement Physio"},
     "the date from its microdata datePublished, the author from its microdata author, the "
     "publisher from its microdata publisher."),
    ("declares-nothing", "walking-back",
     {"date": None, "author": None, "publisher": None},
     "; it declares no date, author or publisher."),
]


@pytest.mark.parametrize(("name", "key", "declared", "note"), CASES, ids=[c[0] for c in CASES])
def test_the_entry_holds_what_the_page_declares_and_says_where(
        root: Path, intake_env: Any, name: str, key: str, declared: dict[str, str | None],
        note: str) -> None:
    code, _out, err, _url = add_page(root, intake_env, name)
    assert (code, err) == (0, ""), err
    fields = entry(root)
    assert fields["@"] == f"@online{{{key},"
    for field, value in declared.items():
        assert fields.get(field) == value, field
    assert "year" not in fields  # never guessed from a copyright line
    assert fields["note"].startswith("Captured by `add article` on 2026-02-01 from the "
                                     + ("saved page" if name in SAVED else "page fetched then"))
    assert fields["note"].endswith(note), fields["note"]
    assert (root / "sources" / "captures" / f"{key}.txt").exists()
    problems = [p.format() for p in load(root).report.sorted()]
    assert [p for p in problems if ": error: " in p or "author" in p] == []


def test_a_page_with_an_update_date_only_says_so_in_the_note(root: Path, intake_env: Any
                                                             ) -> None:
    page = (PAGES / "declares-nothing.html").read_text(encoding="utf-8").replace(
        "<title>", '<meta property="article:modified_time" content="2025-08-30T10:00:00Z">'
                   "<title>")
    intake_env.expect_request("/p").respond_with_data(page, content_type="text/html")
    code = add._run(lambda: add.add_article(root, intake_env.url_for("/p"), today=TODAY),
                    io.StringIO(), io.StringIO())
    assert code == 0
    fields = entry(root)
    assert "date" not in fields
    assert fields["note"].endswith("it declares no date, author or publisher (it gives "
                                   "2025-08-30 as updated or reviewed, in its "
                                   "article:modified_time meta tag).")


def test_dry_run_shows_key_entry_and_capture_and_writes_nothing(root: Path, intake_env: Any
                                                                ) -> None:
    before = snapshot(root)
    code, out, err, _url = add_page(root, intake_env, "byline-date-only", dry_run=True)
    assert (code, err) == (0, "")
    assert snapshot(root) == before
    lines = out.splitlines()
    assert lines[0] == "key: 1on1pt-walking-low-back-pain (--key to choose another)"
    assert lines[1] == ("would write sources/captures/1on1pt-walking-low-back-pain.txt (6 "
                        "lines), beginning:")
    assert lines[2:4] == ["  | Walking for Low Back Pain", "  | Low back pain is one of the "
                          "most common reasons people visit a physical therapist."]
    assert "would append to sources/articles.bib:" in lines
    assert "  @online{1on1pt-walking-low-back-pain," in lines
    assert "    publisher = {1 on 1 Physical Therapy}," in lines
    assert "    date      = {2026-01-09}," in lines
    assert not any(line.startswith("    author") for line in lines)
    assert lines[-1] == "dry run: nothing was written"


@pytest.mark.parametrize(("author", "what"), [
    ("{• January 9}", "'• January 9' reads as a date"),
    ("{10/13/2021}", "'10/13/2021' reads as a date"),
    ("{— ·}", "'— ·' reads as punctuation"),
])
def test_check_warns_on_an_article_author_that_is_no_name(tmp_path: Path, author: str,
                                                          what: str) -> None:
    bib = ("@online{acme-walking,\n  title = {Walking},\n  author = " + author + ",\n"
           "  design = {web-article}\n}\n")
    write_kb(tmp_path, bibs={"articles.bib": bib})
    problems = [p.format() for p in load(tmp_path).report.sorted()]
    assert f"sources/articles.bib:3:1: warning: acme-walking: author {what}, not a name " \
           "(expected the person or organisation the byline names; leave " \
           "the field out when the page names none)" in [
               p.replace(str(tmp_path) + "/", "") for p in problems]


def test_check_leaves_real_bylines_alone(tmp_path: Path) -> None:
    bib = ("@online{acme-walking,\n  title = {Walking},\n  author = {Whitfield, Dana and "
           "{2nd Wind Clinical Team}},\n  design = {web-article}\n}\n")
    write_kb(tmp_path, bibs={"articles.bib": bib})
    assert not [p for p in load(tmp_path).report.sorted() if "author" in p.message]
