"""``new claim`` and ``new source``: the scaffolds, their refusals, and what ``check`` says of them.

The fixtures are local to this module: a tiny knowledge base written into ``tmp_path``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import yaml

from build_tools.cli import main
from build_tools.commands import check
from build_tools.commands.new import next_free, slugify, source_skeleton
from build_tools.intake.scaffold import SCHEMA_HEADER, TODO, claim_scaffold
from build_tools.rules import schema as s
from build_tools.rules import specs

ROOT = Path(__file__).resolve().parents[1]

ARTICLE_BIB = """\
@online{shop2024,
  title    = {Walk Your Back Pain Away},
  design   = {web-article},
  interest = {lumbar support pillow},
}

@article{smith2018,
  title   = {Walking for chronic low back pain: a randomised trial},
  author  = {Smith, A and Jones, B},
  journal = {Spine},
  year    = {2018},
  doi     = {10.1000/spine.2018.1},
  design  = {rct},
}
"""
CAPTURE = "Our physio says: Walking every day\ncures \u201cback pain\u201d \u2014 try it.\n"
QUOTE = 'Walking every day cures "back pain"'

_PROBLEM = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
                      r"(?P<msg>.*)$")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A knowledge base with one commercial article (and its capture) and one trial."""
    (tmp_path / "claims").mkdir()
    (tmp_path / "sources" / "captures").mkdir(parents=True)
    (tmp_path / "sources" / "refs.bib").write_text(ARTICLE_BIB, encoding="utf-8")
    (tmp_path / "sources" / "captures" / "shop2024.txt").write_text(CAPTURE, encoding="utf-8")
    return tmp_path


def kb(*args: str, root: Path) -> list[str]:
    return [*args, "--root", str(root)]


def run_check(root: Path, strict: bool = False) -> tuple[int, list[re.Match[str]]]:
    buf = io.StringIO()
    code = check.run(root, strict=strict, out=buf, github=False)
    found = [m for m in map(_PROBLEM.match, buf.getvalue().splitlines()) if m]
    return code, found


def todo_lines(text: str) -> list[int]:
    """The 1-based lines whose value (not a comment) is still a TODO."""
    return [n for n, line in enumerate(text.splitlines(), 1)
            if not line.lstrip().startswith("#") and TODO in line]


def new_claim(root: Path, capsys: pytest.CaptureFixture[str], *extra: str,
              quote: str = QUOTE) -> Path:
    assert main(kb("new", "claim", "--source", "shop2024", "--quote", quote, *extra,
                   root=root)) == 0
    out = capsys.readouterr().out
    written = re.search(r"^wrote (\S+)$", out, re.M)
    assert written, out
    return Path(written.group(1))


FILLED = {
    "statement": '"Walking every day cures low back pain."',
    "bottom_line": '"Walking every day may ease low back pain a little; it is no cure."',
    "topics": "[walking, low-back-pain]",
    "cites": "[smith2018]",
    "promotional": "false",
    "source": "smith2018",
    "stance": "supports",
    "finding": '"Walking reduced pain at 12 weeks (n = 120)."',
    "verdict": "overstated",
    "level": "low",
    "start": "high",
    "population": "[chronic-low-back-pain]",
    "intervention": "[walking]",
    "outcome": "[pain]",
    "rationale": '"One small trial found less pain; it did not show a cure."',
}


def fill(text: str, values: dict[str, str] = FILLED) -> str:
    """What an editor does: replace each ``name: TODO`` (or ``[TODO]``) value."""
    def replace(m: re.Match[str]) -> str:
        return f"{m.group(1)}{m.group(2)}: {values[m.group(2)]}"
    text = re.sub(rf"^(\s*(?:- )?)(\w+): \[?{TODO}\]?$", replace, text, flags=re.M)
    # two steps down, each with its reason, so that the level follows from the start
    text = text.replace("    indirectness: 0\n    imprecision: 0",
                        "    indirectness: -1\n    imprecision: -1")
    return text.replace(f"# reasons: {{risk_of_bias: {TODO}}}",
                        "reasons: {indirectness: Not daily walking., imprecision: One small "
                        "trial of 120 people.}")


