"""The key suggested for an article: its publisher's short name, then its title's content words
(``1on1pt-walking-low-back-pain``).

- **The publisher's short name**: the site's own name in its address when that name is made of
  the publisher's words' beginnings (``1on1pt.com`` for "1 on 1 Physical Therapy",
  ``hingehealth.com`` for "Hinge Health", ``riverbendpt.example`` for "Riverbend Physical
  Therapy"); else the publisher's words run together when short (``sciaticalm``,
  ``verywellfit``); else their initials (``pta`` for "The Physical Therapy Advisor"). With no
  publisher, the site's name in the address; with neither, nothing.
- **The title's content words**: of the title's main part (the part, between ``|``, ``:``, ``?``,
  ``~`` or a dash, with the most content words: "Evidence Review" and "A Physical Therapist's
  Guide" are subtitles), the words that are not stop words, at most :data:`MAX_UNITS` and
  :data:`MAX_TITLE` characters; "low back pain" and the like count as one and are never cut.
"""

from __future__ import annotations

import re
import urllib.parse

from build_tools.intake.search_text import stopwords
from build_tools.intake.search_text import words as slug_words

TITLE_FILLER = frozenset({
    "according", "guide", "tips", "things", "ways", "way", "shows", "show", "says", "say",
    "finds", "find", "found", "new", "really", "everything", "know", "need"})
"""Words a key leaves out besides the search's stop words: the words titles sell with."""
PHRASES = ("low back pain", "lower back pain", "back pain", "physical therapy")
"""Runs of words that count as one and are never cut."""
MAX_UNITS = 5
MAX_TITLE = 40
MAX_LEAD = 16
"""The longest publisher's name written in full; a longer one is shortened to its initials."""
SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne"})
"""Second-level labels under a country's domain: ``bbc.co.uk`` is the site ``bbc``."""
TITLE_PARTS = re.compile(r"\s+[|~–—-]\s+|:\s+|\?\s*|,\s+according\s+to\b.*$", re.IGNORECASE)


def is_filler(word: str) -> bool:
    """Whether a key leaves ``word`` out."""
    return word in TITLE_FILLER or word in stopwords()


def site_name(url: str | None) -> str | None:
    """The site's own name in ``url``: ``hingehealth`` for ``https://www.hingehealth.com/...``,
    ``nhs`` for ``www.nhs.uk``; None for an IP address or ``localhost``."""
    host = (urllib.parse.urlsplit(url or "").hostname or "").lower().strip(".")
    if not host or host == "localhost" or re.fullmatch(r"[\d.]+|[0-9a-f:]+", host):
        return None
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        labels = labels[:-1]
    name = labels[-2] if len(labels) >= 2 else labels[0]
    return "".join(slug_words(name)) or None


def abbreviates(name: str, words: list[str]) -> bool:
    """Whether ``name`` is made of beginnings of ``words``, in order, the first word's
    included: ``1on1pt`` of 1 on 1 physical therapy, ``physiopedia`` of physiopedia."""
    def rest(i: int, j: int) -> bool:
        if i == len(name):
            return True
        if j == len(words):
            return False
        w = words[j]
        return any(name.startswith(w[:n], i) and rest(i + n, j + 1)
                   for n in range(min(len(w), len(name) - i), 0, -1)) \
            or (j > 0 and rest(i, j + 1))

    return bool(words) and rest(0, 0)


def lead(publisher: str | None, url: str | None) -> str:
    """The publisher's short name (see the module's docstring), or ``""``."""
    words = slug_words(publisher or "")
    site = site_name(url)
    if words and site and len(site) <= MAX_LEAD and abbreviates(site, words):
        return site
    if words and len("".join(words)) <= MAX_LEAD:
        return "".join(words)
    content = [w for w in words if not is_filler(w)]
    if len(content) >= 2:
        return "".join(w[0] for w in content)
    if words:
        return (content or words)[0][:MAX_LEAD]
    if site:
        return site.removeprefix("the") if len(site) > MAX_LEAD and site.startswith("the") \
            else site
    return ""


def main_part(title: str) -> str:
    """The part of ``title`` with the most content words (the first of those)."""
    parts = [p for p in TITLE_PARTS.split(title) if p and p.strip()]
    if not parts:
        return title
    counts = [len([w for w in slug_words(p) if not is_filler(w)]) for p in parts]
    return parts[counts.index(max(counts))]


def suggest_key(publisher: str | None, title: str, url: str | None) -> str:
    """The key suggested for an article (see the module's docstring); ``article`` when
    nothing gives a word."""
    first = lead(publisher, url)
    words = [w for w in slug_words(main_part(title))
             if not is_filler(w) and w != first]
    units: list[str] = []
    i = 0
    while i < len(words):
        size = next((len(p.split()) for p in PHRASES
                     if words[i:i + len(p.split())] == p.split()), 1)
        units.append("-".join(words[i:i + size]))
        i += size
    chosen: list[str] = []
    for unit in units:
        unit = unit[:MAX_TITLE]
        if len(chosen) == MAX_UNITS or (chosen and len("-".join([*chosen, unit])) > MAX_TITLE):
            break
        chosen.append(unit)
    return "-".join([first, *chosen] if first else chosen) or "article"
