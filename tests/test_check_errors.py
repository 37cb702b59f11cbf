"""Every kind of problem ``check`` reports, each at its exact file, line and column.

Each case starts from the valid knowledge base of ``conftest`` (see the line numbers of
:data:`conftest.CLAIM` and :data:`conftest.BIB`), breaks one thing, and lists the lines the
checker must print: ``path:line:col: severity: message``. The expected positions were read off
the inputs, not copied from the output.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from conftest import BIB, BIB_PATH, CERTAINTY, CLAIM, CLAIM_PATH, KB, TODAY

from build_tools.commands import check
from build_tools.core import vocabulary as v

C, B = CLAIM_PATH, BIB_PATH
Break = Callable[[KB], object]
SUMMARY = re.compile(r"\d+ claims, \d+ sources, \d+ flagged: \d+ errors?, \d+ warnings?")

DESIGNS = ("systematic-review, systematic-review-observational, guideline, guideline-review, "
           "rct, cohort, case-control, cross-sectional, case-series, laboratory-study, "
           "modelling-study, narrative-review, expert-opinion, web-article, reference-work, "
           "other")
CLAIM_FIELDS = ("statement, bottom_line, topics, population, intervention, comparator, outcome, "
                "appearances, evidence, verdict, certainty, rationale, reviewed, note")
VERDICTS = "accurate, mostly-accurate, overstated, unproven, inaccurate"
INTERVENTIONS = ", ".join(v.INTERVENTIONS)
FULL = ("level, start, downgrades and upgrades, with a reason in certainty.reasons for each step "
        "that is not 0")
YAML_HINT = "(expected valid YAML; check quotes, colons and indentation)"
NEEDS_SUPPORT = ("verdict: verdict 'accurate' needs evidence that supports the claim from a "
                 "source without a commercial interest (expected an evidence item with stance "
                 "supports or partly-supports, or a lower verdict such as unproven)")
ORPHAN = "@article{orphan2020,\n  title  = {A study nobody uses},\n  design = {cohort},\n}\n"
UNUSED_SHOP = ("sources/refs.bib:1:1: warning: shop2024: source is not used by any claim "
               "(expected it cited as an appearance, a citation or evidence, or removed)")
UNUSED_SMITH = ("sources/refs.bib:7:1: warning: smith2018: source is not used by any claim "
                "(expected it cited as an appearance, a citation or evidence, or removed)")


def full(level: str, start: str, downgrades: str, upgrades: str = "{}",
         reasons: str | None = None) -> str:
    """A certainty in full, as lines 13 to 17 (18 with ``reasons``) of the claim file."""
    text = (f"certainty:\n  level: {level}\n  start: {start}\n  downgrades: {downgrades}\n"
            f"  upgrades: {upgrades}\n")
    return text + (f"  reasons: {reasons}\n" if reasons else "")


SISTER = CLAIM.replace(CERTAINTY, "certainty: {level: low, start: high, downgrades: {imprecision: "
                                  "-1, indirectness: -1}, upgrades: {}, reasons: {imprecision: "
                                  "One trial of 120 people., indirectness: Tested daily walks "
                                  "only.}}\n").replace("probably eases", "may ease")
"""A second claim on the same trial and outcome as :data:`CLAIM`, rated one step lower."""


def claim(old: str, new: str) -> Break:
    """Replace ``old`` (once) by ``new`` in the claim file."""
    return lambda kb: kb.edit(C, old, new)


def bib(old: str, new: str) -> Break:
    """Replace ``old`` (once) by ``new`` in sources/refs.bib."""
    return lambda kb: kb.edit(B, old, new)


def write(rel: str, content: str | bytes) -> Break:
    return lambda kb: kb.write(rel, content)


def rename(new_name: str) -> Break:
    def go(kb: KB) -> None:
        kb.write(f"claims/{new_name}", kb.read(C))
        kb.remove(C)
    return go


def both(*steps: Break) -> Break:
    def go(kb: KB) -> None:
        for step in steps:
            step(kb)
    return go


CASES = [
    # --- files that cannot be read -------------------------------------------------------
    pytest.param(
        claim("verdict: accurate", "verdict: accurate: yes"),
        [f"{C}:12:18: error: YAML does not parse: mapping values are not allowed in this "
         f"context {YAML_HINT}"],
        id="yaml-does-not-parse"),
    pytest.param(
        claim("verdict: accurate", "verdict: [accurate"),  # the list is never closed
        [f"{C}:13:10: error: YAML does not parse: did not find expected ',' or ']' in the flow "
         f"sequence that starts at line 12, column 10 {YAML_HINT}"],
        id="yaml-unclosed-list-names-where-it-starts"),
    pytest.param(
        claim('quote: Walking every day cures "back pain"', 'quote: "Walking every day'),
        [f"{C}:5:12: error: YAML does not parse: found unexpected end of stream in the quoted "
         f"scalar that starts here {YAML_HINT}"],
        id="yaml-unclosed-quote-points-at-the-quote"),
    pytest.param(
        claim("verdict: accurate\n", "verdict: accurate\n---\nverdict: unproven\n"),
        [f"{C}:13:1: error: YAML does not parse: expected a single document in the stream "
         f"(line 1, column 1), but found another document {YAML_HINT}"],
        id="yaml-two-documents"),
    pytest.param(
        claim("cures low back", "cures\0low back"),
        [f"{C}:1:35: error: YAML does not parse: character U+0000 is not allowed (control "
         "characters are not allowed; expected printable text)"],
        id="yaml-nul-character"),
    pytest.param(
        # the 65th level: the root mapping is the first, so the 64th '[', in column 8 + 64
        write(C, "topics: " + "[" * 100 + "]" * 100 + "\n"),
        [f"{C}:1:72: error: YAML nests more than 64 levels deep (expected a claim record, "
         "which nests four)"],
        id="yaml-nested-too-deep"),
    pytest.param(
        write(C, CLAIM.replace("cures low", "cures\xe9low").encode("latin-1")),
        [f"{C}:1:35: error: file is not UTF-8: byte 0xe9 cannot be decoded (expected UTF-8 "
         "text)"],
        id="not-utf8"),
    pytest.param(
        write(C, "\n  \n"),
        [f"{C}:1:1: error: file is empty (expected a claim record)"],
        id="empty-file"),
    pytest.param(
        write(C, "# only a comment\n"),
        [f"{C}:1:1: error: file holds no YAML document (expected a claim record)"],
        id="no-yaml-document"),
    pytest.param(
        write(C, CLAIM + "#" * (1_000_001 - len(CLAIM))),
        [f"{C}:1:1: error: file is 1,000,001 bytes (expected at most 1,000,000)"],
        id="file-over-1mb"),
    pytest.param(
        claim("topics: [walking, low-back-pain]\n",
              "topics: &t [walking, low-back-pain]\nnote: *t\n"),
        [f"{C}:3:7: error: YAML alias '*t' is not allowed (expected every value written out in "
         "full, without anchors and aliases)"],
        id="yaml-alias-where-it-is-written"),
    pytest.param(
        write(C, "- statement\n- topics\n"),
        [f"{C}:1:1: error: got a list (expected a mapping with fields: {CLAIM_FIELDS})"],
        id="not-a-mapping"),

    # --- claim file names ----------------------------------------------------------------
    pytest.param(
        rename("Walking_Cures.yml"),
        ["claims/Walking_Cures.yml:1:1: error: file name 'Walking_Cures.yml' is not a valid "
         "claim id (expected lowercase letters and digits joined by single hyphens, e.g. "
         "walking-reduces-recurrence.yml)"],
        id="file-name-not-kebab-case"),
    pytest.param(
        rename("walking-cures.yaml"),
        # not read as a claim: what the claims use is not known, so no source is called unused
        ["claims/walking-cures.yaml:1:1: error: claim file ends in '.yaml' (expected '.yml')"],
        id="yaml-extension"),
    pytest.param(
        lambda kb: kb.write("claims/Walking-Cures.yml", kb.read(C)),
        ["claims/Walking-Cures.yml:1:1: error: file name 'Walking-Cures.yml' is not a valid "
         "claim id (expected lowercase letters and digits joined by single hyphens, e.g. "
         "walking-reduces-recurrence.yml)",
         f"{C}:1:1: error: claim id 'walking-cures' is already used by claims/Walking-Cures.yml "
         "as 'Walking-Cures' (expected a unique id, regardless of case)"],
        id="duplicate-claim-id-regardless-of-case"),

    # --- keys and fields -----------------------------------------------------------------
    pytest.param(
        claim("verdict: accurate\n", "verdict: accurate\nverdict: unproven\n"),
        [f"{C}:13:1: error: verdict: duplicate key 'verdict' (expected each key once; first at "
         "line 12)"],
        id="duplicate-key"),
    pytest.param(
        claim("    stance: supports\n", "    stance: supports\n    stance: contradicts\n"),
        [f"{C}:11:5: error: evidence[0].stance: duplicate key 'stance' (expected each key once; "
         "first at line 10)"],
        id="duplicate-key-nested"),
    pytest.param(
        claim("verdict: accurate", "verdcit: accurate"),  # and no "missing verdict" as well
        [f"{C}:12:1: error: verdcit: unknown field 'verdcit' (did you mean 'verdict'?)"],
        id="unknown-field-did-you-mean"),
    pytest.param(
        claim("    finding:", "    findings:"),
        [f"{C}:11:5: error: evidence[0].findings: unknown field 'findings' (did you mean "
         "'finding'?)"],
        id="unknown-field-nested"),
    pytest.param(
        claim("verdict: accurate\n", "verdict: accurate\ncolour: red\n"),
        [f"{C}:13:1: error: colour: unknown field 'colour' (expected one of: {CLAIM_FIELDS})"],
        id="unknown-field-no-suggestion"),
    pytest.param(
        claim("rationale: One randomised trial supports the claim, with moderate certainty.\n",
              ""),
        [f"{C}:1:1: error: missing required field 'rationale' (expected text)"],
        id="missing-field"),
    pytest.param(
        claim("    promotional: false\n", ""),
        [f"{C}:4:5: error: appearances[0]: missing required field 'promotional' (expected true "
         "or false)"],
        id="missing-field-nested"),

    # --- types ---------------------------------------------------------------------------
    pytest.param(
        claim("topics: [walking, low-back-pain]", "topics: walking"),
        [f"{C}:2:9: error: topics: got text 'walking' (expected a list of a kebab-case word; "
         "write [walking] for a list of one)"],
        id="wrong-type-topics-as-string"),
    pytest.param(
        claim("cites: [smith2018]", "cites:"),
        [f"{C}:6:11: error: appearances[0].cites: got nothing (an empty value) (expected a list "
         "of a BibTeX key; write [] for an empty list)"],
        id="wrong-type-null-cites"),
    pytest.param(
        claim("statement: Walking every day cures low back pain.", "statement: 42"),
        [f"{C}:1:12: error: statement: got the number 42 (expected text; put it in quotes to "
         "make it text)"],
        id="wrong-type-number-for-text"),
    pytest.param(
        claim("promotional: false", "promotional: nope"),
        [f"{C}:7:18: error: appearances[0].promotional: got text 'nope' (expected true or "
         "false)"],
        id="wrong-type-text-for-flag"),
    pytest.param(
        claim("    promotional: false\n", "    promotional: false\n  - shop2024\n"),
        [f"{C}:8:5: error: appearances[1]: got text 'shop2024' (expected a mapping with "
         "fields: source, quote, cites, promotional, note)"],
        id="wrong-type-item-not-a-mapping"),
    pytest.param(
        claim("statement: Walking every day cures low back pain.", "statement: Walking"),
        [f"{C}:1:12: error: statement: text is too short: 7 characters (expected at least 10)"],
        id="text-too-short"),
    pytest.param(
        claim("reviewed: 2024-05-01", "reviewed: 2024-13-01"),
        [f"{C}:15:11: error: reviewed: '2024-13-01' is not a date (expected a date, "
         "YYYY-MM-DD)"],
        id="not-a-date"),

    # --- vocabularies --------------------------------------------------------------------
    pytest.param(
        claim("stance: supports", "stance: support"),  # and no verdict error from it
        [f"{C}:10:13: error: evidence[0].stance: 'support' is not an allowed value (expected "
         "one of: supports, partly-supports, contradicts, inconclusive, not-relevant; did you "
         "mean 'supports'?)"],
        id="stance-outside-vocabulary"),
    pytest.param(
        claim("verdict: accurate", "verdict: maybe"),
        [f"{C}:12:10: error: verdict: 'maybe' is not an allowed value (expected one of: "
         f"{VERDICTS})"],
        id="verdict-outside-vocabulary"),
    pytest.param(
        claim(CERTAINTY, "certainty: medium\n"),
        [f"{C}:13:12: error: certainty: 'medium' is not an allowed value (expected one of: "
         "high, moderate, low, very-low)"],
        id="certainty-outside-vocabulary"),
    pytest.param(
        claim("topics: [walking, low-back-pain]", "topics: [walking, Low Back Pain]"),
        [f"{C}:2:19: error: topics[1]: 'Low Back Pain' is not a kebab-case word (lowercase "
         "letters and digits joined by single hyphens)"],
        id="topic-not-kebab-case"),

    # --- lists ---------------------------------------------------------------------------
    pytest.param(
        claim("appearances:\n  - source: shop2024\n    quote: Walking every day cures "
              "\"back pain\"\n    cites: [smith2018]\n    promotional: false\n",
              "appearances: []\n"),
        [f"{C}:3:14: error: appearances: list has 0 items (expected at least 1)",
         "sources/captures/shop2024.txt:1:1: warning: 2 of 2 passages are not reviewed (lines "
         "1, 2; expected each quoted by a claim or set aside in sources/captures/shop2024.yml; "
         "run `python -m build_tools coverage shop2024` for the list)",
         UNUSED_SHOP],
        id="no-appearance"),
    pytest.param(
        claim("topics: [walking, low-back-pain]", "topics: [walking, low-back-pain, walking]"),
        [f"{C}:2:34: error: topics[2]: 'walking' is listed twice (expected each once; first at "
         "topics[0])"],
        id="duplicate-topic"),
    pytest.param(
        claim("cites: [smith2018]", "cites: [smith2018, smith2018]"),
        [f"{C}:6:24: error: appearances[0].cites[1]: 'smith2018' is listed twice (expected each "
         "once; first at appearances[0].cites[0])"],
        id="duplicate-cite"),

    # --- source keys ---------------------------------------------------------------------
    pytest.param(
        claim("verdict: accurate", "  - source: smith2019\n    stance: inconclusive\n"
                                   "    finding: A second trial, which is not in sources/.\n"
                                   "verdict: accurate"),
        [f"{C}:12:13: error: evidence[1].source: unknown source 'smith2019' (did you mean "
         "'smith2018'?)"],
        id="unknown-source-did-you-mean"),
    pytest.param(
        claim("  - source: smith2018", "  - source: smith2019"),
        # the only evidence item's key is wrong: the cite has no evidence entry (true), but the
        # verdict is not also reported as unsupported until the key is fixed
        [f"{C}:6:13: warning: appearances[0].cites[0]: the article cites 'smith2018' but the "
         "claim has no evidence entry for it (expected an evidence item with source: smith2018 "
         "that says whether it supports the claim)",
         f"{C}:9:13: error: evidence[0].source: unknown source 'smith2019' (did you mean "
         "'smith2018'?)"],
        id="unknown-evidence-source-does-not-fail-the-verdict-too"),
    pytest.param(
        claim("  - source: shop2024", "  - source: shop2025"),
        [f"{C}:4:13: error: appearances[0].source: unknown source 'shop2025' (did you mean "
         "'shop2024'?)",
         UNUSED_SHOP],
        id="unknown-appearance-source"),
    pytest.param(
        claim("cites: [smith2018]", "cites: [smith2018, jones2020]"),
        [f"{C}:6:24: error: appearances[0].cites[1]: unknown source 'jones2020' (expected a key "
         "defined in sources/*.bib)"],
        id="unknown-cite-no-suggestion"),

    # --- quotes and captures -------------------------------------------------------------
    pytest.param(
        claim('cures "back pain"', 'cures all "back pain"'),
        [f"{C}:5:12: error: appearances[0].quote: quote not found in "
         "sources/captures/shop2024.txt (expected the article's words verbatim; only white "
         "space, quote marks and dashes may differ); closest passage, line 1: \"Walking every "
         "day cures \u201cback pain\u201d\"; word 5 of 7: the quote has 'all', which the capture "
         "does not have here"],
        id="quote-not-in-capture"),
    pytest.param(
        write("sources/captures/shop2024.txt", b"\xff\xfe"),
        ["sources/captures/shop2024.txt:1:1: error: file is not UTF-8: byte 0xff cannot be "
         "decoded (expected UTF-8 text)"],
        id="capture-not-utf8"),
    pytest.param(
        write("sources/captures/shop2024.txt", "\n"),
        ["sources/captures/shop2024.txt:1:1: error: file is empty (expected the article's "
         "text)"],
        id="capture-empty"),
    pytest.param(
        write("sources/captures/nobody2020.txt", "Some article.\n"),
        ["sources/captures/nobody2020.txt:1:1: warning: capture for unknown source "
         "'nobody2020' (expected the file named after a key in sources/*.bib)"],
        id="capture-for-unknown-source"),

    # --- verdict and certainty -----------------------------------------------------------
    pytest.param(
        claim("stance: supports", "stance: inconclusive"),
        [f"{C}:12:10: error: {NEEDS_SUPPORT}"],
        id="accurate-without-support"),
    pytest.param(
        both(claim("verdict: accurate", "verdict: mostly-accurate"),
             bib("  design  = {rct},", "  design  = {rct},\n  interest = {walking shoes},")),
        [f"{C}:12:10: error: "
         + NEEDS_SUPPORT.replace("'accurate'", "'mostly-accurate'")],
        id="mostly-accurate-with-only-commercial-support"),
    pytest.param(
        claim("verdict: accurate", "verdict: inaccurate"),
        [f"{C}:12:10: error: verdict: verdict 'inaccurate' needs evidence that contradicts the "
         "claim (expected an evidence item with stance contradicts, or a verdict such as "
         "unproven)"],
        id="inaccurate-without-contradiction"),
    pytest.param(
        claim(CERTAINTY, ""),
        [f"{C}:1:1: error: missing field 'certainty': the claim rests on evidence GRADE can "
         f"rate (rct smith2018, which starts high) (expected certainty in full: {FULL})"],
        id="certainty-missing-with-evidence"),
    pytest.param(
        claim(CERTAINTY, "certainty: moderate\n"),
        [f"{C}:13:12: error: certainty: 'moderate' written alone cannot be checked (expected it "
         f"in full: {FULL}; the evidence starts high: rct smith2018)"],
        id="certainty-level-alone"),
    pytest.param(
        claim(CERTAINTY, full("very-low", "low", "{imprecision: -1}",
                              reasons="{imprecision: One trial of 120 people.}")),
        [f"{C}:15:10: error: certainty.start: start 'low' does not follow from the evidence: "
         "rct smith2018 starts high (expected start: high, and steps down for what makes that "
         "evidence weaker; an item that does not bear on the claim is marked not-relevant)"],
        id="certainty-start-not-from-the-designs"),
    pytest.param(
        bib("  design  = {rct},", "  design  = {guideline},"),
        [f"{C}:13:12: error: certainty: 'moderate' rests on no evidence GRADE can rate: "
         "guideline smith2018 carries no certainty of its own (expected certainty left out, so "
         "that the claim shows 'not rated', or {level: not-applicable, reason: ...} if it "
         "states no effect, or an evidence item from a trial, a review or an observational "
         "study)"],
        id="certainty-rated-on-guidance-alone"),
    pytest.param(
        claim(CERTAINTY, "certainty: {level: moderate, start: high, downgrades: {imprecision: "
                         "-1}, upgrades: {}}\n"),
        [f"{C}:13:69: error: certainty.downgrades.imprecision: -1 with no reason (expected "
         "certainty.reasons.imprecision: one short sentence saying why)"],
        id="certainty-step-without-reason"),
    pytest.param(
        claim(CERTAINTY, full("moderate", "high", "{imprecision: -1, risk_of_bias: 0}",
                              reasons="{imprecision: One trial of 120 people., "
                                      "risk_of_bias: Nobody knew their group.}")),
        [f"{C}:18:66: error: certainty.reasons.risk_of_bias: a reason for risk_of_bias, which "
         "is not rated down (expected the reason removed, or a step for risk_of_bias)"],
        id="certainty-reason-without-step"),
    pytest.param(
        claim(CERTAINTY, full("moderate", "high", "{imprecision: -1}",
                              reasons="{imprecision: Few.}")),
        [f"{C}:18:26: error: certainty.reasons.imprecision: text is too short: 4 characters "
         "(expected at least 10)"],
        id="certainty-reason-too-short"),
    pytest.param(
        claim(CERTAINTY, full("moderate", "high", "{imprecision: -1}",
                              reasons="{imprecison: One trial of 120 people.}")),
        # and not also "-1 with no reason": a certainty with a part reported is fixed first
        [f"{C}:18:13: error: certainty.reasons.imprecison: unknown field 'imprecison' (did you "
         "mean 'imprecision'?)"],
        id="certainty-reason-for-an-unknown-domain"),
    pytest.param(
        claim(CERTAINTY, full("high", "high", "{imprecision: -1}", "{large_effect: 1}",
                              "{imprecision: One trial of 120 people., large_effect: A large "
                              "effect.}")),
        [f"{C}:17:28: error: certainty.upgrades.large_effect: +1 on evidence that starts high "
         "(expected 0: GRADE rates up only evidence that starts low)"],
        id="certainty-upgrade-on-evidence-that-starts-high"),
    pytest.param(
        claim(CERTAINTY, full("high", "high", "{risk_of_bias: -1}",
                              reasons="{risk_of_bias: Nobody was blinded.}")),
        [f"{C}:14:10: error: certainty.level: level 'high' does not add up: start high with -1 "
         "steps gives 'moderate' (expected level: moderate, or other steps)"],
        id="certainty-arithmetic"),
    pytest.param(
        both(bib("  design  = {rct},", "  design  = {cohort},"),
             claim(CERTAINTY, full("low", "low", "{imprecision: -1}", "{large_effect: 2}",
                                   "{imprecision: One study of 120 people., large_effect: "
                                   "Halved the risk.}"))),
        [f"{C}:14:10: error: certainty.level: level 'low' does not add up: start low with +1 "
         "steps gives 'moderate' (expected level: moderate, or other steps)"],
        id="certainty-arithmetic-with-upgrades"),
    pytest.param(
        claim(CERTAINTY, full("moderate", "high", "{risk_of_bias: -3}",
                              reasons="{risk_of_bias: Nobody was blinded.}")),
        # and not also "does not add up": the steps are not known
        [f"{C}:16:30: error: certainty.downgrades.risk_of_bias: -3 is not allowed (expected "
         "one of: 0, -1, -2)"],
        id="certainty-score-outside-its-values"),
    pytest.param(
        claim(CERTAINTY, full("moderate", "high", "{risk_of_bais: -1}")),
        [f"{C}:16:16: error: certainty.downgrades.risk_of_bais: unknown field 'risk_of_bais' "
         "(did you mean 'risk_of_bias'?)"],
        id="certainty-unknown-domain"),
    pytest.param(
        claim(CERTAINTY, "certainty:\n  level: moderate\n  start: high\n  upgrades: {}\n"),
        [f"{C}:14:3: error: certainty: missing required field 'downgrades' (expected a mapping "
         "of risk_of_bias, inconsistency, indirectness, imprecision, publication_bias to one "
         "of: 0, -1, -2)"],
        id="certainty-without-downgrades"),
    pytest.param(
        claim(CERTAINTY, "certainty:\n  level: moderate\n  start: high\n  downgrades: {}\n"),
        [f"{C}:14:3: error: certainty: missing required field 'upgrades' (expected a mapping "
         "of large_effect, dose_response, plausible_confounding to one of: 0, +1, +2)"],
        id="certainty-without-upgrades"),

    # --- population, intervention, comparator, outcome ------------------------------------
    pytest.param(
        claim("population: [chronic-low-back-pain]\n", ""),
        [f"{C}:1:1: error: missing field 'population': the claim states an effect, so it names "
         "its population (expected a list of population terms from the methodology page, such "
         "as [chronic-low-back-pain]; or certainty {level: not-applicable, reason: ...} if it "
         "states no effect)"],
        id="pico-missing"),
    pytest.param(
        claim("outcome: [pain]", "outcome: []"),
        [f"{C}:19:10: error: outcome: is empty: the claim states an effect, so it names its "
         "outcome (expected a list of outcome terms from the methodology page, such as [pain]; "
         "or certainty {level: not-applicable, reason: ...} if it states no effect)"],
        id="pico-empty"),
    pytest.param(
        claim("intervention: [walking]", "intervention: [walkng]"),
        [f"{C}:18:16: error: intervention[0]: 'walkng' is not an allowed value (expected one "
         f"of: {INTERVENTIONS}; did you mean 'walking'?)"],
        id="pico-term-outside-vocabulary"),
    pytest.param(
        claim("outcome: [pain]", "outcome: [pain, pain]"),
        [f"{C}:19:17: error: outcome[1]: 'pain' is listed twice (expected each once; first at "
         "outcome[0])"],
        id="pico-term-twice"),

    # --- BibTeX --------------------------------------------------------------------------
    pytest.param(
        write("sources/trials.bib", "@article{jones2020,\n  title  = {Unclosed,\n"
                                    "  design = {rct},\n}\n"),
        ["sources/trials.bib:1:1: error: BibTeX does not parse: '@article{jones2020,': "
         "Unexpectedly reached end of file (expected @type{key, field = {value}, ...} with "
         "balanced braces)"],
        id="bibtex-does-not-parse"),
    pytest.param(
        bib("  title   = {Walking for chronic low back pain: a randomised trial},",
            "  title   = {Walking for chronic low back pain: a randomised trial}"),
        ["sources/refs.bib:8:1: error: smith2018: field 'title' runs on into 'author = ...' on "
         "the next line (expected a comma after each field's value)"],
        id="bibtex-missing-comma"),
    pytest.param(
        write("sources/trials.bib", "@article{,\n  title  = {No key},\n  design = {rct},\n}\n"),
        ["sources/trials.bib:1:1: error: entry has no key (expected @type{key, field = "
         "{value}, ...})"],
        id="bibtex-entry-without-key"),
    pytest.param(
        write("sources/trials.bib", "\n"),
        ["sources/trials.bib:1:1: error: file is empty (expected BibTeX entries)"],
        id="bibtex-empty-file"),
    pytest.param(
        write("sources/trials.bib", "% Trials to add later.\n"),
        ["sources/trials.bib:1:1: error: file holds no BibTeX entry (expected @type{key, field "
         "= {value}, ...})"],
        id="bibtex-no-entry"),
    pytest.param(
        write("sources/trials.bib", "@article{smith2018,\n  title  = {Again},\n"
                                    "  design = {rct},\n}\n"),
        ["sources/trials.bib:1:1: error: duplicate BibTeX key 'smith2018' (expected each key "
         "once across sources/; first defined at sources/refs.bib:7)"],
        id="duplicate-bibtex-key-across-files"),
    pytest.param(
        write("sources/trials.bib", "@article{Smith2018,\n  title  = {Again},\n"
                                    "  design = {rct},\n}\n"),
        ["sources/trials.bib:1:1: error: duplicate BibTeX key 'Smith2018' (expected each key "
         "once across sources/; first defined at sources/refs.bib:7)"],
        id="duplicate-bibtex-key-regardless-of-case"),
    pytest.param(
        lambda kb: kb.write(B, BIB + "\n@online{shop2024,\n  title  = {Again},\n"
                                     "  design = {web-article},\n}\n"),
        ["sources/refs.bib:17:1: error: duplicate BibTeX key 'shop2024' (expected each key "
         "once across sources/; first defined at sources/refs.bib:1)"],
        id="duplicate-bibtex-key-in-one-file"),
    pytest.param(
        bib("  year    = {2018},\n", "  year    = {2018},\n  year    = {2019},\n"),
        ["sources/refs.bib:12:1: error: smith2018: field 'year' is given twice (expected each "
         "field once; first at line 11)"],
        id="bibtex-field-twice"),
    pytest.param(
        bib("  journal =", "  jornal  ="),
        ["sources/refs.bib:10:1: error: smith2018: unknown field 'jornal' (did you mean "
         "'journal'?)"],
        id="bibtex-unknown-field"),
    pytest.param(
        bib("  design  = {rct},\n", ""),
        [f"sources/refs.bib:7:1: error: smith2018: missing field 'design' (expected one of: "
         f"{DESIGNS})"],
        id="bibtex-missing-design"),
    pytest.param(
        bib("  design  = {rct},", "  design  = {RCT},"),
        [f"sources/refs.bib:14:1: error: smith2018: design 'RCT' is not allowed (expected one "
         f"of: {DESIGNS}; did you mean 'rct'?)"],
        id="bibtex-design-outside-vocabulary"),
    pytest.param(
        bib("10.1000/spine.2018.1", "https://doi.org/10.1000/spine.2018.1"),
        ["sources/refs.bib:12:1: error: smith2018: doi 'https://doi.org/10.1000/spine.2018.1' "
         "is not valid (expected a DOI of the form 10.NNNN/... without prefix)"],
        id="bibtex-doi-with-prefix"),
    pytest.param(
        bib("  design  = {rct},",
            "  design  = {rct},\n  retracted = {10.1000/notice.7, 2020-05-01},"),
        [f"{C}:10:13: error: evidence[0].stance: 'smith2018' was retracted (notice "
         "10.1000/notice.7, 2020-05-01) and cannot support the claim (expected the item "
         "removed, or a stance other than supports or partly-supports with a note that the "
         "study was retracted)"],
        id="retracted-study-supports-the-claim"),
    pytest.param(
        both(bib("  design  = {rct},", "  design  = {rct},\n  retracted = {PMID 31234567},"),
             claim("stance: supports", "stance: partly-supports")),
        [f"{C}:10:13: error: evidence[0].stance: 'smith2018' was retracted (notice "
         "PMID 31234567) and cannot support the claim (expected the item removed, or a stance "
         "other than supports or partly-supports with a note that the study was retracted)"],
        id="retracted-study-partly-supports-the-claim"),
    pytest.param(
        bib("  design  = {rct},", "  design  = {rct},\n  retracted = {yes, in 2020},"),
        ["sources/refs.bib:15:1: error: smith2018: retracted 'yes, in 2020' is not valid "
         "(expected the notice's DOI or 'PMID n', a comma and its date, e.g. "
         "{10.1016/S0140-6736(10)60175-4, 2010-02-06}; several separated by '; ')"],
        id="bibtex-retracted-malformed"),
    pytest.param(
        bib("  design  = {rct},",
            "  design  = {rct},\n  corrected = {10.1000/c.1, 2021; 10.1000/c.2 2022},"),
        ["sources/refs.bib:15:1: error: smith2018: corrected '10.1000/c.1, 2021; 10.1000/c.2 "
         "2022' is not valid (expected the notice's DOI or 'PMID n', a comma and its date, "
         "e.g. {10.1016/S0140-6736(10)60175-4, 2010-02-06}; several separated by '; ')"],
        id="bibtex-corrected-second-notice-malformed"),
    pytest.param(
        bib("  design  = {rct},", "  design  = {rct},\n  verified = {last week},"),
        ["sources/refs.bib:15:1: error: smith2018: verified 'last week' is not valid (expected "
         "YYYY-MM-DD)"],
        id="bibtex-verified-not-a-date"),
    pytest.param(
        bib("https://shop.example/walk", "ftp://shop.example/walk"),
        ["sources/refs.bib:4:1: error: shop2024: url 'ftp://shop.example/walk' is not valid "
         "(expected an http:// or https:// address)"],
        id="bibtex-url-not-http"),
    pytest.param(
        bib("12345678", "PMID: 12345678"),
        ["sources/refs.bib:13:1: error: smith2018: pmid 'PMID: 12345678' is not valid "
         "(expected digits only)"],
        id="bibtex-bad-pmid"),
    pytest.param(
        bib("{2018}", "{18}"),
        ["sources/refs.bib:11:1: error: smith2018: year '18' is not valid (expected four "
         "digits)"],
        id="bibtex-bad-year"),

    # --- warnings ------------------------------------------------------------------------
    pytest.param(
        lambda kb: kb.write(B, BIB + "\n" + ORPHAN),
        ["sources/refs.bib:17:1: warning: orphan2020: source is not used by any claim "
         "(expected it cited as an appearance, a citation or evidence, or removed)"],
        id="warning-unused-source"),
    pytest.param(
        both(lambda kb: kb.write(B, BIB + "\n" + ORPHAN),
             claim("cites: [smith2018]", "cites: [smith2018, orphan2020]")),
        [f"{C}:6:24: warning: appearances[0].cites[1]: the article cites 'orphan2020' but the "
         "claim has no evidence entry for it (expected an evidence item with source: "
         "orphan2020 that says whether it supports the claim)"],
        id="warning-cite-without-evidence"),
    pytest.param(
        claim("reviewed: 2024-05-01", "reviewed: 2999-12-31"),
        [f"{C}:15:11: warning: reviewed: review date 2999-12-31 is in the future (expected "
         "2025-01-01 or earlier)"],
        id="warning-review-date-in-the-future"),
    pytest.param(
        write("claims/walking-helps.yml", SISTER),
        ["claims/walking-helps.yml:13:12: warning: certainty: 'low' differs from 'moderate' of "
         f"{C} (line 13), which rests on the same evidence (smith2018) for the same outcome "
         "(pain) (expected the same level, or a note in either claim that names the other and "
         "says why they differ)"],
        id="warning-same-evidence-rated-apart"),
]


def _run(kb: KB, strict: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    code = check.run(kb.root, strict=strict, out=out, github=False)
    return code, out.getvalue()


def test_valid_knowledge_base_checks_clean(kb: KB, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run(kb, strict=True)
    assert (code, output) == (0, "")
    assert kb.problems() == []
    loaded = kb.load()
    assert [c.id for c in loaded.claims] == ["walking-cures"]
    assert sorted(loaded.sources) == ["shop2024", "smith2018"]
    assert loaded.claims[0].flags == []
    # the one-line summary goes to stderr, so a clean run prints nothing on stdout
    assert capsys.readouterr().err.startswith("1 claims, 2 sources, 0 flagged: 0 errors")


@pytest.mark.parametrize(("breaks", "expected"), CASES)
def test_each_problem_at_its_place(kb: KB, breaks: Break, expected: list[str]) -> None:
    breaks(kb)
    assert kb.problems() == expected
    # the command prints the same lines, then a summary; errors fail the run, warnings do not
    code, output = _run(kb)
    *lines, summary = output.splitlines()
    today = dt.date.today().isoformat()  # check's "today"
    assert lines == [e.replace(f"expected {TODAY} or earlier", f"expected {today} or earlier")
                     for e in expected]
    assert SUMMARY.fullmatch(summary), summary
    errors = any(": error: " in e for e in expected)
    assert code == (1 if errors else 0)


WARNINGS = [p for p in CASES if all(": warning: " in e for e in p.values[1])]


@pytest.mark.parametrize(("breaks", "expected"), WARNINGS)
def test_strict_makes_each_warning_an_error(kb: KB, breaks: Break,
                                            expected: list[str]) -> None:
    breaks(kb)
    code, output = _run(kb, strict=True)
    assert code == 1
    *problems, summary = output.splitlines()
    assert [p.split(": error: ")[0] for p in problems] == [e.split(": warning: ")[0]
                                                           for e in expected]
    assert all(": warning: " not in p for p in problems)
    assert summary.endswith(f"{len(expected)} error{'s' * (len(expected) != 1)}, 0 warnings")


def test_every_error_kind_has_a_case() -> None:
    """The spec's list of errors and warnings, one case id (at least) for each."""
    ids = {p.id for p in CASES}
    kinds = {
        "YAML that does not parse": "yaml-does-not-parse",
        "duplicate keys": "duplicate-key",
        "unknown field (did you mean)": "unknown-field-did-you-mean",
        "missing field": "missing-field",
        "wrong type": "wrong-type-topics-as-string",
        "value outside its vocabulary": "stance-outside-vocabulary",
        "claim with no appearance": "no-appearance",
        "unknown source key (did you mean)": "unknown-source-did-you-mean",
        "duplicate claim ids": "duplicate-claim-id-regardless-of-case",
        "duplicate BibTeX keys across files": "duplicate-bibtex-key-across-files",
        "BibTeX that does not parse": "bibtex-does-not-parse",
        "bad DOI": "bibtex-doi-with-prefix",
        "retracted study as supporting evidence": "retracted-study-supports-the-claim",
        "malformed retraction notice": "bibtex-retracted-malformed",
        "URL not http(s)": "bibtex-url-not-http",
        "quote not found": "quote-not-in-capture",
        "accurate without independent support": "accurate-without-support",
        "inaccurate without contradiction": "inaccurate-without-contradiction",
        "certainty missing": "certainty-missing-with-evidence",
        "certainty arithmetic": "certainty-arithmetic",
        "certainty as a level alone": "certainty-level-alone",
        "start that the designs do not give": "certainty-start-not-from-the-designs",
        "certainty rated on guidance alone": "certainty-rated-on-guidance-alone",
        "step without a reason": "certainty-step-without-reason",
        "reason without a step": "certainty-reason-without-step",
        "upgrade on evidence that starts high": "certainty-upgrade-on-evidence-that-starts-high",
        "PICO missing where an effect is stated": "pico-missing",
        "PICO term outside its vocabulary": "pico-term-outside-vocabulary",
        "warning: sister claims rated apart": "warning-same-evidence-rated-apart",
        "not UTF-8": "not-utf8",
        "empty": "empty-file",
        "YAML aliases": "yaml-alias-where-it-is-written",
        "over 1 MB": "file-over-1mb",
        "warning: unused source": "warning-unused-source",
        "warning: cite without evidence": "warning-cite-without-evidence",
        "warning: review date in the future": "warning-review-date-in-the-future",
    }
    assert not {k: v for k, v in kinds.items() if v not in ids}


