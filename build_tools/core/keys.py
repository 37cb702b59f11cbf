"""The key rule: what a source key (a BibTeX key, the name of an article's capture files) may
be. One rule, for every command that takes a key (``--key``), every key a command suggests,
and every key read from ``sources/*.bib`` or named in a claim file.

A key names files (``sources/captures/<key>.txt`` and ``.yml``) and a page (``sources/<key>/``),
so beyond what BibTeX needs (no white space, none of the characters it uses as delimiters) it
holds no path separator and no control or invisible character, does not start or end with a dot
(no ``.`` or ``..``, no hidden file), and is short: :data:`MAX_KEY` characters, which keeps the
longest file name it makes (four bytes a character in UTF-8, plus ``.yml``) under the 255 bytes
file systems allow.
"""

from __future__ import annotations

import re
import unicodedata

from build_tools.core.problems import shown

MAX_KEY = 60
"""The longest key, in characters."""
MAX_SUGGESTED = 48
"""The longest key a command suggests: room for the letter :meth:`free_key` may add, and short
enough to type."""

_FORBIDDEN = ',{}()=#%"'
"""What BibTeX (and this checker's messages) use as delimiters."""
_SEPARATORS = "/\\"
_INVISIBLE = ("\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
              "\u2066-\u206f\ufeff")
"""Control and format characters, written as ranges a JSON Schema pattern can hold too; the
rule itself also refuses any other character Python does not call printable."""

KEY = re.compile(r"^(?!\.)(?!.*\.$)[^\s" + _FORBIDDEN + "/\\\\" + _INVISIBLE + "]{1,"
                 + str(MAX_KEY) + "}$")
"""The rule as one pattern (the claim file's JSON Schema holds it); :func:`key_problem` says
which part of it a key breaks."""

RULE = ("at most 60 characters, without white space, a slash or backslash, control "
        "characters or any of , { } ( ) = # % \", not starting or ending with a dot")
"""The rule in words, for messages."""


def key_problem(key: str) -> str | None:
    """Why ``key`` breaks the key rule, in words (``'/' is a path separator``); None when it
    keeps it."""
    if not key:
        return "it is empty"
    for c in key:
        if c in _SEPARATORS:
            return f"'{c}' is a path separator"
    for c in key:
        if not c.isprintable() or unicodedata.category(c) in ("Cf", "Zl", "Zp"):
            return f"it holds U+{ord(c):04X}, a control or invisible character"
        if c.isspace():
            return "it holds white space"
        if c in _FORBIDDEN:
            return f"it holds '{c}', which BibTeX uses as a delimiter"
    if key.startswith("."):
        return "it starts with a dot"
    if key.endswith("."):
        return "it ends with a dot"
    if len(key) > MAX_KEY:
        return f"it is {len(key):,} characters long"
    return None


def valid_key(key: str) -> bool:
    return key_problem(key) is None


def bounded(key: str, limit: int = MAX_SUGGESTED) -> str:
    """A suggested key cut to ``limit`` characters, at a hyphen where there is one in its
    second half; never ending with a hyphen or a dot."""
    if len(key) > limit:
        cut = key.rfind("-", limit // 2, limit + 1)
        key = key[:cut if cut > 0 else limit]
    return key.rstrip("-.") or "key"


def key_message(key: str, example: str = "smith2018walking") -> str | None:
    """The one-line refusal of a key that breaks the rule (None when it keeps it), for any
    command that takes one: ``'../x' is not a valid key: '/' is a path separator (expected
    ...)``."""
    why = key_problem(key)
    if why is None:
        return None
    return f"{shown(key)} is not a valid key: {why} (expected {RULE}, e.g. {example})"
