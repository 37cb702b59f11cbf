"""``add article``: a web article captured from its address (or a saved page), its entry
appended, its passages listed; duplicates, a missing network and bad input refused with nothing
written."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, closed_port, snapshot, write_kb

from build_tools.commands import add
from build_tools.knowledge_base import load

PAGE = (FIXTURES / "article.html").read_bytes()
PATH = "/blog/walking-for-low-back-pain/"
CANONICAL = "https://www.riverbendpt.example/blog/walking-for-low-back-pain/"
KEY = "rpt-walking-low-back-pain"
"""Served on 127.0.0.1, the page's own address is the loopback one: the key's lead is the
publisher's initials."""
SAVED_KEY = "riverbendpt-walking-low-back-pain"
"""Saved, with its address: the site's name in it abbreviates the publisher."""
TODAY = dt.date(2025, 3, 1)

CAPTURE = """\
Walking for Low Back Pain: A Physical Therapist\u2019s Guide

Walking is one of the simplest ways to stay active with back pain.
What the research says
A 2024 trial in The Lancet found that people who walked regularly after an episode of low \
back pain went nearly twice as long before their pain came back.
Our therapists at Riverbend build walking programmes around your goals. Book your first visit \
today.
"""
"""What trafilatura extracts from the fixture page, after the title: the article alone."""

FURNITURE = ["cookies", "Accept all", "Our Services", "Book an Appointment", "Locations",
             "Related articles", "Sciatica", "Desk Posture", "newsletter", "Subscribe",
             "All rights reserved", "River Road", "Privacy Policy", "Careers", "Share this",
             "Tags:", "Home"]

ARTICLES = """\
% The articles.

@online{hinge-walking-lbp,
  title     = {Why Walking Is Good for Low Back Pain},
  publisher = {Hinge Health},
  url       = {https://www.hingehealth.com/resources/articles/walking-for-back-pain/},
  design    = {web-article}
}
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A knowledge base with one article; the test runs in its root, given as ``.``, so paths
    print as an editor sees them."""
    write_kb(tmp_path / "kb", bibs={"articles.bib": ARTICLES})
    monkeypatch.chdir(tmp_path / "kb")
    return Path(".")


def serve_page(server: Any, path: str = PATH, body: bytes = PAGE, status: int = 200) -> str:
    """Serve ``body`` at ``path``; the page declares its own address as :func:`own` (a page
    names its address on its own host: one on another host is not taken)."""
    server.expect_request(path).respond_with_data(body.replace(CANONICAL.encode(),
                                                               own(server).encode()),
                                                  status=status,
                                                  content_type="text/html; charset=utf-8")
    return server.url_for(path)


def own(server: Any) -> str:
    """The address the served article declares as its own."""
    return str(server.url_for(PATH))


