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
