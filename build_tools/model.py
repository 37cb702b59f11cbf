"""The records of the knowledge base, as the later stages and the templates see them."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from build_tools import vocabulary as v

Position = tuple[int, int]
_PARENT = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


@dataclass
class Certainty:
    """A GRADE certainty; ``start``/``downgrades``/``upgrades`` only when written in full.

    ``level`` is ``not-applicable`` (with a ``reason``) for a claim that states no effect.
    """

    level: str
    start: str | None = None
    downgrades: dict[str, int] = field(default_factory=dict)
    upgrades: dict[str, int] = field(default_factory=dict)
    reason: str | None = None
    """Why certainty does not apply: a key of :data:`vocabulary.NOT_APPLICABLE_REASONS`."""

    @property
    def detailed(self) -> bool:
        return self.start is not None

    @property
    def applicable(self) -> bool:
        return self.level != v.NOT_APPLICABLE.value

    @property
    def term(self) -> v.Term:
        return v.CERTAINTY_LEVELS.get(self.level, v.NOT_APPLICABLE)

    @property
    def reason_term(self) -> v.Term | None:
        return v.NOT_APPLICABLE_REASONS.get(self.reason or "")


@dataclass
class Appearance:
    """Where a claim was said: an article, its verbatim words, and what it cited."""

    source: str
    quote: str
    cites: list[str] = field(default_factory=list)
    promotional: bool = False
    note: str | None = None


@dataclass
class Evidence:
    """What one source shows about a claim."""

    source: str
    stance: str
    finding: str
    note: str | None = None


@dataclass
class Claim:
    """One claim record, from ``claims/<id>.yml``."""

    id: str
    path: str
    statement: str = ""
    bottom_line: str = ""
    topics: list[str] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    verdict: str | None = None
    certainty: Certainty | None = None
    rationale: str = ""
    reviewed: dt.date | None = None
    note: str | None = None
    positions: dict[str, Position] = field(default_factory=dict, repr=False)
    """Line and column of every value, by path (``evidence[1].source``), for messages."""
    flags: list[str] = field(default_factory=list)
    """Computed by :mod:`build_tools.flags`; never read from the file."""

    def pos(self, where: str) -> Position:
        """The position of ``where``, or of its nearest enclosing value that has one."""
        while where not in self.positions:
            parent = _PARENT.sub("", where)
            if parent == where:
                return self.positions.get("", (1, 1))
            where = parent
        return self.positions[where]

    @property
    def verdict_term(self) -> v.Term | None:
        return v.VERDICTS.get(self.verdict or "")

    @property
    def articles(self) -> list[str]:
        """The keys of the articles it appeared in, in order, once each."""
        return list(dict.fromkeys(a.source for a in self.appearances))


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


def strip_braces(text: str) -> str:
    """BibTeX protective braces removed: ``{Sciaticalm} Team`` -> ``Sciaticalm Team``; white
    space folded (``str.split`` and a regular expression's ``\\s`` agree on what it is)."""
    return " ".join(text.replace("{", "").replace("}", "").split())


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
    out = []
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


# --- LaTeX in BibTeX values ---------------------------------------------------------------------

_LATEX = re.compile(r"[\\$~]|--|``|''|!`|\?`")
"""What pylatexenc must read: a command, math, a tie, a dash ligature, TeX quotes."""
_UNESCAPED = re.compile(r"(?<!\\)([%&#])")
"""Characters LaTeX would read as a comment, an alignment tab or a parameter, which BibTeX files
often hold unescaped (``50% of``, ``Bone & Joint``): they are meant as text."""
_DOLLAR = re.compile(r"(?<!\\)\$")
_MATH = re.compile(r"(?<!\\)\$([^$]*)(?<!\\)\$")
_SCRIPT = re.compile(r"([_^])(?:\{([^{}]*)\}|([0-9A-Za-z+\-=()]))")
_SUB = str.maketrans("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ")
_SUP = str.maketrans("0123456789+-=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ")
_SPACE = re.compile(r"[ \t\r\n]+")
_COMMAND = re.compile(r"\\[A-Za-z]+\s*|\\(.)")


def _scripts(math: re.Match[str]) -> str:
    """``$_2$`` -> ``$₂$``: sub- and superscripts that Unicode has a character for (pylatexenc
    leaves ``_`` and ``^`` as they are); any other stays for pylatexenc."""
    def one(m: re.Match[str]) -> str:
        text = m.group(2) if m.group(2) is not None else m.group(3)
        table = _SUB if m.group(1) == "_" else _SUP
        out = text.translate(table)
        return out if text and all(a != b for a, b in zip(text, out, strict=True)) else m.group()
    return "$" + _SCRIPT.sub(one, math.group(1)) + "$"


@functools.cache
def _latex_to_text() -> tuple[Any, Any]:
    """pylatexenc's converter, taught what BibTeX files hold that its defaults do not: the
    section and paragraph signs, and ``\\textsuperscript``/``\\textsubscript`` as Unicode
    where Unicode has the characters; and the walker context that reads their arguments."""
    from pylatexenc import latexwalker, macrospec
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    def script(table: dict[int, str]) -> Any:
        def repl(node: Any, l2tobj: Any) -> str:
            args = node.nodeargd.argnlist if node.nodeargd else []
            text = l2tobj.nodelist_to_text([a for a in args if a is not None])
            out = text.translate(table)
            return out if all(a != b for a, b in zip(text, out, strict=True)) else text
        return repl
    text_db = get_default_latex_context_db()
    text_db.add_context_category("bibtex", prepend=True, macros=[
        MacroTextSpec("S", "§"), MacroTextSpec("P", "¶"),
        MacroTextSpec("textsubscript", simplify_repl=script(_SUB)),
        MacroTextSpec("textsuperscript", simplify_repl=script(_SUP)),
        MacroTextSpec("href", simplify_repl="%(2)s"),
    ])
    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category("bibtex", prepend=True, macros=[
        macrospec.std_macro("textsubscript", False, 1),
        macrospec.std_macro("textsuperscript", False, 1),
        macrospec.std_macro("href", False, 2),
    ])
    return LatexNodes2Text(latex_context=text_db, math_mode="text"), walker_db


def latex_text(value: str) -> str:
    """What a BibTeX value says, as a reader sees it: LaTeX decoded with pylatexenc (``{\\"u}``
    -> ``ü``, ``\\&`` -> ``&``, ``--`` -> ``–``, ``~`` -> a no-break space, ``$_2$`` -> ``₂``),
    protective braces dropped, white space folded.

    Text with nothing LaTeX would change costs a regular expression, not a parse. What pylatexenc
    cannot read (it raises on some malformed input) is shown with its braces removed.
    """
    if not _LATEX.search(value):
        return strip_braces(value)
    text = _UNESCAPED.sub(r"\\\1", value)
    if len(_DOLLAR.findall(text)) % 2:  # an odd '$' is a price, not math
        text = _DOLLAR.sub(r"\\$", text)
    elif "$" in text:
        text = _MATH.sub(_scripts, text)
    try:
        converter, walker_context = _latex_to_text()
        text = converter.latex_to_text(text, latex_context=walker_context)
    except Exception:  # pylatexenc raises IndexError and others on some malformed input
        return strip_braces(_COMMAND.sub(lambda m: m.group(1) or "", value))
    return _SPACE.sub(" ", text).strip()


# --- names ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """One name of an ``author`` field, in BibTeX's four parts, LaTeX decoded."""

    first: str = ""
    von: str = ""
    last: str = ""
    jr: str = ""
    organisation: bool = False
    """Written in one pair of braces (``{World Health Organization}``): never split."""

    @property
    def others(self) -> bool:
        """BibTeX's ``and others``: more authors, not named."""
        return not (self.first or self.von or self.jr) and self.last == "others"

    @property
    def family(self) -> str:
        """What a reference sorts and cites by: ``van Tulder``."""
        return " ".join(p for p in (self.von, self.last) if p)

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.first, self.family) if p) + \
            (f", {self.jr}" if self.jr else "")


def parse_names(raw: str) -> list[Name]:
    """An ``author`` or ``editor`` field split into names, each into its parts, as BibTeX does
    (bibtexparser's implementation): ``Last, First``, ``First von Last``, ``von Last, Jr,
    First``; a name in one pair of braces is an organisation's."""
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )
    out = []
    for written in split_multiple_persons_names(raw):
        written = written.strip()
        if not written:
            continue
        parts = parse_single_name_into_parts(written, strict=False)
        braced = (not parts.first and not parts.von and not parts.jr and len(parts.last) == 1
                  and parts.last[0].startswith("{") and parts.last[0].endswith("}"))
        name = Name(*(latex_text(" ".join(p)) if p else "" for p in
                      (parts.first, parts.von, parts.last, parts.jr)), organisation=braced)
        if name.full:  # "," alone names nobody
            out.append(name)
    return out
