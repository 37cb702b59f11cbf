"""An article's byline read as people write it: ``By Dana Whitfield, PT, DPT · March 12,
2024``, ``• January 9, 2026``, ``Medically reviewed by ...``: the authors it names and its
parts' labels (a part labelled reviewed or updated names neither the author nor the publication
date)."""

from __future__ import annotations

import re

from build_tools.rules.names import CREDENTIAL, DATE_PATTERNS, LABEL_WORDS, looks_like_name

SEGMENTS = re.compile(r"\s*(?:[|•·●◦▪]|\s[-–—/]\s)\s*")
"""What separates the parts of a byline: ``By A · March 3, 2024 | 4 min read``."""
LABEL = re.compile(r"^(?P<label>(?:(?:medically|clinically|expert|peer)[\s-]+)?reviewed|"
                   r"fact[\s-]?checked|(?:last\s+)?updated|modified|published|posted|"
                   r"written|date)\b(?:\s+date)?(?:\s+(?:on|by))?\s*:?\s*", re.IGNORECASE)
"""A byline part's label (``Published:``, ``Medically reviewed by``, ``Updated``)."""
NOT_PUBLISHED = re.compile(r"review|fact|updat|modif", re.IGNORECASE)
"""Labels whose part names neither the author nor the publication date."""
BY = re.compile(r"(?:^|\s)by\s*:?\s+|^author\s*:\s*", re.IGNORECASE)


def byline_parts(text: str) -> list[tuple[str, str]]:
    """A byline's parts, each as ``(label, rest)``: ``By A | Published: 10/18/2025`` ->
    ``[("", "By A"), ("published", "10/18/2025")]``."""
    out = []
    for part in SEGMENTS.split(" ".join(text.split())):
        part = part.strip(" ,;:")
        if not part:
            continue
        m = LABEL.match(part)
        if not m:
            out.append(("", part))
            continue
        label, rest = m["label"].casefold(), part[m.end():]
        if m[0].rstrip(" :").casefold().endswith(" by") or label == "written":
            rest = "by " + rest  # "Written by A", "Posted by A": the rest names the author
        out.append(("published" if label == "posted" else label, rest))
    return out


def byline_names(text: str) -> list[str]:
    """The authors a byline names: ``By Dana Whitfield, PT, DPT | Published: ...`` ->
    ``["Dana Whitfield"]``; ``• January 9, 2026`` -> ``[]``; ``Medically reviewed by ...`` ->
    ``[]`` (a reviewer is not the author)."""
    for label, rest in byline_parts(text):
        if NOT_PUBLISHED.search(label):
            continue
        by = BY.search(rest)
        if label and not by:
            continue
        rest = rest[by.end():] if by else rest
        for _, pattern in DATE_PATTERNS:
            rest = pattern.sub(" ", rest)
        names = split_names(re.sub(r"\s+on\s*$", "", rest.strip(" ,")))
        if names:
            return names
    return []


def split_names(text: str) -> list[str]:
    """The names in an author list (``A and B``, ``A; B``, ``A & B``)."""
    text = BY.sub(" ", " ".join(text.split()), count=1).strip()
    parts = re.split(r"\s*(?:;|&|\band\b)\s*", text)
    return unique([n for p in parts if (n := clean_name(p))])


def clean_name(text: str) -> str | None:
    """``text`` as an author's name, post-nominals after a comma left out (``Dana Whitfield,
    PT, DPT`` -> ``Dana Whitfield``); None when it does not read as a name."""
    text = " ".join((text or "").split()).strip(" ,;:|•·-–—")
    parts = [p.strip() for p in text.split(",")]
    while len(parts) > 1 and CREDENTIAL.fullmatch(parts[-1].replace(" ", "")):
        parts.pop()
    text = ", ".join(parts)
    if not text or all(w.casefold().strip(".:") in LABEL_WORDS for w in text.split()):
        return None
    if CREDENTIAL.fullmatch(text.replace(" ", "")) and text.upper() == text:
        return None  # a post-nominal alone ("DPT")
    return text if looks_like_name(text) else None


def unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        if n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out
