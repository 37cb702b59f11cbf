"""``add``: an article from its address, a study from its DOI or PMID, an appearance to a claim.

Each writes its files all at once or not at all (:mod:`build_tools.intake.files`). Exit codes: 0
written, 1 refused (the message says why and what to do instead), 2 cannot run (no network, or
the editor's tools are not installed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from build_tools.commands import coverage
from build_tools.config.mkdocs_yml import read_policy
from build_tools.core import net
from build_tools.core.keys import MAX_SUGGESTED, bounded, key_message
from build_tools.core.problems import CannotRun, IntakeError, did_you_mean, one_line
from build_tools.core.text import normalize, strip_unsafe
from build_tools.identifiers import HANDLERS, Identifier, Record
from build_tools.intake import article
from build_tools.intake.appearance import add_appearance as append_appearance
from build_tools.intake.article_key import suggest_key as suggest_article_key
from build_tools.intake.bibedit import (
    append_entry,
    entry_text,
)
from build_tools.intake.entries import byline, interrupted, record_fields, safe_capture, study_key
from build_tools.intake.files import locked, write_all
from build_tools.intake.library import DEFAULT_ARTICLES, DEFAULT_EVIDENCE, Library
from build_tools.intake.offline import offline_fallback
from build_tools.knowledge_base import load
from build_tools.model.capture import CAPTURED_NOTE
from build_tools.model.knowledge_base import CAPTURES_DIR, CLAIMS_DIR
from build_tools.model.source import format_notices
from build_tools.rules.quote_hint import hint

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
        print(one_line(f"error: {exc}"), file=err)
        return EXIT_REFUSED
    except CannotRun as exc:
        print(one_line(f"error: {exc}; nothing was written"), file=err)
        return EXIT_CANNOT_RUN
    for warning in outcome.warnings:  # text from a page or a record: nothing a terminal obeys
        print(one_line(f"warning: {warning}", _NO_LIMIT), file=err)
    for line in outcome.lines:
        print(one_line(line, _NO_LIMIT), file=out)
    return EXIT_OK


_NO_LIMIT = 1_000_000
"""Lines of output are escaped, not cut (a passage listed by coverage is long)."""


# ---------------------------------------------------------------------------------------------
# add article


def add_article(root: Path, url: str, key: str | None = None, html_file: Path | None = None,
                interest: str | None = None, today: dt.date | None = None,
                dry_run: bool = False) -> Outcome:
    """Capture the article at ``url`` (or in ``html_file``, saved from it) and append its
    entry; :class:`IntakeError` when it is refused. With ``dry_run``, say what would be
    written (the key, the entry, the capture's first lines) and write nothing.

    The entry is written first, then the capture: a run killed between the two leaves an entry
    whose capture is missing, which ``check`` names with this command, and which running the
    command again completes (as it completes a capture left without its entry)."""
    today = today or dt.date.today()
    if not url.startswith(("http://", "https://")):
        raise IntakeError(f"'{url}' is not a web address (expected http:// or https://...)")
    if key is not None and (refusal := key_message(key, "acme-walking-lbp")):
        raise IntakeError(refusal)
    library = Library.read(root)
    seen = library.by_url(url)
    if seen and not interrupted(root, seen):
        raise IntakeError(f"{url} is already captured as {seen.where()} (expected a new "
                          "article; add appearances to its claims instead)")
    if html_file is not None:
        try:
            page: bytes = html_file.read_bytes()
        except OSError as exc:
            raise IntakeError(f"cannot read {html_file}: {exc.strerror}") from exc
        fetched, how = url, f"the saved page {html_file.name}"
    else:
        try:
            answer = net.get(url, accept="text/html,application/xhtml+xml")
        except net.NotFound:
            raise IntakeError(f"{url} answered 404 Not Found (expected the article's "
                              "address)") from None
        page, fetched, how = answer.body, answer.url, "the page fetched then"
    capture = safe_capture(article.extract(page, fetched))
    if not net.same_site(capture.url, fetched):  # a page names its own address, not another's
        capture = dataclasses.replace(capture, url=fetched)
    with locked(root):  # checked again, and written, while no other command writes sources/
        return _write_article(root, url, fetched, key, capture, how, interest, today, dry_run)


def _write_article(root: Path, url: str, fetched: str, key: str | None,
                   capture: article.Capture, how: str, interest: str | None,
                   today: dt.date, dry_run: bool = False) -> Outcome:
    library = Library.read(root)
    seen = library.by_url(url, capture.url)
    if seen and not interrupted(root, seen):
        raise IntakeError(f"{capture.url} (the page's own address for {url}) is already "
                          f"captured as {seen.where()} (expected a new article)")
    if seen and not dry_run:  # its entry was written, its capture not: write the capture
        if key is not None and key != seen.key:
            raise IntakeError(f"{url} has an entry without its capture, {seen.where()} (an "
                              f"interrupted `add article`; run it again with --key {seen.key})")
        write_all({root / CAPTURES_DIR / f"{seen.key}.txt": capture.text})
        return _article_outcome(root, seen.key, capture, f"sources/{seen.path.name}",
                                f"completed the interrupted `add article`: its entry is at "
                                f"{seen.shown}:{seen.line}", interest)
    key = key or bounded(suggest_article_key(capture.publisher, capture.title, capture.url),
                         MAX_SUGGESTED)
    taken = library.by_key(key)
    if taken:
        raise IntakeError(f"key '{key}' is already used by {taken.where()} (try --key "
                          f"{library.free_key(key)})")
    capture_path = root / CAPTURES_DIR / f"{key}.txt"
    left = capture_path.read_text(encoding="utf-8", errors="replace") \
        if capture_path.is_file() else None
    if left is not None and left != capture.text:
        raise IntakeError(f"{CAPTURES_DIR}/{key}.txt already exists (a capture is never "
                          "replaced; choose another key with --key)")
    bib_path, created = library.target(None, DEFAULT_ARTICLES)
    fields: list[tuple[str, str]] = [("title", capture.title)]
    if capture.author:
        fields.append(("author", byline(capture.author)))
    if capture.publisher:
        fields.append(("publisher", capture.publisher))
    if capture.date:
        fields.append(("date", capture.date))
    asked = url if fetched == url else f"{url}, redirected to {fetched}"
    fields += [("url", capture.url), ("urldate", today.isoformat()), ("design", "web-article"),
               ("interest", interest or ""),
               ("note", f"{CAPTURED_NOTE} on {today.isoformat()} from {how}"
                        + (f" ({asked})" if url != capture.url else "")
                        + strip_unsafe(article.provenance(capture.meta)) + ".")]
    entry = entry_text("online", key, fields)
    if dry_run:
        return Outcome(article.dry_run_lines(key, f"sources/{bib_path.name}", entry,
                                             capture.text))
    old = bib_path.read_text(encoding="utf-8") if bib_path.exists() else ""
    texts = {bib_path: append_entry(old, entry)}
    if left is None:
        texts[capture_path] = capture.text
    write_all(texts)  # the entry first: see add_article
    rel_bib = f"sources/{bib_path.name}"
    said = (("created " if created else "appended @online{" + key + "} to ") + rel_bib
            + (f" with @online{{{key}}}" if created else ""))
    if left is not None:
        said += f" (completing the interrupted `add article` that wrote {CAPTURES_DIR}/{key}.txt)"
    return _article_outcome(root, key, capture, rel_bib, said, interest)


def _article_outcome(root: Path, key: str, capture: article.Capture, rel_bib: str, said: str,
                     interest: str | None) -> Outcome:
    result = Outcome()
    result.lines.append(f"wrote {CAPTURES_DIR}/{key}.txt ({len(capture.text.splitlines())} "
                        f"lines: \"{capture.title}\")")
    result.lines.append(said)
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
    if key is not None and (refusal := key_message(key)):
        raise IntakeError(refusal)
    library = Library.read(root)
    _refuse_key(library, key)
    file = file or library.study_file()
    library.target(file, DEFAULT_EVIDENCE)  # refuse a bad --file first
    value = h.parse(written)
    _refuse_known(library, h, value)
    try:
        record = h.fetch_one(value)
    except net.Offline as exc:
        raise CannotRun(f"{exc}; {offline_fallback(h.field)}") from None
    if (theirs := h.value_of(record)) and h.same(theirs, value):
        setattr(record, h.field, value)  # keep it as the editor gave it (DOIs ignore case)
    if not record.title:
        raise IntakeError(f"the {record.database} record has no title ({record.url})")
    result = Outcome()
    fields = record_fields(record, today, result.warnings)
    with locked(root):  # checked again, and written, while no other command writes sources/
        library = Library.read(root)
        _refuse_key(library, key)
        for other in HANDLERS.values():  # a run at the same time may have added it
            found = other.value_of(record)
            if found:
                _refuse_known(library, other, found)
        target, created = library.target(file, DEFAULT_EVIDENCE)
        key = key or library.free_key(study_key(record))
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        write_all({target: append_entry(old, entry_text("article", key, fields))})

    rel = f"sources/{target.name}"
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


def _refuse_key(library: Library, key: str | None) -> None:
    taken = library.by_key(key) if key is not None else None
    if key is not None and taken is not None:
        raise IntakeError(f"key '{key}' is already used by {taken.where()} (try --key "
                          f"{library.free_key(key)})")


def _refuse_known(library: Library, h: Identifier, value: str) -> None:
    found = library.by_identifier(h, value)
    if found:
        raise IntakeError(f"{h.label} {value} is already in sources/ as {found.where()} "
                          "(expected a new work; cite that key)")


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
    months, _ = read_policy(root)  # judged as `check` judges it
    kb = load(root, today=today, review_months=months)
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
    quote = " ".join(strip_unsafe(quote).split())
    note = " ".join(strip_unsafe(note).split()) if note else None
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
    try:  # as it is: its line ends and byte order mark are kept
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IntakeError(f"cannot read {claim.path} as UTF-8 text; run `python -m "
                          "build_tools check` and fix it first") from exc
    write_all({path: append_appearance(text, item)}, new_ok=False)

    index = len(claim.appearances)
    result.lines.append(f"added appearances[{index}] to {claim.path}")
    known = {p.format() for p in kb.report.problems}
    again = load(root, today=today, review_months=months).report.sorted()
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
