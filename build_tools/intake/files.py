"""Write a command's files all at once, or none: each to a temporary file, then renamed.

A command that writes two files (``add article``: the capture and the entry) or several
(``verify``: every ``.bib`` file with news) prepares every text first; only then are they moved
into place, each with an atomic rename. When a rename fails, the files already replaced are put
back, so a failed command leaves every file as it was.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)


def write_all(texts: Mapping[Path, str], new_ok: bool = True) -> None:
    """Write each text to its path (UTF-8, ``\\n`` line ends). A path that exists keeps its
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
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
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
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
