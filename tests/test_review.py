"""The review policy: one review period (mkdocs.yml), a reminder from ``check`` when a review is
overdue (never an error, even under --strict), and the pages that say so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import CLAIM, CLAIM_PATH, KB, NEVER_DUE, TODAY

from build_tools.config.mkdocs_yml import read_policy
from build_tools.render.history import History
from build_tools.render.site import SiteSettings, render_site
from build_tools.rules.review import DEFAULT_MONTHS, add_months

OVERDUE = ("claims/walking-cures.yml:15:11: warning: reviewed: review overdue since 2024-06-01 "
           "(reviewed 2022-06-01; expected a review at least every 24 months, the review_months "
           "of the evidence plugin in mkdocs.yml: check the claim against newer evidence and "
           "set reviewed to the day you did)")


@pytest.mark.parametrize(("day", "months", "due"), [
    ("2024-05-01", 24, "2026-05-01"),
    ("2024-01-31", 1, "2024-02-29"),  # the 31st becomes the month's last day
    ("2023-11-30", 3, "2024-02-29"),
    ("2024-12-15", 13, "2026-01-15"),
])
def test_add_months(day: str, months: int, due: str) -> None:
    assert add_months(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(due)


def test_overdue_review_is_a_reminder_not_an_error(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "reviewed: 2024-05-01", "reviewed: 2022-06-01")
    kb.write("mkdocs.yml", "plugins:\n  - search\n  - evidence:\n      root: .\n")  # default
    code, lines, text = kb.check()
    assert (code, lines) == (0, [OVERDUE])
    code, lines, text = kb.check(strict=True)
    assert (code, lines) == (0, [OVERDUE]), "--strict must leave a reminder a warning"
    assert text.splitlines()[-1].endswith("0 errors, 1 warning")


def test_a_review_on_its_due_day_is_not_overdue(kb: KB) -> None:
    today = dt.date.today()
    reviewed = add_months(today, -DEFAULT_MONTHS)
    kb.edit(CLAIM_PATH, "reviewed: 2024-05-01", f"reviewed: {reviewed}")
    kb.write("mkdocs.yml", "plugins:\n  - evidence\n")
    assert kb.check()[:2] == (0, [])


def test_the_period_comes_from_mkdocs_yml(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "reviewed: 2024-05-01", "reviewed: 2022-06-01")
    kb.write("mkdocs.yml", "site_url: !ENV [SITE_URL, '']\nplugins:\n  - evidence:\n"
                           "      review_months: 6\n")
    line = kb.check()[1][0]
    assert "overdue since 2022-12-01" in line and "every 6 months" in line


@pytest.mark.parametrize(("value", "message"), [
    ("0", "'0' is not a number of months"),
    ("two years", "'two years' is not a number of months"),
    ("[24]", "'a sequence' is not a number of months"),
])
def test_a_bad_review_period_is_an_error_at_its_line(kb: KB, value: str, message: str) -> None:
    kb.write("mkdocs.yml", f"plugins:\n  - search\n  - evidence:\n      review_months: {value}\n")
    code, lines, _ = kb.check()
    assert code == 1
    errors = [ln for ln in lines if ": error: " in ln]
    assert errors == [f"mkdocs.yml:4:22: error: plugins.evidence.review_months: {message} "
                      "(expected a whole number above 0, e.g. 24)"]


def test_check_reads_the_period_as_the_plugin_does(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """``!ENV`` and ``INHERIT`` as MkDocs reads them, so that ``check`` and the site agree
    (a reader of its own once took ``!ENV [...]`` for a list and an inherited option for none)."""
    (tmp_path / "base.yml").write_text("plugins:\n  - evidence:\n      review_months: 7\n",
                                       encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\n", encoding="utf-8")
    assert read_policy(tmp_path) == (7, [])
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - evidence:\n      review_months: !ENV [KB_TEST_MONTHS, 9]\n",
        encoding="utf-8")
    monkeypatch.delenv("KB_TEST_MONTHS", raising=False)
    assert read_policy(tmp_path) == (9, [])
    monkeypatch.setenv("KB_TEST_MONTHS", "3")
    assert read_policy(tmp_path) == (3, [])
    monkeypatch.setenv("KB_TEST_MONTHS", "soon")
    months, problems = read_policy(tmp_path)
    assert months == DEFAULT_MONTHS
    assert [p.format() for p in problems] == [
        f"{(tmp_path / 'mkdocs.yml').as_posix()}:3:22: error: plugins.evidence.review_months: "
        "'soon' is not a number of months (expected a whole number above 0, e.g. 24)"]


def test_no_mkdocs_yml_means_the_default(tmp_path: Path) -> None:
    assert read_policy(tmp_path) == (DEFAULT_MONTHS, [])
    (tmp_path / "mkdocs.yml").write_text(NEVER_DUE, encoding="utf-8")
    assert read_policy(tmp_path) == (1200, [])


def test_pages_say_overdue_and_list_the_claims_oldest_first(kb: KB) -> None:
    kb.write("claims/older.yml", CLAIM.replace("reviewed: 2024-05-01", "reviewed: 2021-03-01"))
    kb.edit(CLAIM_PATH, "reviewed: 2024-05-01", "reviewed: 2022-06-01")
    kb.write("claims/recent.yml", CLAIM.replace("reviewed: 2024-05-01", "reviewed: 2024-12-01"))
    settings = SiteSettings(as_of=TODAY)
    pages = render_site(kb.load(), settings, History())
    assert ("**Review overdue since 2024-06-01.** This claim was last reviewed on "
            "2022-06-01") in pages["claims/walking-cures.md"]
    assert "kb-overdue" not in pages["claims/recent.md"]
    due = pages["review.md"]
    assert "As of 2025-01-01, 2 claims are overdue, the longest overdue first" in due
    assert due.index("(claims/older.md)") < due.index("(claims/walking-cures.md)")
    assert "claims/recent.md" not in due
