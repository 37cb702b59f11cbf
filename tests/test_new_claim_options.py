"""``new claim`` starts from what the editor knows (``--statement``, ``--cites``,
``--promotional``, ``--topics``, ``--evidence``); ``topics`` lists the words in use and writes
the completion list; bad keys and topics are refused with nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from conftest import KB, snapshot

from build_tools import cli
from build_tools.commands import new, topics


def run(kb: KB, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["new", "claim", "--source", "shop2024", "--quote", "Walking every day",
                         *args])
    return code, out.getvalue(), err.getvalue()


def written(kb: KB, out: str) -> dict[str, object]:
    path = out.splitlines()[0].removeprefix("wrote ")
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_scaffold_starts_with_what_the_editor_knows(kb: KB) -> None:
    code, out, err = run(kb, "--statement", "Daily walking cures back pain.", "--cites",
                         "smith2018", "--promotional", "--topics", "walking", "low-back-pain",
                         "--evidence", "smith2018", "shop2024")
    assert code == 0, err
    data = written(kb, out)
    assert data["statement"] == "Daily walking cures back pain."
    assert data["topics"] == ["walking", "low-back-pain"]
    assert data["appearances"] == [{"source": "shop2024", "quote": "Walking every day",
                                    "cites": ["smith2018"], "promotional": True}]
    assert data["evidence"] == [{"source": "smith2018", "stance": "TODO", "finding": "TODO"},
                                {"source": "shop2024", "stance": "TODO", "finding": "TODO"}]
    # what is left to decide is what check lists
    _, problems, _ = kb.check()
    mine = [p for p in problems if p.startswith("claims/daily-walking-cures-back-pain.yml")]
    assert {p.split(": error: ")[1].split(":")[0] for p in mine} >= {
        "bottom_line", "evidence[0].stance", "verdict", "rationale"}
    assert not [p for p in mine if "topics" in p or "cites" in p or "promotional" in p]


def test_cites_alone_means_the_article_cited_nothing(kb: KB) -> None:
    code, out, _ = run(kb, "--id", "walking-daily", "--cites")
    assert code == 0
    data = written(kb, out)
    assert data["appearances"][0]["cites"] == []  # type: ignore[index]
    assert data["appearances"][0]["promotional"] is False  # type: ignore[index]


def test_without_options_the_appearance_is_left_to_decide(kb: KB) -> None:
    code, out, _ = run(kb, "--id", "walking-daily")
    assert code == 0
    data = written(kb, out)
    assert data["appearances"][0]["cites"] == ["TODO"]  # type: ignore[index]
    assert data["appearances"][0]["promotional"] == "TODO"  # type: ignore[index]


def test_a_new_topic_is_said_new(kb: KB) -> None:
    code, _, err = run(kb, "--id", "walking-daily", "--topics", "walking", "stair-climbing")
    assert code == 0
    assert "warning: --topics: stair-climbing is new (no other claim uses it; `python -m " \
           "build_tools topics` lists those in use)" in err


@pytest.mark.parametrize(("args", "message"), [
    (["--cites", "smith2019"], "error: --cites: unknown source 'smith2019' (did you mean "
                               "'smith2018'?)"),
    (["--evidence", "nobody2020"], "error: --evidence: unknown source 'nobody2020' (expected a "
                                   "key defined in sources/*.bib; add it with `add source "
                                   "--doi`)"),
    (["--topics", "Back Pain"], "error: --topics: 'Back Pain' is not a topic word (expected "
                                "lowercase kebab-case, e.g. chronic-pain; `python -m "
                                "build_tools topics` lists those in use)"),
])
def test_bad_options_are_refused_with_nothing_written(kb: KB, args: list[str], message: str
                                                      ) -> None:
    before = snapshot(kb.root)
    code, out, err = run(kb, *args)
    assert (code, out, err) == (1, "", message + "\n")
    assert snapshot(kb.root) == before


def test_topics_lists_the_words_in_use_and_writes_the_completion_list(kb: KB) -> None:
    new.run_claim(kb.root, "shop2024", "Walking every day", claim_id="walking-daily",
                  topics=["walking", "sleep"], out=io.StringIO(), err=io.StringIO())
    out, err = io.StringIO(), io.StringIO()
    assert topics.run(kb.root, out=out, err=err) == 0
    assert out.getvalue() == "    2  walking\n    1  low-back-pain\n    1  sleep\n"
    assert err.getvalue() == ("wrote schema/topics.schema.json (the words offered while "
                              "typing topics)\n")
    schema = json.loads((kb.root / "schema" / "topics.schema.json").read_text(encoding="utf-8"))
    assert schema["anyOf"][0] == {"enum": ["walking", "low-back-pain", "sleep"]}
    # unchanged: not rewritten
    err = io.StringIO()
    topics.run(kb.root, out=io.StringIO(), err=err)
    assert err.getvalue() == ""


def test_the_committed_completion_list_is_the_real_topics() -> None:
    root = Path(__file__).resolve().parents[1]
    committed = (root / "schema" / "topics.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed)["anyOf"][0]["enum"][:3] == json.loads(topics.topics_text(
        topics.counts(root)))["anyOf"][0]["enum"][:3]
