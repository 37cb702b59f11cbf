"""Whether a byline reads as a name: the rule `add article` writes authors by and `check` warns
by (an article entry whose author is a date, a handle or punctuation)."""

from __future__ import annotations

import re

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), 1) for name in names}
"""Month names and their abbreviations, as bylines write them."""
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
DATE_PATTERNS = (
    ("ymd", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("mdy", re.compile(rf"\b({_MONTH})\.?\s+{_DAY},?\s+(\d{{4}})\b", re.IGNORECASE)),
    ("dmy", re.compile(rf"\b{_DAY}(?:\s+of)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)),
    ("numeric", re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")),
)
"""Dates as bylines write them: ``2024-03-12``, ``March 12, 2024``, ``12 March 2024``,
``4th November 2024``, ``10/18/2025``."""
CREDENTIAL = re.compile(r"(?:[A-Z][A-Za-z]{0,3}\.?){1,4}")
"""A post-nominal written after a name and a comma: ``PT``, ``DPT``, ``MD``, ``PhD``,
``M.D.``."""
LOGINS = frozenset({"admin", "administrator", "editor", "webmaster", "guest", "user",
                    "unknown", "anonymous", "author", "staff writer", "wpadmin", "root"})
"""Content-management logins that bylines show in place of a name."""
LABEL_WORDS = frozenset({"by", "on", "published", "updated", "posted", "reviewed", "written",
                         "date", "author", "share", "comments", "min", "minutes", "read",
                         "medically", "last", "modified"})
"""Words of a byline's labels, never a name by themselves."""
MAX_WORDS = 8


def looks_like_name(text: str) -> bool:
    """Whether ``text`` reads as the name of a person or an organisation: at most
    :data:`MAX_WORDS` words, the first beginning with a letter or a digit (``2nd Wind Clinical
    Team``); not a date (``January 9``, ``10/13/2021``), a handle, an address or a login."""
    text = " ".join(text.split())
    if not text or len(text) > 100 or text.casefold() in LOGINS:
        return False
    if "@" in text or "://" in text or "www." in text or re.search(r"\d[:/.]\d", text):
        return False
    if any(pattern.search(text) for _, pattern in DATE_PATTERNS):
        return False
    words = text.split()
    if len(words) > MAX_WORDS or not any(ch.isalpha() for ch in text):
        return False
    if not words[0][:1].isalnum() or any(not w[:1].isalnum() and w[:1] not in "('\"&"
                                         for w in words):
        return False
    # a month and a number ("January 9") is a date, not a name
    return not (any(w.casefold().strip(".,") in MONTHS for w in words)
                and any(ch.isdigit() for ch in text))


def not_a_name(text: str) -> str | None:
    """What ``text``, given as an article's author, reads as instead of a name: ``a date``
    (``• January 9``, ``10/13/2021``), ``a number`` or ``punctuation`` (no letter at all);
    None when it may be a name. ``check`` warns on these, the marks of a byline misread."""
    text = " ".join(text.replace("{", "").replace("}", "").split())
    words = text.replace(",", " ").split()
    if any(p.search(text) for _, p in DATE_PATTERNS) or re.search(r"\d[/.-]\d", text) or (
            any(w.casefold().strip(".") in MONTHS for w in words)
            and any(w.strip(".").isdigit() for w in words)):
        return "a date"
    if text and not any(ch.isalpha() for ch in text):
        return "a number" if any(ch.isdigit() for ch in text) else "punctuation"
    return None
