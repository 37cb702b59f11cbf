"""A file's text, or why it cannot be read: every stage reads through here.

Nothing here knows what a file holds; it turns bytes into text and reports, at a line and
column, what stops that: a broken link, a folder or a pipe, a size over the limit, bytes that are
not UTF-8, an empty file. A file that cannot be read never stops the others from loading.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from build_tools.core.problems import Problem, Severity
from build_tools.core.problems import shown as quoted

MAX_BYTES = 1_000_000
"""Larger claim, capture and set-aside files are refused: a claim record is a few kilobytes and
an article's text a few dozen, so a file this big is a mistake (a PDF or a database dump saved
under the wrong name), and refusing it keeps every check fast."""

MAX_BIB_BYTES = 20_000_000
"""Larger BibTeX files are refused. A bibliography is a library export, and real ones are big:
a lab's 6,315 entries are 1.8 MB, and a library of 11,300 entries that keep their abstracts is
20 MB, which this loader reads in about 6 s and 200 MB of memory (bench/bench_bibtex.py). A
larger file is not a bibliography anyone keeps in one file, and the limit keeps a wrong file
from costing minutes and gigabytes before it is refused."""

def _problem(path: str, line: int, col: int, message: str) -> Problem:
    return Problem(path, line, col, Severity.ERROR, message)


EXPECTED = {".yml": "a claim record", ".bib": "BibTeX entries", ".txt": "the article's text"}
"""What a file holds, by its extension, for the message about an empty file."""


def unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, in words for a message; None when it can.

    A symbolic link that leads nowhere or back to itself, a folder, a device or a pipe (which
    would block the run) are each named for what they are.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return (f"cannot read file: it is a symbolic link to {quoted(_link_target(path))}, "
                    "which does not exist (expected a file)")
        return "cannot read file: it disappeared while the check ran (expected a file)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ("cannot read file: it is a symbolic link that leads back to itself "
                    "(expected a file)")
        return f"cannot read file: {exc.strerror} (expected a readable file)"
    if stat.S_ISDIR(st.st_mode):
        return "cannot read file: it is a folder (expected a file)"
    if not stat.S_ISREG(st.st_mode):
        return "cannot read file: it is a device, pipe or socket (expected a regular file)"
    return None


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def read_text(path: Path, shown: str, expected: str | None = None,
              max_bytes: int = MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problems that stop it being read (what the file is, its size,
    encoding, emptiness); ``expected`` says what the file should hold (by default, from its
    extension). Positions are 1-based lines ending at ``\\n`` and columns in characters."""
    try:  # never blocks: a pipe opens at once, and is refused below
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        why = unreadable(path) or f"cannot read file: {exc.strerror} (expected a readable file)"
        return None, [_problem(shown, 1, 1, why)]
    with os.fdopen(fd, "rb") as file:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return None, [_problem(shown, 1, 1, unreadable(path) or "cannot read file: it "
                                                    "is not a regular file (expected a file)")]
            if st.st_size > max_bytes:
                return None, [_problem(shown, 1, 1, f"file is {st.st_size:,} bytes (expected "
                                                    f"at most {max_bytes:,})")]
            data = file.read(st.st_size + 1)  # not max_bytes: that would allocate it
            if len(data) > st.st_size:  # it grows while it is read
                data += file.read(max_bytes + 1 - len(data))
        except OSError as exc:
            return None, [_problem(shown, 1, 1, f"cannot read file: {exc.strerror} (expected "
                                                "a readable file)")]
    if len(data) > max_bytes:  # it grew while it was read
        return None, [_problem(shown, 1, 1, f"file is more than {max_bytes:,} bytes (expected "
                                            f"at most {max_bytes:,})")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line_start = before.rfind(b"\n") + 1
        line = before.count(b"\n") + 1
        col = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return None, [_problem(shown, line, col,
                               f"file is not UTF-8: byte 0x{data[exc.start]:02x} cannot be "
                               f"decoded (expected UTF-8 text)")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        expected = expected or EXPECTED.get(path.suffix, "text")
        return None, [_problem(shown, 1, 1, f"file is empty (expected {expected})")]
    return text, []