# ---------------------------------------------------------------------------------------------
# ids


@pytest.mark.parametrize(("text", "slug"), [
    ("Walking cures back pain", "walking-cures-back-pain"),
    ("Walking: it's the BEST medicine (really)!", "walking-its-the-best-medicine-really"),
    ("Café-au-lait walks don\u2019t hurt", "cafe-au-lait-walks-dont-hurt"),
    ("one two three four five six seven eight nine ten", "one-two-three-four-five-six-seven-eight"),
    ("  30 minutes a day  ", "30-minutes-a-day"),
    ("¿?", ""),
])
def test_slugify_makes_short_kebab_ids(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert not slug or s.KEBAB.match(slug)


def test_next_free_counts_up_regardless_of_case() -> None:
    assert next_free("walk", []) == "walk"
    assert next_free("walk", ["walk"]) == "walk-2"
    assert next_free("walk", ["Walk", "walk-2", "walk-3"]) == "walk-4"


# ---------------------------------------------------------------------------------------------
# the claim scaffold


def test_scaffold_starts_with_schema_line_and_has_every_field_with_its_description() -> None:
    text = claim_scaffold("shop2024", QUOTE, today=dt.date(2025, 3, 1))
    assert text.splitlines()[0] == SCHEMA_HEADER
    flat = re.sub(r"\s*\n\s*#\s*", " ", text)  # comments re-joined across wrapped lines

    def fields(record: specs.Record) -> list[specs.Field]:
        out = []
        for f in record.fields:
            out.append(f)
            if isinstance(f.spec, specs.ListOf) and isinstance(f.spec.item, specs.Record):
                out.extend(fields(f.spec.item))
        return out

    for f in fields(s.CLAIM):
        assert re.search(rf"^\s*(?:- |# )?{f.name}:", text, re.M), f"no field {f.name}"
        first = re.split(r"[:;.(]", f.spec.description)[0]
        assert first in flat, f"no description for {f.name}: {first!r}"
    for vocabulary in (s.CLAIM.by_name["verdict"].spec, ):
        assert isinstance(vocabulary, specs.Choice)
        # the terms by name, short enough to read; their meanings on the methodology page and
        # on hover in the editor (the schema's descriptions)
        assert f"The verdict: {', '.join(vocabulary.terms)} (what each means: the " \
               "methodology page" in flat
    # every field commented, yet short enough to read: a long vocabulary (the PICO terms) is
    # named by its count, not listed (76 lines before issue 21, 103 with PICO listed in full)
    assert len(text.splitlines()) <= 90
    assert "reviewed: 2025-03-01" in text
    assert "methodology/" in text


def test_scaffold_is_yaml_that_keeps_the_quote_exactly() -> None:
    quote = 'She said: "walk \u2014 daily" #1 {x} [y] & *z \\ done'
    data = yaml.safe_load(claim_scaffold("shop2024", quote, statement="It's: \u201cfine\u201d"))
    assert data["appearances"][0] == {"source": "shop2024", "quote": quote, "cites": [TODO],
                                      "promotional": TODO}
    assert data["statement"] == "It's: \u201cfine\u201d"
    assert "note" not in data and "note" not in data["appearances"][0]  # optional: commented out


def test_new_claim_writes_a_file_check_explains_field_by_field(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = new_claim(root, capsys)
    assert path == root / "claims" / "walking-every-day-cures-back-pain.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_HEADER + "\n")
    assert f"reviewed: {dt.date.today().isoformat()}" in text

    code, problems = run_check(root)
    assert code == 1
    mine = [p for p in problems if p["path"].endswith(path.name)]
    assert all(p["sev"] == "error" for p in mine)
    lines = [int(p["line"]) for p in mine]
    todos = todo_lines(text)
    assert len(todos) == 15
    assert sorted(lines) == todos, "each unfilled field has exactly one message, on its line"
    by_field = {p["msg"].split(":", 1)[0]: p["msg"] for p in mine}
    assert "is not an allowed value (expected one of: accurate," in by_field["verdict"]
    assert "expected true or false" in by_field["appearances[0].promotional"]
    assert "unknown source 'TODO'" in by_field["evidence[0].source"]
    assert "unknown source 'TODO'" in by_field["appearances[0].cites[0]"]
    assert "too short" in by_field["statement"]


def test_filled_scaffold_checks_clean(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = new_claim(root, capsys)
    path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    code, problems = run_check(root, strict=True)
    assert [p.group(0) for p in problems] == []
    assert code == 0


def test_the_json_schema_also_flags_each_todo_in_the_editor(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same placeholders show as inline errors in an editor using the committed schema."""
    from referencing import Registry, Resource

    schema = json.loads((ROOT / "schema" / "claim.schema.json").read_text(encoding="utf-8"))
    topics = json.loads((ROOT / "schema" / "topics.schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource("topics.schema.json", Resource.from_contents(topics))
    validator = jsonschema.Draft7Validator(schema, registry=registry)
    path = new_claim(root, capsys)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_JsonLikeLoader)
    errors = {"/".join(map(str, e.absolute_path)) for e in validator.iter_errors(data)}
    # Source keys are checked by `check` only: the schema cannot know which keys exist.
    assert errors == {"statement", "bottom_line", "topics/0", "population/0", "intervention/0",
                      "outcome/0", "appearances/0/promotional", "evidence/0/stance",
                      "evidence/0/finding", "verdict", "certainty", "rationale"}
    filled = yaml.load(fill(path.read_text(encoding="utf-8")), Loader=_JsonLikeLoader)
    assert list(validator.iter_errors(filled)) == []


class _JsonLikeLoader(yaml.SafeLoader):
    """Dates stay text, as a YAML 1.2 editor plugin reads them."""


_JsonLikeLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_statement_names_the_file_and_fills_the_field(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = new_claim(root, capsys, "--statement", "Daily walking cures low back pain")
    assert path.name == "daily-walking-cures-low-back-pain.yml"
    assert yaml.safe_load(path.read_text())["statement"] == "Daily walking cures low back pain"
    _, problems = run_check(root)
    assert not [p for p in problems if p["msg"].startswith("statement")]


def test_existing_id_is_refused_with_the_next_free_one(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = new_claim(root, capsys)
    before = path.read_text(encoding="utf-8")
    args = kb("new", "claim", "--source", "shop2024", "--quote", QUOTE, root=root)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "claim id 'walking-every-day-cures-back-pain' is already used" in err
    assert "--id walking-every-day-cures-back-pain-2" in err
    assert path.read_text(encoding="utf-8") == before
    (root / "claims" / "walking-every-day-cures-back-pain-2.yml").write_text("x")
    assert main(args) == 1
    assert "--id walking-every-day-cures-back-pain-3" in capsys.readouterr().err
    assert main([*args, "--id", "walking-every-day-cures-back-pain-3"]) == 0


def test_unknown_source_is_refused_with_did_you_mean(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(kb("new", "claim", "--source", "shop2042", "--quote", QUOTE, root=root)) == 1
    assert "unknown source 'shop2042' (did you mean 'shop2024'?)" in capsys.readouterr().err
    assert list((root / "claims").iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--quote", "  "], "the quote is empty"),
    (["--quote", QUOTE, "--id", "Not_Kebab"], "'Not_Kebab' is not a valid claim id"),
    (["--quote", "\u00bf?!"], "cannot make an id"),
])
def test_bad_input_is_refused(root: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                              message: str) -> None:
    assert main(kb("new", "claim", "--source", "shop2024", *args, root=root)) == 1
    assert message in capsys.readouterr().err


def test_missing_knowledge_base_is_refused(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(kb("new", "claim", "--source", "a", "--quote", QUOTE, root=tmp_path)) == 1
    assert "no such directory" in capsys.readouterr().err


def test_quote_not_in_capture_is_warned_about(root: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(kb("new", "claim", "--source", "shop2024", "--quote", "Walking cures all",
                   root=root)) == 0
    assert "the quote is not in sources/captures/shop2024.txt" in capsys.readouterr().err
    (root / "sources" / "captures" / "shop2024.txt").unlink()
    assert main(kb("new", "claim", "--source", "shop2024", "--quote", "Walking cures some",
                   root=root)) == 0
    assert "there is no capture sources/captures/shop2024.txt" in capsys.readouterr().err


def test_a_study_as_the_article_is_warned_about(root: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(kb("new", "claim", "--source", "smith2018", "--quote", "Walking helps",
                   root=root)) == 0
    err = capsys.readouterr().err
    assert "'smith2018' has design 'rct', not 'web-article'" in err
    assert "there is no capture sources/captures/smith2018.txt" in err


# ---------------------------------------------------------------------------------------------
# new source


def test_new_source_appends_a_skeleton_check_explains(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(kb("new", "source", "--key", "doe2021", "--design", "systematic-review",
                   root=root)) == 0
    assert "appended @article{doe2021} to" in capsys.readouterr().out
    bib = root / "sources" / "evidence.bib"
    text = bib.read_text(encoding="utf-8")
    assert "design   = {systematic-review}," in text
    assert "interest = {}," in text

    _, problems = run_check(root)
    mine = {p["msg"] for p in problems if p["path"].endswith("evidence.bib")
            and p["sev"] == "error"}
    assert mine == {
        "doe2021: field 'author' is empty (expected a value, or leave the field out)",
        "doe2021: field 'title' is empty (expected a value, or leave the field out)",
        "doe2021: field 'interest' is empty (expected a value, or leave the field out)",
        "doe2021: year 'TODO' is not valid (expected four digits)",
        "doe2021: doi 'TODO' is not valid (expected a DOI of the form 10.NNNN/... without prefix)",
        "doe2021: pmid 'TODO' is not valid (expected digits only)",
    }
    filled = (text.replace("author   = {}", "author   = {Doe, J}")
              .replace("title    = {}", "title    = {Walking: a review}")
              .replace("year     = {TODO}", "year     = {2021}")
              .replace("doi      = {TODO}", "doi      = {10.1000/x.2021.1}")
              .replace("  pmid     = {TODO},\n", "")
              .replace("  interest = {},\n", ""))
    bib.write_text(filled, encoding="utf-8")
    _, problems = run_check(root)
    left = [(p["sev"], p["msg"]) for p in problems if p["path"].endswith("evidence.bib")]
    assert left == [("warning", "doe2021: source is not used by any claim (expected it cited as "
                                "an appearance, a citation or evidence, or removed)")]


def test_new_source_keeps_what_the_file_had_and_what_was_given(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bib = root / "sources" / "refs.bib"
    before = bib.read_text(encoding="utf-8")
    assert main(kb("new", "source", "--key", "blog2023", "--design", "web-article",
                   "--title", "Walk {More}", "--interest", "walking shoes",
                   "--file", "refs.bib", root=root)) == 0
    after = bib.read_text(encoding="utf-8")
    assert after.startswith(before + "\n")
    library = bibtexparser.parse_string(after)
    assert not library.failed_blocks
    entry = {e.key: e for e in library.entries}["blog2023"]
    assert entry.entry_type == "online"
    assert entry.fields_dict["title"].value == "Walk \\{More\\}"  # reads back as given
    assert entry.fields_dict["interest"].value == "walking shoes"
    assert entry.fields_dict["design"].value == "web-article"


@pytest.mark.parametrize(("args", "message"), [
    (["--key", "SMITH2018", "--design", "rct"], "source key 'SMITH2018' is already used by "
                                                "'smith2018'"),
    (["--key", "smith 2019", "--design", "rct"], "is not a valid key: it holds white space"),
    (["--key", "smith2019", "--design", "rtc"], "design 'rtc' is not allowed (did you mean "
                                                "'rct'?)"),
    (["--key", "smith2019", "--design", "rct", "--file", "claims/x.bib"],
     "expected a .bib file directly in sources/"),
])
def test_new_source_refuses(root: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                            message: str) -> None:
    files = sorted(p.name for p in (root / "sources").iterdir())
    assert main(kb("new", "source", *args, root=root)) == 1
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (root / "sources").iterdir()) == files


@pytest.mark.parametrize("design", ["web-article", "guideline", "rct"])
def test_every_skeleton_parses(design: str) -> None:
    library = bibtexparser.parse_string(source_skeleton("k2020", design))
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == ["k2020"]
