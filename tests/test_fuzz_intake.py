"""Property-based fuzz tests of the editor's intake (issue 19), beside the loader's
(tests/test_fuzz.py): the commands are run as an editor runs them, on input a hostile or broken
world could give them.

* ``add appearance`` over real claim files (the golden knowledge base's and the repository's),
  re-laid out in every way editors write YAML (PyYAML's and ruamel's block styles at every
  indentation, sequences indented under their key or not, flow lists, flow items, JSON),
  decorated (comments, blank lines, document markers, CRLF, a byte order mark, no final line
  end) and sometimes broken (the loader fuzz test's byte edits);
* ``add source`` over Crossref and E-utilities answers: the recorded ones, mutated (a value
  replaced by any JSON, a key dropped, a list unwrapped, text full of control characters,
  braces and backslashes);
* ``add article --html`` over the recorded article page, mutated (its metadata replaced by
  hostile text, bytes inserted and cut).

Whatever the input: no exception escapes (no ``internal error``); every message is one printable
line; a command that fails leaves every file byte for byte as it was; and a file a command
changes still checks clean (for ``add appearance``: it is the old file with the new item inserted
at one place, nothing else changed, and it has no error it did not have).

The examples come from the Hypothesis profile (tests/conftest.py): a few dozen in every test run,
a hundred times as many in the nightly job (.github/workflows/fuzz.yml).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import byte_edit

from build_tools.cli import main

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
GOLDEN = TESTS / "golden" / "kb"
CLAIMS = sorted(GOLDEN.glob("claims/*.yml")) + sorted(REPO.glob("claims/*.yml"))[::20]
ARTICLES = {"dailyhealth-walking", "stepshop-blog"}
"""The golden knowledge base's captured articles: the sources an added appearance quotes."""

EXAMPLES = max(10, settings().max_examples // 5)
"""These run whole commands: a fifth of the profile's examples (20 in a test run, 1,000 in the
nightly one)."""

FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

NASTY = ["\x1b[2J", "\x1b]0;pwned\x07", "\x00", "\u202e", "\u200b", "\u2066", "\ufeff", "\x85",
         "\u2028", "\r", "\n", "\t", "\\", "\\\\", "{", "}", "}{", "$", "$x$", "%", "#", "&",
         "~", "^", "_", "--", "---", "``", "''", "!`", "?`", "@", "@article{x,", "\"", "'",
         " and ", ",", "<i>", "</i>", "&amp;", "&#27;", "é", "\U0001f600", "\ud800", "x" * 300]
"""Text a record or a page could hold that breaks BibTeX, LaTeX, YAML or a terminal."""

nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)),
                      min_size=1, max_size=6).map("".join)

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
              st.floats(allow_nan=False), nasty_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["given", "family", "name", "x",
                                                             "date-parts", "value", "idtype"]),
                                            inner, max_size=4)),
    max_leaves=12)


def read_yaml(text: str) -> Any:
    """A YAML text as the check reads it (libyaml's loader where present)."""
    from build_tools.stages.s2_read import yaml_loader

    return yaml.load(text, Loader=yaml_loader())


def printable_messages(out: str, err: str) -> None:
    assert "internal error" not in err and "Traceback" not in err, err
    for line in (out + err).splitlines():
        assert line.isprintable(), repr(line)
    for line in err.splitlines():
        assert line.startswith(("error: ", "warning: ")), repr(line)


