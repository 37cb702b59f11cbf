"""Long lists split into pages of at most ``page_size`` items (the plugin's option).

A list of every claim (the claims index, a flag's claims, an article's scorecard, the claims a
source bears on, the review list, the evidence map in words) grows with the knowledge base. At
10,000 claims one such page was 5 to 11 MB of HTML: too much for a reader's phone, and after a
one-claim edit every builder converted each of them again (docs/decisions/0012-long-lists.md).
So a list longer than a page is cut: the first page keeps its place (``claims/index.md``), and
the others follow it under the same folder, ``claims/pages/2/index.md`` and so on. A
continuation page is an index page of its own folder, so a raw HTML link on it is written the
same for every builder (:func:`build_tools.render.urls.url`), and no claim, article or source
page can take its path (theirs are ``claims/ID.md``: a file, never a ``pages/N/`` folder).

A list no longer than a page is rendered as before, on one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

PAGE_SIZE = 250
"""Items on one page of a long list, unless the plugin's ``page_size`` says otherwise: more
than any list of the five articles' 177 claims holds (the longest is the evidence map's table,
246 claims in 85 pairs, a claim in as many pairs as it names), so their pages are not cut."""

AROUND = 2
"""The pager links the first and last page, and this many on each side of the current one."""


@dataclass(frozen=True)
class Page:
    """One page of a list: which items it shows, and where the others are."""

    number: int
    """From 1."""
    paths: tuple[str, ...]
    """Every page of the list, first to last, by its path under the docs folder."""
    start: int
    """The index of its first item in the whole list."""
    stop: int
    total: int
    """Items in the whole list."""

    @property
    def count(self) -> int:
        return len(self.paths)

    @property
    def path(self) -> str:
        return self.paths[self.number - 1]

    @property
    def first(self) -> str:
        return self.paths[0]

    @property
    def previous(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.paths[self.number] if self.number < self.count else None

    def shown(self) -> list[int | None]:
        """The page numbers the pager names, None where it leaves a gap."""
        keep = {1, self.count, *range(self.number - AROUND, self.number + AROUND + 1)}
        keep |= {n for n in range(2, self.count) if n - 1 in keep and n + 1 in keep}
        out: list[int | None] = []
        for n in range(1, self.count + 1):
            if n in keep:
                out.append(n)
            elif out and out[-1] is not None:
                out.append(None)
        return out

    def of(self, items: Sequence[T]) -> list[T]:
        """This page's part of ``items`` (the whole list)."""
        return list(items[self.start:self.stop])


def continued(folder: str, number: int) -> str:
    """The path of page ``number`` (from 2) of a list whose first page is in ``folder``."""
    return f"{folder}/pages/{number}/index.md"


def split(first: str, folder: str, total: int, size: int) -> list[Page]:
    """The pages of a list of ``total`` items, ``size`` a page (one page, ``first``, for a
    list that fits, and for an empty one)."""
    return split_weighted(first, folder, [1] * total, size)


def split_weighted(first: str, folder: str, weights: Sequence[int], size: int) -> list[Page]:
    """The pages of a list whose items are groups (the evidence map's pairs, each with its
    claims), never cut: each page holds whole items, up to ``size`` of their weight, or one
    item alone when it weighs more."""
    bounds: list[tuple[int, int]] = []
    start = load = 0
    for i, w in enumerate(weights):
        if i > start and load + w > size:
            bounds.append((start, i))
            start, load = i, 0
        load += w
    bounds.append((start, len(weights)))
    paths = (first, *(continued(folder, n) for n in range(2, len(bounds) + 1)))
    return [Page(n, paths, a, b, len(weights)) for n, (a, b) in enumerate(bounds, start=1)]


OPTION = "page_size"
"""The plugin's option that sets how many items a page of a long list holds."""


def not_page_size(value: object) -> str:
    """The error for a ``page_size`` that is not a whole number above 0 (the plugin and
    ``render --out`` say the same)."""
    return (f"plugins.evidence.{OPTION}: '{value}' is not a number of items (expected a whole "
            f"number above 0, e.g. {PAGE_SIZE})")
