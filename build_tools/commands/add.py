"""``add``: an article from its address, a study from its DOI or PMID, an appearance to a claim.

Each writes its files all at once or not at all (:mod:`build_tools.intake.files`). Exit codes: 0
written, 1 refused (the message says why and what to do instead), 2 cannot run (no network, or
the editor's tools are not installed).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from build_tools.commands import coverage
from build_tools.core import net
from build_tools.core.problems import CannotRun, IntakeError, did_you_mean
from build_tools.core.text import normalize
from build_tools.identifiers import HANDLERS, Identifier, Record
from build_tools.intake import article
from build_tools.intake.appearance import add_appearance as append_appearance
from build_tools.intake.article_key import is_filler
from build_tools.intake.article_key import suggest_key as suggest_article_key
from build_tools.intake.bibedit import append_entry, entry_text
from build_tools.intake.files import write_all
from build_tools.intake.library import DEFAULT_ARTICLES, DEFAULT_EVIDENCE, Library, Located
from build_tools.intake.search_text import words as slug_words
from build_tools.knowledge_base import load
from build_tools.model.knowledge_base import CAPTURES_DIR, CLAIMS_DIR, SOURCES_DIR
from build_tools.model.source import format_notices
from build_tools.rules.quote_hint import hint
from build_tools.rules.schema import SOURCE_KEY

EXIT_OK, EXIT_REFUSED, EXIT_CANNOT_RUN = 0, 1, 2


@dataclass
class Outcome:
    """What a command did, for the editor: lines for stdout, warnings for stderr."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _run(action: Callable[[], Outcome], out: TextIO | None, err: TextIO | None) -> int:
    """Call ``action()`` (which returns an :class:`Outcome`) and print what it says."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        outcome = action()
    except IntakeError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_REFUSED
    except CannotRun as exc:
        print(f"error: {exc}; nothing was written", file=err)
        return EXIT_CANNOT_RUN
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=err)
    for line in outcome.lines:
        print(line, file=out)
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# add article


def add_article(root: Path, url: str, key: str | None = None, html_file: Path | None = None,
                interest: str | None = None, today: dt.date | None = None,
                dry_run: bool = False) -> Outcome:
    """Capture the article at ``url`` (or in ``html_file``, saved from it) and append its
    entry; :class:`IntakeError` when it is refused. With ``dry_run``, say what would be
    written (key, entry, the capture's first lines) and write nothing."""
    today = today or dt.date.today()
    if not url.startswith(("http://", "https://")):
        raise IntakeError(f"'{url}' is not a web address (expected http:// or https://...)")
    library = Library.read(root)
    seen = library.by_url(url)
    if seen:
        raise IntakeError(f"{url} is already captured as {seen.where()} (expected a new "
                          "article; add appearances to its claims instead)")
    if key is not None and not SOURCE_KEY.match(key):
        raise IntakeError(f"'{key}' is not a valid key (expected letters, digits and - _ : . "
                          "without spaces, e.g. acme-walking-lbp)")
    if html_file is not None:
        try:
            page: bytes = html_file.read_bytes()
        except OSError as exc:
            raise IntakeError(f"cannot read {html_file}: {exc.strerror}") from exc
        how = f"the saved page {html_file.name}"
    else:
        try:
            page = net.get(url, accept="text/html,application/xhtml+xml").body
        except net.NotFound:
            raise IntakeError(f"{url} answered 404 Not Found (expected the article's "
                              "address)") from None
        how = "the page fetched then"
    capture = article.extract(page, url)
    seen = library.by_url(capture.url)
    if seen:
        raise IntakeError(f"{capture.url} (the page's own address for {url}) is already "
                          f"captured as {seen.where()} (expected a new article)")
    key = key or suggest_article_key(capture.publisher, capture.title, capture.url)
    taken = library.by_key(key)
    if taken:
        raise IntakeError(f"key '{key}' is already used by {taken.where()} (try --key "
                          f"{library.free_key(key)})")
    capture_path = root / CAPTURES_DIR / f"{key}.txt"
    if capture_path.exists():
        raise IntakeError(f"{CAPTURES_DIR}/{key}.txt already exists (a capture is never "
                          "replaced; choose another key with --key)")
    bib_path, created = library.target(None, DEFAULT_ARTICLES)
    entry = entry_text("online", key, article.entry_fields(capture, url, how, interest, today))
    if dry_run:
        return _dry_run(key, f"sources/{bib_path.name}", entry, capture.text)
    old = bib_path.read_text(encoding="utf-8") if bib_path.exists() else ""
    write_all({capture_path: capture.text, bib_path: append_entry(old, entry)})

    rel_bib = f"sources/{bib_path.name}"
    result = Outcome()
    result.lines.append(f"wrote {CAPTURES_DIR}/{key}.txt ({len(capture.text.splitlines())} "
                        f"lines: \"{capture.title}\")")
    result.lines.append(("created " if created else "appended @online{" + key + "} to ")
                        + rel_bib + (f" with @online{{{key}}}" if created else ""))
    if not interest:
        seller = capture.publisher or "the publisher"
        result.lines.append(f"next: in {rel_bib}, set interest to what {seller} sells that its "
                            "claims could promote, or delete the line if it sells nothing "
                            "related")
    result.lines.extend(_coverage_lines(root, key))
    result.lines.append(f"next: for each passage, `python -m build_tools find WORDS` to see if "
                        f"the claim exists (then `add appearance CLAIM --source {key} --quote "
                        f"...`), else `new claim --source {key} --quote ...`; set aside the "
                        f"rest in {CAPTURES_DIR}/{key}.yml")
    return result


DRY_RUN_LINES = 8
"""How many of the capture's lines ``--dry-run`` shows."""


def _dry_run(key: str, rel_bib: str, entry: str, text: str) -> Outcome:
    lines = text.splitlines()
    result = Outcome([f"key: {key} (--key to choose another)",
                      f"would write {CAPTURES_DIR}/{key}.txt ({len(lines)} lines), beginning:"])
    result.lines += [f"  | {line}" for line in lines[:DRY_RUN_LINES]]
    if len(lines) > DRY_RUN_LINES:
        result.lines.append(f"  | ... ({len(lines) - DRY_RUN_LINES} more lines)")
    result.lines.append(f"would append to {rel_bib}:")
    result.lines += [f"  {line}" for line in entry.strip("\n").splitlines()]
    result.lines.append("dry run: nothing was written")
    return result


def _coverage_lines(root: Path, key: str) -> list[str]:
    """The article's unreviewed passages, as ``coverage KEY`` prints them."""
    buf, err = io.StringIO(), io.StringIO()
    coverage.run(root, [key], out=buf, err=err)
    return [line for line in buf.getvalue().splitlines() if line.strip()]


def run_article(root: Path, url: str, key: str | None = None, html_file: Path | None = None,
                interest: str | None = None, dry_run: bool = False, out: TextIO | None = None,
                err: TextIO | None = None) -> int:
    return _run(lambda: add_article(root, url, key, html_file, interest, dry_run=dry_run),
                out, err)


# ---------------------------------------------------------------------------------------------
# add source


def add_source(root: Path, key: str | None = None, file: Path | None = None,
               today: dt.date | None = None, **ids: str | None) -> Outcome:
    """Append the entry of the work an identifier names (``doi=...``, ``pmid=...``: one of
    :data:`~build_tools.identifiers.HANDLERS`), from its record."""
    return _add_source(root, ids, key, file, today)


def _add_source(root: Path, ids: dict[str, str | None], key: str | None, file: Path | None,
                today: dt.date | None) -> Outcome:
    today = today or dt.date.today()
    given = {name: value for name, value in ids.items() if value is not None}
    unknown = sorted(set(given) - set(HANDLERS))
    if unknown or len(given) != 1:
        raise IntakeError("give " + " or ".join(f"--{f}" for f in HANDLERS) + " (one of them)")
    (name, written), = given.items()
    h = HANDLERS[name]
    library = Library.read(root)
    if key is not None and not SOURCE_KEY.match(key):
        raise IntakeError(f"'{key}' is not a valid BibTeX key (expected letters, digits and "
                          "- _ : . without spaces, e.g. smith2018walking)")
    taken = library.by_key(key) if key is not None else None
    if key is not None and taken is not None:
        raise IntakeError(f"key '{key}' is already used by {taken.where()} (try --key "
                          f"{library.free_key(key)})")
    target, created = library.target(file or _evidence_file(library), DEFAULT_EVIDENCE)
    value = h.parse(written)
    _refuse_known(library, h, value)
    try:
        record = h.fetch_one(value)
    except net.Offline as exc:
        raise CannotRun(f"{exc}; {_offline_fallback(h.field)}") from None
    for other in HANDLERS.values():  # the record's other identifiers may be known too
        found = other.value_of(record)
        if found:
            _refuse_known(library, other, found)
    if (theirs := h.value_of(record)) and h.same(theirs, value):
        setattr(record, h.field, value)  # keep it as the editor gave it (DOIs ignore case)
    if not record.title:
        raise IntakeError(f"the {record.database} record has no title ({record.url})")
    key = key or library.free_key(suggest_key(record))
    fields = list(record.fields().items())
    fields.append(("design", "TODO"))
    for field_name, notices in sorted(record.notices.items()):
        fields.append((field_name, format_notices(notices)))
    fields.append(("verified", today.isoformat()))
    fields.append(("note", f"Metadata from the {record.database} record ({record.url}), read "
                           f"by `add source` on {today.isoformat()}."))
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    write_all({target: append_entry(old, entry_text("article", key, fields))})

    rel = f"sources/{target.name}"
    result = Outcome()
    result.lines.append(("created " + rel + " with" if created else "appended")
                        + f" @article{{{key}}}" + ("" if created else f" to {rel}")
                        + f": {_summary(record)}")
    for field_name, notices in sorted(record.notices.items()):
        kind = {"retracted": "a retraction", "concern": "an expression of concern",
                "corrected": "a correction"}[field_name]
        result.warnings.append(f"{record.database} records {kind} of this work ("
                               f"{format_notices(notices)}), now in its '{field_name}' field"
                               + (": a retracted study cannot support a claim"
                                  if field_name == "retracted" else ""))
    result.lines.append(f"next: in {rel}, replace design = {{TODO}} with the kind of study "
                        "(rct, systematic-review, guideline, cohort, ...; see the methodology "
                        f"page), then cite it as '{key}'")
    return result


OFFLINE_ENV = {"doi": net.CROSSREF_ENV, "pmid": net.NCBI_ENV, "pmcid": net.NCBI_ENV}
"""The variable holding the address each identifier's records are fetched from."""


def _offline_fallback(field_name: str) -> str:
    """What to do when the record cannot be fetched: the variable to set, or the entry to type."""
    env = OFFLINE_ENV.get(field_name, net.CROSSREF_ENV)
    return (f"set {env} to a mirror's address if the service is reached through one; without a "
            "network, type the entry from the record you have: python -m build_tools new source "
            "--key KEY --design DESIGN --title \"...\" (then fill in author, journal, year, "
            f"volume, pages and {field_name} in the entry it writes)")


def _evidence_file(library: Library) -> Path | None:
    """The file a study goes to when ``--file`` is not given: ``evidence.bib`` (created when
    missing), unless it is missing and several files already hold studies: then
    :class:`IntakeError` names them, and the editor chooses rather than get a new file beside
    them."""
    sources = library.root / SOURCES_DIR
    if (sources / DEFAULT_EVIDENCE).exists():
        return None
    studies = sorted({e.path.name for e in library.entries
                      if _design(e) not in ("web-article", "")})
    if len(studies) <= 1:
        return None
    raise IntakeError(f"sources/ holds studies in {len(studies)} files: {', '.join(studies)} "
                      f"(expected --file with one of them, e.g. --file {studies[-1]})")


def _design(e: Located) -> str:
    f = e.entry.fields_dict.get("design")
    return str(f.value).strip("{} \"") if f is not None else ""


def _refuse_known(library: Library, h: Identifier, value: str) -> None:
    found = library.by_identifier(h, value)
    if found:
        raise IntakeError(f"{h.label} {value} is already in sources/ as {found.where()} "
                          "(expected a new work; cite that key)")


def suggest_key(record: Record) -> str:
    """``pocovi2024effectiveness``: the first author's family name, the year, and the title's
    first word that says something."""
    family = "".join(slug_words(record.authors[0].family)) if record.authors else ""
    if record.authors and record.authors[0].organisation:
        family = "".join(slug_words(record.authors[0].family)[:1])
    word = next((w for w in slug_words(record.title) if not is_filler(w)
                 and not w.isdigit()), "")
    return f"{family or 'anon'}{record.year or ''}{word}"


def _summary(record: Record) -> str:
    first = record.authors[0].family if record.authors else "no author"
    more = " et al." if len(record.authors) > 1 else ""
    journal = f", {record.journal}" if record.journal else ""
    return f"{first}{more} {record.year or ''}{journal}: \"{record.title}\""


def run_source(root: Path, key: str | None = None, file: Path | None = None,
               out: TextIO | None = None, err: TextIO | None = None, **ids: str | None) -> int:
    return _run(lambda: _add_source(root, ids, key, file, None), out, err)


# ---------------------------------------------------------------------------------------------
# add appearance


def add_appearance(root: Path, claim_id: str, source: str, quote: str, cites: list[str],
                   promotional: bool = False, note: str | None = None,
                   today: dt.date | None = None) -> Outcome:
    """Append an appearance to ``claims/<claim_id>.yml``, then check that file (as of
    ``today``, for its review reminder)."""
    kb = load(root, today=today)
    claims = kb.claims_by_id
    if claim_id not in claims:
        raise IntakeError(f"no claim '{claim_id}'" + (
            did_you_mean(claim_id, claims) or f" (expected the id of a file in {CLAIMS_DIR}/; "
                                              "find it with `python -m build_tools find`)"))
    claim = claims[claim_id]
    if source not in kb.sources:
        raise IntakeError(f"unknown source '{source}'" + (
            did_you_mean(source, kb.sources) or " (expected a key defined in sources/*.bib; "
                                                "capture the article first with `add article`)"))
    for k in cites:
        if k not in kb.sources:
            raise IntakeError(f"--cites: unknown source '{k}'" + (
                did_you_mean(k, kb.sources) or " (expected a key defined in sources/*.bib; add "
                                               "it with `add source --doi`)"))
    quote = " ".join(quote.split())
    if len(quote) < 3:
        raise IntakeError("the quote is empty or too short (expected the article's words, "
                          "verbatim)")
    result = Outcome()
    if not kb.sources[source].is_article:
        result.warnings.append(f"'{source}' has design '{kb.sources[source].design}', not "
                               "'web-article': an appearance is where a popular article makes "
                               "the claim (a study goes under evidence)")
    if source in kb.captures:
        if normalize(quote) not in kb.captures[source]:
            raise IntakeError(f"quote not found in {CAPTURES_DIR}/{source}.txt (expected the "
                              "article's words verbatim; only white space, quote marks and "
                              "dashes may differ)" + hint(quote, kb.splits.get(source)))
    else:
        result.warnings.append(f"there is no capture {CAPTURES_DIR}/{source}.txt, so the quote "
                               "cannot be checked")
    for i, a in enumerate(claim.appearances):
        if a.source == source and normalize(a.quote) == normalize(quote):
            raise IntakeError(f"{claim.path} already has this appearance (appearances[{i}])")
    path = Path(claim.path)
    item: dict[str, object] = {"source": source, "quote": quote, "cites": list(cites),
                               "promotional": promotional}
    if note:
        item["note"] = note
    write_all({path: append_appearance(path.read_text(encoding="utf-8"), item)}, new_ok=False)

    index = len(claim.appearances)
    result.lines.append(f"added appearances[{index}] to {claim.path}")
    known = {p.format() for p in kb.report.problems}
    again = load(root, today=today).report.sorted()
    own = [p for p in again if p.path == claim.path]
    if own:
        result.lines.append(f"check: {claim.path} has {len(own)} problem"
                            f"{'s' * (len(own) != 1)}:")
        result.lines.extend(p.format() for p in own)
    else:
        result.lines.append(f"check: {claim.path} is clean")
    caused = [p for p in again if p.path != claim.path and p.severity.value == "error"
              and p.format() not in known]
    if caused:
        result.lines.append("check: the new appearance also brings, elsewhere:")
        result.lines.extend(p.format() for p in caused)
    return result


def run_appearance(root: Path, claim_id: str, source: str, quote: str, cites: list[str],
                   promotional: bool = False, note: str | None = None,
                   out: TextIO | None = None, err: TextIO | None = None,
                   today: dt.date | None = None) -> int:
    return _run(lambda: add_appearance(root, claim_id, source, quote, cites, promotional, note,
                                       today), out, err)
