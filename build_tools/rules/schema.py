"""The claim-file format, declared once.

The same declaration validates YAML nodes (:mod:`build_tools.rules.validator`), generates the
JSON Schema editors get autocompletion from (``schema/claim.schema.json``) and documents every
field on the methodology page. Each field has a description; each vocabulary comes from
:mod:`build_tools.core.vocabulary`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from build_tools.core import vocabulary as v
from build_tools.core.keys import KEY
from build_tools.rules.specs import (
    Choice,
    Date,
    EitherOf,
    Field,
    Flag,
    ListOf,
    Record,
    Scores,
    Text,
)

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEBAB_PATTERN = KEBAB.pattern
SOURCE_KEY = KEY
"""A source key, by the key rule (:mod:`build_tools.core.keys`). An apostrophe is allowed
(O'Hara_1999): BibTeX allows it, and a page address escapes it."""
SOURCE_KEY_PATTERN = SOURCE_KEY.pattern
BOTTOM_LINE_MAX = 200


def _terms(vocab: dict[str, Any]) -> tuple[str, ...]:
    return tuple(vocab)


def _meanings(vocab: dict[str, v.Term]) -> tuple[str, ...]:
    return tuple(t.meaning for t in vocab.values())


def _described(vocab: dict[str, v.Term], intro: str) -> str:
    return intro + " " + "; ".join(f"{t.value} = {t.meaning}" for t in vocab.values())


SOURCE_REF = Text(description="The key of a BibTeX entry in sources/*.bib.",
                  pattern=SOURCE_KEY_PATTERN, pattern_hint="a BibTeX key")

APPEARANCE = Record(
    description="Where the claim was said: one article and its words.",
    fields=(
        Field("source", Text(description="The key of the article (a web-article entry in "
                                         "sources/) that makes the claim.",
                             pattern=SOURCE_KEY_PATTERN, pattern_hint="a BibTeX key")),
        Field("quote", Text(description="The article's words, copied verbatim from its capture "
                                        "in sources/captures/<source>.txt.", min_length=3)),
        Field("cites", ListOf(description="Keys of the references the article itself gave for "
                                          "this passage; [] when it cited nothing.",
                              item=SOURCE_REF, unique=True)),
        Field("promotional", Flag(description="true when the passage promotes the publisher's "
                                              "own product or service.")),
        Field("note", Text(description="Anything a reviewer should know about this "
                                       "appearance."), required=False),
    ),
)

EVIDENCE = Record(
    description="What one study or guideline shows about the claim.",
    fields=(
        Field("source", SOURCE_REF),
        Field("stance", Choice(description=_described(v.STANCES, "How the source bears on the "
                                                                 "claim:"),
                               terms=_terms(v.STANCES))),
        Field("finding", Text(description="What the source found, in one to three sentences, "
                                          "with its numbers (n, effect size, confidence "
                                          "interval) where it gives them.", min_length=10)),
        Field("note", Text(description="Anything a reviewer should know about this item."),
              required=False),
    ),
)

CERTAINTY_LEVEL = Choice(description=_described(v.CERTAINTY_LEVELS, "GRADE certainty:"),
                         terms=_terms(v.CERTAINTY_LEVELS))

REASON = Text(description="Why this domain was rated down or up: one short, plain sentence "
                          "(it is shown on the claim page).", min_length=10, max_length=200)

REASONS = Record(
    description="Why each domain that is not 0 was rated down or up, by domain.",
    fields=tuple(Field(d, REASON, required=False)
                 for d in (*v.DOWNGRADE_DOMAINS, *v.UPGRADE_DOMAINS)),
)

CERTAINTY = EitherOf(
    description="How sure we are of the verdict (GRADE), in full: the level, where GRADE "
                "starts (derived from the designs of the evidence; check says which), the "
                "steps down and up, and a reason for each step. For a claim that states no "
                "effect, {level: not-applicable, reason: ...}; leave it out when no evidence "
                "GRADE can rate bears on the claim.",
    short=CERTAINTY_LEVEL,
    other=Record(
        description="Certainty does not apply: the claim states no effect to rate.",
        fields=(
            Field("level", Choice(description="not-applicable: GRADE rates an effect, and this "
                                              "claim states none.",
                                  terms=(v.NOT_APPLICABLE.value,))),
            Field("reason", Choice(description=_described(v.NOT_APPLICABLE_REASONS,
                                                          "Why certainty does not apply:"),
                                   terms=_terms(v.NOT_APPLICABLE_REASONS))),
        )),
    switch="level",
    switch_value=v.NOT_APPLICABLE.value,
    full=Record(fields=(
        Field("level", CERTAINTY_LEVEL),
        Field("start", Choice(description=_described(v.CERTAINTY_STARTS, "Where GRADE starts:"),
                              terms=_terms(v.CERTAINTY_STARTS))),
        Field("downgrades", Scores(description="Steps down per GRADE domain (0, -1 or -2).",
                                   domains=_terms(v.DOWNGRADE_DOMAINS),
                                   values=v.DOWNGRADE_VALUES,
                                   meanings=_meanings(v.DOWNGRADE_DOMAINS))),
        Field("upgrades", Scores(description="Steps up per GRADE domain (0, +1 or +2).",
                                 domains=_terms(v.UPGRADE_DOMAINS), values=v.UPGRADE_VALUES,
                                 meanings=_meanings(v.UPGRADE_DOMAINS))),
        Field("reasons", REASONS, required=False),
    )),
)


def _pico(name: str, what: str, required: str) -> Field:
    vocab = v.PICO[name]
    return Field(name, ListOf(description=f"{what} ({required}): " + "; ".join(
        f"{t.value} = {t.label}. {t.meaning}" for t in vocab.values()),
        item=Choice(terms=_terms(vocab)), unique=True), required=False)


PICO_FIELDS = (
    _pico("population", "Who the claim is about", "required when the claim states an effect"),
    _pico("intervention", "What the claim is about: an intervention or an exposure",
          "required when the claim states an effect"),
    _pico("comparator", "What it is compared with", "optional"),
    _pico("outcome", "The results the claim is about", "required when the claim states an "
                                                       "effect"),
)
"""The PICO fields: lists of vocabulary terms. Whether they are required depends on the
certainty (an effect is rated), so the link stage checks that, not the format."""

CLAIM = Record(
    description="One claim: where it was said, what was cited for it, what the evidence shows.",
    fields=(
        Field("statement", Text(description="The claim in neutral words, one sentence.",
                                min_length=10, max_length=400)),
        Field("bottom_line", Text(description="What a reader should believe, in one plain "
                                              "sentence, worded as confidently as the certainty "
                                              "allows: high, a plain statement; moderate, "
                                              "'probably' or 'likely'; low, 'may'; very low, "
                                              "'very uncertain'.",
                                  min_length=10, max_length=BOTTOM_LINE_MAX)),
        Field("topics", ListOf(description="Lowercase kebab-case topic words, for filtering.",
                               item=Text(pattern=KEBAB_PATTERN,
                                         pattern_hint="a kebab-case word"),
                               min_items=1, unique=True)),
        *PICO_FIELDS,
        Field("appearances", ListOf(description="Where the claim was said: at least one.",
                                    item=APPEARANCE, min_items=1)),
        Field("evidence", ListOf(description="What the evidence shows; may be empty.",
                                 item=EVIDENCE)),
        Field("verdict", Choice(description=_described(v.VERDICTS, "The verdict:"),
                                terms=_terms(v.VERDICTS))),
        Field("certainty", CERTAINTY, required=False),
        Field("rationale", Text(description="Why this verdict and this certainty, in plain "
                                            "words.", min_length=20)),
        Field("reviewed", Date(description="The date of the last review, YYYY-MM-DD.")),
        Field("note", Text(description="Anything an editor should know about this record."),
              required=False),
    ),
)


SET_ASIDE = Record(
    description="One passage of the article that holds no checkable claim, and why.",
    fields=(
        Field("quote", Text(description="The passage's words, copied verbatim from the capture "
                                        "(a part is enough to identify it; a longer quote sets "
                                        "aside every passage it covers).")),
        Field("reason", Choice(description=_described(v.SET_ASIDE_REASONS,
                                                      "Why it holds no checkable claim:"),
                               terms=_terms(v.SET_ASIDE_REASONS))),
        Field("source", Text(description="For a reference-list entry: the key of the BibTeX "
                                         "entry in sources/*.bib that records this reference.",
                             pattern=SOURCE_KEY_PATTERN, pattern_hint="a BibTeX key"),
              required=False),
        Field("note", Text(description="Anything a reviewer should know about this decision."),
              required=False),
    ),
)

SET_ASIDE_FILE = Record(
    description="The passages of one captured article (sources/captures/<key>.txt) that hold "
                "no checkable claim, each with its reason. Every other passage must be quoted "
                "by a claim.",
    fields=(
        Field("set_aside", ListOf(description="The passages set aside, in any order.",
                                  item=SET_ASIDE)),
        Field("note", Text(description="Anything a reviewer should know about this article's "
                                       "review."), required=False),
    ),
)


def set_aside_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a set-aside file, ``sources/captures/<key>.yml``."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "set-aside.schema.json",
        "title": "Passages set aside (sources/captures/<key>.yml)",
        **SET_ASIDE_FILE.json_schema(),
    }


