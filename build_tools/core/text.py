"""Text as quotes are compared (the one normalisation every stage and tool uses), and the
characters no text field may hold (control and invisible ones), found or stripped."""

from __future__ import annotations

import re
import unicodedata

_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Text compared for quotes: white space folded, typographic quotes and dashes straight."""
    # the same as _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip(), at a third of the cost:
    # str.split() splits on the characters \s matches, and ASCII text has nothing to translate
    if not text.isascii():
        text = text.translate(_TYPOGRAPHIC)
    return " ".join(text.split())


_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Control characters (ESC, NUL, ...), format characters (bidirectional overrides, zero-width
spaces, a byte order mark), lone surrogates, and the line and paragraph separators."""


def unsafe(c: str) -> bool:
    """A character no text field should hold: a terminal would obey it, or a reader would not
    see it (tab and line feed excepted)."""
    return c not in "\t\n" and unicodedata.category(c) in _UNSAFE_CATEGORIES


def unsafe_chars(text: str) -> list[str]:
    """The unsafe characters of ``text``, each once, in order of appearance."""
    if text.isprintable():
        return []
    return list(dict.fromkeys(c for c in text if unsafe(c)))


def describe_char(c: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = unicodedata.name(c, "")
    return f"U+{ord(c):04X}" + (f" ({name})" if name else "")


def strip_unsafe(text: str, keep_lines: bool = False) -> str:
    """``text`` without its unsafe characters: an escape sequence goes whole (``ESC [ 2 J``,
    ``ESC ] 0 ; title BEL``), a separator or other control becomes a space; with
    ``keep_lines``, line ends are kept (a capture's text), else they become spaces too."""
    if text.isprintable() and not keep_lines:
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    out = []
    for c in text:
        if c == "\n" and keep_lines:
            out.append(c)
        elif c == "\r":
            out.append("" if keep_lines else " ")
        elif c in "\t\n" or unicodedata.category(c) in ("Cc", "Zl", "Zp"):
            out.append("\n" if keep_lines and unicodedata.category(c) in ("Zl", "Zp")
                       else " ")
        elif unicodedata.category(c) in ("Cf", "Cs"):
            continue  # invisible: gone without a trace
        else:
            out.append(c)
    return "".join(out)


_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|"
                              r"[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]")
"""ANSI escape sequences: CSI (``ESC [ ... final``), OSC (``ESC ] ... BEL``) and the
two-character ones."""


def unsafe_message(where: str, chars: list[str]) -> str:
    """The check's warning about a text field holding unsafe characters."""
    listed = ", ".join(describe_char(c) for c in chars[:3]) + (", ..." if len(chars) > 3 else "")
    one = len(chars) == 1
    what = "a control or invisible character" if one else "control or invisible characters"
    return (f"{where} holds {listed}, {what} that a terminal would obey or a reader not see "
            f"(expected plain text: delete {'it' if one else 'them'}; text copied from a page "
            "or a record can bring them)")