def test_several_broken_files_are_all_reported_in_one_run(kb: KB) -> None:
    """Four files broken four ways: each reported, and the rest still loaded and checked."""
    kb.write("claims/broken-yaml.yml", CLAIM.replace("verdict: accurate", "verdict: [accurate"))
    kb.write("claims/unknown-field.yml", CLAIM.replace("verdict: accurate", "verdcit: accurate"))
    kb.write("claims/quote-missing.yml", CLAIM.replace('cures "back pain"', 'ends "back pain"'))
    kb.write("sources/trials.bib", "@article{jones2020,\n  title  = {Unclosed,\n"
                                   "  design = {rct},\n}\n\n"
                                   "@article{lee2021,\n  title  = {Closed},\n"
                                   "  design = {cohort},\n}\n")
    expected = [
        "claims/broken-yaml.yml:13:10: error: YAML does not parse: did not find expected ',' "
        f"or ']' in the flow sequence that starts at line 12, column 10 {YAML_HINT}",
        "claims/quote-missing.yml:5:12: error: appearances[0].quote: quote not found in "
        "sources/captures/shop2024.txt (expected the article's words verbatim; only white "
        "space, quote marks and dashes may differ); closest passage, line 1: \"Walking every "
        "day cures \u201cback pain\u201d\"; word 4 of 6: the quote has 'ends', the capture has "
        "'cures'",
        "claims/unknown-field.yml:12:1: error: verdcit: unknown field 'verdcit' (did you mean "
        "'verdict'?)",
        "sources/trials.bib:1:1: error: BibTeX does not parse: '@article{jones2020,': "
        "Unexpected block start: `@article`. Was still looking for field-value closing `,` or "
        "`}` (expected @type{key, field = {value}, ...} with balanced braces)",
    ]
    assert kb.problems() == expected
    code, output = _run(kb)
    assert code == 1
    assert output.splitlines() == [*expected,  # broken-yaml's empty record is flagged
                                   "4 claims, 3 sources, 1 flagged: 4 errors, 0 warnings"]

    loaded = kb.load()
    claims = loaded.claims_by_id
    assert sorted(claims) == ["broken-yaml", "quote-missing", "unknown-field", "walking-cures"]
    good = claims["walking-cures"]
    assert (good.statement, good.verdict, good.certainty and good.certainty.level) == (
        "Walking every day cures low back pain.", "accurate", "moderate")
    assert [e.source for e in good.evidence] == ["smith2018"]
    # a record with a problem keeps the fields that were valid
    partial = claims["unknown-field"]
    assert partial.verdict is None
    assert partial.statement == good.statement and partial.evidence == good.evidence
    assert claims["quote-missing"].appearances[0].quote == 'Walking every day ends "back pain"'
    assert claims["broken-yaml"].statement == ""  # nothing could be read
    # the entry after the broken one is loaded; the broken one is not
    assert sorted(loaded.sources) == ["lee2021", "shop2024", "smith2018"]


