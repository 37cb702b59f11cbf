"""Shared fixtures: a tiny, valid knowledge base written into ``tmp_path``.

:data:`CLAIM` is one claim file and :data:`BIB` one bibliography whose line numbers the tests
rely on; a test starts from them and breaks one thing (:meth:`KB.edit`), then checks the exact
``path:line:col: severity: message`` lines the checker prints.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

from build_tools.commands import check
from build_tools.knowledge_base import load
from build_tools.model.knowledge_base import KnowledgeBase

settings.register_profile("nightly", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
"""Hypothesis tries 100 examples a property in every test run; the scheduled fuzz workflow sets
HYPOTHESIS_PROFILE=nightly for 5,000 (tests/test_fuzz.py)."""

TODAY = dt.date(2025, 1, 1)
"""The date the tests check against (claims are reviewed before it)."""

# Line numbers matter: the tests point at them.
CERTAINTY = ("certainty: {level: moderate, start: high, downgrades: {imprecision: -1}, "
             "upgrades: {}, reasons: {imprecision: One trial of 120 people.}}\n")
"""Line 13 of :data:`CLAIM`, for the tests that replace it."""

CLAIM = """\
statement: Walking every day cures low back pain.
topics: [walking, low-back-pain]
appearances:
  - source: shop2024
    quote: Walking every day cures "back pain"
    cites: [smith2018]
    promotional: false
evidence:
  - source: smith2018
    stance: supports
    finding: Walking reduced pain at 12 weeks (n = 120).
verdict: accurate
""" + CERTAINTY + """\
rationale: One randomised trial supports the claim, with moderate certainty.
reviewed: 2024-05-01
bottom_line: Walking every day probably eases low back pain.
population: [chronic-low-back-pain]
intervention: [walking]
outcome: [pain]
"""
"""claims/walking-cures.yml. Lines: 1 statement, 2 topics, 3 appearances, 4 source, 5 quote,
6 cites, 7 promotional, 8 evidence, 9 source, 10 stance, 11 finding, 12 verdict, 13 certainty
(in full, on one line), 14 rationale, 15 reviewed, 16 bottom_line, 17 population,
18 intervention, 19 outcome."""


BIB = """\
@online{shop2024,
  title  = {Walk Your Back Pain Away},
  design = {web-article},
  url    = {https://shop.example/walk},
}

@article{smith2018,
  title   = {Walking for chronic low back pain: a randomised trial},
  author  = {Smith, A and Jones, B},
  journal = {Spine},
  year    = {2018},
  doi     = {10.1000/spine.2018.1},
  pmid    = {12345678},
  design  = {rct},
}
"""
"""sources/refs.bib. Lines: 1 @online{shop2024, 2 title, 3 design, 4 url; 7 @article{smith2018,
8 title, 9 author, 10 journal, 11 year, 12 doi, 13 pmid, 14 design."""

CAPTURE = "Our physio says: Walking every day\ncures \u201cback pain\u201d \u2014 try it.\n"
"""sources/captures/shop2024.txt: the quote is there up to white space and typographic quotes."""

NEVER_DUE = "plugins:\n  - evidence:\n      review_months: 1200\n"
"""The fixture's mkdocs.yml: ``check`` in a subprocess judges reviews on the real clock, and the
fixture's 2024 review must not fall due as years pass (tests/test_review.py tests the policy)."""

CLAIM_PATH = "claims/walking-cures.yml"
BIB_PATH = "sources/refs.bib"

_PROBLEM = re.compile(r"^\S+:\d+:\d+: (error|warning): ")


def dump(data: Mapping[str, Any]) -> str:
    """A claim record as YAML text, fields in the order given."""
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True)


def write_kb(root: Path, claims: Mapping[str, str | Mapping[str, Any]] | None = None,
             bibs: Mapping[str, str] | None = None,
             captures: Mapping[str, str] | None = None) -> Path:
    """Write a knowledge base into ``root``: ``claims`` maps an id (or a file name with its
    extension) to YAML text or a record; ``bibs`` a file name to BibTeX; ``captures`` a source
    key to its text. ``claims/`` and ``sources/`` always exist."""
    (root / "claims").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "captures").mkdir(parents=True, exist_ok=True)
    for name, claim in (claims or {}).items():
        text = claim if isinstance(claim, str) else dump(claim)
        file = name if "." in name else f"{name}.yml"
        (root / "claims" / file).write_text(text, encoding="utf-8")
    for name, text in (bibs or {}).items():
        (root / "sources" / name).write_text(text, encoding="utf-8")
    for key, text in (captures or {}).items():
        (root / "sources" / "captures" / f"{key}.txt").write_text(text, encoding="utf-8")
    return root


class KB:
    """A knowledge base on disk, to break one piece at a time and check."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, content: str | bytes) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return p

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace ``old``, which must occur exactly once, by ``new``."""
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
        self.write(rel, text.replace(old, new))

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def load(self, today: dt.date = TODAY) -> KnowledgeBase:
        return load(self.root, today=today)

    def problems(self, today: dt.date = TODAY, strict: bool = False) -> list[str]:
        """The problems of a load, formatted and sorted as ``check`` prints them."""
        out = []
        for p in self.load(today).report.sorted():
            line = p.format()
            if strict and not p.reminder:
                line = line.replace(": warning: ", ": error: ", 1)
            out.append(line)
        return out

    def check(self, strict: bool = False) -> tuple[int, list[str], str]:
        """``check.run``: the exit code, the problem lines, and the whole output."""
        buf = io.StringIO()
        code = check.run(self.root, strict=strict, out=buf, github=False)
        text = buf.getvalue()
        return code, [ln for ln in text.splitlines() if _PROBLEM.match(ln)], text


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KB:
    """A valid minimal knowledge base: one claim, one article with its capture, one study.

    The test runs in its root, which is given as ``.``, so the checker prints paths as an
    editor sees them (``claims/walking-cures.yml:12:10: ...``).
    """
    write_kb(tmp_path, claims={"walking-cures": CLAIM}, bibs={"refs.bib": BIB},
             captures={"shop2024": CAPTURE})
    (tmp_path / "mkdocs.yml").write_text(NEVER_DUE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return KB(Path("."))


# ---------------------------------------------------------------------------------------------
# the intake commands: recorded responses served on 127.0.0.1


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "intake"


@pytest.fixture
def intake_env(httpserver: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Crossref and NCBI E-utilities at the loopback server (``/crossref``, ``/eutils``), a
    contact address for the User-Agent, and the server for the test to add responses to."""
    monkeypatch.setenv("KB_CROSSREF_API", httpserver.url_for("/crossref"))
    monkeypatch.setenv("KB_NCBI_API", httpserver.url_for("/eutils"))
    monkeypatch.setenv("KB_CONTACT", "editors@example.org")
    monkeypatch.setenv("KB_HTTP_TIMEOUT", "5")
    return httpserver


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: a request to it is refused at once."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path (not the search index in .kb-cache/), to
    show that a refused command wrote nothing."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".kb-cache" not in p.parts}


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> str:
    """Crossref and NCBI at a closed port: as without a network. Returns a URL there."""
    base = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("KB_CROSSREF_API", base)
    monkeypatch.setenv("KB_NCBI_API", base)
    monkeypatch.setenv("KB_CONTACT", "editors@example.org")
    return base
