"""Stage 1, find: which files of ``claims/`` and ``sources/`` are read, and why each other one
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

from build_tools.core.problems import Problem, Severity
from build_tools.core.reading import MAX_BIB_BYTES, unreadable
from build_tools.model.knowledge_base import CAPTURES_DIR, CLAIMS_DIR, SOURCES_DIR

log = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class Kind:
    """A kind of file a folder holds: its suffix, the list of :class:`Files` it goes to, what
    it is called in a message, and the suffixes (any case) of its misnamed copies."""

    suffix: str
    goes_to: str
    called: str
    misnamed: tuple[str, ...]


@dataclass(frozen=True)
class Folder:
    """What one folder of a knowledge base holds."""

    path: str
    holds: str
    """``claims/ holds only ...``: the rule, for messages."""
    kinds: tuple[Kind, ...]
    may_be_claims: bool = False
    """A file here that is not read may be a claim (see :attr:`Files.unread_claims`)."""
    folders: tuple[str, ...] = ()
    """The subfolders that are folders of their own (``sources/captures``)."""


CLAIM = Kind(".yml", "claims", "claim file", YAML_LIKE)
BIB = Kind(".bib", "bibs", "BibTeX file", BIB_LIKE)
FOLDERS = {
    CLAIMS_DIR: Folder(CLAIMS_DIR, "claims/ holds only claim files, <id>.yml", (CLAIM,),
                       may_be_claims=True),
    SOURCES_DIR: Folder(SOURCES_DIR, "sources/ holds only BibTeX files, <name>.bib, and the "
                                     "folder captures/", (BIB,), folders=(CAPTURES_DIR,)),
    CAPTURES_DIR: Folder(CAPTURES_DIR, "sources/captures/ holds only captures, <key>.txt, and "
                                       "set-aside files, <key>.yml",
                         (Kind(".txt", "captures", "capture file", (".txt",)),
                          Kind(".yml", "set_asides", "set-aside file", YAML_LIKE))),
}
"""The folders a load reads, each with what it holds."""


def find(root: Path, shown: Shown) -> Files:
    """The files of the knowledge base at ``root`` (which has ``claims/`` and ``sources/``)."""
    out = Files()
    for name in (CLAIMS_DIR, SOURCES_DIR):
        _folder(root, FOLDERS[name], shown, out)
    return out


def _folder(root: Path, rule: Folder, shown: Shown, out: Files) -> None:
    """Sort each entry of one folder: read it, or say why not."""
    for entry in _entries(root / rule.path):
        path = Path(entry.path)
        kind = _kind(entry)
        where = f"{rule.path}/{entry.name}"
        if where in rule.folders and kind in ("dir", "linked-dir"):
            _folder(root, FOLDERS[where], shown, out)
            continue
        if _stray(entry.name):
            _stray_problem(out, shown, path, rule.holds)
            continue
        if kind == "dir":
            _subfolder(path, rule, shown, out)
            continue
        if kind == "linked-dir":
            _error(out, shown, path, f"symbolic link to a folder is not read ({rule.holds}; "
                                     "expected it removed)")
        else:
            read = next((k for k in rule.kinds if path.suffix == k.suffix), None)
            if read is not None:
                getattr(out, read.goes_to).append(path)
                continue
            misnamed = next((k for k in rule.kinds if path.suffix.lower() in k.misnamed), None)
            if misnamed is not None:
                _error(out, shown, path, f"{misnamed.called} ends in '{path.suffix}' (expected "
                                         f"'{misnamed.suffix}')")
                if misnamed is BIB:
                    out.unread_bibs.append(path)
            else:
                _error(out, shown, path, f"file is not read: {rule.holds} (expected it moved "
                                         "out of the folder, or renamed if it belongs here)")
        out.unread_claims |= rule.may_be_claims


def _subfolder(folder: Path, rule: Folder, shown: Shown, out: Files) -> None:
    """Name every file below ``folder`` (an empty folder once); symbolic links to folders are
    named, not followed, so a link loop cannot trap the walk."""
    entries = _entries(folder)
    if not entries:
        _error(out, shown, folder, f"empty folder is not read ({rule.holds}; expected it "
                                   "deleted)", Severity.WARNING)
    for entry in entries:
        path = Path(entry.path)
        kind = _kind(entry)
        if kind == "dir":
            _subfolder(path, rule, shown, out)
            continue
        if _stray(entry.name):
            _stray_problem(out, shown, path, rule.holds)
            continue
        if kind == "linked-dir":
            _error(out, shown, path, f"symbolic link to a folder is not read ({rule.holds}; "
                                     "expected it removed)")
        else:
            wanted = next((k for k in rule.kinds if path.suffix.lower() in k.misnamed), None)
            if wanted is not None:
                hint = _CLAIM_HINT.get(wanted, "")
                _error(out, shown, path, f"{wanted.called} in a subfolder is not read (expected "
                                         f"it directly in {rule.path}/, as {rule.path}/"
                                         f"{path.stem}{wanted.suffix}{hint})")
                if wanted is BIB:
                    out.unread_bibs.append(path)
            else:
                _error(out, shown, path, f"file in a subfolder of {rule.path}/ is not read "
                                         f"({rule.holds}, directly in it)")
        out.unread_claims |= rule.may_be_claims


_CLAIM_HINT = {CLAIM: "; to remove a claim, delete its file: git keeps its history"}


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
    """A warning for what the system or an editor left."""
    what = ("hidden " + ("folder" if path.is_dir() and not path.is_symlink() else "file")
            if path.name.startswith(".") else "backup file")
    _error(out, shown, path, f"{what} is not read: {holds} (expected it deleted, if the system "
                             "or an editor left it)", Severity.WARNING)


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