def unsafe(text: str) -> list[str]:
    """The characters no intake may write: control and format characters, separators."""
    return sorted({f"U+{ord(c):04X}" for c in text if c not in "\n\t"
                   and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs")})


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".kb-cache" not in p.parts}


def cli(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--root", str(root)] if args[0] != "check" else [*args, str(root)])
    return code, out.getvalue(), err.getvalue()


def errors_of(root: Path, rel: str) -> set[str]:
    """The file's errors, their numbers (lines, indexes) masked: an insertion moves them."""
    from build_tools.knowledge_base import load

    return {re.sub(r"\d+", "N", p.message) for p in load(root).report.problems
            if p.path == rel and p.severity.value == "error"}


# ---------------------------------------------------------------------------------------------
# claim files in every layout


def _ruamel(text: str, mapping: int, sequence: int, offset: int,
            flow: Callable[[Any], None] | None = None) -> str:
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    doc = y.load(text)
    if flow is not None:
        flow(doc)
    out = io.StringIO()
    y.dump(doc, out)
    return out.getvalue()


def _flow_list(doc: Any) -> None:
    if hasattr(doc.get("appearances"), "fa"):
        doc["appearances"].fa.set_flow_style()


def _flow_items(doc: Any) -> None:
    for item in doc.get("appearances") or []:
        if hasattr(item, "fa"):
            item.fa.set_flow_style()


@st.composite
def laid_out(draw: st.DrawFn, text: str) -> str:
    """``text`` (a claim file) as another editor or tool would have written it."""
    data = yaml.safe_load(text)
    how = draw(st.sampled_from(["as it is", "pyyaml", "ruamel", "ruamel flow list",
                                "ruamel flow items", "json"]))
    if how == "pyyaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
                              indent=draw(st.sampled_from([2, 4])),
                              default_flow_style=draw(st.sampled_from([False, None])),
                              width=draw(st.sampled_from([60, 4096])))
    if how.startswith("ruamel"):
        mapping, sequence, offset = draw(st.sampled_from([(2, 2, 0), (2, 4, 2), (4, 4, 2),
                                                          (4, 6, 4), (3, 5, 3)]))
        flow = {"ruamel flow list": _flow_list, "ruamel flow items": _flow_items}.get(how)
        return _ruamel(text, mapping, sequence, offset, flow)
    if how == "json":
        return json.dumps(data, ensure_ascii=False, default=str,
                          indent=draw(st.sampled_from([None, 2]))) + "\n"
    return text


@st.composite
def decorated(draw: st.DrawFn, text: str) -> str:
    """``text`` with what editors add: comments, blank lines, markers, line ends, a BOM."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        what = draw(st.sampled_from(["comment line", "end comment", "blank"]))
        if what == "comment line":
            lines.insert(i, " " * draw(st.integers(0, 6)) + "# " + draw(st.text(max_size=10))
                         .replace("\n", " ").replace("\r", " "))
        elif what == "end comment" and lines[i].strip() and not lines[i].rstrip().endswith(
                (":", "|", ">", ">-", "|-")):
            lines[i] += "  # checked"
        else:
            lines.insert(i, "")
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = "---\n" + text
    if draw(st.booleans()):
        text = text.rstrip("\n") + "\n..." + draw(st.sampled_from(["", " # end"])) + "\n"
    if draw(st.integers(0, 3)) == 0:
        text = text.rstrip("\n")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = text.encode("utf-8")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    if draw(st.integers(0, 3)) == 0:  # and sometimes broken outright
        for _ in range(draw(st.integers(1, 2))):
            raw = draw(byte_edit(raw))
    return raw.decode("utf-8", errors="surrogateescape")


def _inserted_only(before: bytes, after: bytes) -> None:
    p = 0
    while p < min(len(before), len(after)) and before[p] == after[p]:
        p += 1
    assert len(after) > len(before) and after.endswith(before[p:]), "not an insertion"
    inserted = after[p:len(after) - (len(before) - p)]
    if before.count(b"\n") and before.count(b"\n") == before.count(b"\r\n"):
        assert after.count(b"\n") == after.count(b"\r\n"), "a line end lost its \\r"
    elif b"\r\n" not in before:
        assert b"\r" not in inserted, "CRLF added to a file with LF"


@FUZZ
@given(st.data())
def test_add_appearance_appends_faithfully_or_writes_nothing(data: st.DataObject) -> None:
    claim = data.draw(st.sampled_from(CLAIMS), label="claim")
    text = data.draw(laid_out(claim.read_text(encoding="utf-8")), label="layout")
    text = data.draw(decorated(text), label="decorated")
    source = data.draw(st.sampled_from(sorted(ARTICLES)), label="source")
    passages = [line.strip() for line in (GOLDEN / "sources" / "captures" / f"{source}.txt")
                .read_text(encoding="utf-8").splitlines() if len(line.strip()) > 20]
    quote = data.draw(st.sampled_from(passages), label="quote")
    cites = data.draw(st.lists(st.sampled_from(["smith2019walking", "nice-ng59"]),
                               max_size=2, unique=True), label="cites")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(GOLDEN, root, dirs_exist_ok=True)
        path = root / "claims" / "fuzzed.yml"
        path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
        rel = "claims/fuzzed.yml"
        before, before_all = path.read_bytes(), snapshot(root)
        errors_before = errors_of(root, rel)
        code, out, err = cli(root, "add", "appearance", "fuzzed", "--source", source,
                             "--quote", quote, "--cites", *cites)
        printable_messages(out, err)
        assert code in (0, 1, 2)
        after = path.read_bytes()
        if code != 0:
            assert snapshot(root) == before_all, "a refused command wrote"
            return
        _inserted_only(before, after)
        assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
        old = read_yaml(before.decode("utf-8-sig"))
        new = read_yaml(after.decode("utf-8-sig"))
        item = {"source": source, "quote": quote, "cites": cites, "promotional": False}
        old["appearances"].append(item)
        assert new == old
        assert errors_of(root, rel) <= errors_before, (errors_of(root, rel), errors_before)


# ---------------------------------------------------------------------------------------------
# records


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (keys and indexes)."""
    out = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*here, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, record: Any, keep: tuple[Any, ...] = ()) -> Any:
    """``record`` (a recorded answer) with one to five of its values changed. ``keep`` is a
    path left alone (the identifier the command asks for, so the answer is the one asked)."""
    record = json.loads(json.dumps(record))
    for _ in range(draw(st.integers(1, 5))):
        paths = [p for p in _paths(record) if p and not (keep and p[:len(keep)] == keep)]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = record
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        op = draw(st.sampled_from(["replace", "text", "drop", "wrap", "unwrap", "stringify"]))
        value = parent[last]
        if op == "replace":
            parent[last] = draw(json_values)
        elif op == "text":
            parent[last] = draw(nasty_text) if not isinstance(value, str) else \
                value[:draw(st.integers(0, len(value)))] + draw(nasty_text)
        elif op == "drop" and isinstance(parent, dict):
            del parent[last]
        elif op == "wrap":
            parent[last] = [value]
        elif op == "unwrap" and isinstance(value, list) and value:
            parent[last] = value[0]
        elif op == "stringify":
            parent[last] = json.dumps(value)
    return record


