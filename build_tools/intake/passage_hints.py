"""Why an unreviewed passage may hold a checkable claim: what in its words suggests one.

Each signal is a pattern and a weight; a passage's hint lists the signals it shows, strongest
first, and ``coverage`` lists the passages strongest first, so the editor reads the likeliest
claims first. The signals:

- **names a study or a body** (a trial, a review, research, a guideline, an academy, the NHS...);
- **gives a number** (digits, number words, ``twice``, ``half``, ``most people``...);
- **says something has an effect** (a causal verb: reduces, improves, prevents, relieves...);
- **compares** (more, less, better than, as effective as...);
- **gives advice** (an instruction or ``should``: advice implies a benefit).

A passage that reads as a reference entry (a year in brackets, a DOI, ``et al.``) gets no hint:
its numbers and journal names are not a claim. Measured on the five articles here, a passage
quoted by a claim gets a higher weight than one set aside with probability 0.71 (the area under
the ROC curve, 296 claimed against 169 set-aside passages; bench/README.md): a help for
ordering the work, not a decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERB = r"(?:e|es|ed|ing|s|d)?"


@dataclass(frozen=True)
class Signal:
    name: str
    weight: int
    label: str
    pattern: re.Pattern[str]


SIGNALS: tuple[Signal, ...] = (
    Signal("study", 3, "names a study or a body", re.compile(
        r"\b(?:stud(?:y|ies)|trials?|research(?:ers)?|reviews? of|meta-analys[ie]s|surveys?|"
        r"guidelines?|scientists?|according to|found that|show(?:s|ed)? that|suggests? that|"
        r"(?:Academy|Association|Institute|Organi[sz]ation|Society|College|University|"
        r"Centers?|Council|Foundation|Agency|Department) (?:of|for)|"
        r"WHO|NHS|NICE|CDC|NIH|AAOS|APTA|IQWiG|FDA|Lancet|Cochrane|BMJ|JAMA)\b")),
    Signal("number", 2, "gives a number", re.compile(
        r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|hundred|"
        r"thousand|half|halve[sd]?|halving|twice|double[sd]?|triple[sd]?|percent|majority|"
        r"everyone|everybody|nobody|"
        r"most people|nearly all|almost all)\b", re.IGNORECASE)),
    Signal("cause", 2, "says something has an effect", re.compile(
        r"\b(?:reduc|improv|prevent|caus|reliev|eas|strengthen|increas|decreas|boost|protect|"
        r"heal|cure|releas|trigger|worsen|aggravat|promot|stimulat|restor|loosen|lessen|"
        r"alleviat|enhanc|damag|harm|speed|help|support|keep|lead|result|impair|encourag|"
        r"benefit|build|burn|relax|lower(?! back))" + _VERB + r"\b", re.IGNORECASE)),
    Signal("compare", 1, "compares", re.compile(
        r"\b(?:more|less|fewer|better|worse|best|worst|than|compared|versus|vs|superior|"
        r"inferior|least|as (?:effective|good|well) as)\b", re.IGNORECASE)),
    Signal("advice", 1, "gives advice", re.compile(
        r"^\W*(?:start|try|avoid|contact|see|call|stop|keep|wear|choose|walk|stretch|aim|"
        r"make|take|use|don[’']t|do not)\b|\b(?:should|must|need to|needs to|have to|"
        r"(?:is|are) (?:good|bad) for|see a doctor|consult)\b", re.IGNORECASE)),
)
REFERENCE = re.compile(r"\(\d{4}[a-z]?\)|\bdoi\b|\bet al\b|https?://|\d+\(\d+\)|\bpp?\. \d",
                       re.IGNORECASE)
"""A reference-list entry: its numbers and names are no claim."""


def signals(text: str) -> list[Signal]:
    """The signals ``text`` shows, strongest first."""
    if REFERENCE.search(text):
        return []
    return sorted((s for s in SIGNALS if s.pattern.search(text)), key=lambda s: -s.weight)


def strength(text: str) -> int:
    """The sum of the weights of the signals ``text`` shows."""
    return sum(s.weight for s in signals(text))


def hint(text: str) -> str:
    """``names a study or a body, gives a number``; ``""`` when nothing suggests a claim."""
    return ", ".join(s.label for s in signals(text))