def run(root: Path, url: str, *, key: str | None = None, html: Path | None = None,
        interest: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = add._run(lambda: add.add_article(root, url, key, html, interest, TODAY), out, err)
    return code, out.getvalue(), err.getvalue()


def test_captures_the_article_and_none_of_the_page_around_it(root: Path, intake_env: Any
                                                             ) -> None:
    url = serve_page(intake_env) + "?ref=feed"  # the page's own address has no ?ref
    code, out, err = run(root, url, interest="physical therapy (Riverbend clinics)")
    assert (code, err) == (0, "")
    capture = (root / "sources" / "captures" / f"{KEY}.txt").read_text(encoding="utf-8")
    assert capture == CAPTURE
    for word in FURNITURE:
        assert word not in capture, word
    bib = (root / "sources" / "articles.bib").read_text(encoding="utf-8")
    assert bib.startswith(ARTICLES)  # appended, nothing before it changed
    assert bib[len(ARTICLES):] == f"""
@online{{{KEY},
  title     = {{Walking for Low Back Pain: A Physical Therapist\u2019s Guide}},
  author    = {{Whitfield, Dana}},
  publisher = {{Riverbend Physical Therapy}},
  date      = {{2024-03-12}},
  url       = {{{own(intake_env)}}},
  urldate   = {{2025-03-01}},
  design    = {{web-article}},
  interest  = {{physical therapy (Riverbend clinics)}},
  note      = {{Captured by `add article` on 2025-03-01 from the page fetched then ({url}); \
the date from its JSON-LD datePublished, the author from its JSON-LD author, the publisher \
from its og:site_name.}}
}}
"""
    # the request said who sent it
    request = intake_env.log[0][0]
    assert re.fullmatch(r"walking-lbp-evidence/\S+ \(mailto:editors@example\.org\)",
                        request.headers["User-Agent"])
    # its passages, as `coverage` lists them, all unreviewed
    lines = out.splitlines()
    assert f"wrote sources/captures/{KEY}.txt (6 lines: \"Walking for Low Back Pain: A " \
           "Physical Therapist\u2019s Guide\")" == lines[0]
    assert lines[1] == f"appended @online{{{KEY}}} to sources/articles.bib"
    assert f"{KEY}: 6 passages: 0 claimed, 0 set aside, 6 unreviewed" in lines
    assert f"  sources/captures/{KEY}.txt:3: Walking is one of the simplest ways to stay " \
           "active with back pain." in lines
    assert lines[-1].startswith("next: for each passage, `python -m build_tools find WORDS`")
    # the knowledge base checks, the new article's passages waiting for review
    problems = [p.format() for p in load(root).report.sorted()]
    assert [p for p in problems if ": error: " in p] == []
    assert any(p.startswith(f"sources/captures/{KEY}.txt:1:1: warning: 6 of 6 passages are not "
                            "reviewed") for p in problems)


def test_a_saved_page_needs_no_network_and_interest_is_left_to_decide(
        root: Path, tmp_path: Path, offline: str) -> None:
    saved = tmp_path / "page.html"
    saved.write_bytes(PAGE)
    code, out, err = run(root, CANONICAL, html=saved)
    assert (code, err) == (0, "")
    capture = root / "sources" / "captures" / f"{SAVED_KEY}.txt"
    assert capture.read_text(encoding="utf-8") == CAPTURE
    bib = (root / "sources" / "articles.bib").read_text(encoding="utf-8")
    assert "  interest  = {},\n" in bib
    assert "from the saved page page.html; the date from" in bib
    assert "next: in sources/articles.bib, set interest to what Riverbend Physical Therapy " \
           "sells" in out
    problems = [p.format() for p in load(root).report.sorted()]
    line = bib.splitlines().index("  interest  = {},") + 1
    assert [p for p in problems if ": error: " in p] == [
        f"sources/articles.bib:{line}:1: error: {SAVED_KEY}: field 'interest' is empty (expected a "
        "value, or leave the field out)"]


def test_the_same_address_is_refused_naming_the_entry(root: Path, intake_env: Any) -> None:
    url = serve_page(intake_env)
    assert run(root, url)[0] == 0
    before = snapshot(root)
    line = (root / "sources" / "articles.bib").read_text(encoding="utf-8").splitlines().index(
        f"@online{{{KEY},") + 1
    # the page's canonical address is the one recorded; another address for it is refused
    # once the page is fetched, and the recorded one before anything is fetched
    serve_page(intake_env, "/amp/walking")
    code, out, err = run(root, intake_env.url_for("/amp/walking"))
    assert (code, out) == (1, "")
    assert err == (f"error: {own(intake_env)} (the page's own address for "
                   f"{intake_env.url_for('/amp/walking')}) is already captured as '{KEY}' "
                   f"(sources/articles.bib:{line}) (expected a new article)\n")
    other_form = own(intake_env).rstrip("/") + "?utm_source=x"
    code, _, err = run(root, other_form)
    assert code == 1
    assert err == (f"error: {other_form} is already captured as '{KEY}' "
                   f"(sources/articles.bib:{line}) (expected a new article; add appearances to "
                   "its claims instead)\n")
    assert snapshot(root) == before


def test_a_key_in_use_is_refused_naming_the_entry(root: Path, intake_env: Any) -> None:
    url = serve_page(intake_env)
    before = snapshot(root)
    code, out, err = run(root, url, key="Hinge-Walking-LBP")
    assert (code, out) == (1, "")
    assert err == ("error: key 'Hinge-Walking-LBP' is already used by 'hinge-walking-lbp' "
                   "(sources/articles.bib:3) (try --key Hinge-Walking-LBPb)\n")
    assert snapshot(root) == before


def test_without_a_network_exit_2_and_nothing_written(root: Path, offline: str) -> None:
    before = snapshot(root)
    code, out, err = run(root, f"{offline}/blog/walking/")
    assert (code, out) == (2, "")
    assert re.fullmatch(r"error: cannot reach 127\.0\.0\.1:\d+: Connection refused \(check the "
                        r"network connection\); nothing was written\n", err), err
    assert snapshot(root) == before


@pytest.mark.parametrize(("url", "body", "status", "message"), [
    pytest.param("ftp://example.org/a", None, 200,
                 "error: 'ftp://example.org/a' is not a web address (expected http:// or "
                 "https://...)", id="not-a-web-address"),
    pytest.param(PATH, b"<html><head><title>App</title></head><body><div id='root'></div>"
                       b"<script src='/app.js'></script></body></html>", 200,
                 "error: no article text found in the page (expected a page with an article; "
                 "if the site needs JavaScript, save the page from a browser and pass it with "
                 "--html)", id="no-article-in-the-page"),
    pytest.param(PATH, b"gone", 404, "error: {url} answered 404 Not Found (expected the "
                                     "article's address)", id="page-not-found"),
    pytest.param(PATH, b"oops", 503, "error: {host}:{port} answered 503 SERVICE UNAVAILABLE "
                                     "for {url} (try again later); nothing was written",
                 id="server-error"),
])
def test_bad_input_is_refused_with_nothing_written(root: Path, intake_env: Any, url: str,
                                                   body: bytes | None, status: int,
                                                   message: str) -> None:
    if body is not None:
        url = serve_page(intake_env, url, body, status)
    before = snapshot(root)
    code, out, err = run(root, url)
    assert code == (2 if status >= 500 else 1)
    assert out == ""
    assert err == message.format(url=url, host=intake_env.host, port=intake_env.port) + "\n"
    assert snapshot(root) == before


def test_a_saved_page_that_cannot_be_read(root: Path, tmp_path: Path) -> None:
    code, _, err = run(root, CANONICAL, html=tmp_path / "missing.html")
    assert code == 1
    assert err == f"error: cannot read {tmp_path / 'missing.html'}: No such file or directory\n"


def test_the_cli_prints_and_exits_like_the_function(root: Path, intake_env: Any,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from build_tools.cli import main

    url = serve_page(intake_env)
    assert main(["add", "article", url, "--root", str(root), "--key", "riverbend-walking"]) == 0
    assert (root / "sources" / "captures" / "riverbend-walking.txt").is_file()
    assert "appended @online{riverbend-walking}" in capsys.readouterr().out
    port = closed_port()
    assert main(["add", "article", f"http://127.0.0.1:{port}/x", "--root", str(root)]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot reach 127.0.0.1:{port}: ")


def test_articles_bib_is_created_and_said_so(tmp_path: Path, intake_env: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    write_kb(tmp_path / "empty")
    monkeypatch.chdir(tmp_path / "empty")
    code, out, err = run(Path("."), serve_page(intake_env), interest="physical therapy")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == f"created sources/articles.bib with @online{{{KEY}}}"
    assert Path("sources/articles.bib").read_text(encoding="utf-8").startswith(
        f"@online{{{KEY},\n")
