"""``remove article`` and ``remove source``: an ``add`` undone leaves every file as it was; a key
still used is refused, each use named at its line, with nothing changed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import BIB, FIXTURES, KB, snapshot

from build_tools.commands import add, remove

UNUSED = """
@article{lee2020unused,
  title  = {A study nobody cites},
  year   = {2020},
  design = {cohort},
}
"""


def run(fn: Any, root: Path, key: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = fn(root, key, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_add_article_then_remove_article_leaves_every_file_as_it_was(kb: KB) -> None:
    before = snapshot(kb.root)
    page = FIXTURES / "pages" / "byline-date-only.html"
    url = "https://1on1pt.example/blog/walking-for-low-back-pain/"
    assert add._run(lambda: add.add_article(kb.root, url, html_file=page,
                                            today=dt.date(2026, 2, 1)),
                    io.StringIO(), io.StringIO()) == 0
    key = "1on1pt-walking-low-back-pain"
    (kb.root / "sources" / "captures" / f"{key}.yml").write_text(
        "set_aside:\n  - quote: Walking for Low Back Pain\n    reason: heading\n",
        encoding="utf-8")
    code, out, err = run(remove.run_article, kb.root, key)
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"removed @online{{{key}}} from sources/articles.bib",
                                f"deleted sources/captures/{key}.txt",
                                f"deleted sources/captures/{key}.yml",
                                "deleted sources/articles.bib (it held nothing else)"]
    assert snapshot(kb.root) == before


@pytest.mark.parametrize("where", ["end", "start", "middle"])
def test_remove_source_cuts_out_that_entry_alone(kb: KB, where: str) -> None:
    path = kb.root / "sources" / "refs.bib"
    first, second = BIB.split("\n\n@article", 1)
    second = "@article" + second
    text = {"end": BIB + UNUSED, "start": UNUSED.lstrip("\n") + "\n" + BIB,
            "middle": first + "\n" + UNUSED + "\n" + second}[where]
    path.write_text(text, encoding="utf-8")
    code, out, err = run(remove.run_source, kb.root, "lee2020unused")
    assert (code, err) == (0, "")
    assert out == "removed @article{lee2020unused} from sources/refs.bib\n"
    assert path.read_text(encoding="utf-8") == BIB
    assert kb.check()[0] == 0


def test_remove_refuses_while_claims_use_the_key_naming_each_use(kb: KB) -> None:
    before = snapshot(kb.root)
    code, out, err = run(remove.run_article, kb.root, "shop2024")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "claims/walking-cures.yml:4:13: error: quotes 'shop2024', which `remove` would delete "
        "(expected this changed first)",
        "error: 'shop2024' (sources/refs.bib:1) is still used in 1 place, so nothing was "
        "removed (expected no claim or file relying on it: change those listed above first)"]
    code, _, err = run(remove.run_source, kb.root, "smith2018")
    assert code == 1
    assert err.splitlines()[:2] == [
        "claims/walking-cures.yml:6:12: error: cites 'smith2018', which `remove` would delete "
        "(expected this changed first)",
        "claims/walking-cures.yml:9:13: error: lists as evidence 'smith2018', which `remove` "
        "would delete (expected this changed first)"]
    assert snapshot(kb.root) == before


def test_a_printed_reference_keeps_its_entry(kb: KB) -> None:
    (kb.root / "sources" / "refs.bib").write_text(BIB + UNUSED, encoding="utf-8")
    (kb.root / "sources" / "captures" / "shop2024.yml").write_text(
        "set_aside:\n  - quote: try it\n    reason: reference-entry\n    source: lee2020unused\n",
        encoding="utf-8")
    code, _, err = run(remove.run_source, kb.root, "lee2020unused")
    assert code == 1
    assert err.startswith("sources/captures/shop2024.yml:4:13: error: names as a printed "
                          "reference 'lee2020unused'")


@pytest.mark.parametrize(("fn", "key", "message"), [
    (remove.run_source, "shop2024", "error: 'shop2024' (sources/refs.bib:1) is an article "
                                    "(expected `remove article shop2024`, which removes its "
                                    "capture too)"),
    (remove.run_article, "smith2018", "error: 'smith2018' (sources/refs.bib:7) is a rct, not "
                                      "an article (expected `remove source smith2018`)"),
    (remove.run_source, "smith2019", "error: no source 'smith2019' in sources/ (did you mean "
                                     "'smith2018'?)"),
    (remove.run_source, "SMITH2018", "error: no source 'SMITH2018' in sources/ (did you mean "
                                     "'smith2018'?)"),
])
def test_the_wrong_kind_or_an_unknown_key_is_refused(kb: KB, fn: Any, key: str, message: str
                                                     ) -> None:
    before = snapshot(kb.root)
    assert run(fn, kb.root, key)[::2] == (1, message + "\n")
    assert snapshot(kb.root) == before
