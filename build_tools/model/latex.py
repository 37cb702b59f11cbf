"""What a BibTeX value says, as a reader sees it: LaTeX decoded, braces dropped, names split."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any


def strip_braces(text: str) -> str:
    """BibTeX protective braces removed: ``{Sciaticalm} Team`` -> ``Sciaticalm Team``; white
    space folded (``str.split`` and a regular expression's ``\\s`` agree on what it is)."""
    return " ".join(text.replace("{", "").replace("}", "").split())


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

    def script(table: dict[int, Any]) -> Any:
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
        first, von, last, jr = (latex_text(" ".join(p)) if p else "" for p in
                                (parts.first, parts.von, parts.last, parts.jr))
        name = Name(first, von, last, jr, organisation=braced)
        if name.full:  # "," alone names nobody
            out.append(name)
    return out