def topics_json_schema(counts: dict[str, int]) -> dict[str, Any]:
    """The schema of one topic word: one of ``counts`` (the words in use, most used first), or
    a new kebab-case word."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": TOPICS_SCHEMA,
        "title": "A topic word (the words in use, from `python -m build_tools topics`)",
        "description": "Reuse a topic word already in use where one fits; a new lowercase "
                       "kebab-case word is allowed.",
        "anyOf": [{"enum": sorted(counts, key=lambda t: (-counts[t], t))},
                  {"type": "string", "pattern": KEBAB_PATTERN}],
    }


SCHEMAS = {
    "claim.schema.json": lambda: claim_json_schema(),
    "set-aside.schema.json": lambda: set_aside_json_schema(),
}
"""Every JSON Schema the project publishes, by file name under schema/."""


def schema_text(name: str) -> str:
    """The committed form of a schema: fields in declaration order, indented, final newline."""
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


TOPICS_SCHEMA = "topics.schema.json"
"""The topic words in use, written beside the claim schema by ``python -m build_tools topics``;
the claim schema refers to it so that editors offer those words for completion."""


def claim_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a claim file, for editors and independent validators."""
    schema = CLAIM.json_schema()
    topic = schema["properties"]["topics"]["items"]
    schema["properties"]["topics"]["items"] = {"allOf": [{"$ref": TOPICS_SCHEMA}], **topic}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "claim.schema.json",
        "title": "Claim record (claims/<id>.yml)",
        **schema,
    }


def claim_json_schema_text() -> str:
    """The committed form of the claim schema (see :func:`schema_text`)."""
    return schema_text("claim.schema.json")


def parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
