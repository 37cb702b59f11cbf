"""Write a command's files all at once, or none: each to a temporary file, then renamed.

A command that writes two files (``add article``: the capture and the entry) or several
(``verify``: every ``.bib`` file with news) prepares every text first; only then are they moved
into place, each with an atomic rename. When a rename fails, the files already replaced are put
back, so a failed command leaves every file as it was.

A command that appends to ``sources/`` checks and writes under :func:`locked`, so that two of
them at once cannot both append the same work.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

from build_tools.model.knowledge_base import SOURCES_DIR

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


def write_all(texts: Mapping[Path, str], new_ok: bool = True) -> None:
    """Write each text to its path (UTF-8, line ends as the text has them: ``\\r\\n`` stays).
    The files are renamed into place in the order given. A path that exists keeps its
    permissions; with ``new_ok`` false, a path that does not exist is an error."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in texts.items():
            if not new_ok and not path.exists():
                raise FileNotFoundError(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                            dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            if path.exists():
                os.chmod(tmp_name, path.stat().st_mode & 0o7777)
            else:
                os.chmod(tmp_name, 0o666 & ~_umask())
            staged.append((Path(tmp_name), path))
    except BaseException:
        for staged_path, _ in staged:
            staged_path.unlink(missing_ok=True)
        raise
    before = {path: path.read_bytes() if path.exists() else None for _, path in staged}
    done: list[Path] = []
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
            done.append(path)
            log.debug("wrote %s", path)
    except BaseException:
        for path in reversed(done):  # put back what was replaced
            old = before[path]
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        for staged_path, _ in staged:
            staged_path.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


LOCK = ".kb-cache/intake.lock"
"""The lock every command that writes ``sources/`` holds while it checks and writes (in the
folder the search index already keeps, which git ignores)."""


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the knowledge base's intake lock: two commands run at once (two ``add source`` of
    the same DOI) take turns, and the second, re-reading ``sources/`` under the lock, finds what
    the first wrote. Stale staged files a killed command left in ``sources/`` are removed while
    it is held (no other command is writing then). The lock is the operating system's, so a
    command that is killed drops it."""
    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        _lock(handle)
        try:
            _remove_staged(root / SOURCES_DIR)
            _remove_staged(root / SOURCES_DIR / "captures")
            yield
        finally:
            _unlock(handle)


def _lock(handle: IO[bytes]) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    elif msvcrt is not None:  # pragma: no cover - Windows
        handle.seek(0)
        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after 10 s: wait on
                continue


def _unlock(handle: IO[bytes]) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    elif msvcrt is not None:  # pragma: no cover - Windows
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


_STAGED = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
"""The name :func:`write_all` stages a file under (``.articles.bib.k2j4x9ab.tmp``)."""


def _remove_staged(folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if _STAGED.match(path.name) and path.is_file():
            log.debug("removing %s, left by a command that did not finish", path)
            path.unlink(missing_ok=True)
