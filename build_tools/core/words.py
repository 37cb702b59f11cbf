"""The vocabularies of words in text: how confident a bottom line may sound at each certainty
(GRADE guidance 26), the hype words that oversell a health claim, the words a reader may use for
what an article calls otherwise, and the jargon a bottom line says in plain words instead. The
methodology page shows each table; :mod:`build_tools.core.vocabulary` offers them with the
rest."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    """How confident a bottom line may sound at one certainty level (GRADE guidance 26)."""

    level: str
    example: str
    required: tuple[str, ...]
    """At least one of these words or phrases must be there (none required when empty)."""
    forbidden: tuple[str, ...]
    """None of these may be there: they claim more or less confidence than the level."""


_MODERATE_WORDS = ("probably", "likely", "unlikely", "probable")
_LOW_WORDS = ("may", "might", "possibly")
_VERY_LOW_WORDS = ("very uncertain", "unclear", "we don't know", "we do not know", "not known",
                   "unknown")
_HEDGES = ("uncertain", "could", "perhaps")

BOTTOM_LINE_WORDING: dict[str, Wording] = {w.level: w for w in (
    Wording("high", "Walking reduces pain a little in chronic low back pain.",
            (), _MODERATE_WORDS + _LOW_WORDS + _VERY_LOW_WORDS + _HEDGES),
    Wording("moderate", "Walking probably reduces pain a little in chronic low back pain.",
            _MODERATE_WORDS, _LOW_WORDS + _VERY_LOW_WORDS),
    Wording("low", "Walking may reduce pain a little in chronic low back pain.",
            _LOW_WORDS, _MODERATE_WORDS + _VERY_LOW_WORDS),
    Wording("very-low", "We are very uncertain whether walking prevents back pain.",
            _VERY_LOW_WORDS, _MODERATE_WORDS),
)}
"""The words a bottom line uses at each certainty, after Santesso N, Glenton C, Dahm P, et al.
GRADE guidelines 26: informative statements to communicate the findings of systematic reviews of
interventions. J Clin Epidemiol. 2020;119:126-135. doi:10.1016/j.jclinepi.2019.10.014: high
certainty is said plainly ("results in", "reduces"), moderate with "likely" or "probably", low
with "may", very low with "very uncertain" or "unclear whether". A claim
whose certainty is not applicable, or not assessed, has no wording rule."""


@dataclass(frozen=True)
class HypeTerm:
    """A word that oversells a health claim, with the forms that count as it."""

    value: str
    forms: tuple[str, ...]
    """The words or phrases matched, whole and case-insensitive (a hyphen matches a space)."""
    sources: tuple[str, ...]
    """Keys of :data:`HYPE_SOURCES` that name it."""


HYPE_SOURCES: dict[str, str] = {
    "schwitzer2000": "Schwitzer G. 7 words (and more) you shouldn't use in medical news. "
                     "HealthNewsReview.org toolkit; first published on mayohealth.org, "
                     "1 February 2000.",
    "abola2016": "Abola MV, Prasad V. The use of superlatives in cancer research. JAMA Oncol. "
                 "2016;2(1):139-141. doi:10.1001/jamaoncol.2015.3931 (the ten superlatives "
                 "HealthNewsReview.org reported on).",
    "ftc-miracle": "US Federal Trade Commission, with the Food and Drug Administration. "
                   "'Miracle' health claims: add a dose of skepticism (consumer guide): "
                   "promotions that use words like scientific breakthrough, miraculous cure, "
                   "secret ingredient and ancient remedy, quick cures and money-back "
                   "guarantees.",
}
"""Where the red-flag terms come from."""

HYPE_TERMS: dict[str, HypeTerm] = {t.value: t for t in (
    HypeTerm("cure", ("cure", "cures", "cured", "curing", "cure-all"),
             ("schwitzer2000", "abola2016", "ftc-miracle")),
    HypeTerm("miracle", ("miracle", "miracles", "miraculous", "miraculously"),
             ("schwitzer2000", "abola2016", "ftc-miracle")),
    HypeTerm("breakthrough", ("breakthrough", "breakthroughs"),
             ("schwitzer2000", "abola2016", "ftc-miracle")),
    HypeTerm("promising", ("promising",), ("schwitzer2000",)),
    HypeTerm("dramatic", ("dramatic", "dramatically"), ("schwitzer2000",)),
    HypeTerm("game-changer", ("game-changer", "game-changers", "game-changing"), ("abola2016",)),
    HypeTerm("revolutionary", ("revolutionary", "revolutionise", "revolutionize",
                               "revolutionises", "revolutionizes"), ("abola2016",)),
    HypeTerm("transformative", ("transformative",), ("abola2016",)),
    HypeTerm("groundbreaking", ("groundbreaking", "ground-breaking"), ("abola2016",)),
    HypeTerm("life-saver", ("life-saver", "lifesaver", "life-saving", "lifesaving"),
             ("abola2016",)),
    HypeTerm("home run", ("home run",), ("abola2016",)),
    HypeTerm("marvel", ("marvel", "marvels", "marvellous", "marvelous"), ("abola2016",)),
    HypeTerm("secret", ("secret", "secrets"), ("ftc-miracle",)),
    HypeTerm("guaranteed", ("guaranteed", "guarantee", "guarantees"), ("ftc-miracle",)),
    HypeTerm("instant", ("instant", "instantly", "quick fix", "quick cure"), ("ftc-miracle",)),
    HypeTerm("proven", ("proven", "clinically proven", "scientifically proven"),
             ("ftc-miracle",)),
)}
"""HealthNewsReview.org's red-flag words and the like: an appearance whose quote uses one is
marked on its claim page, counted on its article's scorecard and listed in data/claims.json.
A word right after a negation ("no cure", "has yet to be proven", "not guaranteed") is not
counted: the sentence denies the hype instead of making it."""

HYPE_NEGATIONS = ("no", "not", "never", "nor", "without", "yet", "isn't", "aren't", "hasn't",
                  "haven't", "wasn't", "weren't", "doesn't", "don't", "cannot", "can't")
"""Words that, among the three before a red-flag word, make it a denial rather than hype."""


SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("paracetamol", "acetaminophen", "tylenol", "panadol"),
    ("ibuprofen", "advil", "motrin", "nurofen"),
    ("naproxen", "aleve"),
    ("nsaid", "anti-inflammatory painkiller", "anti-inflammatory drug"),
    ("recurrence", "coming back", "flare-up", "relapse"),
    ("retro walking", "walking backwards", "walking backward", "backward walking",
     "backwards walking", "reverse walking"),
    ("bed rest", "resting in bed", "staying in bed"),
    ("lumbar pillow", "lumbar roll", "lumbar cushion", "back cushion"),
    ("slipped disc", "herniated disc", "disc herniation", "prolapsed disc"),
    ("disc", "disk"),
    ("physiotherapist", "physical therapist", "physio"),
    ("physiotherapy", "physical therapy"),
    ("low back pain", "lower back pain", "lumbago"),
    ("10,000 steps", "ten thousand steps", "10k steps"),
    ("pedometer", "step counter"),
)
"""Words a reader may use for what an article calls otherwise: each group is one meaning, its
words and phrases (lowercase) interchangeable. Search indexes each claim with the other words of
every group it uses, and ``find`` ranks by them, so that a reader's word finds the article's.
A word matches with an ``s`` or ``es`` after it (``nsaids``, ``discs``), and the words of a phrase
across spaces or hyphens; :mod:`build_tools.core.synonyms` does the matching. A group's words must
mean the same thing: "lumbar support" is not here, as it also names a brace."""

SEARCH_STOP_WORDS: frozenset[str] = frozenset((
    "a", "about", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "could",
    "did", "do", "does", "doing", "for", "from", "had", "has", "have", "how", "i", "if", "in",
    "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "should", "so", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "was",
    "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would",
    "you", "your",
))
"""The small words of a reader's question that say nothing about a claim ("does walking help my
back"): the site's search leaves them out of a query, unless a query has nothing else."""


