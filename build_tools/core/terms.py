"""A term of a controlled vocabulary, and the table of terms a vocabulary is.

Kept apart from :mod:`build_tools.core.vocabulary` so that the vocabularies too long to sit in
it (:mod:`build_tools.core.pico`) can be declared with the same record, and the vocabulary
module still offers every table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One allowed value of a vocabulary."""

    value: str
    label: str
    meaning: str
    rating: int = 0
    """For verdicts: the 5..1 rating used in machine-readable exports (5 = accurate)."""


def index(terms: tuple[Term, ...]) -> dict[str, Term]:
    """A vocabulary: its terms by value, in the order given (the order pages show them in)."""
    return {t.value: t for t in terms}
