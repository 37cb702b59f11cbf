"""The corrections log read from git: a temporary repository with a known history.

Each test makes a repository in ``tmp_path`` with commits at fixed dates (GIT_AUTHOR_DATE and
GIT_COMMITTER_DATE), so what :func:`read_history` returns is known exactly.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BIB, CAPTURE, CERTAINTY, CLAIM, write_kb

from build_tools.knowledge_base import load
from build_tools.render.history import History, as_of, read_history
from build_tools.render.site import SiteSettings, render_site

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str = "2024-01-01T10:00:00+00:00") -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@example.org",
               "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.org",
               "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_GLOBAL":
               os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        return subprocess.run(["git", "-C", str(self.root), *args], env=env, check=True,
                              capture_output=True, text=True).stdout

    def commit(self, message: str, date: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    write_kb(tmp_path, claims={"walking-cures": CLAIM}, bibs={"refs.bib": BIB},
             captures={"shop2024": CAPTURE})
    r = Repo(tmp_path)
    r.commit("Add walking-cures", "2024-05-01T09:00:00+00:00")
    return r


CLAIM_FILE = "claims/walking-cures.yml"


def test_every_change_of_verdict_certainty_and_statement(repo: Repo) -> None:
    repo.edit(CLAIM_FILE, "verdict: accurate", "verdict: overstated")
    repo.edit(CLAIM_FILE, "rationale: One", "rationale: A single")  # not a correction
    repo.commit("walking-cures: the trial was small; overstated", "2024-06-02T08:00:00+02:00")
    repo.edit(CLAIM_FILE, CERTAINTY, "certainty:\n  level: low\n  start: high\n"
              "  downgrades: {risk_of_bias: -1, imprecision: -1}\n  upgrades: {}\n")
    repo.edit(CLAIM_FILE, "statement: Walking every day cures low back pain.",
              "statement: >-\n  Walking every day cures\n  chronic low back pain.")
    repo.commit("walking-cures: narrower statement, certainty low", "2024-07-03T12:00:00+00:00")
    repo.edit(CLAIM_FILE, "rationale: A single", "rationale: Only one")
    repo.commit("walking-cures: wording", "2024-08-01T12:00:00+00:00")

    h = read_history(repo.root)
    assert h.available
    got = [(c.claim_id, c.field, c.old, c.new, c.when.isoformat(), c.subject) for c in h.changes]
    assert got == [  # newest first; within a commit: verdict, certainty, statement
        ("walking-cures", "certainty", "moderate", "low", "2024-07-03T12:00:00+00:00",
         "walking-cures: narrower statement, certainty low"),
        ("walking-cures", "statement", "Walking every day cures low back pain.",
         "Walking every day cures chronic low back pain.", "2024-07-03T12:00:00+00:00",
         "walking-cures: narrower statement, certainty low"),
        ("walking-cures", "verdict", "accurate", "overstated", "2024-06-02T08:00:00+02:00",
         "walking-cures: the trial was small; overstated"),
    ]
    assert h.added == {"walking-cures": dt.datetime.fromisoformat("2024-05-01T09:00:00+00:00")}
    assert h.head_date == dt.date(2024, 8, 1)
    assert [c.new_shown for c in h.changes] == ["Low", "Walking every day cures chronic low "
                                                "back pain.", "Overstated"]


def test_filling_in_a_draft_is_not_a_correction(repo: Repo) -> None:
    (repo.root / "claims" / "draft.yml").write_text(
        CLAIM.replace("verdict: accurate", "verdict: TODO"), encoding="utf-8")
    repo.commit("draft", "2024-06-01T00:00:00+00:00")
    repo.edit("claims/draft.yml", "verdict: TODO", "verdict: unproven")
    repo.commit("draft: verdict", "2024-06-02T00:00:00+00:00")
    assert read_history(repo.root).changes == []


def test_a_renamed_claim_keeps_its_history(repo: Repo) -> None:
    repo.edit(CLAIM_FILE, "verdict: accurate", "verdict: overstated")
    repo.commit("overstated", "2024-06-01T00:00:00+00:00")
    repo.git("mv", CLAIM_FILE, "claims/walking-daily-cures.yml")
    repo.commit("rename", "2024-06-02T00:00:00+00:00")
    h = read_history(repo.root)
    assert [(c.claim_id, c.new) for c in h.changes] == [("walking-daily-cures", "overstated")]
    assert h.added["walking-daily-cures"].date() == dt.date(2024, 5, 1)


def test_same_commit_same_pages(repo: Repo) -> None:
    """Built twice from the same commit (and on another day), the pages are byte-identical."""
    repo.edit(CLAIM_FILE, "verdict: accurate", "verdict: overstated")
    repo.commit("overstated <b>now</b>", "2024-06-01T00:00:00+00:00")
    first = render_site(load(repo.root, today=dt.date(2025, 1, 1)), SiteSettings())
    again = render_site(load(repo.root, today=dt.date(2030, 1, 1)), SiteSettings())
    assert first == again
    page = first["claims/walking-cures.md"]
    assert ("- **2024-06-01**: verdict changed from *Accurate* to *Overstated*. Recorded with "
            "the change: “overstated &lt;b&gt;now&lt;/b&gt;”") in page
    assert "- **2024-05-01**: first published." in page
    assert "[Walking every day cures low back pain\\.](claims/walking-cures.md): verdict changed" \
        in first["corrections.md"]
    feed = first["corrections.xml"]
    assert feed.count("<entry>") == 1 and "<updated>2024-06-01T00:00:00+00:00</updated>" in feed


def test_corrections_newest_first_across_claims(repo: Repo) -> None:
    (repo.root / "claims" / "second.yml").write_text(CLAIM, encoding="utf-8")
    repo.commit("second", "2024-05-02T00:00:00+00:00")
    repo.edit("claims/second.yml", "verdict: accurate", "verdict: unproven")
    repo.commit("second: unproven", "2024-06-01T00:00:00+00:00")
    repo.edit(CLAIM_FILE, "verdict: accurate", "verdict: overstated")
    repo.commit("first: overstated", "2024-07-01T00:00:00+00:00")
    page = render_site(load(repo.root, today=dt.date(2025, 1, 1)))["corrections.md"]
    assert page.index("first: overstated") < page.index("second: unproven")


def test_outside_git_the_history_is_left_out(tmp_path: Path) -> None:
    write_kb(tmp_path, claims={"walking-cures": CLAIM}, bibs={"refs.bib": BIB},
             captures={"shop2024": CAPTURE})
    h = read_history(tmp_path)
    assert not h.available and h.reason
    pages = render_site(load(tmp_path, today=dt.date(2025, 1, 1)))
    assert "## History" not in pages["claims/walking-cures.md"]
    assert "not available" in pages["corrections.md"]
    assert "corrections.xml" not in pages


def test_a_shallow_clone_leaves_the_history_out(repo: Repo, tmp_path_factory:
                                                pytest.TempPathFactory) -> None:
    repo.edit(CLAIM_FILE, "verdict: accurate", "verdict: overstated")
    repo.commit("overstated", "2024-06-01T00:00:00+00:00")
    clone = tmp_path_factory.mktemp("clone") / "kb"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
                   check=True, capture_output=True)
    h = read_history(clone)
    assert not h.available and "shallow" in h.reason


def test_as_of_is_source_date_epoch_else_the_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    h = History(available=True, head_when=dt.datetime(2024, 3, 1, 23, 0,
                                                      tzinfo=dt.timezone.utc))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert as_of(h) == dt.date(2024, 3, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    assert as_of(h) == dt.date(2025, 1, 1)
