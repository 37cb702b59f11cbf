"""The controlled vocabularies of the knowledge base, each term with its plain-words meaning.

Everything a reader or an editor is told about verdicts, stances, certainty, designs and flags
is generated from these tables (the methodology page, the JSON Schema, the checker's messages),
so the documentation cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.core.pico import (
    COMPARATORS,
    INTERVENTIONS,
    OUTCOMES,
    PICO,
    PICO_LABELS,
    POPULATIONS,
)
from build_tools.core.terms import Term
from build_tools.core.terms import index as _index
from build_tools.core.words import (
    BOTTOM_LINE_WORDING,
    HYPE_NEGATIONS,
    HYPE_SOURCES,
    HYPE_TERMS,
    JARGON,
    READING_GRADE_MAX,
    SEARCH_STOP_WORDS,
    SYNONYMS,
    HypeTerm,
    Jargon,
    Wording,
)

__all__ = [
    "BOTTOM_LINE_WORDING",
    "COMPARATORS",
    "HYPE_NEGATIONS",
    "HYPE_SOURCES",
    "HYPE_TERMS",
    "INTERVENTIONS",
    "JARGON",
    "OUTCOMES",
    "PICO",
    "PICO_LABELS",
    "POPULATIONS",
    "READING_GRADE_MAX",
    "SEARCH_STOP_WORDS", "SYNONYMS",
    "HypeTerm",
    "Jargon",
    "Term",
    "Wording",
]
"""The PICO tables are declared in :mod:`build_tools.core.pico`, the vocabularies of words in
text in :mod:`build_tools.core.words`; both are offered here with the rest."""


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
    Term("high", "High", "Randomised trials, and systematic reviews of them, start high.", 4),
    Term("low", "Low",
         "Observational studies (and reviews of them), laboratory and modelling studies start "
         "low.", 2),
))
"""Where GRADE starts, by the designs of the evidence (:data:`DESIGNS`' ``start``)."""

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

@dataclass(frozen=True)
class Design(Term):
    """A kind of source, and where GRADE starts for evidence of that kind."""

    start: str | None = None
    """A key of :data:`CERTAINTY_STARTS`, or None: the source carries no certainty of its own
    (guidance, opinion, articles), so evidence of this kind alone cannot be rated."""


DESIGNS: dict[str, Design] = {d.value: d for d in (
    Design("systematic-review", "Systematic review",
           "A review that searches for and appraises all randomised trials on a question, often "
           "with a meta-analysis.", start="high"),
    Design("systematic-review-observational", "Systematic review of observational studies",
           "A systematic review whose results rest on observational or non-randomised studies "
           "(cohorts, surveys, non-randomised trials, diagnostic studies), or pool them with "
           "trials.", start="low"),
    Design("guideline", "Guideline", "A clinical practice guideline or official recommendation."),
    Design("guideline-review", "Review of guidelines",
           "A review of clinical guidelines: it reports what they recommend, not new data."),
    Design("rct", "Randomised controlled trial",
           "People are assigned by chance to the treatment or a comparison.", start="high"),
    Design("cohort", "Cohort study", "A group of people followed over time.", start="low"),
    Design("case-control", "Case-control study",
           "People with a condition compared with people without it.", start="low"),
    Design("cross-sectional", "Cross-sectional study",
           "A survey at one point in time: it shows association, not cause.", start="low"),
    Design("case-series", "Case series", "A description of a few patients, with no comparison.",
           start="low"),
    Design("laboratory-study", "Laboratory study",
           "Measurements in a laboratory, usually of a few volunteers (forces, disc pressure, "
           "muscle activity, posture), rather than a trial of a treatment in patients.",
           start="low"),
    Design("modelling-study", "Modelling study",
           "Estimates worked out by a model from many surveys and registries, such as the Global "
           "Burden of Disease study.", start="low"),
    Design("narrative-review", "Narrative review",
           "An expert summary of studies without a systematic search."),
    Design("expert-opinion", "Expert opinion",
           "The view of an expert or a body, without new data."),
    Design("web-article", "Web article", "A popular article on the web."),
    Design("reference-work", "Reference work",
           "A dictionary, encyclopaedia, compendium or patient leaflet."),
    Design("other", "Other", "Any other kind of source."),
)}
"""The kinds of source (a BibTeX entry's ``design``), each with where GRADE starts for it."""

assert all(d.start in (None, *CERTAINTY_STARTS) for d in DESIGNS.values())


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

NOT_RATED = Term(
    "not-rated", "Not rated",
    "No study GRADE can rate bears on this claim: its sources are guidance, opinion, reference "
    "works or articles, which carry no certainty of their own.")
"""What a claim with evidence but no rateable design shows instead of a certainty."""

NOT_ASSESSED = Term("not-assessed", "Not assessed", "No evidence bears on this claim yet.")
"""What a claim with no evidence at all shows instead of a certainty."""

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
    Term("describes-condition", "Describes the condition",
         "this claim says how common low back pain is or what it does to people, not the "
         "effect of a treatment or an exposure"),
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
