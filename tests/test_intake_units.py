"""The intake's pieces on their own: reading records, comparing them with entries, editing
BibTeX in place, writing files all at once, and the network's errors."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from conftest import FIXTURES, closed_port

from build_tools.core import net
from build_tools.core.problems import CannotRun, IntakeError
from build_tools.identifiers import doi, pmid, record
from build_tools.intake import verifier
from build_tools.intake.article import normalize_url, person_or_org
from build_tools.intake.article_key import suggest_key
from build_tools.intake.bibedit import bib_value, entry_text, set_fields
from build_tools.intake.files import write_all
from build_tools.model.source import Notice, Source


def crossref_fixture(name: str) -> record.Record:
    return doi.crossref_record(json.loads((FIXTURES / name).read_text())["message"], "u")


def pubmed_fixture(name: str) -> record.Record:
    data = json.loads((FIXTURES / name).read_text())["result"]
    return pmid.pubmed_record(data[data["uids"][0]], "u")


# ---------------------------------------------------------------------------------------------
# records


def test_a_crossref_record_as_fields() -> None:
    r = crossref_fixture("crossref-hendrick2010.json")
    assert r.fields() == {
        "author": "Hendrick, P. and Te Wake, A. M. and Tikkisetty, A. S. and Wulff, L. and "
                  "Yap, C. and Milosavljevic, S.",
        "title": "The effectiveness of walking as an intervention for low back pain: a "
                 "systematic review",
        "journal": "European Spine Journal", "year": "2010", "volume": "19", "number": "10",
        "pages": "1613--1620", "doi": "10.1007/s00586-010-1412-z"}
    assert r.other_years == {"2010"} and r.notices == {}


def test_crossref_notices_by_kind_once_each() -> None:
    r = crossref_fixture("crossref-wakefield1998-retracted.json")
    assert r.notices == {
        "corrected": [Notice("10.1016/s0140-6736(04)15715-2", "2004-03-06")],
        "retracted": [Notice("10.1016/s0140-6736(10)60175-4", "2010-02-06")]}


def test_crossref_markup_subtitles_and_organisations() -> None:
    r = doi.crossref_record({
        "title": ["Walking and <i>low back pain</i> &amp; sitting"], "subtitle": ["a trial"],
        "author": [{"name": "PACE Trial Group"}, {"given": "Ana", "family": "García"}],
        "issued": {"date-parts": [[2019]]}, "published-online": {"date-parts": [[2018, 12, 1]]},
        "article-number": "e0215", "updated-by": [
            {"DOI": "10.1000/eoc", "type": "expression-of-concern",
             "updated": {"date-parts": [[2020, 5]]}},
            {"DOI": "not a doi", "type": "retraction"}, {"DOI": "10.1/x", "type": "new_version"}],
    }, "u")
    assert r.title == "Walking and low back pain & sitting: a trial"
    assert [a.bibtex() for a in r.authors] == ["{PACE Trial Group}", "García, Ana"]
    assert (r.year, r.other_years, r.pages) == ("2019", {"2019", "2018"}, "e0215")
    assert r.notices == {"concern": [Notice("10.1000/eoc", "2020-05")]}


def test_a_pubmed_record_as_fields() -> None:
    r = pubmed_fixture("esummary-20414688.json")
    assert r.fields()["author"] == ("Hendrick, P and Te Wake, AM and Tikkisetty, AS and Wulff, L "
                                    "and Yap, C and Milosavljevic, S")
    assert (r.title, r.journal, r.year, r.pages, r.doi, r.pmid, r.pmcid) == (
        "The effectiveness of walking as an intervention for low back pain: a systematic "
        "review", "Eur Spine J", "2010", "1613--1620", "10.1007/s00586-010-1412-z", "20414688",
        "PMC2989236")


def test_pubmed_retraction_notices() -> None:
    r = pubmed_fixture("esummary-9500320-retracted.json")
    assert r.notices == {"retracted": [Notice("PMID 15016483", "2004-03-06"),
                                       Notice("PMID 20137807", "2010-02-06")]}
    bare = pmid.pubmed_record({"uid": "7", "title": "A trial.",
                                  "pubtype": ["Retracted Publication"]}, "u")
    assert bare.notices == {"retracted": [Notice("PMID 7")]}


@pytest.mark.parametrize(("text", "expected"), [
    ("1613-20", "1613--1620"), ("1613-1620", "1613--1620"), ("e123-e130", "e123--e130"),
    ("k1234", "k1234"), ("99-101", "99--101"), ("1201-5", "1201--1205"), (None, None)])
def test_pages(text: str | None, expected: str | None) -> None:
    assert record.pages(text) == expected


@pytest.mark.parametrize(("fields", "record", "mismatches"), [
    pytest.param({"title": "{The} effectiveness of walking as an intervention for low back "
                           "pain: a systematic review", "author": "Hendrick, Paul and Yap, C",
                  "year": "2010"}, "crossref-hendrick2010.json", [], id="same"),
    pytest.param({"title": "The effectiveness of walking as an intervention for low back "
                           "pain - a systematic review.", "author": "Paul Hendrick",
                  "date": "2010-10"}, "crossref-hendrick2010.json", [],
                 id="punctuation-and-first-last-names"),
    pytest.param({"title": "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and "
                           "pervasive developmental disorder in children",
                  "author": "Wakefield, A J", "year": "1998"},
                 "crossref-wakefield1998-retracted.json", [],
                 id="retracted-prefix-of-the-record-ignored"),
    pytest.param({"title": "Walking for low back pain", "author": "Smith, A", "year": "2009"},
                 "crossref-hendrick2010.json", ["title", "author", "year"], id="all-differ"),
    pytest.param({"title": "Does walking improve disability status, function, or quality of "
                           "life in adults with chronic low back pain? A systematic review",
                  "year": "2015"}, "crossref-lawford2016.json", [],
                 id="online-year-accepted-no-author-no-author-check"),
])
def test_compare(fields: dict[str, str], record: str, mismatches: list[str]) -> None:
    source = Source("k", "article", fields, "p.bib", 1)
    got = verifier.compare(source, crossref_fixture(record))
    assert [m.field for m in got] == mismatches


# ---------------------------------------------------------------------------------------------
# keys and addresses


def test_suggested_keys() -> None:
    from build_tools.intake.entries import study_key

    assert study_key(crossref_fixture("crossref-pocovi2024.json")) == "pocovi2024effectiveness"
    r = crossref_fixture("crossref-lawford2016.json")
    r.authors[0].family = "van Dongen"
    assert study_key(r) == "vandongen2015walking"
    assert suggest_key("Hinge Health", "Why Walking Is Good for Low Back Pain, According to "
                       "Physical Therapists", None) == "hingehealth-walking-good-low-back-pain"
    assert suggest_key(None, "Walking & You", "https://www.verywellfit.com/walking") == \
        "verywellfit-walking"  # more in tests/test_article_key.py


@pytest.mark.parametrize(("name", "bibtex"), [
    ("Dana Whitfield", "Whitfield, Dana"), ("Mary Ann van Dyke", "{Mary Ann van Dyke}"),
    ("Jean-Luc Picard", "Picard, Jean-Luc"), ("Hinge Health Team", "{Hinge Health Team}"),
    ("Staff", "{Staff}"), ("Dr. Ana María López", "López, Dr. Ana María")])
def test_byline_names(name: str, bibtex: str) -> None:
    assert person_or_org(name) == bibtex


def test_addresses_compared_without_tracking_or_www() -> None:
    assert normalize_url("http://www.Example.org/a/b/?utm_source=x&id=3#top") == \
        normalize_url("https://example.org/a/b?id=3")


# ---------------------------------------------------------------------------------------------
# BibTeX edited in place


def test_bib_value_reads_back_as_the_text_given() -> None:
    # what a record or an editor gives is text: a brace is a brace, and reads back as one
    assert bib_value("A {B} c") == "{A \\{B\\} c}"
    assert bib_value("A } b {") == "{A \\} b \\{}"
    assert bib_value("  many\n  lines ") == "{many lines}"
    assert bib_value("Plain & simple") == "{Plain & simple}"  # as it is, when it reads back


def test_entry_text() -> None:
    assert entry_text("article", "k", [("title", "T"), ("journal", "J")], "from Crossref") == \
        "% from Crossref\n@article{k,\n  title   = {T},\n  journal = {J}\n}\n"


@pytest.mark.parametrize(("before", "values", "after"), [
    pytest.param("@article{a,\n  title  = {X},\n  design = {rct}\n}\n",
                 {"verified": "2025-01-01"},
                 "@article{a,\n  title  = {X},\n  design = {rct},\n  verified = {2025-01-01}\n}\n",
                 id="append-after-a-last-field-without-comma"),
    pytest.param("@article{a,\n  title    = {X},\n  verified = {2020-01-01},\n"
                 "  design   = {rct},\n}\n% after\n", {"verified": "2025-01-01"},
                 "@article{a,\n  title    = {X},\n  design   = {rct},\n  verified = {2025-01-01}\n}"
                 "\n% after\n", id="replace-and-move-to-the-end"),
    pytest.param("@article{a,\n  title = {X},\n  year = {2020}}\n", {"verified": "2025-01-01"},
                 "@article{a,\n  title = {X},\n  year = {2020},\n  verified = {2025-01-01}\n}\n",
                 id="closing-brace-on-the-last-field's-line"),
    pytest.param("@article{a,\n  title = {X},\n  retracted = {10.1/r,\n     2020},\n  year = {1}\n"
                 "}\n", {"retracted": None},
                 "@article{a,\n  title = {X},\n  year = {1}\n}\n", id="remove-a-two-line-field"),
])
def test_set_fields(before: str, values: dict[str, str | None], after: str) -> None:
    entry = bibtexparser.parse_string(before).entries[0]
    assert set_fields(before, entry, values) == after


def test_set_fields_leaves_other_entries_alone() -> None:
    text = ("% head\n@article{a,\n  title = {A}\n}\n\n@article{b,\n  title = {B}\n}\n"
            "\n@article{c,\n  title = {C}\n}\n")
    b = next(e for e in bibtexparser.parse_string(text).entries if e.key == "b")
    assert set_fields(text, b, {"verified": "2025-01-01"}) == text.replace(
        "  title = {B}\n", "  title = {B},\n  verified = {2025-01-01}\n")


def test_set_fields_refuses_two_fields_on_a_line() -> None:
    text = "@article{a,\n  title = {A}, verified = {2020-01-01},\n  year = {2020}\n}\n"
    with pytest.raises(IntakeError, match="shares its line"):
        set_fields(text, bibtexparser.parse_string(text).entries[0], {"verified": "2025-01-01"})


# ---------------------------------------------------------------------------------------------
# all or nothing


def test_write_all_puts_back_what_it_replaced_when_a_rename_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "new" / "c.txt"
    a.write_text("old a", encoding="utf-8")
    b.write_text("old b", encoding="utf-8")
    real = os.replace
    calls = []

    def failing(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        write_all({a: "new a", c: "new c", b: "new b"})
    assert a.read_text(encoding="utf-8") == "old a"
    assert b.read_text(encoding="utf-8") == "old b"
    assert not c.exists()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.txt", "b.txt"]


def test_write_all_keeps_permissions_and_refuses_new_files_when_told(tmp_path: Path) -> None:
    a = tmp_path / "a.bib"
    a.write_text("x", encoding="utf-8")
    a.chmod(0o640)
    write_all({a: "y"})
    assert (a.read_text(encoding="utf-8"), a.stat().st_mode & 0o777) == ("y", 0o640)
    with pytest.raises(FileNotFoundError):
        write_all({tmp_path / "b.bib": "z"}, new_ok=False)
    assert not (tmp_path / "b.bib").exists()


# ---------------------------------------------------------------------------------------------
# the network


def test_base_addresses_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_CROSSREF_API", raising=False)
    monkeypatch.delenv("KB_NCBI_API", raising=False)
    assert net.crossref_base() == "https://api.crossref.org"
    assert net.ncbi_base() == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    monkeypatch.setenv("KB_CROSSREF_API", "http://127.0.0.1:9/crossref/")
    assert net.crossref_base() == "http://127.0.0.1:9/crossref"


def test_user_agent_names_the_project_and_a_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CONTACT", "someone@example.org")
    assert net.user_agent().startswith("walking-lbp-evidence/")
    assert net.user_agent().endswith(" (mailto:someone@example.org)")


def test_a_slow_server_times_out_as_offline(httpserver: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    def slow(_: Any) -> Any:
        time.sleep(1.5)
        from werkzeug import Response

        return Response("{}")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    monkeypatch.setenv("KB_HTTP_TIMEOUT", "0.3")
    with pytest.raises(net.Offline, match=r"cannot reach .*no complete answer within 0.3 s"):
        net.get(httpserver.url_for("/slow"))


def test_offline_is_a_cannot_run_and_not_json_is_a_service_error(httpserver: Any) -> None:
    with pytest.raises(CannotRun, match="Connection refused"):
        net.get(f"http://127.0.0.1:{closed_port()}/x")
    httpserver.expect_request("/html").respond_with_data("<html></html>")
    with pytest.raises(net.ServiceError, match="did not answer with JSON"):
        net.get_json(httpserver.url_for("/html"))


def test_the_site_build_and_check_import_none_of_the_intake() -> None:
    """The intake's libraries are an optional extra: checking and building never need them."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    code = ("import sys\n"
            "from build_tools.knowledge_base import load\n"
            "from build_tools.render import render_site\n"
            "from build_tools.commands import check, coverage, new\n"
            "import build_tools.plugin, build_tools.cli\n"
            "render_site(load('tests/golden/kb'))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('trafilatura', 'bm25s', 'Stemmer', 'numpy', 'ruamel', 'lxml', 'werkzeug')))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(repo)}, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_contributing_states_the_key_rule_the_code_applies() -> None:
    from build_tools.core.keys import RULE

    text = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(
        encoding="utf-8")
    assert RULE in " ".join(text.split())
