"""The docs tree on disk: hand-written pages and generated ones, for any builder to read.

:func:`docs_tree` is what the ``evidence`` plugin gives MkDocs (the docs folder's own files and
every generated page and data file), as bytes by path; :func:`write_tree` makes a folder hold
exactly that. It writes a new tree beside the folder and swaps it in, so the folder is never half
written, and files that are no longer generated are gone. A file whose bytes did not change is
hard-linked from the old tree, so it keeps its modification time (builders that rebuild only what
changed, such as ``mkdocs serve --dirty``, see only the pages that really changed).

A folder written before, whose :data:`Record` the cache keeps, is brought up to date in place
instead (:func:`update_tree`): only the files whose bytes changed are written, each through a
temporary file renamed into place once all are written.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


class TreeConflict(Exception):
    """A hand-written file has the path of a generated one."""


def hand_written(docs_dir: Path) -> dict[str, bytes]:
    """Every file of the docs folder by its path in it, as MkDocs collects them: names starting
    with a dot (and what is inside such folders) left out."""
    out: dict[str, bytes] = {}
    for top, dirs, names in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(top) / name
            out[path.relative_to(docs_dir).as_posix()] = path.read_bytes()
    return out


def docs_tree(docs_dir: Path, generated: Mapping[str, str]) -> dict[str, bytes]:
    """The docs folder's files and the generated pages (UTF-8), by path; a generated page may
    not take the place of a hand-written file (:class:`TreeConflict`, as the plugin refuses it)."""
    tree = hand_written(docs_dir)
    refuse_clashes(docs_dir, tree, generated)
    for path, text in generated.items():
        tree[path] = text.encode("utf-8")
    return tree


def refuse_clashes(docs_dir: Path, hand: Mapping[str, bytes], generated: Iterable[str]) -> None:
    """:class:`TreeConflict` when a generated path is a hand-written file's."""
    shown = os.path.relpath(docs_dir)
    clashes = sorted(set(hand) & set(generated))
    if clashes:
        raise TreeConflict("; ".join(
            f"{shown}/{path} would hide the generated page of the same name (expected "
            "hand-written pages to use other names)" for path in clashes))


@dataclass(frozen=True)
class TreeStats:
    written: int
    """Files new or changed."""
    unchanged: int
    """Files kept from the previous tree (hard links, or copies where links cannot be made)."""
    removed: int
    """Files of the previous tree that are no longer there."""


def _previous(out: Path) -> set[str]:
    if not out.is_dir():
        return set()
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def write_tree(files: Mapping[str, bytes], out: Path) -> TreeStats:
    """Make ``out`` hold exactly ``files``: build ``OUT.new`` beside it, then swap it in."""
    out = Path(out)
    staging = out.with_name(out.name + ".new")
    retired = out.with_name(out.name + ".old")
    if retired.exists() and not out.exists():  # a run stopped between its two renames
        os.replace(retired, out)
    for leftover in (staging, retired):  # from a run that was interrupted
        if leftover.exists():
            shutil.rmtree(leftover)
    before = _previous(out)
    written = unchanged = 0
    made: set[Path] = set()
    try:
        for rel in sorted(files):
            data = files[rel]
            target = staging / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            same = rel in before and _same(out / rel, data)
            if same:
                try:
                    os.link(out / rel, target)
                except OSError:  # a file system without hard links: copy it
                    target.write_bytes(data)
                unchanged += 1
            else:
                target.write_bytes(data)
                written += 1
        if out.exists():
            os.replace(out, retired)
        try:
            os.replace(staging, out)
        except OSError:
            if retired.exists():
                os.replace(retired, out)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    stats = TreeStats(written, unchanged, len(before - set(files)))
    log.debug("%s: %s", out, stats)
    return stats


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


Record = dict[str, tuple[bytes, int, int]]
"""What a render wrote into a folder: for each file, the key it was made under (an output's,
or a hand-written file's content hash), its size and its modification time."""


def intact(out: Path, record: Record) -> dict[str, bytes]:
    """The key of each recorded file that is still there as it was written (same size and
    modification time: the folder is ours, and anything else that changed a file changed
    those); a file changed by anything else is made again."""
    keys: dict[str, bytes] = {}
    for rel, (key, size, mtime) in record.items():
        try:
            st = os.stat(out / rel)
        except OSError:
            continue
        if st.st_size == size and st.st_mtime_ns == mtime:
            keys[rel] = key
    return keys


Stats = dict[str, tuple[int, int]]
"""Each file of a folder, by its path in it, with its size and modification time."""


def walk(folder: Path) -> Stats:
    """Every file under ``folder`` (nothing when it is not there) with its size and
    modification time: what was written there, and when."""
    found: Stats = {}
    stack = [("", str(folder))]
    while stack:
        prefix, path = stack.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for e in entries:
            rel = prefix + e.name
            if e.is_dir(follow_symlinks=False):
                stack.append((rel + "/", e.path))
            else:
                st = e.stat(follow_symlinks=False)
                found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def update_tree(out: Path, files: Mapping[str, bytes | None],
                keys: Mapping[str, bytes]) -> tuple[TreeStats, Record]:
    """Make ``out`` hold exactly ``files``, writing only what changed: a file given as None is
    kept as it is (the caller found it intact), one whose bytes are those on disk is left
    alone, and the others are written. Every new file is written to a temporary file first and
    renamed into place only when all are written, so a failure while writing (a full disk)
    leaves the folder as it was; files that are no longer in the tree are removed last. Returns
    what was done, and the record of what the folder now holds."""
    before = walk(out)
    base = str(out)
    temps: list[tuple[str, str]] = []
    unchanged = 0
    try:
        for rel in sorted(files):
            data = files[rel]
            target = os.path.join(base, rel)
            if data is None or (rel in before and _same(Path(target), data)):
                unchanged += 1
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            temp = os.path.join(os.path.dirname(target),
                                f".{os.path.basename(target)}.render-tmp")
            with open(temp, "wb") as f:
                f.write(data)
            temps.append((temp, target))
    except BaseException:
        for written, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(written)
        raise
    for written, final in temps:
        os.replace(written, final)
    removed = sorted(set(before) - set(files))
    for rel in removed:
        with contextlib.suppress(OSError):
            os.unlink(out / rel)
    for folder in sorted({str(Path(rel).parent) for rel in removed}, key=len, reverse=True):
        while folder not in ("", "."):
            with contextlib.suppress(OSError):
                os.rmdir(out / folder)  # only when empty
            folder = str(Path(folder).parent)
    now = dict(before)  # what was not written is as the walk found it
    for _, final in temps:
        st = os.stat(final)
        now[os.path.relpath(final, base).replace(os.sep, "/")] = (st.st_size, st.st_mtime_ns)
    record: Record = {}
    for rel in files:
        found = now.get(rel)
        if found is None:  # given as None but not there: as before, the stat says so
            st = os.stat(os.path.join(base, rel))
            found = (st.st_size, st.st_mtime_ns)
        record[rel] = (keys[rel], *found)
    stats = TreeStats(len(temps), unchanged, len(removed))
    log.debug("%s: %s", out, stats)
    return stats, record


def record_of(out: Path, keys: Mapping[str, bytes]) -> Record:
    """The record of a folder just written whole."""
    record: Record = {}
    for rel, key in keys.items():
        st = os.stat(out / rel)
        record[rel] = (key, st.st_size, st.st_mtime_ns)
    return record