def test_a_note_that_names_the_sister_claim_explains_the_difference(kb: KB) -> None:
    """Either claim's note, naming the other, silences the warning; a note naming another claim,
    or only a part of the id, does not."""
    kb.write("claims/walking-helps.yml", SISTER + "note: Rated below walking-cures-extra.\n")
    assert [p for p in kb.problems() if "differs from" in p] != []
    kb.write("claims/walking-helps.yml", SISTER + "note: One step below walking-cures, which "
                                                  "answers the trial's own question.\n")
    assert kb.problems() == []
    kb.write("claims/walking-helps.yml", SISTER)
    kb.edit(C, "reviewed: 2024-05-01", "reviewed: 2024-05-01\nnote: See walking-helps.")
    assert kb.problems() == []


def test_sister_claims_with_no_shared_outcome_or_other_evidence_are_not_compared(
        kb: KB) -> None:
    kb.write("claims/walking-helps.yml", SISTER.replace("outcome: [pain]", "outcome: [disability]"))
    assert kb.problems() == []
    kb.write("claims/walking-helps.yml", SISTER.replace("    stance: supports",
                                                        "    stance: supports\n"
                                                        "  - source: shop2024\n"
                                                        "    stance: not-relevant\n"
                                                        "    finding: An advertisement for shoes."))
    assert [p for p in kb.problems() if "differs from" in p] != []  # not-relevant: not counted