READING_GRADE_MAX = 12.0
"""The highest Flesch-Kincaid grade a bottom line may read at: the last year of secondary school
(US grade 12). Plain-language guides for health information aim lower (grade 8 or below) for
whole leaflets; a bottom line is one or two sentences that must name a treatment, a condition and
how sure we are, and at grade 12 a 25-word sentence of ordinary words passes while a long one
stacked with long words does not. Above it, ``check`` warns."""


@dataclass(frozen=True)
class Jargon:
    """A word readers may not know, with the plain words to say instead."""

    value: str
    forms: tuple[str, ...]
    """The words or phrases matched, whole and case-insensitive."""
    plain: str


JARGON: dict[str, Jargon] = {j.value: j for j in (
    Jargon("placebo", ("placebo", "placebos"), "a dummy treatment (or dummy pill)"),
    Jargon("sham", ("sham",), "a fake treatment or operation"),
    Jargon("lumbar", ("lumbar",), "lower back"),
    Jargon("vertebrae", ("vertebra", "vertebrae", "vertebral"), "the bones of the spine"),
    Jargon("randomised", ("randomised", "randomized", "randomly assigned"),
           "put into groups by chance"),
    Jargon("meta-analysis", ("meta-analysis", "meta-analyses"), "a study that pools trials"),
    Jargon("cohort", ("cohort", "cohort study"), "a study that follows people over time"),
    Jargon("cross-sectional", ("cross-sectional",), "a snapshot survey"),
    Jargon("efficacy", ("efficacy", "efficacious"), "how well it works"),
    Jargon("intervention", ("intervention", "interventions"), "treatment"),
    Jargon("modest", ("modest", "modestly"), "small, or a little"),
    Jargon("musculoskeletal", ("musculoskeletal",), "muscle and joint"),
    Jargon("analgesic", ("analgesic", "analgesics"), "painkiller"),
    Jargon("NSAIDs", ("NSAID", "NSAIDs"), "anti-inflammatory painkillers such as ibuprofen"),
    Jargon("aerobic", ("aerobic",), "activity that makes you breathe faster"),
    Jargon("recurrence", ("recurrence", "recurrences"), "coming back"),
    Jargon("statistically significant", ("statistically significant", "statistically"),
           "unlikely to be chance"),
    Jargon("aetiology", ("aetiology", "etiology"), "cause"),
)}
"""Words of the trade a bottom line says in plain words instead: ``check`` warns at each one and
names the plain words, and the methodology page lists them. A claim's own subject can still be
named (vertebroplasty, sciatica, spinal stenosis): the list is of the words that explain, not of
the things explained."""
