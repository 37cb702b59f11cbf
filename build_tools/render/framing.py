"""What frames a claim as a claim, and what opens a scorecard, in words made from the data.

Wherever a claim is shown it carries a "Claim" label, its verdict, and who said it and when
("Said in: Verywell Fit, 2021, and 2 other articles"): :func:`said_in` works out that line and
the ``said_in`` macro of ``_macros.j2`` writes it. A scorecard opens with one sentence of its
verdicts (:func:`verdict_summary`) and says what the publisher sells in a sentence whatever the
``interest`` field holds (:func:`interest_sentence`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from build_tools.model.claim import Claim
from build_tools.model.source import Source


def publisher_name(source: Source) -> str | None:
    """Who published an article: its publisher, else its organisation, else its first author;
    None when the entry names nobody (no placeholder is made up)."""
    name = source.get("publisher") or source.get("organization")
    if not name and source.authors:
        name = source.authors[0]
    return name or None


def published(source: Source) -> str | None:
    """The day (or month, or year) an article was published, as its ``date`` field writes it:
    the first day of a biblatex range; None when undated."""
    date = source.get("date")
    if date:
        return date.split("/", 1)[0] or None
    return source.get("year")


def first_article(keys: Sequence[str], sources: Mapping[str, Source]) -> str | None:
    """Of the articles ``keys`` (in the order the claim lists them), the one that said it first:
    the earliest dated, else the first listed; None when none has an entry."""
    known = [k for k in keys if k in sources]
    dated = [(published(sources[k]), i, k) for i, k in enumerate(known) if published(sources[k])]
    if dated:
        return min(dated)[2]
    return known[0] if known else None


def article_name(source: Source) -> str:
    """An article as the "said in" line names it: ``Verywell Fit, 2021``; the title in quotes
    when no publisher is named."""
    name = publisher_name(source) or f"“{source.title}”"
    return f"{name}, {source.year}" if source.year else name


@dataclass(frozen=True)
class SaidIn:
    """Who said a claim: the first article (its key and name) and how many others."""

    key: str
    name: str
    others: int
    also: bool = False
    """True on an article's own scorecard: the line names the other articles only."""


def said_in(claim: Claim, sources: Mapping[str, Source], here: str | None = None
            ) -> SaidIn | None:
    """The "said in" line of ``claim``; on the scorecard of article ``here``, the other articles
    that made it ("Also said in: ..."), None when no other did."""
    keys = [k for k in claim.articles if k in sources and k != here]
    first = first_article(keys, sources)
    if first is None:
        return None
    return SaidIn(first, article_name(sources[first]), len(keys) - 1, also=here is not None)


def claim_title(claim: Claim) -> str:
    """A claim page's title, in the browser's tab and in link previews: the claim framed as a
    claim, its verdict first so that a cut title keeps it."""
    term = claim.verdict_term
    return f"Claim ({term.label if term else 'no verdict yet'}): {claim.statement}"


def verdict_summary(counts: Sequence[tuple[str, int]], marketing_only: int = 0) -> str:
    """One sentence of a scorecard's verdicts: ``counts`` are (verdict label, number) in the
    vocabulary's order; the claims that rest only on the publisher's word close it."""
    shown = [(label.lower(), n) for label, n in counts if n]
    total = sum(n for _, n in shown)
    if not total:
        return "We have not checked any claim of this article yet."
    if len(shown) == 1:
        label, n = shown[0]
        body = (f"We checked 1 claim of this article: it is {label}" if n == 1 else
                f"We checked {n} claims of this article: all {n} are {label}")
    else:
        items = [f"{n} {label}" for label, n in shown]
        items[0] = f"{shown[0][1]} {'is' if shown[0][1] == 1 else 'are'} {shown[0][0]}"
        body = f"Of {total} claims we checked, " + ", ".join(items[:-1]) + " and " + items[-1]
    if marketing_only:
        body += (f"; {marketing_only} {'rests' if marketing_only == 1 else 'rest'} only on the "
                 "publisher's own word")
    return body + "."


def interest_sentence(interest: str) -> str:
    """What the publisher sells, as a sentence whatever the field holds ("lumbar support
    pillow", "Lumbar pillows.", "sells back braces"): the field's words after a fixed opening,
    with one full stop."""
    what = " ".join(interest.split()).rstrip(" .;,")
    lower = what.lower()
    for lead in ("the publisher sells ", "publisher sells ", "it sells ", "sells "):
        if lower.startswith(lead):
            what = what[len(lead):]
            break
    return ("The publisher sells a product or service that this article's claims could "
            f"promote: {what}.")