def test_guidance_alone_is_not_rated_and_a_claim_that_states_no_effect_needs_no_pico(
        kb: KB) -> None:
    """A claim whose evidence carries no certainty of its own leaves certainty out; one whose
    certainty is not applicable may leave out population, intervention and outcome."""
    kb.edit(B, "  design  = {rct},", "  design  = {guideline},")
    kb.edit(C, CERTAINTY, "")
    kb.edit(C, "probably eases", "eases")
    assert kb.problems() == []
    kb.edit(B, "  design  = {guideline},", "  design  = {rct},")
    kb.edit(C, "verdict: accurate\n", "verdict: accurate\ncertainty: {level: not-applicable, "
                                       "reason: describes-study}\n")
    for line in ("population: [chronic-low-back-pain]\n", "intervention: [walking]\n",
                 "outcome: [pain]\n"):
        kb.edit(C, line, "")
    assert kb.problems() == []


def test_a_retracted_study_may_still_contradict_a_claim(kb: KB) -> None:
    """Only support from a retracted study is an error; the notices of a study are valid in
    every documented form."""
    kb.edit(B, "  design  = {rct},", "  design  = {rct},\n"
                                     "  retracted = {10.1000/notice.7, 2020-05-01},\n"
                                     "  concern   = {PMID 30000001, 2019-11},\n"
                                     "  corrected = {10.1000/c.1, 2019; "
                                     "10.1000/c.(2);x, 2021-02-03},\n"
                                     "  verified  = {2024-12-30},")
    kb.edit(C, "stance: supports", "stance: contradicts")
    kb.edit(C, "verdict: accurate", "verdict: inaccurate")
    assert [p for p in kb.problems() if ": error: " in p] == []
    smith = kb.load().sources["smith2018"]
    assert str(smith.retraction) == "10.1000/notice.7, 2020-05-01"
    assert [str(n) for n in smith.concerns] == ["PMID 30000001, 2019-11"]
    assert [n.doi for n in smith.corrections] == ["10.1000/c.1", "10.1000/c.(2);x"]
    assert smith.concerns[0].pmid == "30000001"
