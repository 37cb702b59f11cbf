"""The source record: a BibTeX entry (a study, a guideline, a web article), the notices that
update it, and the page address its key makes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from build_tools.model.latex import Name, latex_text, parse_names


@dataclass(frozen=True)
class Notice:
    """A notice that updates a published study: a retraction, an expression of concern or a
    correction, as ``verify`` records it in the study's BibTeX entry."""

    ident: str
    """The notice's DOI (``10.1016/...``) or its PubMed id (``PMID 20137807``)."""
    date: str | None = None
    """When it was published: YYYY-MM-DD, YYYY-MM or YYYY, when known."""

    @property
    def doi(self) -> str | None:
        return None if self.ident.startswith("PMID ") else self.ident

    @property
    def pmid(self) -> str | None:
        return self.ident[5:] if self.ident.startswith("PMID ") else None

    def __str__(self) -> str:
        return f"{self.ident}, {self.date}" if self.date else self.ident


NOTICE_FIELDS = {"retracted": "retraction", "concern": "expression of concern",
                 "corrected": "correction"}
"""The BibTeX fields that record notices, and the kind of notice each holds."""

_NOTICE = re.compile(r"^(?P<ident>10\.\d{4,9}/\S+|PMID \d{1,9})"
                     r"(?:,\s+(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?))?$")
_NOTICE_SEPARATOR = re.compile(r";\s+")


def parse_notices(value: str) -> list[Notice] | None:
    """``10.1/a, 2020-01-31; PMID 123`` as notices; None when any part is not of that form.

    Parts are separated by a semicolon and white space, the date by a comma and white space:
    neither can occur inside a DOI, which has no white space.
    """
    out = []
    for part in _NOTICE_SEPARATOR.split(" ".join(value.split())):
        m = _NOTICE.match(part.strip())
        if not m:
            return None
        out.append(Notice(m["ident"], m["date"]))
    return out


def format_notices(notices: list[Notice]) -> str:
    """The BibTeX value of a notice field: :func:`parse_notices` reads it back."""
    return "; ".join(str(n) for n in notices)


@dataclass
class Source:
    """A BibTeX entry: a study, a guideline, or one of the web articles.

    ``fields`` holds each value as written in the file (LaTeX and protective braces kept, for
    ``data/references.bib``); :meth:`get`, :attr:`title` and :attr:`names` give what a reader
    sees, decoded once and kept.
    """

    key: str
    entry_type: str
    fields: dict[str, str]
    path: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict, repr=False)
    _text: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _names: tuple[Name, ...] | None = field(default=None, repr=False, compare=False)

    def get(self, name: str) -> str | None:
        """The field as a reader sees it (LaTeX decoded, except in :data:`VERBATIM` fields),
        or None when it is missing or empty."""
        value = self.fields.get(name)
        if not value:
            return None
        if name in VERBATIM:
            return value
        text = self._text.get(name)
        if text is None:
            text = self._text[name] = latex_text(value)
        return text or None

    @property
    def design(self) -> str:
        return self.fields.get("design", "other")

    @property
    def interest(self) -> str | None:
        """What the publisher sells that the claims could promote; None when independent."""
        return self.get("interest")

    @property
    def commercial(self) -> bool:
        return self.interest is not None

    @property
    def is_article(self) -> bool:
        return self.design == "web-article"

    def notices(self, name: str) -> list[Notice]:
        """The notices in field ``name`` (see :data:`NOTICE_FIELDS`); [] when there are none or
        the field is malformed (which the validate stage reports)."""
        value = self.get(name)
        return (parse_notices(value) or []) if value else []

    @property
    def retraction(self) -> Notice | None:
        """The retraction notice, when the study was retracted: the latest, when there are
        several (a partial retraction, then the full one), a DOI before a PMID of the same day."""
        found = self.notices("retracted")
        return max(found, key=lambda n: (n.date or "", n.doi is not None)) if found else None

    @property
    def concerns(self) -> list[Notice]:
        """Expressions of concern published about the study."""
        return self.notices("concern")

    @property
    def corrections(self) -> list[Notice]:
        return self.notices("corrected")

    @property
    def title(self) -> str:
        """The title, with its subtitle (biblatex) after a colon."""
        title = self.get("title") or self.key
        subtitle = self.get("subtitle")
        if subtitle:
            title = f"{title}{'' if title.endswith(('?', '!', ':', '.')) else ':'} {subtitle}"
        return title

    @property
    def year(self) -> str | None:
        year = self.get("year")
        if year:
            return year
        date = self.get("date")
        return date[:4] if date else None

    @property
    def names(self) -> list[Name]:
        """The authors, each split into its parts the way BibTeX does; ``others`` kept as the
        last item (:attr:`Name.others`). Parsed once and kept, as :meth:`get` keeps text: a
        source is named on every page that cites it."""
        if self._names is None:
            self._names = tuple(parse_names(self.fields.get("author", "")))
        return list(self._names)

    @property
    def authors(self) -> list[str]:
        """The authors as a reader would write them (``Özge Aksın``), ``others`` kept."""
        return [n.full for n in self.names]


VERBATIM = frozenset({"url", "doi", "urldate", "date", "year", "pmid", "pmcid", "isbn", "issn",
                      "pages", "design", "crossref", "key", "eprint"})
"""Fields that are identifiers or numbers, not text: never read as LaTeX (a ``%`` in a URL is
not a comment, ``--`` in pages is not a dash)."""


_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address with nothing that could break out of an attribute
    (no quote mark, angle bracket or white space); the pages link only to these, and the check
    warns about a source address that is not one (it would be left off its page)."""
    return url if url and _SAFE_URL.match(url) else None


# --- page addresses -------------------------------------------------------------------------

_KEPT = re.compile(r"[A-Za-z0-9_-]+|\.")
_PLAIN = re.compile(r"[A-Za-z0-9_-]+(?:\.+[A-Za-z0-9_-]+)*")
_RESERVED = {"index"}
"""Names a source page cannot take: ``sources/index.md`` is the list of sources."""
MAX_ADDRESS = 200
"""The longest page name a key may make (file systems stop at 255 bytes)."""


def key_address(key: str) -> str:
    """A source key as a path segment that no other key can share: ``Müller2000`` ->
    ``M~fc~ller2000``, ``smith:2000`` -> ``smith~3a~2000``.

    ASCII letters, digits, ``_`` and ``-`` stay, so an ordinary key is its own address; every
    other character is written ``~`` + its code point in hex + ``~`` (``~`` itself too), so
    the address can be read back into the key and two keys never meet. A dot stays except at
    either end (``..`` would climb out of ``sources/``), and a key that would be a reserved page
    name (``index``) has its first letter escaped. Keys that differ only in the case of
    letters are refused as duplicates, so addresses also differ on a file system that ignores
    case. The check refuses a key whose address would be longer than :data:`MAX_ADDRESS`.
    """
    if _PLAIN.fullmatch(key) and key.casefold() not in _RESERVED:
        return key  # most keys: nothing to escape
    out: list[str] = []
    pos = 0
    for m in _KEPT.finditer(key):
        out.extend(_escape(c) for c in key[pos:m.start()])
        out.append(m.group())
        pos = m.end()
    out.extend(_escape(c) for c in key[pos:])
    if out and out[0] == ".":
        out[0] = _escape(".")
    if len(out) > 1 and out[-1] == ".":
        out[-1] = _escape(".")
    text = "".join(out)
    if text.casefold() in _RESERVED:
        text = _escape(text[0]) + text[1:]
    return text or "~~"


def _escape(c: str) -> str:
    return f"~{ord(c):x}~"