CROSSREF = sorted(FIXTURES.glob("crossref-*.json"))
ESUMMARY = sorted(FIXTURES.glob("esummary-*.json"))
SEED_BIB = """\
@article{smith2018,
  title   = {Walking for chronic low back pain: a randomised trial},
  author  = {Smith, A and Jones, B},
  year    = {2018},
  design  = {rct},
}
"""


def _new_kb(tmp: str) -> Path:
    root = Path(tmp)
    (root / "claims").mkdir()
    (root / "sources" / "captures").mkdir(parents=True)
    (root / "sources" / "refs.bib").write_text(SEED_BIB, encoding="utf-8")
    return root


def _judged(root: Path, args: list[str]) -> None:
    """Run the command: it prints one printable line a message, and either writes nothing or
    writes cleanly."""
    before = snapshot(root)
    code, out, err = cli(root, *args)
    printable_messages(out, err)
    assert code in (0, 1, 2)
    if code != 0:
        assert snapshot(root) == before, "a refused command wrote"
    else:
        _written_cleanly(root, before)


def _written_cleanly(root: Path, before: dict[str, bytes]) -> None:
    """What a command wrote parses, holds no control character, and changed no file it did
    not own."""
    _, out, _ = cli(root, "check")
    assert "does not parse" not in out, out
    for rel, data in snapshot(root).items():
        if before.get(rel) != data:
            assert unsafe(data.decode("utf-8")) == [], (rel, unsafe(data.decode("utf-8")))


@FUZZ
@given(data=st.data())
def test_add_source_survives_any_crossref_or_pubmed_answer(data: st.DataObject,
                                                           httpserver: Any,
                                                           monkeypatch: Any) -> None:
    monkeypatch.setenv("KB_CROSSREF_API", httpserver.url_for("/crossref"))
    monkeypatch.setenv("KB_NCBI_API", httpserver.url_for("/eutils"))
    monkeypatch.setenv("KB_CONTACT", "editors@example.org")
    monkeypatch.setenv("KB_HTTP_TIMEOUT", "5")
    httpserver.clear()
    if data.draw(st.booleans(), label="crossref"):
        answer = json.loads(data.draw(st.sampled_from(CROSSREF)).read_text(encoding="utf-8"))
        doi = answer["message"]["DOI"]
        body = data.draw(mutated(answer, keep=("message", "DOI")), label="answer")
        httpserver.expect_request(f"/crossref/works/{doi}").respond_with_json(body)
        args = ["add", "source", "--doi", doi]
    else:
        answer = json.loads(data.draw(st.sampled_from(ESUMMARY)).read_text(encoding="utf-8"))
        pmid = answer["result"]["uids"][0]
        body = data.draw(mutated(answer, keep=("result", "uids")), label="answer")
        httpserver.expect_request("/eutils/esummary.fcgi").respond_with_json(body)
        args = ["add", "source", "--pmid", pmid]
    with tempfile.TemporaryDirectory() as tmp:
        _judged(_new_kb(tmp), args)


# ---------------------------------------------------------------------------------------------
# article pages

PAGE = (FIXTURES / "article.html").read_text(encoding="utf-8")
_META = re.compile(r'(content|href)="([^"]*)"|<title>([^<]*)</title>|"(headline|name|'
                   r'datePublished)":"([^"]*)"')


