"""Stage 5, flag: the flags of a claim, computed from its record, never typed by hand.

Each rule is one function; :data:`RULES` lists them in the order of
:data:`build_tools.core.vocabulary.FLAGS`, whose words the methodology page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from build_tools.core import vocabulary as v
from build_tools.model.claim import Claim
from build_tools.model.source import Source
from build_tools.stages.s4_link import independent_support


def unsupported(claim: Claim, sources: Mapping[str, Source]) -> bool:
    return not any(e.stance in v.SUPPORTING_STANCES for e in claim.evidence)


def uncited(claim: Claim, sources: Mapping[str, Source]) -> bool:
    return not any(a.cites for a in claim.appearances)


def miscited(claim: Claim, sources: Mapping[str, Source]) -> bool:
    against = {e.source for e in claim.evidence if e.stance in ("contradicts", "not-relevant")}
    return any(key in against for a in claim.appearances for key in a.cites)


def marketing_only(claim: Claim, sources: Mapping[str, Source]) -> bool:
    def commercial(a_source: str) -> bool:
        return a_source in sources and sources[a_source].commercial

    return (not independent_support(claim, sources) and bool(claim.appearances)
            and all(a.promotional or commercial(a.source) for a in claim.appearances))


RULES: dict[str, Callable[[Claim, Mapping[str, Source]], bool]] = {
    "unsupported": unsupported,
    "uncited": uncited,
    "miscited": miscited,
    "marketing-only": marketing_only,
}
assert list(RULES) == list(v.FLAGS), "every flag in the vocabulary has exactly one rule"


def compute_flags(claim: Claim, sources: Mapping[str, Source]) -> list[str]:
    """The names of the flags that fire for ``claim``, in vocabulary order."""
    return [name for name, rule in RULES.items() if rule(claim, sources)]


def why_marketing_only(claim: Claim, sources: Mapping[str, Source]) -> str:
    """Why the marketing-only flag fires for ``claim``, in words a reader follows: who makes the
    claim and what they sell, which passages promote it, and what support is missing. (The
    flag is about who says it, so it can fire on a passage not marked as promoting anything.)"""
    sellers: dict[str, str] = {}
    promoting = 0
    for a in claim.appearances:
        s = sources.get(a.source)
        if s is not None and s.commercial:
            name = f"“{s.title}”" + (f" ({s.get('publisher')})" if s.get("publisher") else "")
            sellers[name] = s.interest or "something related"
        promoting += a.promotional
    articles = {a.source for a in claim.appearances}
    said = []
    if sellers:
        each = "; ".join(f"{name}, whose publisher sells: {what}"
                         for name, what in sellers.items())
        said.append(("The only article that makes this claim comes from a seller" if
                     len(articles) == 1 else
                     f"All {len(articles)} articles that make this claim come from sellers"
                     if len(sellers) == len(articles) else
                     f"{len(sellers)} of the {len(articles)} articles that make it come from "
                     "sellers") + f": {each}")
    n = len(claim.appearances)
    if promoting:
        said.append(("Its passage promotes" if n == 1 else f"All {n} of its passages promote"
                     if promoting == n else f"{promoting} of its {n} passages "
                     + ("promotes" if promoting == 1 else "promote"))
                    + " the publisher's own product directly")
    backers = sorted({(sources[e.source].get("publisher") or sources[e.source].title)
                      for e in claim.evidence if e.stance in v.SUPPORTING_STANCES
                      and e.source in sources})
    if backers:
        said.append("The only evidence that supports it comes from a source with a commercial "
                    f"interest too ({', '.join(backers)})")
    else:
        said.append("No study or guideline supports it")
    if not promoting:
        said.append("No passage is marked as promoting a product: the flag is about who makes "
                    "the claim and what supports it, not about one passage")
    return ". ".join(said) + "."
