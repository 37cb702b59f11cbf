"""``add source --doi/--pmid`` and ``verify``, against recorded Crossref and PubMed answers
served on 127.0.0.1: entries written from records, duplicates refused, retractions recorded and
refused as support, mismatches reported at their line, and nothing written without a network."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import BIB, CAPTURE, CLAIM, FIXTURES, snapshot, write_kb

from build_tools.commands import add
from build_tools.commands import verify as verify_cmd
from build_tools.core.keys import RULE as KEY_RULE
from build_tools.knowledge_base import load

TODAY = dt.date(2025, 3, 1)
POCOVI_DOI = "10.1016/S0140-6736(24)00755-4"
HENDRICK_DOI = "10.1007/s00586-010-1412-z"
WAKEFIELD_DOI = "10.1016/S0140-6736(97)11096-0"
LAWFORD_DOI = "10.1177/0269215515590487"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def serve_doi(server: Any, doi: str, name: str | None, status: int = 200) -> None:
    """Crossref's answer for ``doi`` (a fixture file, or Crossref's plain 404)."""
    path = f"/crossref/works/{doi}"
    if name is None:
        server.expect_request(path).respond_with_data("Resource not found.", status=404,
                                                      content_type="text/plain")
    else:
        server.expect_request(path).respond_with_json(fixture(name), status=status)


def serve_pmids(server: Any, *names: str) -> None:
    """One esummary answer holding the records of the fixture files ``names``."""
    result: dict[str, Any] = {"uids": []}
    for name in names:
        one = fixture(name)["result"]
        result["uids"] += one["uids"]
        result.update({k: v for k, v in one.items() if k != "uids"})
    server.expect_request("/eutils/esummary.fcgi").respond_with_json(
        {"header": {"type": "esummary", "version": "0.3"}, "result": result})


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_kb(tmp_path / "kb", claims={"walking-cures": CLAIM}, bibs={"refs.bib": BIB},
             captures={"shop2024": CAPTURE})
    monkeypatch.chdir(tmp_path / "kb")
    return Path(".")


def add_source(root: Path, **kw: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = add._run(lambda: add.add_source(root, today=TODAY, **kw), out, err)
    return code, out.getvalue(), err.getvalue()


def verify(root: Path, *keys: str, github: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = verify_cmd.run(root, list(keys), out=out, err=err, github=github, today=TODAY)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------------------------------------
# add source


POCOVI_ENTRY = """\
@article{pocovi2024effectiveness,
  author   = {Pocovi, Natasha C and Lin, Chung-Wei Christine and French, Simon D and Graham, \
Petra L and van Dongen, Johanna M and Latimer, Jane and Merom, Dafna and Tiedemann, Anne and \
Maher, Christopher G and Clavisi, Ornella and Tong, Shuk Yin Kate and Hancock, Mark J},
  title    = {Effectiveness and cost-effectiveness of an individualised, progressive walking \
and education intervention for the prevention of low back pain recurrence in Australia \
(WalkBack): a randomised controlled trial},
  journal  = {The Lancet},
  year     = {2024},
  volume   = {404},
  number   = {10448},
  pages    = {134--144},
  doi      = {10.1016/S0140-6736(24)00755-4},
  design   = {TODO},
  verified = {2025-03-01},
  note     = {Metadata from the Crossref record ({url}), read by `add source` on 2025-03-01.}
}
"""


def test_add_source_by_doi_writes_a_complete_entry(root: Path, intake_env: Any) -> None:
    serve_doi(intake_env, POCOVI_DOI, "crossref-pocovi2024.json")
    code, out, err = add_source(root, doi=f"https://doi.org/{POCOVI_DOI}")
    assert (code, err) == (0, "")
    url = intake_env.url_for(f"/crossref/works/{POCOVI_DOI}")
    assert (root / "sources" / "evidence.bib").read_text(encoding="utf-8") == \
        POCOVI_ENTRY.replace("{url}", url)
    assert out.splitlines() == [
        "created sources/evidence.bib with @article{pocovi2024effectiveness}: Pocovi et al. 2024, "
        "The Lancet: \"Effectiveness and cost-effectiveness of an individualised, progressive "
        "walking and education intervention for the prevention of low back pain recurrence in "
        "Australia (WalkBack): a randomised controlled trial\"",
        "next: in sources/evidence.bib, replace design = {TODO} with the kind of study (rct, "
        "systematic-review, guideline, cohort, ...; see the methodology page), then cite it as "
        "'pocovi2024effectiveness'"]
    request = intake_env.log[0][0]
    assert request.headers["User-Agent"].endswith("(mailto:editors@example.org)")
    # check asks for the design, and nothing else is wrong with the entry
    problems = [p.format() for p in load(root).report.sorted() if ": error: " in p.format()]
    assert problems == [
        "sources/evidence.bib:10:1: error: pocovi2024effectiveness: design 'TODO' is not "
        "allowed (expected one of: systematic-review, systematic-review-observational, "
        "guideline, guideline-review, rct, cohort, case-control, cross-sectional, case-series, "
        "laboratory-study, modelling-study, narrative-review, expert-opinion, web-article, "
        "reference-work, other)"]


def test_add_source_by_pmid_appends_to_an_existing_file(root: Path, intake_env: Any) -> None:
    serve_pmids(intake_env, "esummary-20414688.json")
    before = (root / "sources" / "refs.bib").read_text(encoding="utf-8")
    code, out, err = add_source(root, pmid="20414688", file=Path("refs.bib"), key="hendrick2010")
    assert (code, err) == (0, "")
    text = (root / "sources" / "refs.bib").read_text(encoding="utf-8")
    assert text.startswith(before + "\n@article{hendrick2010,\n")
    entry = text[len(before):]
    for line in ["  author   = {Hendrick, P and Te Wake, AM and Tikkisetty, AS and Wulff, L and "
                 "Yap, C and Milosavljevic, S},",
                 "  title    = {The effectiveness of walking as an intervention for low back "
                 "pain: a systematic review},",
                 "  journal  = {Eur Spine J},", "  year     = {2010},", "  volume   = {19},",
                 "  number   = {10},", "  pages    = {1613--1620},",
                 "  doi      = {10.1007/s00586-010-1412-z},", "  pmid     = {20414688},",
                 "  pmcid    = {PMC2989236},", "  design   = {TODO},"]:
        assert line in entry.splitlines(), line
    assert out.startswith("appended @article{hendrick2010} to sources/refs.bib: Hendrick et al. "
                          "2010, Eur Spine J:")
    query = intake_env.log[0][0].args
    assert (query["db"], query["id"], query["retmode"], query["email"]) == (
        "pubmed", "20414688", "json", "editors@example.org")


def test_a_retracted_work_is_added_with_its_notices_and_a_warning(root: Path,
                                                                  intake_env: Any) -> None:
    serve_doi(intake_env, WAKEFIELD_DOI, "crossref-wakefield1998-retracted.json")
    code, out, err = add_source(root, doi=WAKEFIELD_DOI)
    assert code == 0
    assert out.startswith("created sources/evidence.bib with @article{wakefield1998retracted}: "
                          "Wakefield et al. 1998, The Lancet: \"RETRACTED: Ileal-lymphoid")
    text = (root / "sources" / "evidence.bib").read_text(encoding="utf-8")
    assert "  corrected = {10.1016/s0140-6736(04)15715-2, 2004-03-06},\n" in text
    assert "  retracted = {10.1016/s0140-6736(10)60175-4, 2010-02-06},\n" in text
    assert "@article{wakefield1998retracted," in text  # the title's first word, as published
    assert err.splitlines() == [
        "warning: Crossref records a correction of this work (10.1016/s0140-6736(04)15715-2, "
        "2004-03-06), now in its 'corrected' field",
        "warning: Crossref records a retraction of this work (10.1016/s0140-6736(10)60175-4, "
        "2010-02-06), now in its 'retracted' field: a retracted study cannot support a claim"]
    source = load(root).sources["wakefield1998retracted"]
    assert str(source.retraction) == "10.1016/s0140-6736(10)60175-4, 2010-02-06"


@pytest.mark.parametrize(("kw", "message"), [
    pytest.param({"doi": "10.1000/SPINE.2018.1"},
                 "error: DOI 10.1000/SPINE.2018.1 is already in sources/ as 'smith2018' "
                 "(sources/refs.bib:7) (expected a new work; cite that key)", id="doi-any-case"),
    pytest.param({"pmid": "PMID: 12345678"},
                 "error: PMID 12345678 is already in sources/ as 'smith2018' (sources/refs.bib:7) "
                 "(expected a new work; cite that key)", id="pmid"),
    pytest.param({"doi": HENDRICK_DOI, "key": "SMITH2018"},
                 "error: key 'SMITH2018' is already used by 'smith2018' (sources/refs.bib:7) "
                 "(try --key SMITH2018b)", id="key"),
])
def test_a_work_already_in_sources_is_refused_before_any_request(root: Path, intake_env: Any,
                                                                 kw: dict[str, str],
                                                                 message: str) -> None:
    before = snapshot(root)
    code, out, err = add_source(root, **kw)
    assert (code, out, err) == (1, "", message + "\n")
    assert snapshot(root) == before
    assert intake_env.log == []


def test_a_pmid_whose_record_names_a_doi_already_in_sources_is_refused(
        root: Path, intake_env: Any) -> None:
    (root / "sources" / "refs.bib").write_text(BIB.replace("10.1000/spine.2018.1", HENDRICK_DOI)
                                               .replace("12345678", "99"), encoding="utf-8")
    serve_pmids(intake_env, "esummary-20414688.json")
    before = snapshot(root)
    code, _, err = add_source(root, pmid="20414688")
    assert code == 1
    assert err == (f"error: DOI {HENDRICK_DOI} is already in sources/ as 'smith2018' "
                   "(sources/refs.bib:7) (expected a new work; cite that key)\n")
    assert snapshot(root) == before


def test_add_source_without_a_network_exits_2_with_nothing_written(root: Path,
                                                                   offline: str) -> None:
    before = snapshot(root)
    code, out, err = add_source(root, doi=POCOVI_DOI)
    assert (code, out) == (2, "")
    # one line: what failed, the variable to set, and the offline way (typing the entry)
    assert re.fullmatch(r"error: cannot reach 127\.0\.0\.1:\d+: Connection refused \(check the "
                        r"network connection\); set KB_CROSSREF_API to a mirror's address if the "
                        r"service is reached through one; without a network, type the entry "
                        r"from the record you have: python -m build_tools new source --key KEY "
                        r"--design DESIGN --title \"\.\.\.\" \(then fill in author, journal, "
                        r"year, volume, pages and doi in the entry it writes\); nothing was "
                        r"written\n", err), err
    assert snapshot(root) == before
    code, _, err = add_source(root, pmid="20414688")
    assert code == 2 and "set KB_NCBI_API to" in err and "pages and pmid in" in err


def test_several_evidence_files_and_no_evidence_bib_ask_for_file(root: Path) -> None:
    (root / "sources" / "evidence-b.bib").write_text(
        "@article{lee2020x,\n  title = {X},\n  year = {2020},\n  design = {cohort},\n}\n",
        encoding="utf-8")
    before = snapshot(root)
    code, out, err = add_source(root, doi=POCOVI_DOI)
    assert (code, out) == (1, "")
    assert err == ("error: sources/ holds studies in 2 files: evidence-b.bib, refs.bib "
                   "(expected --file with one of them, e.g. --file refs.bib)\n")
    assert snapshot(root) == before


@pytest.mark.parametrize(("kw", "message"), [
    pytest.param({"doi": "banana"},
                 "error: 'banana' is not a DOI (expected 10.NNNN/..., e.g. "
                 "10.1016/S0140-6736(24)00755-4, or its https://doi.org/ address)", id="not-a-doi"),
    pytest.param({"pmid": "PMC2989236"},
                 "error: 'PMC2989236' is not a PMID (expected the PubMed id, digits only, e.g. "
                 "20414688)", id="not-a-pmid"),
    pytest.param({"doi": "10.5555/no-such-work"},
                 "error: Crossref has no record of DOI 10.5555/no-such-work (expected a "
                 "registered DOI; check it at https://doi.org/10.5555/no-such-work)",
                 id="doi-unknown-to-crossref"),
    pytest.param({"pmid": "1"},
                 "error: PubMed has no record of PMID 1 (expected the id of a PubMed record; "
                 "check it at https://pubmed.ncbi.nlm.nih.gov/1/)", id="pmid-unknown-to-pubmed"),
    pytest.param({"doi": HENDRICK_DOI, "file": Path("refs2.bib")},
                 "error: sources/refs2.bib does not exist (did you mean 'refs.bib'?)",
                 id="file-that-does-not-exist"),
    pytest.param({"doi": HENDRICK_DOI, "file": Path("claims/x.bib")},
                 "error: claims/x.bib: expected a .bib file directly in sources/",
                 id="file-outside-sources"),
    pytest.param({"doi": HENDRICK_DOI, "key": "has space"},
                 "error: 'has space' is not a valid key: it holds white space (expected "
                 f"{KEY_RULE}, e.g. smith2018walking)", id="bad-key"),
    pytest.param({}, "error: give --doi or --pmid or --pmcid (one of them)", id="neither"),
])
def test_bad_input_is_refused_with_a_clear_message(root: Path, intake_env: Any,
                                                   kw: dict[str, Any], message: str) -> None:
    serve_doi(intake_env, "10.5555/no-such-work", None)
    intake_env.expect_request("/eutils/esummary.fcgi").respond_with_json(
        {"header": {"type": "esummary", "version": "0.3"},
         "result": {"uids": ["1"], "1": {"uid": "1", "error": "cannot get document summary"}}})
    before = snapshot(root)
    code, out, err = add_source(root, **kw)
    assert (code, out, err) == (1, "", message + "\n")
    assert snapshot(root) == before


def test_a_suggested_key_in_use_gets_a_letter(root: Path, intake_env: Any) -> None:
    (root / "sources" / "evidence.bib").write_text(
        "@article{hendrick2010effectiveness,\n  title = {Another},\n  design = {rct}\n}\n",
        encoding="utf-8")
    serve_doi(intake_env, HENDRICK_DOI, "crossref-hendrick2010.json")
    code, out, _ = add_source(root, doi=HENDRICK_DOI)
    assert code == 0
    assert "@article{hendrick2010effectivenessb}" in out
    entry = (root / "sources" / "evidence.bib").read_text(encoding="utf-8")
    assert "  author   = {Hendrick, P. and Te Wake, A. M. and Tikkisetty, A. S. and Wulff, L. " \
           "and Yap, C. and Milosavljevic, S.},\n" in entry
    assert "  year     = {2010},\n" in entry  # issued online in 2010, in print in 2010


# ---------------------------------------------------------------------------------------------
# verify


def test_verify_records_that_entries_match_and_a_second_run_changes_nothing(
        root: Path, intake_env: Any) -> None:
    (root / "sources" / "refs.bib").write_text(BIB.replace("10.1000/spine.2018.1", HENDRICK_DOI)
                                               .replace("12345678", "20414688")
                                               .replace("Walking for chronic low back pain: a "
                                                        "randomised trial", "The effectiveness "
                                                        "of walking as an intervention for low "
                                                        "back pain: a systematic review")
                                               .replace("Smith, A and Jones, B", "Hendrick, P")
                                               .replace("{2018}", "{2010}"), encoding="utf-8")
    serve_doi(intake_env, HENDRICK_DOI, "crossref-hendrick2010.json")
    serve_pmids(intake_env, "esummary-20414688.json")
    code, out, err = verify(root)
    assert code == 0, out + err
    assert out.splitlines() == [
        "sources/refs.bib:7: smith2018: matches its record (wrote verified = {2025-03-01})",
        "verified 1 sources (1 DOIs at Crossref, 1 PMIDs at PubMed, 0 PMCIDs at PubMed "
        "Central): 0 mismatches, 0 new notices, 1 entry updated"]
    text = (root / "sources" / "refs.bib").read_text(encoding="utf-8")
    assert "  design  = {rct},\n  verified = {2025-03-01}\n}" in text
    before = snapshot(root)
    code, out, err = verify(root)
    assert (code, out) == (0, "")
    assert err == ("verified 1 sources (1 DOIs at Crossref, 1 PMIDs at PubMed, 0 PMCIDs at "
                   "PubMed Central): 0 mismatches, 0 new notices, 0 entries updated\n")
    assert snapshot(root) == before


def test_verify_records_a_retraction_and_check_refuses_it_as_support(root: Path,
                                                                     intake_env: Any) -> None:
    (root / "sources" / "refs.bib").write_text(
        BIB.replace("10.1000/spine.2018.1", WAKEFIELD_DOI).replace("12345678", "9500320")
        .replace("Walking for chronic low back pain: a randomised trial",
                 "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive "
                 "developmental disorder in children")
        .replace("Smith, A and Jones, B", "Wakefield, AJ and others")
        .replace("{2018}", "{1998}"), encoding="utf-8")
    serve_doi(intake_env, WAKEFIELD_DOI, "crossref-wakefield1998-retracted.json")
    serve_pmids(intake_env, "esummary-9500320-retracted.json")
    assert [p.format() for p in load(root).report.sorted() if ": error: " in p.format()] == []
    code, out, err = verify(root)
    assert code == 0, out + err
    text = (root / "sources" / "refs.bib").read_text(encoding="utf-8")
    assert text.endswith(
        "  design  = {rct},\n"
        "  retracted = {PMID 15016483, 2004-03-06; 10.1016/s0140-6736(10)60175-4, 2010-02-06; "
        "PMID 20137807, 2010-02-06},\n"
        "  corrected = {10.1016/s0140-6736(04)15715-2, 2004-03-06},\n"
        "  verified = {2025-03-01}\n}\n")
    assert out.splitlines()[0].startswith(
        "sources/refs.bib:7: smith2018: retraction 10.1016/s0140-6736(10)60175-4, 2010-02-06; "
        "retraction PMID 15016483, 2004-03-06; retraction PMID 20137807, 2010-02-06; "
        "correction 10.1016/s0140-6736(04)15715-2, 2004-03-06 (wrote retracted = {")
    assert out.splitlines()[1] == ("  claims/walking-cures.yml rests on it as support: `check` "
                                   "will report it until the claim is revised")
    errors = [p.format() for p in load(root).report.sorted() if ": error: " in p.format()]
    assert errors == [
        "claims/walking-cures.yml:10:13: error: evidence[0].stance: 'smith2018' was retracted "
        "(notice 10.1016/s0140-6736(10)60175-4, 2010-02-06) and cannot support the claim "
        "(expected the item removed, or a stance other than supports or partly-supports with a "
        "note that the study was retracted)"]


def test_verify_reports_a_mismatch_at_its_line_and_writes_nothing_for_it(
        root: Path, intake_env: Any) -> None:
    (root / "sources" / "refs.bib").write_text(BIB.replace("10.1000/spine.2018.1", LAWFORD_DOI)
                                               .replace("  pmid    = {12345678},\n", "")
                                               .replace("Smith, A and Jones, B",
                                                        "Lawford, Belinda J"), encoding="utf-8")
    serve_doi(intake_env, LAWFORD_DOI, "crossref-lawford2016.json")
    before = snapshot(root)
    code, out, err = verify(root, github=True)
    assert (code, err) == (1, "")
    title = ("sources/refs.bib:8:1: error: smith2018: title differs from the Crossref record of "
             "its DOI 10.1177/0269215515590487: the entry has 'Walking for chronic low back pain: "
             "a randomised trial', the record 'Does walking improve disability status, function, "
             "or quality of life in adults with chronic low back pain? A systematic review' "
             "(expected the entry to describe the work its identifier names: correct the entry, "
             "or the identifier)")
    year = ("sources/refs.bib:11:1: error: smith2018: year differs from the Crossref record of "
            "its DOI 10.1177/0269215515590487: the entry has '2018', the record '2015, 2016' "
            "(expected the entry to describe the work its identifier names: correct the entry, "
            "or the identifier)")
    lines = out.splitlines()
    assert lines[0] == title
    assert lines[1].startswith("::error file=sources/refs.bib,line=8,col=1::smith2018: title "
                               "differs")
    assert lines[2] == year
    assert lines[4] == ("verified 1 sources (1 DOIs at Crossref, 0 PMIDs at PubMed, 0 PMCIDs at "
                        "PubMed Central): 2 mismatches, 0 new notices, 0 entries updated")
    assert snapshot(root) == before


def test_verify_reports_identifiers_the_databases_do_not_know(root: Path,
                                                              intake_env: Any) -> None:
    serve_doi(intake_env, "10.1000/spine.2018.1", None)
    intake_env.expect_request("/eutils/esummary.fcgi").respond_with_json(
        {"header": {"type": "esummary", "version": "0.3"},
         "result": {"uids": ["12345678"],
                    "12345678": {"uid": "12345678", "error": "cannot get document summary"}}})
    code, out, _ = verify(root, "smith2018")
    assert code == 1
    assert out.splitlines()[:2] == [
        "sources/refs.bib:12:1: error: smith2018: Crossref has no record of DOI "
        "10.1000/spine.2018.1 (expected a registered DOI; correct it, or delete the field)",
        "sources/refs.bib:13:1: error: smith2018: PubMed has no record of PMID 12345678 "
        "(expected a PubMed id; correct it, or delete the field)"]


def test_verify_without_a_network_exits_2_with_nothing_written(root: Path, offline: str) -> None:
    before = snapshot(root)
    code, out, err = verify(root)
    assert (code, out) == (2, "")
    assert err.startswith("error: cannot reach 127.0.0.1:")
    assert err.endswith("; nothing was written\n")
    assert snapshot(root) == before


def test_verify_an_unknown_key(root: Path, intake_env: Any) -> None:
    code, out, err = verify(root, "smith2019")
    assert (code, out, err) == (1, "", "error: unknown source 'smith2019' (did you mean "
                                       "'smith2018'?)\n")