@st.composite
def hostile_page(draw: st.DrawFn) -> bytes:
    """The recorded page with some of its metadata replaced by hostile text, then perhaps
    broken byte by byte."""
    spans = [m.span(2) if m.group(2) is not None else m.span(3) if m.group(3) is not None
             else m.span(5) for m in _META.finditer(PAGE)]
    page = PAGE
    for start, end in sorted(draw(st.lists(st.sampled_from(spans), max_size=4, unique=True)),
                             reverse=True):
        value = draw(nasty_text)
        if draw(st.booleans()):
            value = value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        page = page[:start] + value + page[end:]
    raw = page.encode("utf-8", errors="surrogatepass")
    for _ in range(draw(st.integers(0, 2))):
        raw = draw(byte_edit(raw))
    return raw


@FUZZ
@given(hostile_page())
def test_add_article_survives_any_page(page: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = _new_kb(tmp)
        saved = Path(tmp) / "saved.html"
        saved.write_bytes(page)
        _judged(root, ["add", "article",
                       "https://www.riverbendpt.example/blog/walking-for-low-back-pain/",
                       "--html", str(saved)])


# ---------------------------------------------------------------------------------------------
# the parsers and the writer on their own, many more examples: the record parsers over any
# mutation of the recorded answers, BibTeX values over any text

PARSER = settings(max_examples=settings().max_examples, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _read_or_refuse(parse: Callable[[], Any]) -> Any:
    """The record, or None when the parser refused it in one printable line."""
    from build_tools.identifiers.shape import WrongShape

    try:
        return parse()
    except WrongShape as exc:
        assert str(exc).isprintable() and len(str(exc)) <= 600, str(exc)
        return None


def _clean_record(record: Any) -> None:
    for name in ("title", "journal", "volume", "number", "pages", "doi", "pmid", "pmcid"):
        value = getattr(record, name)
        assert value is None or (isinstance(value, str) and unsafe(value) == []), (name, value)
    for author in record.authors:
        assert unsafe(author.family + author.given) == [], author
    assert record.year is None or re.fullmatch(r"[12]\d{3}", record.year), record.year


@PARSER
@given(data=st.data())
def test_the_crossref_parser_reads_or_refuses_any_work(data: st.DataObject) -> None:
    from build_tools.identifiers.doi import crossref_record
    from build_tools.identifiers.shape import Shape

    answer = json.loads(data.draw(st.sampled_from(CROSSREF)).read_text(encoding="utf-8"))
    work = data.draw(mutated(answer["message"]))
    if not isinstance(work, dict):
        return
    record = _read_or_refuse(lambda: crossref_record(work, "u", Shape("Crossref", "DOI x")))
    if record is not None:
        _clean_record(record)


@PARSER
@given(data=st.data())
def test_the_esummary_parser_reads_or_refuses_any_summary(data: st.DataObject) -> None:
    from build_tools.identifiers.pmid import pubmed_record
    from build_tools.identifiers.shape import Shape

    answer = json.loads(data.draw(st.sampled_from(ESUMMARY)).read_text(encoding="utf-8"))
    uid = answer["result"]["uids"][0]
    summary = data.draw(mutated(answer["result"][uid]))
    if not isinstance(summary, dict):
        return
    record = _read_or_refuse(lambda: pubmed_record(summary, "u", "pubmed",
                                                   Shape("PubMed", "PMID x")))
    if record is not None:
        _clean_record(record)


TEXT_FIELDS = ["title", "journal", "publisher", "note", "volume", "number", "interest"]


@PARSER
@given(st.sampled_from(TEXT_FIELDS), st.text(min_size=1).filter(lambda t: t.strip()))
def test_any_text_is_written_so_that_it_reads_back(name: str, text: str) -> None:
    """A text field can hold anything a record or an editor gives it (control characters are
    stripped before, on intake): it is written so that the reader gives it back."""
    from build_tools.core.text import strip_unsafe
    from build_tools.intake.bibedit import bib_value, read_back

    text = " ".join(strip_unsafe(text).split())
    if not text:
        return
    assert read_back(name, bib_value(text, name)) == text


@PARSER
@given(st.lists(st.tuples(nasty_text, st.text(max_size=12), st.booleans()), min_size=1,
                max_size=3))
def test_any_author_list_is_written_name_by_name_or_refused(
        names: list[tuple[str, str, bool]]) -> None:
    from build_tools.core.text import strip_unsafe
    from build_tools.intake.bibedit import Unwritable, entry_text, names_value
    from build_tools.model.latex import parse_names

    names = [(" ".join(strip_unsafe(f).split()), " ".join(strip_unsafe(g).split()), o)
             for f, g, o in names]
    names = [(f, "" if o else g, o) for f, g, o in names if f]
    if not names:
        return
    try:
        value = names_value(names)
    except Unwritable:
        return
    assert len(parse_names(value[1:-1])) == len(names)
    entry_text("article", "k", [("author", value), ("title", "T")])  # reads back whole
