"""Bottom lines worded as confidently as the evidence allows (GRADE guidance 26).

:data:`build_tools.core.vocabulary.BOTTOM_LINE_WORDING` holds, for each certainty level, the words a
bottom line must use and the words it must not; this module finds them in a sentence. Matching is
on whole words, case-insensitive, with typographic apostrophes made straight.
"""

from __future__ import annotations

import functools
import re

from build_tools.core import vocabulary as v
from build_tools.model.claim import Claim


@functools.cache
def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<![\w'])" + r"\s+".join(words) + r"(?![\w'])", re.IGNORECASE)


def _plain(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


def found(text: str, phrases: tuple[str, ...]) -> list[str]:
    """The phrases of ``phrases`` that occur in ``text`` as whole words, in the given order."""
    text = _plain(text)
    return [p for p in phrases if _pattern(p).search(text)]


def wording_problem(bottom_line: str, level: str) -> str | None:
    """What is wrong with the confidence of ``bottom_line`` at certainty ``level``, or None.

    The message names the words found and the words expected.
    """
    rule = v.BOTTOM_LINE_WORDING.get(level)
    if rule is None or not bottom_line:
        return None
    wrong = found(bottom_line, rule.forbidden)
    label = v.CERTAINTY_LEVELS[level].label.lower()
    if wrong:
        quoted = ", ".join(f"'{w}'" for w in wrong)
        if not rule.required:
            return (f"{quoted} sounds less sure than {label} certainty (expected a plain "
                    f"statement, e.g. \"{rule.example}\")")
        return (f"{quoted} does not match {label} certainty (expected "
                f"{_either(rule.required)}, e.g. \"{rule.example}\")")
    if rule.required and not found(bottom_line, rule.required):
        return (f"the wording does not say how sure we are at {label} certainty (expected "
                f"{_either(rule.required)}, e.g. \"{rule.example}\")")
    return None


def _either(words: tuple[str, ...]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def claim_wording_problem(claim: Claim) -> str | None:
    """The wording problem of a claim's bottom line, given its certainty (None when the
    certainty is not applicable or not assessed)."""
    c = claim.certainty
    if c is None or not c.applicable:
        return None
    return wording_problem(claim.bottom_line, c.level)
