"""The entries the intake commands write: from a bibliographic record (``add source``) or a
captured page (``add article``), every value made safe to write and read back, and a key
suggested by the key rule (:mod:`build_tools.core.keys`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from pathlib import Path

from build_tools.core.keys import bounded
from build_tools.core.problems import shown
from build_tools.core.text import strip_unsafe
from build_tools.identifiers import Record
from build_tools.intake import article
from build_tools.intake.article_key import is_filler
from build_tools.intake.bibedit import BibTeX, Unwritable, bib_value, names_value
from build_tools.intake.library import Located
from build_tools.model.capture import CAPTURED_NOTE
from build_tools.model.knowledge_base import CAPTURES_DIR
from build_tools.model.source import format_notices


def interrupted(root: Path, entry: Located) -> bool:
    """The entry was written by an ``add article`` killed before it wrote the capture."""
    note = entry.entry.fields_dict.get("note")
    return (not (root / CAPTURES_DIR / f"{entry.key}.txt").exists() and note is not None
            and str(note.value).lstrip("{\"").startswith(CAPTURED_NOTE))


def safe_capture(capture: article.Capture) -> article.Capture:
    """The capture without the control and invisible characters a page can hold (an escape
    sequence in its title, a zero-width space in its text): nothing a terminal would obey, or a
    reader not see, reaches the files or the screen."""
    return dataclasses.replace(
        capture, text=strip_unsafe(capture.text, keep_lines=True),
        title=" ".join(strip_unsafe(capture.title).split()),
        author=[a for a in (" ".join(strip_unsafe(n).split()) for n in capture.author) if a],
        publisher=" ".join(strip_unsafe(capture.publisher or "").split()) or None)


def byline(names: list[str]) -> BibTeX:
    """The byline as an author field, each name as :func:`article.person_or_org` reads it."""
    parts = []
    for name in names:
        written = article.person_or_org(name)
        if written.startswith("{"):
            parts.append((name, "", True))
        else:
            family, _, given = written.partition(", ")
            parts.append((family, given, False))
    return names_value(parts)


LEFT_OUT = frozenset({"pages", "volume", "number"})
"""Fields an entry can do without: one that BibTeX cannot hold as the record gives it is left
out, with a warning; any other such value refuses the command."""


def record_fields(record: Record, today: dt.date,
                   warnings: list[str]) -> list[tuple[str, str]]:
    """The entry's fields from ``record``, each one that can be written so that it reads back
    as the record gives it (:func:`~build_tools.intake.bibedit.bib_value`)."""
    fields: list[tuple[str, str]] = []
    if record.authors:
        fields.append(("author", names_value((a.family, a.given, a.organisation)
                                             for a in record.authors)))
    for name, value in record.fields().items():
        if name == "author":
            continue
        try:
            bib_value(value, name)
        except Unwritable:
            if name not in LEFT_OUT:
                raise
            warnings.append(f"left out {name}: the {record.database} record gives "
                            f"{shown(value)}, which BibTeX cannot hold as it is (fill it in by "
                            "hand from the article)")
            continue
        fields.append((name, value))
    fields.append(("design", "TODO"))
    for field_name, notices in sorted(record.notices.items()):
        fields.append((field_name, format_notices(notices)))
    fields.append(("verified", today.isoformat()))
    fields.append(("note", f"Metadata from the {record.database} record ({record.url}), read "
                           f"by `add source` on {today.isoformat()}."))
    return fields


def study_key(record: Record) -> str:
    """``pocovi2024effectiveness``: the first author's family name, the year, and the title's
    first word that says something."""
    def ascii_words(text: str) -> list[str]:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return re.findall(r"[a-z0-9]+", text.lower())

    family = "".join(ascii_words(record.authors[0].family)) if record.authors else ""
    if record.authors and record.authors[0].organisation:
        family = "".join(ascii_words(record.authors[0].family)[:1])
    word = next((w for w in ascii_words(record.title) if not is_filler(w)
                 and not w.isdigit()), "")
    return bounded(f"{(family or 'anon')[:24]}{record.year or ''}{word[:20]}")
