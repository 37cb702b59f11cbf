"""What rendering keeps and reuses gives the pages it would give made afresh.

:class:`build_tools.render.parts.Parts` renders a source's parts, the badges and the verdict,
certainty and flag sections once and reuses them on every page that shows the same thing; a
cache key that left out something the piece shows would put one claim's certainty on another's
page. These tests render knowledge bases whose claims differ in only one such detail, with the
reuse on and with it off, and compare every page; and they check the faster escaping, relative
links and JSON writing against the plain definitions they replaced.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from build_tools.knowledge_base import load
from build_tools.render import exports, urls
from build_tools.render.markup import md_text
from build_tools.render.parts import Parts, short_name
from build_tools.render.site import SiteSettings, render_site

GOLDEN_KB = Path(__file__).resolve().parent / "golden" / "kb"
TEMPLATE = "walking-reduces-low-back-pain-recurrence"
"""A golden claim with its certainty in full GRADE form, copied with one detail changed."""
TODAY = dt.date(2025, 1, 1)

VARIANTS: dict[str, dict[str, Any]] = {
    "inconsistency-instead": {"certainty": {
        "level": "moderate", "start": "high",
        "downgrades": {"risk_of_bias": 0, "inconsistency": -1, "indirectness": 0,
                       "imprecision": 0, "publication_bias": 0}, "upgrades": {},
        "reasons": {"inconsistency": "The two trials disagreed."}}},
    "two-steps-down": {"certainty": {
        "level": "low", "start": "high",
        "downgrades": {"risk_of_bias": 0, "inconsistency": 0, "indirectness": 0,
                       "imprecision": -2, "publication_bias": 0}, "upgrades": {},
        "reasons": {"imprecision": "One trial, with wide confidence intervals."}},
        "bottom_line": "Walking regularly may lower the chance that low back pain comes back."},
    "another-reason": {"certainty": {
        "level": "moderate", "start": "high",
        "downgrades": {"risk_of_bias": 0, "inconsistency": 0, "indirectness": 0,
                       "imprecision": -1, "publication_bias": 0}, "upgrades": {},
        "reasons": {"imprecision": "Only 90 people in the one trial."}}},
    "definition": {"certainty": {"level": "not-applicable", "reason": "definition"}},
    "product-statement": {"certainty": {"level": "not-applicable",
                                        "reason": "product-statement"}},
    "no-certainty": {"certainty": None, "verdict": "unproven", "evidence": []},
    "not-rated": {"certainty": None, "evidence": [
        {"source": "nice-ng59", "stance": "partly-supports",
         "finding": "The guideline advises staying active and exercising."}]},
    "other-verdict": {"verdict": "accurate"},
}
"""Claims that differ from the template claim only in what their names say."""


@pytest.fixture(scope="module")
def kb_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("variants") / "kb"
    shutil.copytree(GOLDEN_KB, root)
    base = yaml.safe_load((root / "claims" / f"{TEMPLATE}.yml").read_text(encoding="utf-8"))
    for name, change in VARIANTS.items():
        claim = {**base, **change, "statement": f"{base['statement']} ({name})"}
        claim = {k: v for k, v in claim.items() if v is not None}
        (root / "claims" / f"variant-{name}.yml").write_text(
            yaml.safe_dump(claim, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


def _render(root: Path) -> dict[str, str]:
    kb = load(root, today=TODAY)
    assert not [p for p in kb.report.sorted() if p.severity == "error"], \
        [p.format() for p in kb.report.sorted()]
    return render_site(kb, SiteSettings(site_url="https://example.org/"))


def test_reused_parts_give_the_pages_made_afresh(kb_root: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    kept = _render(kb_root)
    monkeypatch.setattr(Parts, "_memo", lambda self, key, macro, *args: macro(*args))
    monkeypatch.setattr(Parts, "source", lambda self, key: self._source(key))
    monkeypatch.setattr(Parts, "short_name", lambda self, source: short_name(source))
    fresh = _render(kb_root)
    assert kept.keys() == fresh.keys()
    assert [p for p in kept if kept[p] != fresh[p]] == []


@pytest.mark.parametrize(("variant", "shown"), [
    ("inconsistency-instead", "Down one for inconsistency:</strong> The two trials disagreed."),
    ("two-steps-down", "Down two for imprecision:</strong>"),
    ("another-reason", "Only 90 people in the one trial."),
    ("definition", "**Certainty: not applicable:** this claim says what a word"),
    ("product-statement", "**Certainty: not applicable:** this claim describes the publisher"),
    ("no-certainty", "**Certainty: not assessed.**"),
    ("not-rated", "**Certainty: not rated.**"),
    ("other-verdict", "**Verdict: Accurate.**"),
])
def test_each_claim_page_explains_its_own_certainty_and_verdict(kb_root: Path, variant: str,
                                                                 shown: str) -> None:
    pages = _render(kb_root)
    page = pages[urls.claim_page(f"variant-{variant}")]
    assert shown in page
    others = [p for name in VARIANTS if name != variant
              for p in [pages[urls.claim_page(f"variant-{name}")]] if shown in p]
    assert len(others) < len(VARIANTS) - 1, f"{shown!r} is on every variant's page"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


@example("\\`*_{}[]()#+-.!| & < > \" ' é — a\tb\n c")
@given(st.text(alphabet=st.sampled_from(list("ab \t\n\\`*_{}[]()#+-.!|&<>\"'é—%;=/:"))
               | st.characters()))
def test_md_text_escapes_as_the_regular_expression_it_replaced(text: str) -> None:
    """The reference: Markdown punctuation escaped with a regular expression, then
    ``html.escape`` (what md_text did before it was made faster)."""
    expected = html.escape(_MD_SPECIAL.sub(r"\\\1", " ".join(text.split())), quote=True)
    assert str(md_text(text)) == expected


@pytest.mark.parametrize(("here", "target", "link"), [
    ("index.md", "claims/a.md", "claims/a.md"),
    ("claims/index.md", "claims/a.md", "a.md"),
    ("claims/b.md", "claims/a.md", "a.md"),
    ("claims/b.md", "sources/x.md", "../sources/x.md"),
    ("sources/x.md", "review.md", "../review.md"),
    ("a/b/c.md", "a/d.md", "../d.md"),
    ("a/b/c.md", "e.md", "../../e.md"),
])
def test_relative_links_are_the_same_from_every_page_of_a_folder(here: str, target: str,
                                                                  link: str) -> None:
    assert urls.relative(here, target) == link


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30)


@example({"b": [1, "x", None, True, False, 2.5, [], {}], "a": {"é—\"\n": "<&>"}})
@given(_JSON)
def test_json_is_written_as_json_dumps_writes_it(value: Any) -> None:
    out: list[str] = []
    exports._indented(value, out, "\n")
    assert "".join(out) == json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
