"""What the pages need to know about the site around them: :class:`SiteSettings`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from build_tools.render import paging
from build_tools.rules import review


@dataclass(frozen=True)
class SiteSettings:
    """What the pages need to know about the site around them."""

    site_name: str = "Walking and low back pain: what the evidence says"
    site_url: str | None = None
    """Absolute base address, for the ClaimReview ``url``; None leaves it out."""
    repo_url: str | None = None
    """Where the repository lives; with it, each claim page links to its YAML for editing."""
    edit_path: str = "edit/main/"
    directory_urls: bool = True
    review_months: int = review.DEFAULT_MONTHS
    """How long a review stays current (the plugin's ``review_months`` option)."""
    as_of: dt.date | None = None
    """The day overdue reviews are judged on; None: :func:`build_tools.render.history.as_of`."""
    page_size: int = paging.PAGE_SIZE
    """Items on one page of a long list (the plugin's ``page_size`` option,
    :mod:`build_tools.render.paging`)."""
