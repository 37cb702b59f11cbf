"""The editor's intake commands against servers that misbehave and against odd arguments and
files (issue 19): one table of cases per defect the audit found, each run as an editor runs the
command (``build_tools.cli.main``, or a subprocess where it takes one: concurrent runs, a
``kill -9``), against pytest-httpserver on 127.0.0.1.

Whatever a case does, a command that refuses prints one line and writes nothing (the whole
temporary folder is compared byte for byte, so a write outside the knowledge base is caught
too), and a command that writes leaves files the project's own reader reads back as written.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import BIB, CAPTURE, CLAIM, FIXTURES, NEVER_DUE, snapshot, write_kb

from build_tools.cli import main

PAGE = (FIXTURES / "article.html").read_bytes()
DECLARED = "https://www.riverbendpt.example/blog/walking-for-low-back-pain/"
"""The address the fixture page declares as its own (canonical link, og:url, JSON-LD)."""
HENDRICK = json.loads((FIXTURES / "crossref-hendrick2010.json").read_text(encoding="utf-8"))
ESUMMARY = json.loads((FIXTURES / "esummary-20414688.json").read_text(encoding="utf-8"))
PMID = "20414688"
DOI = "10.5555/hostile.1"
MAX_KEY = 60
"""The longest key the key rule allows (build_tools' key rule says the same)."""


# ---------------------------------------------------------------------------------------------
# helpers


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The conftest knowledge base in ``tmp_path/kb``, the test running in it."""
    write_kb(tmp_path / "kb", claims={"walking-cures": CLAIM}, bibs={"refs.bib": BIB},
             captures={"shop2024": CAPTURE})
    (tmp_path / "kb" / "mkdocs.yml").write_text(NEVER_DUE, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "kb")
    return Path(".")


def cli(*args: str) -> tuple[int, str, str]:
    """Run the command line in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--root", "."] if args[0] != "check" else list(args))
    return code, out.getvalue(), err.getvalue()


def read_yaml(text: str) -> Any:
    """A YAML text as the check reads it (libyaml's loader where present)."""
    from build_tools.stages.s2_read import yaml_loader

    return yaml.load(text, Loader=yaml_loader())


def printable_lines(text: str) -> None:
    """Every line is one printable line: nothing a terminal would obey."""
    for line in text.splitlines():
        assert line.isprintable(), repr(line)


def refused(code: int, err: str, expected_code: int | None = None) -> str:
    """A refusal: exit 1 or 2 (or ``expected_code``), one printable ``error:`` line, no
    internal error. Returns the line."""
    assert code == expected_code if expected_code is not None else code in (1, 2), (code, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "internal error" not in err and lines[0].isprintable(), err
    return lines[0]


def work(doi: str = DOI, **changes: Any) -> dict[str, Any]:
    """Crossref's answer for ``doi``: Hendrick 2010's record with ``changes`` to its message."""
    answer = copy.deepcopy(HENDRICK)
    answer["message"]["DOI"] = doi
    answer["message"].update(changes)
    return answer


def summary(pmid: str = PMID, **changes: Any) -> dict[str, Any]:
    """E-utilities' esummary answer for ``pmid`` with ``changes`` to its record."""
    answer = copy.deepcopy(ESUMMARY)
    record = answer["result"].pop(PMID)
    record.update(uid=pmid, **changes)
    answer["result"] = {"uids": [pmid], pmid: record}
    return answer


def serve_work(server: Any, doi: str, answer: Any) -> None:
    server.expect_request(f"/crossref/works/{doi}").respond_with_json(answer)


def serve_page(server: Any, path: str = "/blog/walking/", body: bytes = PAGE) -> str:
    server.expect_request(path).respond_with_data(body, content_type="text/html; charset=utf-8")
    return str(server.url_for(path))


def bib_text(root: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((root / "sources").glob("*.bib")))


def check_lines(root: Path) -> list[str]:
    _code, out, err = cli("check", ".")
    assert err == "" or "internal error" not in err
    return [line for line in out.splitlines() if re.match(r"^\S+:\d+:\d+: (error|warning): ", line)]


def source_value(root: Path, key: str, name: str) -> str | None:
    """The field as the project's reader gives it to the site (LaTeX decoded)."""
    from build_tools.knowledge_base import load

    return load(root).sources[key].get(name)


def new_key(out: str) -> str:
    m = re.search(r"@(?:online|article)\{([^}]*)\}", out)
    assert m, out
    return m.group(1)


# ---------------------------------------------------------------------------------------------
# 1. one key rule for every command that takes or makes a key, and for keys read from files


BAD_KEYS = [
    pytest.param("../../outside", "path separator", id="climbs-out"),
    pytest.param("{tmp}/outside", "path separator", id="absolute"),
    pytest.param("sub/key", "path separator", id="slash"),
    pytest.param("sub\\key", "path separator", id="backslash"),
    pytest.param("..", "dot", id="dot-dot"),
    pytest.param(".", "dot", id="dot"),
    pytest.param(".hidden", "dot", id="leading-dot"),
    pytest.param("trailing.", "dot", id="trailing-dot"),
    pytest.param("k" * 300, "300 characters", id="300-characters"),
    pytest.param("k" * (MAX_KEY + 1), f"{MAX_KEY + 1} characters", id="one-too-long"),
    pytest.param("esc\x1b[2Jkey", "U+001B", id="escape-sequence"),
    pytest.param("rlo\u202ekey", "U+202E", id="right-to-left-override"),
    pytest.param("zero\u200bwidth", "U+200B", id="zero-width-space"),
]

KEY_COMMANDS = {
    "add article": lambda url, key: ["add", "article", url, "--key", key],
    "add source": lambda url, key: ["add", "source", "--doi", DOI, "--key", key],
    "new source": lambda url, key: ["new", "source", "--key", key, "--design", "rct"],
}


@pytest.mark.parametrize("command", sorted(KEY_COMMANDS))
@pytest.mark.parametrize(("key", "reason"), BAD_KEYS)
def test_1_every_command_refuses_a_key_the_key_rule_refuses(
        root: Path, tmp_path: Path, intake_env: Any, command: str, key: str, reason: str) -> None:
    key = key.replace("{tmp}", str(tmp_path))
    url = serve_page(intake_env)
    serve_work(intake_env, DOI, work())
    before = snapshot(tmp_path)
    code, _out, err = cli(*KEY_COMMANDS[command](url, key))
    line = refused(code, err, 1)
    assert "not a valid key" in line and reason in line, line
    assert snapshot(tmp_path) == before  # nothing written, inside the knowledge base or out


FILE_KEYS = [
    pytest.param("../outside", "path separator", id="climbs-out"),
    pytest.param("sub/key", "path separator", id="slash"),
    pytest.param("sub\\key", "path separator", id="backslash"),
    pytest.param(".hidden", "dot", id="leading-dot"),
    pytest.param("k" * (MAX_KEY + 1), f"{MAX_KEY + 1} characters", id="too-long"),
]


@pytest.mark.parametrize(("key", "reason"), FILE_KEYS)
def test_1_check_refuses_the_same_keys_in_bibtex_files(root: Path, key: str, reason: str
                                                       ) -> None:
    (root / "sources" / "more.bib").write_text(
        f"@online{{{key},\n  title  = {{A page}},\n  design = {{web-article}},\n}}\n",
        encoding="utf-8")
    # a capture where the key, taken as a path, would find one
    (root / "sources" / "outside.txt").write_text("A page\n", encoding="utf-8")
    found = [line for line in check_lines(root) if line.startswith("sources/more.bib:1:1: error: ")]
    assert len(found) == 1 and "not a valid key" in found[0] and reason in found[0], found


LONG_WORD = "walkingwalkingwalking" * 10_000
"""A title of one 210,000-character word: the suggested key takes its words whole."""


def long_title_page() -> bytes:
    return PAGE.replace(b"Walking for Low Back Pain: A Physical Therapist&#8217;s Guide",
                        LONG_WORD.encode())


SUGGESTED = {
    "add article, a long title": lambda s: (
        ["add", "article", serve_page(s, body=long_title_page())], None),
    "add source, a long name and title": lambda s: (
        ["add", "source", "--doi", DOI],
        serve_work(s, DOI, work(title=[LONG_WORD], author=[{"family": LONG_WORD, "given": "A"}]))),
}


@pytest.mark.parametrize("case", sorted(SUGGESTED))
def test_1_a_suggested_key_is_bounded(root: Path, intake_env: Any, case: str) -> None:
    args, _ = SUGGESTED[case](intake_env)
    code, out, err = cli(*args)
    assert code == 0, err
    key = new_key(out)
    assert 1 <= len(key) <= MAX_KEY and "/" not in key, len(key)


# ---------------------------------------------------------------------------------------------
# 2 and 14. add appearance appends faithfully in every layout, or refuses with nothing written


QUOTE = "Our physio says"
"""In the capture, and quoted by no appearance yet."""
NEW_ITEM = {"source": "shop2024", "quote": QUOTE, "cites": ["smith2018"], "promotional": False}

_APPEARANCES = """\
appearances:
  - source: shop2024
    quote: Walking every day cures "back pain"
    cites: [smith2018]
    promotional: false
"""
_EVIDENCE = """\
evidence:
  - source: smith2018
    stance: supports
    finding: Walking reduced pain at 12 weeks (n = 120).
"""
assert _APPEARANCES in CLAIM and _EVIDENCE in CLAIM


def claim_with(appearances: str | None = None, evidence: str | None = None) -> str:
    text = CLAIM
    if appearances is not None:
        text = text.replace(_APPEARANCES, appearances)
    if evidence is not None:
        text = text.replace(_EVIDENCE, evidence)
    return "# yaml-language-server: $schema=../schema/claim.schema.json\n" + text


def _dedent(block: str) -> str:
    return "\n".join(line[2:] if line.startswith("  ") else line for line in block.split("\n"))


def _last(text: str) -> str:
    """The claim with its appearances moved to the end."""
    body = claim_with().replace(_APPEARANCES, "")
    return body + _APPEARANCES


LAYOUTS = {
    "as new claim writes it": claim_with(),
    "appearances at column 0, evidence indented": claim_with(_dedent(_APPEARANCES)),
    "everything at column 0": claim_with(_dedent(_APPEARANCES), _dedent(_EVIDENCE)),
    "four spaces": claim_with(_APPEARANCES.replace("  - ", "    - ")
                              .replace("    quote", "      quote")
                              .replace("    cites", "      cites")
                              .replace("    promotional", "      promotional")),
    "the dash on a line of its own": claim_with(_APPEARANCES.replace("  - source",
                                                                     "  -\n    source")),
    "comments everywhere": claim_with(
        "appearances:  # where it was said\n"
        "  # the shop's page\n"
        "  - source: shop2024  # the article\n"
        "    # verbatim\n"
        "    quote: Walking every day cures \"back pain\"\n"
        "    cites: [smith2018]\n"
        "    promotional: false  # checked\n"
        "    # a comment that ends the item\n"
        "\n"
        "# what the evidence shows\n"),
    "a folded quote ends the last item": claim_with(
        "appearances:\n"
        "  - source: shop2024\n"
        "    cites: [smith2018]\n"
        "    promotional: false\n"
        "    quote: >-\n"
        "      Walking every day\n"
        "      cures \"back pain\"\n"
        "\n"),
    "a literal note ends the last item": claim_with(
        _APPEARANCES + "    note: |\n      line one\n      line two\n"),
    "cites as a block list": claim_with(_APPEARANCES.replace("    cites: [smith2018]\n",
                                                            "    cites:\n      - smith2018\n")),
    "items as flow mappings": claim_with(
        "appearances:\n"
        "  - {source: shop2024, quote: 'Walking every day cures \"back pain\"', "
        "cites: [smith2018], promotional: false}\n"),
    "a flow list on one line": claim_with(
        "appearances: [{source: shop2024, quote: 'Walking every day cures \"back pain\"', "
        "cites: [smith2018], promotional: false}]\n"),
    "a flow list over lines": claim_with(
        "appearances: [\n"
        "  {source: shop2024, quote: 'Walking every day cures \"back pain\"',\n"
        "   cites: [smith2018], promotional: false},\n"
        "]\n"),
    "a quoted key": claim_with(_APPEARANCES.replace("appearances:", '"appearances":')),
    "appearances last": _last(CLAIM),
    "appearances last, no line end at the end": _last(CLAIM).rstrip("\n"),
    "document markers": "---\n" + claim_with() + "...\n",
    "an end marker with a comment": claim_with() + "... # end of the claim\n",
}


def appended_faithfully(before: bytes, after: bytes) -> None:
    """``after`` is ``before`` with text inserted at one place, nothing else changed; it keeps
    the byte order mark and the line ends; it holds ``before``'s data with NEW_ITEM appended."""
    p = 0
    while p < min(len(before), len(after)) and before[p] == after[p]:
        p += 1
    assert len(after) > len(before) and after.endswith(before[p:]), "not an insertion"
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    if b"\r\n" in before:
        assert after.count(b"\n") == after.count(b"\r\n"), "a line end lost its \\r"
    old = read_yaml(before.decode("utf-8-sig"))
    new = read_yaml(after.decode("utf-8-sig"))
    old["appearances"].append(NEW_ITEM)
    assert new == old


def run_appearance() -> tuple[int, str, str]:
    return cli("add", "appearance", "walking-cures", "--source", "shop2024", "--quote", QUOTE,
               "--cites", "smith2018")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_2_add_appearance_appends_faithfully_in_every_layout(root: Path, layout: str) -> None:
    path = root / "claims" / "walking-cures.yml"
    path.write_bytes(LAYOUTS[layout].encode("utf-8"))
    assert not [p for p in check_lines(root) if ": error: " in p], "the layout itself is valid"
    before = path.read_bytes()
    code, out, err = run_appearance()
    assert (code, err) == (0, ""), err
    appended_faithfully(before, path.read_bytes())
    assert out.splitlines()[0] == "added appearances[1] to claims/walking-cures.yml"
    assert not [p for p in check_lines(root) if ": error: " in p]


ENCODINGS = {
    "CRLF": lambda text: text.replace("\n", "\r\n").encode(),
    "BOM": lambda text: b"\xef\xbb\xbf" + text.encode(),
    "BOM and CRLF": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    "an end marker": lambda text: (text + "...\n").encode(),
    "CRLF and an end marker": lambda text: (text + "...\n").replace("\n", "\r\n").encode(),
}


@pytest.mark.parametrize("layout", ["as new claim writes it", "appearances at column 0, "
                                    "evidence indented", "a folded quote ends the last item"])
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_14_add_appearance_keeps_line_ends_a_bom_and_the_end_marker(root: Path, layout: str,
                                                                    encoding: str) -> None:
    path = root / "claims" / "walking-cures.yml"
    path.write_bytes(ENCODINGS[encoding](LAYOUTS[layout]))
    before = path.read_bytes()
    code, _, err = run_appearance()
    assert (code, err) == (0, "")
    after = path.read_bytes()
    appended_faithfully(before, after)
    if b"...\n" in before or b"...\r\n" in before:
        assert after.rstrip().endswith(b"..."), after[-40:]


CANNOT_APPEND = {
    "appearances is not a list": claim_with("appearances: none\n"),
    "a tab in the indentation": claim_with(_APPEARANCES.replace("    quote", "\tquote")),
    "two documents": claim_with() + "---\nstatement: another\n",
}


@pytest.mark.parametrize("case", sorted(CANNOT_APPEND))
def test_2_what_cannot_be_appended_to_is_refused_with_nothing_written(root: Path, tmp_path: Path,
                                                                      case: str) -> None:
    path = root / "claims" / "walking-cures.yml"
    path.write_bytes(CANNOT_APPEND[case].encode())
    before = snapshot(tmp_path)
    code, _, err = run_appearance()
    refused(code, err)
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------------------------------------
# 3. a total deadline for every request


def drip(body: bytes, every: float = 0.4) -> Callable[[Any], Any]:
    """A handler that sends its headers at once, then the body a byte at a time."""
    from werkzeug import Response

    def handler(_: Any) -> Any:
        def chunks() -> Iterator[bytes]:
            for i in range(min(len(body), 40)):  # at most 16 s, whatever happens
                yield body[i:i + 1]
                time.sleep(every)
        return Response(chunks(), content_type="application/json")
    return handler


@pytest.fixture
def dripping_headers() -> Iterator[str]:
    """A server on 127.0.0.1 that sends its status line a byte every 0.4 s; its address."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                for ch in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"x" * 40:
                    if stop.wait(0.4):
                        break
                    try:
                        conn.sendall(bytes([ch]))
                    except OSError:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(5)
    server.close()


SLOW = ["add source --doi, a dripping body", "add source --pmid, a dripping body",
        "add article, a dripping body", "verify, a dripping body",
        "add article, dripping headers", "add source --doi, dripping headers"]


@pytest.mark.parametrize("case", SLOW)
def test_3_a_request_has_a_total_deadline(root: Path, tmp_path: Path, intake_env: Any,
                                          dripping_headers: str, monkeypatch: pytest.MonkeyPatch,
                                          case: str) -> None:
    monkeypatch.setenv("KB_HTTP_TIMEOUT", "2")
    body = json.dumps(work()).encode()
    for path in (f"/crossref/works/{DOI}", "/crossref/works/10.1000/spine.2018.1",
                 "/eutils/esummary.fcgi", "/blog/walking/"):
        intake_env.expect_request(path).respond_with_handler(drip(body))
    if "headers" in case:
        monkeypatch.setenv("KB_CROSSREF_API", dripping_headers)
    command = {"add source --doi": ["add", "source", "--doi", DOI],
               "add source --pmid": ["add", "source", "--pmid", PMID],
               "add article": ["add", "article", (dripping_headers if "headers" in case else
                                                   intake_env.url_for("")) + "/blog/walking/"],
               "verify": ["verify", "smith2018"]}[case.split(",")[0]]
    before = snapshot(tmp_path)
    start = time.monotonic()
    code, _, err = cli(*command)
    took = time.monotonic() - start
    line = refused(code, err, 2)
    assert "within 2 s" in line, line
    assert took < 5, f"{took:.1f} s with KB_HTTP_TIMEOUT=2"
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------------------------------------
# 4. an answer for another DOI or PMID than the one asked is refused, naming both


def test_4_a_crossref_answer_for_another_doi_is_refused(root: Path, tmp_path: Path,
                                                        intake_env: Any) -> None:
    serve_work(intake_env, DOI, work(doi="10.1007/s00586-010-1412-z"))
    before = snapshot(tmp_path)
    code, _, err = cli("add", "source", "--doi", DOI)
    line = refused(code, err, 2)
    assert DOI in line and "10.1007/s00586-010-1412-z" in line, line
    assert snapshot(tmp_path) == before


def test_4_a_doi_in_other_letters_is_the_same_doi(root: Path, intake_env: Any) -> None:
    serve_work(intake_env, DOI, work(doi=DOI.upper()))
    code, _out, err = cli("add", "source", "--doi", DOI)
    assert (code, err) == (0, "")
    assert f"doi      = {{{DOI}}}" in bib_text(root)


PUBMED_ANSWERS = {
    "the record under the PMID asked says another": lambda: summary(PMID) | {
        "result": {"uids": [PMID], PMID: {**summary("99999999")["result"]["99999999"]}}},
    "only the record of another PMID": lambda: summary("99999999"),
}


@pytest.mark.parametrize("case", sorted(PUBMED_ANSWERS))
def test_4_a_pubmed_answer_for_another_pmid_is_refused(root: Path, tmp_path: Path,
                                                       intake_env: Any, case: str) -> None:
    intake_env.expect_request("/eutils/esummary.fcgi").respond_with_json(PUBMED_ANSWERS[case]())
    before = snapshot(tmp_path)
    code, _, err = cli("add", "source", "--pmid", PMID)
    line = refused(code, err)
    assert PMID in line and "99999999" in line, line
    assert snapshot(tmp_path) == before


def test_4_verify_refuses_an_answer_for_another_doi(root: Path, tmp_path: Path,
                                                    intake_env: Any) -> None:
    smith = work("10.9999/another", title=["Walking for chronic low back pain: a randomised "
                                           "trial"], author=[{"family": "Smith", "given": "A"}],
                 issued={"date-parts": [[2018]]})
    serve_work(intake_env, "10.1000/spine.2018.1", smith)
    intake_env.expect_request("/eutils/esummary.fcgi").respond_with_json(summary(
        "12345678", title="Walking for chronic low back pain: a randomised trial.",
        authors=[{"name": "Smith A", "authtype": "Author"}], pubdate="2018 Jan"))
    before = snapshot(tmp_path)
    code, out, err = cli("verify", "smith2018")
    assert code == 1, (out, err)
    found = [line for line in out.splitlines() if line.startswith("sources/refs.bib:12:1: error: ")]
    assert len(found) == 1 and "10.9999/another" in found[0] and "10.1000/spine.2018.1" in found[0]
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------------------------------------
# 5. every value written into BibTeX reads back as written


NASTY_VALUES = [
    pytest.param("title", "Ends with a backslash \\", id="title-ends-in-backslash"),
    pytest.param("title", "A \\ in the middle and \\\\ two", id="title-backslashes"),
    pytest.param("title", "An opening { alone", id="title-opening-brace"),
    pytest.param("title", "A closing } alone", id="title-closing-brace"),
    pytest.param("title", "Braces }{ the wrong way", id="title-braces-reversed"),
    pytest.param("title", "Costs $5 and $6 a day", id="title-dollars"),
    pytest.param("title", "50% of walkers -- or more --- say ~ so", id="title-percent-dashes"),
    pytest.param("title", "``Quoted'' and !` and ?`", id="title-ligatures"),
    pytest.param("title", "Not an entry: @article{x, title = {y}}", id="title-at-sign"),
    pytest.param("container-title", "Journal \\", id="journal-ends-in-backslash"),
    pytest.param("volume", "12\\", id="volume-backslash"),
    pytest.param("issue", "3}", id="issue-brace"),
    pytest.param("page", "e1{2", id="pages-brace"),
]
_FIELD = {"title": "title", "container-title": "journal", "volume": "volume",
          "issue": "number", "page": "pages"}


@pytest.mark.parametrize(("field", "value"), NASTY_VALUES)
def test_5_every_value_written_reads_back_as_the_record_gave_it(root: Path, tmp_path: Path,
                                                                intake_env: Any, field: str,
                                                                value: str) -> None:
    serve_work(intake_env, DOI, work(**{field: [value] if field.endswith("title") else value}))
    before = snapshot(tmp_path)
    code, out, err = cli("add", "source", "--doi", DOI)
    if code != 0:  # refusing the value is allowed; writing it wrongly is not
        line = refused(code, err)
        assert _FIELD[field] in line or field in line, line
        assert snapshot(tmp_path) == before
        return
    assert not [p for p in check_lines(root) if "does not parse" in p]
    got = source_value(root, new_key(out), _FIELD[field])
    if got is None:  # or leaving the field out, saying so
        assert any(line.startswith("warning: ") and _FIELD[field] in line
                   for line in err.splitlines()), err
    else:
        assert got == value


NASTY_NAMES = [
    pytest.param({"family": "O'Brien\\", "given": "A"}, "O'Brien\\", id="backslash"),
    pytest.param({"family": "Smith, Jr", "given": "A"}, "Smith, Jr", id="comma"),
    pytest.param({"family": "Salt and Pepper", "given": "A"}, "Salt and Pepper", id="and"),
    pytest.param({"family": "Brace}", "given": "A"}, "Brace}", id="brace"),
    pytest.param({"name": "The {Walking} Group \\"}, "The {Walking} Group \\", id="organisation"),
]


@pytest.mark.parametrize(("author", "family"), NASTY_NAMES)
def test_5_every_author_reads_back_as_one_name(root: Path, tmp_path: Path, intake_env: Any,
                                               author: dict[str, str], family: str) -> None:
    from build_tools.knowledge_base import load

    serve_work(intake_env, DOI, work(author=[author, {"family": "Second", "given": "B"}]))
    code, out, err = cli("add", "source", "--doi", DOI)
    if code != 0:
        refused(code, err)
        return
    assert not [p for p in check_lines(root) if "does not parse" in p]
    names = load(root).sources[new_key(out)].names
    assert [n.family for n in names] == [family, "Second"], names


# ---------------------------------------------------------------------------------------------
# 6. control characters are stripped on intake and flagged by check


UNSAFE = "\x1b]0;pwned\x07\x1b[2J\x00\u202e\u200b\u2066\ufeff\x85\u2028"
"""An escape sequence that retitles a window and clears the screen, NUL, a right-to-left
override, a zero-width space, an isolate, a byte order mark, NEL and a line separator."""


def _unsafe(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if c not in "\n\t"
                   and (unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs"))})


INTAKE = {
    "Crossref title": lambda s: (["add", "source", "--doi", DOI], serve_work(
        s, DOI, work(title=[f"Walking{UNSAFE} helps"], author=[{"family": f"Hen{UNSAFE}drick",
                                                              "given": "P"}],
                     **{"container-title": [f"Spine{UNSAFE}"]}))),
    "PubMed record": lambda s: (["add", "source", "--pmid", PMID], s.expect_request(
        "/eutils/esummary.fcgi").respond_with_json(summary(
            title=f"Walking{UNSAFE} helps.", source=f"Eur{UNSAFE} Spine J",
            authors=[{"name": f"Hen{UNSAFE}drick P", "authtype": "Author"}]))),
    "article page": lambda s: (["add", "article", serve_page(s, body=PAGE.replace(
        b"Walking is one of", f"Walking{UNSAFE} is one of".encode()).replace(
        b"<title>Walking", f"<title>Walk{UNSAFE}ing".encode()).replace(
        b'content="Dana Whitfield"', f'content="Dana{UNSAFE} Whitfield"'.encode()))], None),
}


@pytest.mark.parametrize("case", sorted(INTAKE))
def test_6_control_characters_are_stripped_on_intake(root: Path, intake_env: Any,
                                                     case: str) -> None:
    args, _ = INTAKE[case](intake_env)
    code, out, err = cli(*args)
    assert code == 0, err
    printable_lines(out + err)
    for path in (root / "sources").rglob("*"):
        if path.is_file():
            assert _unsafe(path.read_text(encoding="utf-8")) == [], path


CHECKED = [
    pytest.param("claims/walking-cures.yml", "statement: Walking every day cures low back pain.",
                 "statement: Walking every day cures\u202e low back pain.", 1, "U+202E",
                 id="claim-statement-rlo"),
    pytest.param("claims/walking-cures.yml", "finding: Walking reduced pain",
                 "finding: Walking\u200b reduced pain", 11, "U+200B", id="claim-finding-zwsp"),
    pytest.param("claims/walking-cures.yml", "rationale: One randomised",
                 'rationale: "One \\e[2J randomised', 14, "U+001B", id="claim-escaped-esc"),
    pytest.param("sources/refs.bib", "title  = {Walk Your Back Pain Away}",
                 "title  = {Walk Your \x1b[2J Back Pain Away}", 2, "U+001B", id="bib-title-esc"),
    pytest.param("sources/refs.bib", "author  = {Smith, A and Jones, B}",
                 "author  = {Smith, A and Jo\u202enes, B}", 9, "U+202E", id="bib-author-rlo"),
    pytest.param("sources/refs.bib", "journal = {Spine}", "journal = {Sp\x00ine}", 10,
                 "U+0000", id="bib-journal-nul"),
]


@pytest.mark.parametrize(("rel", "old", "new", "line", "code"), CHECKED)
def test_6_check_flags_control_characters_in_any_text_field(root: Path, rel: str, old: str,
                                                            new: str, line: int, code: str
                                                            ) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    if new.startswith('rationale: "'):  # close the double-quoted scalar on its line
        old_line = next(li for li in text.splitlines() if li.startswith(old))
        new = new + old_line[len(old):] + '"'
        old = old_line
    path.write_text(text.replace(old, new), encoding="utf-8")
    found = [p for p in check_lines(root) if p.startswith(f"{rel}:{line}:") and code in p]
    assert len(found) == 1 and ": warning: " in found[0], check_lines(root)


# ---------------------------------------------------------------------------------------------
# 7 and 11. a record of the wrong shape is refused in one line, and writes no junk


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


CROSSREF_SHAPES = {
    "title is a number": {"title": 5},
    "title is a string": {"title": "s"},
    "title nests 50 deep": {"title": _nested(50)},
    "an author is a string": {"author": ["x"]},
    "a family name is a number": {"author": [{"family": 5, "given": "A"}]},
    "container-title is an object": {"container-title": {"a": 1}},
    "date-parts is a string": {"issued": {"date-parts": "2010"}},
    "the year is 2": {"issued": {"date-parts": [[2]]}},
    "the year is 20100": {"issued": {"date-parts": [[20100]]}},
    "the year is a word": {"issued": {"date-parts": [["soon"]]}},
    "volume is true": {"volume": True},
    "page is a list": {"page": ["1613"]},
    "updated-by holds a number": {"updated-by": [5]},
}


@pytest.mark.parametrize("case", sorted(CROSSREF_SHAPES))
def test_7_a_crossref_record_of_the_wrong_shape_is_refused_in_one_line(
        root: Path, tmp_path: Path, intake_env: Any, case: str) -> None:
    serve_work(intake_env, DOI, work(**CROSSREF_SHAPES[case]))
    before = snapshot(tmp_path)
    code, _, err = cli("add", "source", "--doi", DOI)
    line = refused(code, err, 2)
    field = next(iter(CROSSREF_SHAPES[case]))
    assert field in line, line
    assert snapshot(tmp_path) == before


WHOLE_ANSWERS = {
    "Crossref: message is a list": ("crossref", json.dumps({"status": "ok", "message": [1]})),
    "Crossref: 100,000 nested arrays": ("crossref", "[" * 100_000 + "]" * 100_000),
    "Crossref: the answer is a number": ("crossref", "5"),
    "PubMed: result is a list": ("pubmed", json.dumps({"result": [1]})),
    "PubMed: the record is a list": ("pubmed", json.dumps({"result": {"uids": [PMID],
                                                                      PMID: [1]}})),
    "PubMed: an author is a string": ("pubmed", json.dumps(summary(authors=["x"]))),
    "PubMed: title is a number": ("pubmed", json.dumps(summary(title=5))),
    "PubMed: articleids is an object": ("pubmed", json.dumps(summary(articleids={"doi": 1}))),
    "PubMed: pubdate is a number": ("pubmed", json.dumps(summary(pubdate=2010,
                                                                 epubdate=None))),
    "PubMed: 100,000 nested arrays": ("pubmed", "[" * 100_000 + "]" * 100_000),
}


@pytest.mark.parametrize("case", sorted(WHOLE_ANSWERS))
def test_7_an_answer_of_the_wrong_shape_is_refused_in_one_line(root: Path, tmp_path: Path,
                                                              intake_env: Any, case: str) -> None:
    where, body = WHOLE_ANSWERS[case]
    path = f"/crossref/works/{DOI}" if where == "crossref" else "/eutils/esummary.fcgi"
    intake_env.expect_request(path).respond_with_data(body, content_type="application/json")
    before = snapshot(tmp_path)
    code, _, err = cli("add", "source", *(["--doi", DOI] if where == "crossref" else
                                          ["--pmid", PMID]))
    refused(code, err, 2)
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------------------------------------
# 8 and 9. redirects: a loop in one line; only http(s) followed; the final address recorded


def _redirect(server: Any, path: str, to: str) -> None:
    server.expect_request(path).respond_with_data("", status=302, headers={"Location": to})


REDIRECTS = {
    "a loop": ([("/r", "/r")], "redirect"),
    "a loop of two": ([("/r", "/r2"), ("/r2", "/r")], "redirect"),
    "forty redirects": ([(f"/r{i or ''}", f"/r{i + 1}") for i in range(40)], "redirect"),
    "to ftp": ([("/r", "ftp://127.0.0.1:1/x")], "ftp://127.0.0.1:1/x"),
    "to a file": ([("/r", "file:///etc/passwd")], "file:///etc/passwd"),
    "to javascript": ([("/r", "javascript:alert(1)")], "javascript:"),
}


@pytest.mark.parametrize("command", ["add article", "add source"])
@pytest.mark.parametrize("case", sorted(REDIRECTS))
def test_8_9_redirects_that_are_not_followed_are_refused_in_one_line(
        root: Path, tmp_path: Path, intake_env: Any, case: str, command: str) -> None:
    hops, said = REDIRECTS[case]
    prefix = "/crossref/works/10.5555" if command == "add source" else ""
    for source, to in hops:
        _redirect(intake_env, prefix + source, prefix + to if to.startswith("/") else to)
    args = (["add", "source", "--doi", "10.5555/r"] if command == "add source"
            else ["add", "article", intake_env.url_for("/r")])
    before = snapshot(tmp_path)
    code, _, err = cli(*args)
    line = refused(code, err, 2)
    assert said in line, line
    assert snapshot(tmp_path) == before


def test_9_the_final_address_of_a_redirect_is_recorded(root: Path, intake_env: Any) -> None:
    page = PAGE.replace(DECLARED.encode(), b"/blog/final/")  # declares no absolute address
    serve_page(intake_env, "/blog/final/", page)
    final = intake_env.url_for("/blog/final/")
    other_host = final.replace("localhost", "127.0.0.1")
    assert other_host != final
    _redirect(intake_env, "/old", other_host)
    asked = intake_env.url_for("/old")
    code, _out, err = cli("add", "article", asked, "--key", "moved")
    assert code == 0, err
    text = bib_text(root)
    assert f"url       = {{{other_host}}}" in text
    assert asked in text  # the note says where the command started


# ---------------------------------------------------------------------------------------------
# 10. a page's own address on another host does not replace the address fetched


DECLARATIONS = {
    "another host": (DECLARED, "fetched"),
    "javascript": ("javascript:alert(1)", "fetched"),
    "the same host, another path": ("{base}/blog/walking-canonical/", "declared"),
}


@pytest.mark.parametrize("case", sorted(DECLARATIONS))
def test_10_a_declared_address_on_another_host_is_not_taken(root: Path, intake_env: Any,
                                                            case: str) -> None:
    declared, expected = DECLARATIONS[case]
    declared = declared.replace("{base}", intake_env.url_for("").rstrip("/"))
    url = serve_page(intake_env, body=PAGE.replace(DECLARED.encode(), declared.encode()))
    code, _out, err = cli("add", "article", url, "--key", "declared")
    assert code == 0, err
    want = url if expected == "fetched" else declared
    assert f"url       = {{{want}}}" in bib_text(root)


# ---------------------------------------------------------------------------------------------
# 12. two runs at once cannot both append


def _subprocess_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


@pytest.mark.parametrize("command", ["add source", "add article"])
def test_12_two_concurrent_runs_of_the_same_work_append_once(root: Path, tmp_path: Path,
                                                              intake_env: Any, command: str
                                                              ) -> None:
    from werkzeug import Response

    def slow(body: bytes, kind: str) -> Callable[[Any], Any]:
        def handler(_: Any) -> Any:
            time.sleep(2)
            return Response(body, content_type=kind)
        return handler

    intake_env.expect_request(f"/crossref/works/{DOI}").respond_with_handler(
        slow(json.dumps(work()).encode(), "application/json"))
    intake_env.expect_request("/blog/walking/").respond_with_handler(slow(PAGE, "text/html"))
    args = (["add", "source", "--doi", DOI] if command == "add source"
            else ["add", "article", intake_env.url_for("/blog/walking/")])
    runs = [subprocess.Popen([sys.executable, "-m", "build_tools", *args, "--root", "."],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=_subprocess_env()) for _ in range(2)]
    results = [(p.wait(60), *p.communicate()) for p in runs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, _, err in results if code == 1)
    assert "already" in refused(1, loser, 1)
    text = bib_text(root)
    assert text.count("@online{") + text.count("@article{") == 3  # two in refs.bib, one new


# ---------------------------------------------------------------------------------------------
# 13. kill -9 between the two renames of add article is recoverable

KILL_ON_SECOND_RENAME = """
import os, signal, sys
real, calls = os.replace, []
def replace(src, dst, *args, **kwargs):
    calls.append(dst)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *args, **kwargs)
os.replace = replace
from build_tools.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_13_add_article_killed_between_its_renames_is_completed_by_the_retry(
        root: Path, intake_env: Any) -> None:
    url = serve_page(intake_env)
    args = ["add", "article", url, "--key", "killed", "--root", "."]
    killed = subprocess.run([sys.executable, "-c", KILL_ON_SECOND_RENAME, *args],
                            capture_output=True, text=True, env=_subprocess_env(), timeout=60)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # check names the exact command that completes it
    assert any(f"python -m build_tools add article {url} --key killed" in p
               for p in check_lines(root)), check_lines(root)
    code, _out, err = cli("add", "article", url, "--key", "killed")
    assert code == 0, err
    assert (root / "sources" / "captures" / "killed.txt").is_file()
    assert bib_text(root).count("@online{killed,") == 1
    leftovers = [p for p in check_lines(root) if "killed" in p or "hidden file" in p]
    assert [p for p in leftovers if "interest" not in p and "not used by any claim" not in p
            and "not reviewed" not in p] \
        == [], leftovers


# ---------------------------------------------------------------------------------------------
# 15. an address the source page cannot show gets a warning


ADDRESSES = [
    pytest.param('https://shop.example/walk?q="x"', id="double-quote"),
    pytest.param("https://shop.example/walk?q='x'", id="single-quote"),
    pytest.param("https://shop.example/<walk>", id="angle-brackets"),
]


@pytest.mark.parametrize("url", ADDRESSES)
def test_15_an_address_left_off_the_source_page_is_a_warning(root: Path, url: str) -> None:
    path = root / "sources" / "refs.bib"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{https://shop.example/walk}", "{" + url + "}"),
                    encoding="utf-8")
    found = [p for p in check_lines(root) if p.startswith("sources/refs.bib:4:")]
    assert len(found) == 1 and ": warning: " in found[0] and "source page" in found[0], found


def test_15_an_ordinary_address_gets_no_warning(root: Path) -> None:
    assert [p for p in check_lines(root) if p.startswith("sources/refs.bib:4:")] == []
