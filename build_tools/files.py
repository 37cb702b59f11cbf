"""Stage 0, find: which files of ``claims/`` and ``sources/`` are read, and why each other one
is not.

Every file under the two folders is either read or named in a message, so nothing an editor
puts there can vanish without a word: a claim moved to ``claims/archive/``, a ``.yaml`` or
``.BIB`` file, a symbolic link that leads nowhere. A file with the right name is listed even if
it cannot be read (a broken link, a pipe): reading it reports why, at its path.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.loading import MAX_BIB_BYTES, unreadable
from build_tools.problems import Problem, Severity

log = logging.getLogger(__name__)

CLAIMS_DIR = "claims"
SOURCES_DIR = "sources"
CAPTURES_DIR = "sources/captures"

BIB_LIKE = (".bib", ".bibtex", ".biblatex")
YAML_LIKE = (".yml", ".yaml")
_KEY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^\s,{}()]+)[ \t]*,", re.MULTILINE)


@dataclass
class Files:
    """The files a load reads, sorted, and a problem for each file it does not."""

    claims: list[Path] = field(default_factory=list)
    bibs: list[Path] = field(default_factory=list)
    captures: list[Path] = field(default_factory=list)
    """``sources/captures/*.txt``: the articles' texts."""
    set_asides: list[Path] = field(default_factory=list)
    """``sources/captures/*.yml``: the passages set aside."""
    problems: list[Problem] = field(default_factory=list)
    unread_claims: bool = False
    """Some file under ``claims/`` (other than what the system or an editor leaves) is not read:
    what the claims use is not fully known."""
    unread_bibs: list[Path] = field(default_factory=list)
    """BibTeX files that are not read (in a subfolder, or misnamed): an unknown key is looked up
    in them, so its message can say where it is."""


Shown = Callable[[Path], str]


def find(root: Path, shown: Shown) -> Files:
    """The files of the knowledge base at ``root`` (which has ``claims/`` and ``sources/``)."""
    out = Files()
    _claims(root / CLAIMS_DIR, shown, out)
    _sources(root / SOURCES_DIR, shown, out)
    return out


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def _error(out: Files, shown: Shown, path: Path, message: str,
           severity: Severity = Severity.ERROR) -> None:
    out.problems.append(Problem(shown(path), 1, 1, severity, message))


def _stray(name: str) -> bool:
    """Left over by the system or an editor: hidden, or a backup (``x.yml~``, ``#x.yml#``)."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#")
                                                          and name.endswith("#"))


def _kind(entry: os.DirEntry[str]) -> str:
    """``dir`` (a real folder), ``linked-dir`` (a symbolic link to one), or ``file`` (anything
    else, readable or not)."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        if entry.is_symlink() and entry.is_dir():
            return "linked-dir"
    except OSError:  # a link loop, for one
        pass
    return "file"


def _stray_problem(out: Files, shown: Shown, path: Path, holds: str) -> None:
    what = ("hidden " + ("folder" if path.is_dir() and not path.is_symlink() else "file")
            if path.name.startswith(".") else "backup file")
    _error(out, shown, path, f"{what} is not read: {holds} (expected it deleted, if the system "
                             "or an editor left it)", Severity.WARNING)


CLAIMS_HOLD = "claims/ holds only claim files, <id>.yml"
SOURCES_HOLD = "sources/ holds only BibTeX files, <name>.bib, and the folder captures/"
CAPTURES_HOLD = ("sources/captures/ holds only captures, <key>.txt, and set-aside files, "
                 "<key>.yml")


def _claims(folder: Path, shown: Shown, out: Files) -> None:
    for entry in _entries(folder):
        path = Path(entry.path)
        kind = _kind(entry)
        if _stray(entry.name):
            _stray_problem(out, shown, path, CLAIMS_HOLD)
        elif kind == "dir":
            _subfolder(path, shown, out, _claim_in_subfolder, CLAIMS_HOLD)
        elif kind == "linked-dir":
            _error(out, shown, path, "symbolic link to a folder is not read (expected claim "
                                     "files directly in claims/)")
            out.unread_claims = True
        elif path.suffix == ".yml":
            out.claims.append(path)
        elif path.suffix.lower() in YAML_LIKE:
            _error(out, shown, path, f"claim file ends in '{path.suffix}' (expected '.yml')")
            out.unread_claims = True
        else:
            _not_read(out, shown, path, CLAIMS_HOLD)
            out.unread_claims = True  # claims/ holds claims: it may be one


def _claim_in_subfolder(path: Path, shown: Shown, out: Files) -> None:
    if path.suffix.lower() in YAML_LIKE:
        _error(out, shown, path, "claim file in a subfolder is not read (expected it directly "
                                 f"in claims/, as claims/{path.stem}.yml; to remove a claim, "
                                 "delete its file: git keeps its history)")
        out.unread_claims = True
    else:
        _error(out, shown, path, "file in a subfolder of claims/ is not read (expected only "
                                 "claim files, <id>.yml, directly in claims/)")
        out.unread_claims = True


def _sources(folder: Path, shown: Shown, out: Files) -> None:
    for entry in _entries(folder):
        path = Path(entry.path)
        kind = _kind(entry)
        if _stray(entry.name):
            _stray_problem(out, shown, path, SOURCES_HOLD)
        elif entry.name == "captures" and kind in ("dir", "linked-dir"):
            _captures(path, shown, out)
        elif kind == "dir":
            _subfolder(path, shown, out, _source_in_subfolder, SOURCES_HOLD)
        elif kind == "linked-dir":
            _error(out, shown, path, "symbolic link to a folder is not read (expected BibTeX "
                                     "files directly in sources/)")
        elif path.suffix == ".bib":
            out.bibs.append(path)
        elif path.suffix.lower() in BIB_LIKE:
            _error(out, shown, path, f"BibTeX file ends in '{path.suffix}' (expected '.bib')")
            out.unread_bibs.append(path)
        else:
            _not_read(out, shown, path, SOURCES_HOLD)


def _source_in_subfolder(path: Path, shown: Shown, out: Files) -> None:
    if path.suffix.lower() in BIB_LIKE:
        _error(out, shown, path, "BibTeX file in a subfolder is not read (expected it directly "
                                 f"in sources/, as sources/{path.stem}.bib)")
        out.unread_bibs.append(path)
    else:
        _error(out, shown, path, "file in a subfolder of sources/ is not read (expected BibTeX "
                                 "files directly in sources/, and captures directly in "
                                 "sources/captures/)")


def _captures(folder: Path, shown: Shown, out: Files) -> None:
    for entry in _entries(folder):
        path = Path(entry.path)
        kind = _kind(entry)
        if _stray(entry.name):
            _stray_problem(out, shown, path, CAPTURES_HOLD)
        elif kind == "dir":
            _subfolder(path, shown, out, _capture_in_subfolder, CAPTURES_HOLD)
        elif kind == "linked-dir":
            _error(out, shown, path, "symbolic link to a folder is not read (expected "
                                     "captures and set-aside files directly in "
                                     "sources/captures/)")
        elif path.suffix == ".txt":
            out.captures.append(path)
        elif path.suffix == ".yml":
            out.set_asides.append(path)
        elif path.suffix.lower() == ".txt":
            _error(out, shown, path, f"capture file ends in '{path.suffix}' (expected '.txt')")
        elif path.suffix.lower() in YAML_LIKE:
            _error(out, shown, path, f"set-aside file ends in '{path.suffix}' (expected "
                                     "'.yml')")
        else:
            _not_read(out, shown, path, CAPTURES_HOLD)


def _capture_in_subfolder(path: Path, shown: Shown, out: Files) -> None:
    _error(out, shown, path, "file in a subfolder of sources/captures/ is not read (expected "
                             "captures, <key>.txt, and set-aside files, <key>.yml, directly in "
                             "sources/captures/)")


def _subfolder(folder: Path, shown: Shown, out: Files,
               each: Callable[[Path, Shown, Files], None], holds: str) -> None:
    """Name every file below ``folder`` (an empty folder once); symbolic links to folders are
    named, not followed, so a link loop cannot trap the walk."""
    entries = _entries(folder)
    if not entries:
        _error(out, shown, folder, f"empty folder is not read ({holds}; expected it deleted)",
               Severity.WARNING)
    for entry in entries:
        path = Path(entry.path)
        kind = _kind(entry)
        if kind == "dir":
            _subfolder(path, shown, out, each, holds)
        elif kind == "linked-dir":
            _error(out, shown, path, f"symbolic link to a folder is not read ({holds}; "
                                     "expected it removed)")
        elif _stray(entry.name):
            _stray_problem(out, shown, path, holds)
        else:
            each(path, shown, out)


def _not_read(out: Files, shown: Shown, path: Path, holds: str) -> None:
    _error(out, shown, path, f"file is not read: {holds} (expected it moved out of the folder, "
                             "or renamed if it belongs here)")


def unread_keys(paths: list[Path], shown: Shown) -> dict[str, str]:
    """The entry keys in BibTeX files that are not read, each with its file, by casefolded key:
    a key that is not found is looked up here, so its message can say where it is."""
    keys: dict[str, str] = {}
    for path in paths:
        if unreadable(path) is not None:
            continue
        try:
            with path.open("rb") as file:
                text = file.read(MAX_BIB_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue
        for m in _KEY.finditer(text):
            if m.group(1).lower() not in ("string", "comment", "preamble"):
                keys.setdefault(m.group(2).casefold(), shown(path))
    return keys
