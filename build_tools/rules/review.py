"""The review policy: every claim is checked again against new evidence within a set time.

One policy for the whole knowledge base: the ``review_months`` option of the ``evidence`` plugin
in mkdocs.yml (default :data:`DEFAULT_MONTHS`). The MkDocs plugin reads it as its own option;
``check`` reads it from the same file (:func:`build_tools.config.mkdocs_yml.read_policy`), so the
site and the checker can never disagree about when a review is overdue.
"""

from __future__ import annotations

import calendar
import datetime as dt

from build_tools.core.problems import Problem, Severity
from build_tools.model.claim import Claim

DEFAULT_MONTHS = 24
"""How long a review stays current when mkdocs.yml does not say."""

OPTION = "review_months"
PLUGIN = "evidence"
"""The plugin's name in mkdocs.yml (its entry point in pyproject.toml)."""
CONFIG_FILE = "mkdocs.yml"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months; the 31st becomes the month's last day when needed."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def due(claim: Claim, months: int) -> dt.date | None:
    """The day a claim's review falls due; None for a claim never reviewed."""
    return add_months(claim.reviewed, months) if claim.reviewed else None


def overdue_since(claim: Claim, as_of: dt.date, months: int) -> dt.date | None:
    """The day the claim's review fell due, if that day is before ``as_of``; else None."""
    when = due(claim, months)
    return when if when is not None and when < as_of else None


def overdue(claims: list[Claim], as_of: dt.date, months: int) -> list[tuple[Claim, dt.date]]:
    """The claims overdue for review on ``as_of`` with the day each fell due, oldest first."""
    out = [(c, d) for c in claims if (d := overdue_since(c, as_of, months)) is not None]
    return sorted(out, key=lambda cd: (cd[1], cd[0].id))


def overdue_problem(claim: Claim, today: dt.date, months: int) -> Problem | None:
    """The warning for a claim whose review is overdue on ``today``.

    A reminder: ``--strict`` does not make it an error, because time alone, with no change to
    any file, must not break a build (nor stop the site from saying the review is overdue).
    """
    since = overdue_since(claim, today, months)
    if since is None:
        return None
    line, col = claim.pos("reviewed")
    return Problem(claim.path, line, col, Severity.WARNING,
                   f"reviewed: review overdue since {since} (reviewed {claim.reviewed}; expected "
                   f"a review at least every {months} months, the {OPTION} of the {PLUGIN} "
                   f"plugin in {CONFIG_FILE}: check the claim against newer evidence and set "
                   "reviewed to the day you did)", reminder=True)


def not_months(value: object) -> str:
    """The error for a ``review_months`` that is not a whole number of months above 0 (``check``
    and ``render --out`` say the same)."""
    return (f"plugins.{PLUGIN}.{OPTION}: '{value}' is not a number of months (expected a whole "
            f"number above 0, e.g. {DEFAULT_MONTHS})")
