"""The controlled vocabularies of the knowledge base, each term with its plain-words meaning.

Everything a reader or an editor is told about verdicts, stances, certainty, designs and flags
is generated from these tables (the methodology page, the JSON Schema, the checker's messages),
so the documentation cannot drift from the code.
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


def _index(terms: tuple[Term, ...]) -> dict[str, Term]:
    return {t.value: t for t in terms}


VERDICTS: dict[str, Term] = _index((
    Term("accurate", "Accurate",
         "The best evidence supports the claim as stated.", 5),
    Term("mostly-accurate", "Mostly accurate",
         "Supported by the evidence, with a minor imprecision or a missing caveat.", 4),
    Term("overstated", "Overstated",
         "A real finding stated more strongly, broadly or precisely than the evidence allows "
         "(including an association presented as cause).", 3),
    Term("unproven", "Unproven",
         "There is no adequate evidence for or against the claim.", 2),
    Term("inaccurate", "Inaccurate",
         "Better evidence shows the claim is false.", 1),
))

@dataclass(frozen=True)
class Colour:
    """How a term is shown in colour: the fill of its badge or bar, and the text on that fill,
    in the light scheme and in the dark one. Colour never stands alone: the term's label is
    always written beside or on it."""

    fill: str
    text: str
    dark_fill: str
    dark_text: str

    def scheme(self, dark: bool) -> tuple[str, str]:
        """(fill, text) in the dark scheme or the light one."""
        return (self.dark_fill, self.dark_text) if dark else (self.fill, self.text)


VERDICT_COLOURS: dict[str, Colour] = {
    # light: white text 5.1:1 on the fill; dark: 8.1:1 text, fill 7.6:1 on the slate page
    "accurate": Colour("#1b7f3b", "#fff", "#6cc487", "#0d1f12"),
    "mostly-accurate": Colour("#3f7a1c", "#fff", "#a5cf6f", "#16220a"),  # 5.2:1; 9.3, 9.1
    "overstated": Colour("#a65f00", "#fff", "#f0a54a", "#2b1700"),       # 4.9:1; 8.3, 7.9
    "unproven": Colour("#5f5f5f", "#fff", "#b8b8b8", "#161616"),         # 6.4:1; 9.1, 8.2
    "inaccurate": Colour("#b3261e", "#fff", "#f28b82", "#2d0906"),       # 6.5:1; 7.6, 6.8
}
"""Each verdict's colour, stated once for both schemes: the badges (the generated stylesheet,
from :func:`build_tools.render.palette.stylesheet`) and the verdict charts use it. In each scheme
the text on each fill has at least the 4.5:1 contrast WCAG 2 asks of text, and each fill is above
the 3:1 a chart's bars need against that scheme's page (white, or the dark scheme's slate
#1e2029): the dark scheme's fills are lighter, with dark text."""

NO_VERDICT_COLOUR = Colour("#ddd", "#000", "#4a4d57", "#fff")
"""The badge of a claim that has no verdict yet."""

FLAG_COLOUR = Colour("#fff4e5", "#7a3e00", "#3d2a12", "#ffd59a")
"""A flag's badge (7.7:1 light, 9.9:1 dark), with a border in :data:`FLAG_BORDER`."""

FLAG_BORDER = ("#e0a040", "#a66a1f")
"""The flag badge's border, light and dark (3.6:1 on the dark page)."""

assert list(VERDICT_COLOURS) == list(VERDICTS), "every verdict has exactly one colour"

STANCES: dict[str, Term] = _index((
    Term("supports", "Supports", "The study's findings support the claim as stated."),
    Term("partly-supports", "Partly supports",
         "The study supports part of the claim, or a weaker version of it."),
    Term("contradicts", "Contradicts", "The study's findings go against the claim."),
    Term("inconclusive", "Inconclusive",
         "The study bears on the claim but does not settle it either way."),
    Term("not-relevant", "Not relevant",
         "The study does not address the claim (for example, a different population, "
         "intervention or outcome)."),
))

SUPPORTING_STANCES = frozenset({"supports", "partly-supports"})

CERTAINTY_LEVELS: dict[str, Term] = _index((
    Term("high", "High",
         "We are very confident that the true effect lies close to what the evidence shows.", 4),
    Term("moderate", "Moderate",
         "The true effect is probably close to what the evidence shows, but it may be "
         "substantially different.", 3),
    Term("low", "Low",
         "The true effect may be substantially different from what the evidence shows.", 2),
    Term("very-low", "Very low",
         "The true effect is probably substantially different from what the evidence shows.", 1),
))
"""GRADE certainty levels; ``rating`` is the level's rank used in certainty arithmetic."""

CERTAINTY_STARTS: dict[str, Term] = _index((
    Term("high", "High", "Randomised evidence starts high.", 4),
    Term("low", "Low", "Observational evidence starts low.", 2),
))

DOWNGRADE_DOMAINS: dict[str, Term] = _index((
    Term("risk_of_bias", "Risk of bias", "Flaws in how the studies were designed or run."),
    Term("inconsistency", "Inconsistency", "The studies' results disagree with each other."),
    Term("indirectness", "Indirectness",
         "The studies looked at other people, interventions or outcomes than the claim."),
    Term("imprecision", "Imprecision", "Few participants or events; wide confidence intervals."),
    Term("publication_bias", "Publication bias", "Studies with unwelcome results may be missing."),
))

UPGRADE_DOMAINS: dict[str, Term] = _index((
    Term("large_effect", "Large effect", "The effect is too large to be explained by bias alone."),
    Term("dose_response", "Dose-response", "More exposure gives more effect."),
    Term("plausible_confounding", "Plausible confounding",
         "Any remaining bias would have reduced the effect seen."),
))

DOWNGRADE_VALUES = (0, -1, -2)
UPGRADE_VALUES = (0, 1, 2)

DESIGNS: dict[str, Term] = _index((
    Term("systematic-review", "Systematic review",
         "A review that searches for and appraises all studies on a question, often with a "
         "meta-analysis."),
    Term("guideline", "Guideline", "A clinical practice guideline or official recommendation."),
    Term("rct", "Randomised controlled trial",
         "People are assigned by chance to the treatment or a comparison."),
    Term("cohort", "Cohort study", "A group of people followed over time."),
    Term("case-control", "Case-control study",
         "People with a condition compared with people without it."),
    Term("cross-sectional", "Cross-sectional study",
         "A survey at one point in time: it shows association, not cause."),
    Term("case-series", "Case series", "A description of a few patients, with no comparison."),
    Term("narrative-review", "Narrative review",
         "An expert summary of studies without a systematic search."),
    Term("expert-opinion", "Expert opinion", "The view of an expert or a body, without new data."),
    Term("web-article", "Web article", "A popular article on the web."),
    Term("reference-work", "Reference work", "A dictionary, encyclopaedia or patient leaflet."),
    Term("other", "Other", "Any other kind of source."),
))


@dataclass(frozen=True)
class FlagRule:
    """A flag computed from a claim record, never typed by hand."""

    value: str
    label: str
    rule: str
    """The rule, in words; :mod:`build_tools.stages.s5_flag` implements it."""
    why: str
    """What the flag tells a reader, shown on the claim page."""
    said: str
    """The flag in a sentence, after "a claim flagged as" (the flags page's description)."""


FLAGS: dict[str, FlagRule] = {f.value: f for f in (
    FlagRule("unsupported", "Unsupported",
             "No evidence item has the stance supports or partly-supports.",
             "No study we found supports this claim.",
             "unsupported"),
    FlagRule("uncited", "Uncited",
             "No appearance cites anything.",
             "No article that makes this claim gave a source for it.",
             "uncited"),
    FlagRule("miscited", "Miscited",
             "An appearance cites a source that the claim's evidence marks as contradicts or "
             "not-relevant.",
             "An article cites a source for this claim that does not support it.",
             "miscited"),
    FlagRule("marketing-only", "Marketing only",
             "No supporting evidence comes from a source without a commercial interest, and "
             "every appearance is in a source with a commercial interest or is marked "
             "promotional.",
             "This claim is made only by sellers, or only to promote a product, and no "
             "independent source supports it.",
             "made only to market a product"),
)}


NOT_APPLICABLE = Term(
    "not-applicable", "Not applicable",
    "GRADE rates how sure we can be of an effect; this claim states no effect, so there is "
    "nothing to rate.", 0)
"""The certainty of a claim that has no effect to rate (see :data:`NOT_APPLICABLE_REASONS`)."""

NOT_APPLICABLE_REASONS: dict[str, Term] = _index((
    Term("describes-study", "Describes a study",
         "this claim reports what a study did (who took part, how many, what was compared), not "
         "an effect"),
    Term("reports-recommendation", "Reports a recommendation",
         "this claim reports what a guideline or a professional body recommends, not an effect"),
    Term("definition", "Definition",
         "this claim says what a word or a procedure means"),
    Term("product-statement", "Product statement",
         "this claim describes the publisher's own product or service"),
))
"""Why GRADE certainty does not apply to a claim: GRADE rates the certainty of an estimate of an
effect, and these claims estimate none. ``meaning`` completes "Certainty: not applicable: ..."."""


SET_ASIDE_REASONS: dict[str, Term] = _index((
    Term("heading", "Heading",
         "A title or section heading: it names a topic and asserts nothing."),
    Term("page-furniture", "Page furniture or navigation",
         "Text that belongs to the web page rather than the article: menus, banners, shipping "
         "and guarantee badges, tags, cart and sharing widgets."),
    Term("image", "Image caption or credit",
         "The caption, credit or alternative text of a picture."),
    Term("byline", "Byline or author box",
         "Who wrote or reviewed the article, when, and their credentials."),
    Term("question", "Question",
         "A question, such as a frequently-asked-questions heading; the answer that follows is "
         "reviewed on its own."),
    Term("call-to-action", "Call to action",
         "An invitation to buy, sign up, download, call or read more, with nothing to check."),
    Term("reference-entry", "Reference-list entry",
         "An entry of the article's printed list of references; it names the BibTeX entry that "
         "records it, so that every printed reference is in sources/."),
    Term("framing", "Framing with nothing to check",
         "An introduction, a transition, a summary of what follows, or a rhetorical line that "
         "asserts nothing a study could confirm or refute."),
    Term("disclaimer", "Disclaimer",
         "A legal or medical disclaimer, such as 'for informational purposes only'."),
))
"""Why a passage of an article holds no checkable claim. Every passage of a captured article is
claimed (some claim quotes it) or set aside with one of these reasons."""


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
    ("paracetamol", "acetaminophen", "tylenol"),
    ("recurrence", "coming back", "flare-up"),
    ("retro walking", "walking backwards"),
    ("bed rest", "resting in bed"),
)
"""Words a reader may use for what an article calls otherwise: each group is one meaning, its
words and phrases (lowercase) interchangeable. Search indexes each claim with the other words of
every group it uses, and ``find`` ranks by them, so that a reader's word finds the article's."""


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
