"""``new``: scaffold a claim file or a BibTeX entry that ``check`` then explains field by field.

``new claim`` writes ``claims/<id>.yml`` with every field of :data:`build_tools.schema.CLAIM`, each
under a comment taken from the field's description in that declaration (so the comments cannot
drift from the format). Every value the editor still has to decide is the placeholder
:data:`TODO`, chosen so that each one fails validation with its own ``path:line:col`` message:
``verdict: TODO`` is "not an allowed value", ``statement: TODO`` is "too short", ``cites: [TODO]``
is an "unknown source", and so on. Optional fields are written commented out.

``new source`` appends an entry skeleton to a ``sources/*.bib`` file the same way: the fields
``check`` validates are present with a value that fails until it is filled in.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import shlex
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from build_tools import schema as s
from build_tools import vocabulary as v
from build_tools.bibliography import FIELDS as BIB_FIELDS
from build_tools.bibliography import TOOL_FIELDS, value_text
from build_tools.intake import CannotRun
from build_tools.intake.article import slug_words
from build_tools.intake.bibedit import append_entry, bib_value
from build_tools.intake.files import write_all
from build_tools.intake.library import DEFAULT_EVIDENCE
from build_tools.intake.similar import similar_to
from build_tools.knowledge_base import CAPTURES_DIR, CLAIMS_DIR, SOURCES_DIR
from build_tools.link import normalize
from build_tools.loading import load_bibtex
from build_tools.problems import did_you_mean, one_of

log = logging.getLogger(__name__)

EXIT_OK, EXIT_REFUSED = 0, 1

SCHEMA_HEADER = "# yaml-language-server: $schema=../schema/claim.schema.json"
"""The first line of every claim file: editors get completion and inline errors from it."""

TODO = "TODO"
"""The placeholder for a value the editor must still decide; it never validates."""

MAX_SLUG_WORDS = 8
WIDTH = 100
INDENT = "  "

DEFAULT_BIB = Path(SOURCES_DIR) / DEFAULT_EVIDENCE

ENTRY_TYPES: Mapping[str, str] = {
    "web-article": "online",
    "guideline": "misc",
    "expert-opinion": "misc",
    "reference-work": "misc",
    "other": "misc",
}
"""The BibTeX entry type for a design; every other design is a journal ``article``."""

SKELETON_FIELDS: Mapping[str, tuple[str, ...]] = {
    "online": ("author", "title", "publisher", "date", "url", "urldate"),
    "misc": ("author", "title", "organization", "year", "url"),
    "article": ("author", "title", "journal", "year", "doi", "pmid"),
}
"""The fields a new entry of each type starts with, before ``design`` and ``interest``."""

EMPTY_FAILS = ("author", "title", "interest")
"""Fields ``check`` rejects when empty: their placeholder is ``{}``."""

TODO_FAILS = ("year", "date", "doi", "url", "pmid", "pmcid")
"""Fields ``check`` validates by pattern: their placeholder is ``{TODO}``."""


KEPT_OPTIONAL: Mapping[str, str] = {
    "certainty": "Needed when the claim has evidence; delete it only when the evidence list is "
                 "empty ([]). The full form, whose arithmetic `check` verifies, is shown below.",
}
"""Optional claim fields the scaffold still asks for, with why; other optional fields are
written commented out."""


class Refused(Exception):
    """The command will not write: the message says why and what to do instead."""


# ---------------------------------------------------------------------------------------------
# ids


def slugify(text: str, max_words: int = MAX_SLUG_WORDS) -> str:
    """Lowercase kebab-case of the first ``max_words`` words of ``text``, accents dropped."""
    return "-".join(slug_words(text)[:max_words])


def next_free(slug: str, taken: Iterable[str]) -> str:
    """``slug`` if free, else the first of ``slug-2``, ``slug-3``... not taken (any case)."""
    used = {t.casefold() for t in taken}
    if slug.casefold() not in used:
        return slug
    n = 2
    while f"{slug}-{n}".casefold() in used:
        n += 1
    return f"{slug}-{n}"


def claim_ids(root: Path) -> list[str]:
    """The ids of the claim files under ``root``."""
    claims = root / CLAIMS_DIR
    return sorted(p.stem for p in claims.glob("*.yml")) if claims.is_dir() else []


def source_designs(root: Path) -> dict[str, str]:
    """Each BibTeX key in ``root/sources/*.bib`` with its design (``''`` when it has none)."""
    designs: dict[str, str] = {}
    for path in sorted((root / SOURCES_DIR).glob("*.bib")):
        for entry in load_bibtex(path, str(path)).entries:
            design = entry.fields_dict.get("design")
            designs.setdefault(entry.key, value_text(str(design.value)) if design else "")
    return designs


def source_keys(root: Path) -> list[str]:
    """The keys of every BibTeX entry in ``root/sources/*.bib``."""
    return list(source_designs(root))


# ---------------------------------------------------------------------------------------------
# the claim scaffold, generated from the declaration in build_tools.schema


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH - len(indent) - 2, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}# ", break_on_hyphens=False)


def _help(f: s.Field, indent: str) -> list[str]:
    """The comment above a field: its description (a vocabulary one term a line), what is
    allowed, and whether it is optional."""
    spec = f.spec
    text = spec.description or f"The {f.name}."
    if isinstance(spec, s.ListOf) and spec.item.description and not isinstance(spec.item,
                                                                                s.Record):
        text += " Each: " + spec.item.description
    if isinstance(spec, s.EitherOf) and spec.short.description:
        text += " " + spec.short.description
    allowed = _allowed(spec)
    if allowed and not all(term in text for term in allowed):
        text += " Allowed: " + ", ".join(allowed) + "."
    tail = ""
    if f.name in KEPT_OPTIONAL:
        tail = KEPT_OPTIONAL[f.name]
    elif not f.required:
        tail = "Optional: remove the '# ' before the field to use it."
    terms = "|".join(re.escape(t) for t in allowed)
    parts = re.split(rf"(?:;|:) (?=(?:{terms}) = )", text) if terms else [text]
    if len(parts) == 1:
        return _comment(f"{text} {tail}".strip(), indent)
    lines = _comment(parts[0] + ":", indent)
    for part in parts[1:]:
        lines.extend(textwrap.wrap(part.replace(" = ", ": ", 1), WIDTH - len(indent) - 2,
                                   initial_indent=f"{indent}#   ",
                                   subsequent_indent=f"{indent}#     ",
                                   break_on_hyphens=False))
    return lines + (_comment(tail, indent) if tail else [])


def _allowed(spec: s.Spec) -> tuple[str, ...]:
    if isinstance(spec, s.Choice):
        return spec.terms
    if isinstance(spec, s.EitherOf):
        return _allowed(spec.short)
    return ()


def _scalar(text: str) -> str:
    """A YAML scalar for any text: JSON strings are valid YAML double-quoted scalars."""
    return json.dumps(text, ensure_ascii=False)


def _placeholder(spec: s.Spec, today: dt.date) -> str:
    """The inline value of an unfilled field."""
    if isinstance(spec, s.Date):
        return today.isoformat()
    if isinstance(spec, s.ListOf):
        return f"[{TODO}]"
    return TODO


def _record_lines(record: s.Record, values: Mapping[str, str], today: dt.date, indent: str,
                  first_prefix: str | None = None) -> list[str]:
    """The fields of ``record``, each under its comment; ``values`` are YAML scalars to use
    (``appearances.quote`` for a field of the first item of a list of records).

    With ``first_prefix`` (``"- "``), the record is a list item: its first field line carries
    the dash, the others are indented past it.
    """
    lines: list[str] = []
    for i, f in enumerate(record.fields):
        lines.extend(_help(f, indent))
        key_indent = indent
        if first_prefix is not None and i == 0:
            key_indent = indent[:-len(first_prefix)] + first_prefix
        spec = f.spec
        if not f.required and f.name not in KEPT_OPTIONAL:
            lines.append(f"{indent}# {f.name}: {TODO}")
        elif isinstance(spec, s.ListOf) and isinstance(spec.item, s.Record):
            lines.append(f"{key_indent}{f.name}:")
            prefix = f.name + "."
            item_values = {k[len(prefix):]: val for k, val in values.items()
                           if k.startswith(prefix)}
            lines.extend(_record_lines(spec.item, item_values, today, indent + INDENT + "  ",
                                       "- "))
        else:
            value = values.get(f.name, _placeholder(spec, today))
            lines.append(f"{key_indent}{f.name}: {value}")
            if isinstance(spec, s.EitherOf):
                lines.extend(_full_form_example(f.name, spec.full, indent))
    return lines


def _full_form_example(name: str, full: s.Record, indent: str) -> list[str]:
    """The full form of an either-of field (certainty), commented out, with values that add up:
    the first start, no steps, and so the level that start gives."""
    start_field = full.by_name.get("start")
    start = (start_field.spec.terms[0] if start_field and isinstance(start_field.spec, s.Choice)
             else TODO)
    lines = [f"{indent}# {name}:"]
    for f in full.fields:
        if isinstance(f.spec, s.Scores):
            value = "{" + ", ".join(f"{d}: 0" for d in f.spec.domains) + "}"
        elif f.name in ("level", "start"):
            value = start
        else:
            value = TODO
        lines.append(f"{indent}#   {f.name}: {value}")
    return lines


def claim_scaffold(source: str, quote: str, statement: str | None = None,
                   today: dt.date | None = None) -> str:
    """The text of a new claim file: every field, a comment on each, TODO where undecided."""
    today = today or dt.date.today()
    values = {"appearances.source": source, "appearances.quote": _scalar(quote)}
    if statement:
        values["statement"] = _scalar(statement)
    intro = (f"Scaffolded by `new claim` on {today.isoformat()}. Replace every {TODO}: the "
             "comment above each field says what goes there, and `python -m build_tools "
             f"check` lists each {TODO} still left, with its line. How to choose the verdict "
             "and the certainty: the methodology page of the site (methodology/) and "
             "CONTRIBUTING.md.")
    return "\n".join([SCHEMA_HEADER, *_comment(intro, ""),
                      *_record_lines(s.CLAIM, values, today, "")]) + "\n"


# ---------------------------------------------------------------------------------------------
# new claim


@dataclass(frozen=True)
class Written:
    """What a command wrote, and what it wants the editor to know."""

    path: Path
    notes: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    """Suggestions, e.g. that a similar claim exists."""


def new_claim(root: Path, source: str, quote: str, statement: str | None = None,
              claim_id: str | None = None, today: dt.date | None = None) -> Written:
    """Write ``claims/<id>.yml``; raise :class:`Refused` when the source or the id is wrong."""
    if not (root / SOURCES_DIR).is_dir():
        raise Refused(f"{root / SOURCES_DIR}: no such directory (expected the root of a "
                      "knowledge base, holding claims/ and sources/; see --root)")
    designs = source_designs(root)
    if source not in designs:
        raise Refused(f"unknown source '{source}'" + (
            did_you_mean(source, designs) or " (expected a key defined in sources/*.bib; add "
                                              "the article first with `new source`)"))
    notes: list[str] = []
    if designs[source] != "web-article":
        notes.append(f"'{source}' has design '{designs[source]}', not 'web-article': an "
                     "appearance is where a popular article makes the claim (a study goes under "
                     "evidence)")
    quote = quote.strip()
    if len(quote) < 3:
        raise Refused("the quote is empty or too short (expected the article's words, "
                      "verbatim)")
    if claim_id is None:
        claim_id = slugify(statement or quote)
        if not claim_id:
            raise Refused("cannot make an id from the text (expected letters or digits; "
                          "give one with --id)")
    elif not s.KEBAB.match(claim_id):
        raise Refused(f"'{claim_id}' is not a valid claim id (expected lowercase letters and "
                      "digits joined by single hyphens)")
    taken = claim_ids(root)
    clash = next((t for t in taken if t.casefold() == claim_id.casefold()), None)
    if clash is not None:
        raise Refused(f"claim id '{claim_id}' is already used by {CLAIMS_DIR}/{clash}.yml "
                      f"(try --id {next_free(claim_id, taken)})")
    path = root / CLAIMS_DIR / f"{claim_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never overwrite, even in a race
        out.write(claim_scaffold(source, quote, statement, today))
    log.debug("wrote %s", path)
    return Written(path, (*notes, *_quote_notes(root, source, quote)),
                   _similar_hints(root, claim_id, source, quote, statement))


def _similar_hints(root: Path, claim_id: str, source: str, quote: str,
                   statement: str | None) -> tuple[str, ...]:
    """"a similar claim exists: ...; add an appearance to it instead?" for each existing claim
    that scores high against the new quote or statement (none without the editor's tools)."""
    try:
        matches = similar_to(root, quote, statement, exclude=claim_id)
    except CannotRun:  # rapidfuzz is not installed: no search, as before
        log.debug("no similar-claim search: the intake extra is not installed")
        return ()
    return tuple(
        f"a similar claim exists: {m.claim.id} (score {m.score:g}: \"{m.claim.statement}\"); "
        f"add an appearance to it instead? python -m build_tools add appearance {m.claim.id} "
        f"--source {source} --quote {shlex.quote(quote)} --cites ... (and delete "
        f"{CLAIMS_DIR}/{claim_id}.yml)" for m in matches)


def _quote_notes(root: Path, source: str, quote: str) -> tuple[str, ...]:
    capture = root / CAPTURES_DIR / f"{source}.txt"
    if not capture.is_file():
        return (f"there is no capture {CAPTURES_DIR}/{source}.txt, so the quote cannot be "
                "checked: save the article's text there (see CONTRIBUTING.md)",)
    text = normalize(capture.read_text(encoding="utf-8", errors="replace"))
    if normalize(quote) not in text:
        return (f"the quote is not in {CAPTURES_DIR}/{source}.txt: copy the article's words "
                "verbatim (`check` will report it until they match)",)
    return ()


# ---------------------------------------------------------------------------------------------
# new source


def source_skeleton(key: str, design: str, title: str | None = None,
                    interest: str | None = None, today: dt.date | None = None) -> str:
    """A BibTeX entry for ``key``: fields ``check`` validates hold a value that fails."""
    today = today or dt.date.today()
    entry_type = ENTRY_TYPES.get(design, "article")
    values: dict[str, str] = {}
    for name in SKELETON_FIELDS[entry_type]:
        if name in EMPTY_FAILS:
            values[name] = "{}"
        elif name in TODO_FAILS:
            values[name] = "{" + TODO + "}"
        else:
            values[name] = "{}"
    if title:
        values["title"] = bib_value(title)
    values["design"] = "{" + design + "}"
    values["interest"] = bib_value(interest) if interest else "{}"
    unchecked = [n for n in values if n not in (*EMPTY_FAILS, *TODO_FAILS, "design")]
    width = max(len(n) for n in values)
    intro = (f"{key}: scaffolded by `new source` on {today.isoformat()}. Fill in every field "
             f"or delete its line: `check` reports each {TODO} and each empty "
             f"{', '.join(EMPTY_FAILS)}. interest: what the publisher sells that a claim could "
             "promote; delete the line when it sells nothing. Fields left empty "
             f"({', '.join(unchecked)}) count as absent. Other fields you may add: "
             + ", ".join(n for n in BIB_FIELDS if n not in values and n not in TOOL_FIELDS)
             + ".")
    head = textwrap.wrap(intro, WIDTH - 2, initial_indent="% ", subsequent_indent="% ",
                         break_on_hyphens=False)
    body = [f"  {name.ljust(width)} = {value}," for name, value in values.items()]
    return "\n".join([*head, f"@{entry_type}{{{key},", *body, "}"]) + "\n"


def new_source(root: Path, key: str, design: str, title: str | None = None,
               interest: str | None = None, file: Path | None = None,
               today: dt.date | None = None) -> Written:
    """Append an entry skeleton to ``file`` (default ``sources/evidence.bib``)."""
    if not s.SOURCE_KEY.match(key):
        raise Refused(f"'{key}' is not a valid BibTeX key (expected letters, digits and - _ : . "
                      "without spaces, e.g. smith2018walking)")
    if design not in v.DESIGNS:
        raise Refused(f"design '{design}' is not allowed" + (
            did_you_mean(design, v.DESIGNS) or f" (expected {one_of(v.DESIGNS)})"))
    if not (root / SOURCES_DIR).is_dir():
        raise Refused(f"{root / SOURCES_DIR}: no such directory (expected the root of a "
                      "knowledge base, holding claims/ and sources/; see --root)")
    folded = {k.casefold(): k for k in source_keys(root)}
    if key.casefold() in folded:
        raise Refused(f"source key '{key}' is already used by '{folded[key.casefold()]}' "
                      "(expected a new key; cite the existing entry, or choose another key)")
    file = file or DEFAULT_BIB
    path = root / SOURCES_DIR / file if file.parent == Path(".") else root / file
    if path.suffix != ".bib" or path.parent.resolve() != (root / SOURCES_DIR).resolve():
        raise Refused(f"{path}: expected a .bib file directly in {SOURCES_DIR}/")
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    write_all({path: append_entry(existing, source_skeleton(key, design, title, interest,
                                                             today))})
    log.debug("appended %s to %s", key, path)
    return Written(path)


# ---------------------------------------------------------------------------------------------
# the command


def run_claim(root: Path, source: str, quote: str, statement: str | None = None,
              claim_id: str | None = None, out: TextIO | None = None,
              err: TextIO | None = None) -> int:
    """``new claim``: write the scaffold, or say why not; the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        written = new_claim(root, source, quote, statement, claim_id)
    except Refused as exc:
        print(f"error: {exc}", file=err)
        return EXIT_REFUSED
    for note in written.notes:
        print(f"warning: {note}", file=err)
    for h in written.hints:
        print(f"hint: {h}", file=err)
    print(f"wrote {written.path}", file=out)
    print(f"next: replace each {TODO} in it, then run `python -m build_tools check` until it "
          "reports nothing for this file", file=out)
    return EXIT_OK


def run_source(root: Path, key: str, design: str, title: str | None = None,
               interest: str | None = None, file: Path | None = None,
               out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``new source``: append the skeleton, or say why not; the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        written = new_source(root, key, design, title, interest, file)
    except Refused as exc:
        print(f"error: {exc}", file=err)
        return EXIT_REFUSED
    print(f"appended @{ENTRY_TYPES.get(design, 'article')}{{{key}}} to {written.path}", file=out)
    print(f"next: fill in its fields, then run `python -m build_tools check`; cite it as "
          f"'{key}'", file=out)
    return EXIT_OK
