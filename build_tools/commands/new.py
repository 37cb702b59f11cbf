"""``new``: scaffold a claim file or a BibTeX entry that ``check`` then explains field by field.

``new claim`` writes ``claims/<id>.yml`` with every field of
:data:`build_tools.rules.schema.CLAIM`, each under a comment taken from the field's description
in that declaration (so the comments cannot drift from the format). Every value the editor
still has to decide is the placeholder :data:`TODO`, chosen so that each one fails validation
with its own ``path:line:col`` message: ``verdict: TODO`` is "not an allowed value",
``statement: TODO`` is "too short", ``cites: [TODO]`` is an "unknown source", and so on.
Optional fields are written commented out.

``new source`` appends an entry skeleton to a ``sources/*.bib`` file the same way: the fields
``check`` validates are present with a value that fails until it is filled in.
"""

from __future__ import annotations

import datetime as dt
import logging
import shlex
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml

from build_tools.bibtex.fields import FIELDS as BIB_FIELDS
from build_tools.bibtex.fields import TOOL_FIELDS
from build_tools.bibtex.files import load_bibtex
from build_tools.bibtex.values import value_text
from build_tools.core import vocabulary as v
from build_tools.core.keys import MAX_KEY, bounded, key_message
from build_tools.core.problems import CannotRun, did_you_mean, one_of, shown
from build_tools.core.text import normalize
from build_tools.intake.bibedit import append_entry, bib_value
from build_tools.intake.files import write_all
from build_tools.intake.library import DEFAULT_EVIDENCE
from build_tools.intake.scaffold import TODO, WIDTH, claim_scaffold
from build_tools.intake.search_text import words as slug_words
from build_tools.intake.similar import similar_to
from build_tools.model.knowledge_base import CAPTURES_DIR, CLAIMS_DIR, SOURCES_DIR
from build_tools.rules import schema as s

log = logging.getLogger(__name__)

EXIT_OK, EXIT_REFUSED = 0, 1

MAX_SLUG_WORDS = 8

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


class Refused(Exception):
    """The command will not write: the message says why and what to do instead."""


# ---------------------------------------------------------------------------------------------
# ids


def slugify(text: str, max_words: int = MAX_SLUG_WORDS) -> str:
    """Lowercase kebab-case of the first ``max_words`` words of ``text``, accents dropped, at
    most :data:`~build_tools.core.keys.MAX_SUGGESTED` characters."""
    words = slug_words(text)[:max_words]
    return bounded("-".join(words)) if words else ""


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
# new claim


@dataclass(frozen=True)
class Written:
    """What a command wrote, and what it wants the editor to know."""

    path: Path
    notes: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    """Suggestions, e.g. that a similar claim exists."""


def new_claim(root: Path, source: str, quote: str, statement: str | None = None,
              claim_id: str | None = None, today: dt.date | None = None,
              cites: list[str] | None = None, promotional: bool = False,
              topics: list[str] | None = None, evidence: list[str] | None = None) -> Written:
    """Write ``claims/<id>.yml``, with what the editor already knows filled in (``cites``
    None: left to decide; ``[]``: the article cited nothing); raise :class:`Refused` when the
    source, a key, a topic or the id is wrong."""
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
    for option, keys in (("--cites", cites or []), ("--evidence", evidence or [])):
        for k in keys:
            if k not in designs:
                raise Refused(f"{option}: unknown source '{k}'" + (
                    did_you_mean(k, designs) or " (expected a key defined in sources/*.bib; "
                                                "add it with `add source --doi`)"))
    for topic in topics or []:
        if not s.KEBAB.match(topic):
            raise Refused(f"--topics: '{topic}' is not a topic word (expected lowercase "
                          "kebab-case, e.g. chronic-pain; `python -m build_tools topics` "
                          "lists those in use)")
    new_topics = sorted(set(topics or []) - {t for c in _claim_topics(root) for t in c})
    if new_topics:
        notes.append(f"--topics: {', '.join(new_topics)} {'is' if len(new_topics) == 1 else 'are'}"
                     " new (no other claim uses it; `python -m build_tools topics` lists those "
                     "in use)")
    quote = quote.strip()
    if len(quote) < 3:
        raise Refused("the quote is empty or too short (expected the article's words, "
                      "verbatim)")
    if claim_id is None:
        claim_id = slugify(statement or quote)
        if not claim_id:
            raise Refused("cannot make an id from the text (expected letters or digits; "
                          "give one with --id)")
    elif not s.KEBAB.match(claim_id) or len(claim_id) > MAX_KEY:
        raise Refused(f"{shown(claim_id)} is not a valid claim id (expected at most {MAX_KEY} "
                      "lowercase letters and digits joined by single hyphens)")
    taken = claim_ids(root)
    clash = next((t for t in taken if t.casefold() == claim_id.casefold()), None)
    if clash is not None:
        raise Refused(f"claim id '{claim_id}' is already used by {CLAIMS_DIR}/{clash}.yml "
                      f"(try --id {next_free(claim_id, taken)})")
    path = root / CLAIMS_DIR / f"{claim_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never overwrite, even in a race
        out.write(claim_scaffold(source, quote, statement, today, cites=cites,
                                 promotional=promotional if cites is not None or promotional
                                 else None, topics=topics, evidence=evidence or ()))
    log.debug("wrote %s", path)
    return Written(path, (*notes, *_quote_notes(root, source, quote)),
                   _similar_hints(root, claim_id, source, quote, statement))


def _claim_topics(root: Path) -> list[list[str]]:
    """Each claim file's topics, read plainly (a file that does not parse has none)."""
    out = []
    for path in sorted((root / CLAIMS_DIR).glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        topics = data.get("topics") if isinstance(data, dict) else None
        out.append([t for t in topics if isinstance(t, str)] if isinstance(topics, list) else [])
    return out


def _similar_hints(root: Path, claim_id: str, source: str, quote: str,
                   statement: str | None) -> tuple[str, ...]:
    """"a similar claim exists: ...; add an appearance to it instead?" for each existing claim
    that scores high against the new quote or statement (none without the editor's tools)."""
    try:
        matches = similar_to(root, quote, statement, exclude=claim_id)
    except CannotRun:  # the intake extra is not installed: no search, as before
        log.debug("no similar-claim search: the intake extra is not installed")
        return ()
    return tuple(
        f"a similar claim exists: {m.claim.id} (similarity {m.similarity:.2f}, sharing "
        f"{', '.join(m.matched)}: \"{m.claim.statement}\"); "
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
    refusal = key_message(key)
    if refusal:
        raise Refused(refusal)
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
              claim_id: str | None = None, cites: list[str] | None = None,
              promotional: bool = False, topics: list[str] | None = None,
              evidence: list[str] | None = None, out: TextIO | None = None,
              err: TextIO | None = None) -> int:
    """``new claim``: write the scaffold, or say why not; the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        written = new_claim(root, source, quote, statement, claim_id, cites=cites,
                            promotional=promotional, topics=topics, evidence=evidence)
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
