"""The persistent cache under ``<root>/.kb-cache/build/``, keyed on content hashes.

What a run computed from its inputs (a file's records and problems, a claim's cross-file
problems, a page's rendered parts) is kept for the next run under a key made from those inputs'
contents (:mod:`build_tools.core.digest`), never from modification times: a checkout, a copy or
a save within the same clock tick cannot serve a stale value, and a file changed back is found
again.

The cache holds *tables* (``records``, ``stages``, ``fragments``, ...), each a folder of
:data:`BUCKETS` files, an entry going to the bucket its key's first byte names. A bucket is read
when a key in it is first asked for and written, at :meth:`Cache.save`, only when the run
changed it: to a temporary file beside it, then renamed over it, so a reader sees the old
bucket or the new one and never half of one, and two runs at once cannot corrupt it (the last
one's bucket wins; what the other added is computed again next time). An edit of one file
rewrites a few buckets, not the whole table. A table keeps only the entries the run that writes
it used (``sweep``), so it holds what the current inputs need and does not grow.

Nothing in it is trusted: a file that is not a table of this format, of this version of the
tools (:func:`~build_tools.core.digest.code_fingerprint`), whose checksum does not match, or
whose values name any class outside this package and a few plain types, is discarded with a
one-line note and the run computes afresh. The values are pickles, read with
:class:`_Unpickler`, which refuses every other class.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from build_tools.core.digest import DIGEST_SIZE, FORMAT, code_fingerprint, file_digest

log = logging.getLogger(__name__)

FOLDER = Path(".kb-cache") / "build"
"""Where the tables live, under the knowledge base's root (``.kb-cache/`` is ignored by git)."""

MAGIC = b"KBCACHE\n"

_ALLOWED_MODULES = {"datetime", "collections", "copyreg", "markupsafe", "pathlib", "decimal"}
_ALLOWED_BUILTINS = {"set", "frozenset", "list", "dict", "tuple", "bytes", "bytearray", "str",
                     "int", "float", "bool", "complex", "range", "slice", "object"}


_ALLOWED: dict[tuple[str, str], Any] = {}
"""The classes allowed so far, by module and name."""


class _Unpickler(pickle.Unpickler):
    """Reads a cached value, refusing any class that is not this package's or a plain type."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is not None:
            return found
        top = module.partition(".")[0]
        if top == "build_tools" or module in _ALLOWED_MODULES or \
                (module == "builtins" and name in _ALLOWED_BUILTINS):
            found = _ALLOWED[(module, name)] = super().find_class(module, name)
            return found
        raise pickle.UnpicklingError(f"refused class {module}.{name}")


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> Any:
    """A value pickled by :func:`dumps`, refusing every class not allowed (see
    :class:`_Unpickler`)."""
    return _Unpickler(data).load()


def on_stderr(message: str) -> None:
    """A command's note about its cache: one line on standard error."""
    print(f"note: {message}", file=sys.stderr)


class CacheError(Exception):
    """A table cannot be trusted: it is discarded."""


class _Foreign(CacheError):
    """A table made by another version of the tools."""


MISSING: Any = object()
"""What :meth:`Table.get` returns for a key it does not hold."""


BUCKETS = 64
"""A table's entries are kept in this many files, by their key's first byte: a run that changes
one entry writes one file again, and a run that reads them all reads a few dozen files, not
thousands."""


class Table:
    """One table: values by key, in :data:`BUCKETS` buckets by the key's first byte, each
    bucket a file of its own. A bucket is read and unpickled when one of its keys is first
    asked for, its values kept (the same objects) for the life of the cache; at
    :meth:`Cache.save` only the buckets that changed are written again."""

    def __init__(self, cache: Cache, name: str, sweep: bool) -> None:
        self.cache = cache
        self.name = name
        self.sweep = sweep
        self._present: set[int] | None = None
        """The bucket files on disk (listed at first use)."""
        self._buckets: dict[int, dict[bytes, Any]] = {}
        self._dirty: set[int] = set()
        self._used: set[bytes] = set()
        self.hits = self.misses = 0

    @property
    def folder(self) -> Path | None:
        return self.cache.folder / self.name if self.cache.folder else None

    def file(self, number: int) -> Path:
        assert self.folder is not None
        return self.folder / f"{number:02d}.pack"

    def _bucket(self, number: int) -> dict[bytes, Any]:
        bucket = self._buckets.get(number)
        if bucket is None:
            if self._present is None:
                self._present = self.cache._listed(self)
            bucket = {}
            if number in self._present:
                bucket = self.cache._read(self, number)
            self._buckets[number] = bucket
        return bucket

    def get(self, key: bytes) -> Any:
        """The value kept under ``key``, or :data:`MISSING`."""
        value = self._bucket(key[0] % BUCKETS).get(key, MISSING)
        if value is MISSING:
            self.misses += 1
        else:
            self._used.add(key)
            self.hits += 1
        return value

    def put(self, key: bytes, value: Any) -> None:
        """Keep ``value`` under ``key`` (it must not be changed afterwards: it is pickled when
        the table is saved)."""
        number = key[0] % BUCKETS
        self._bucket(number)[key] = value
        self._used.add(key)
        self._dirty.add(number)

    def _end_run(self) -> None:
        """Forget what this run did not use (when sweeping), ready for the next run. A table
        this run did not look at is left as it is."""
        if self.sweep and self._used:
            for number in self._present or ():
                if number not in self._buckets:  # no key of this run fell in it: none used
                    self._buckets[number] = {}
                    self._dirty.add(number)
            for number, bucket in self._buckets.items():
                unused = [k for k in bucket if k not in self._used]
                for k in unused:
                    del bucket[k]
                if unused:
                    self._dirty.add(number)
        self._used = set()

    @property
    def changed(self) -> bool:
        return bool(self._dirty)


class Cache:
    """The tables of one knowledge base, or none at all (``folder`` None: ``--no-cache``)."""

    def __init__(self, folder: Path | None, fingerprint: str | None = None,
                 note: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.fingerprint = fingerprint or (code_fingerprint() if folder else "")
        self._note = note or log.info
        self._tables: dict[str, Table] = {}
        self._noted: set[str] = set()

    @classmethod
    def at(cls, root: Path | str, enabled: bool = True,
           note: Callable[[str], None] | None = None) -> Cache:
        """The cache of the knowledge base at ``root`` (:data:`FOLDER`), or a disabled one."""
        return cls(Path(root) / FOLDER if enabled else None, note=note)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def table(self, name: str, sweep: bool = True) -> Table:
        found = self._tables.get(name)
        if found is None:
            found = self._tables[name] = Table(self, name, sweep)
        return found

    def note(self, message: str) -> None:
        """One line about the cache, once per message and run."""
        if message not in self._noted:
            self._noted.add(message)
            self._note(message)

    def _listed(self, table: Table) -> set[int]:
        folder = table.folder
        if folder is None:
            return set()
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            return set()
        except OSError as exc:
            self.note(f"{self._shown(folder)}: cannot be read ({exc.strerror}); computing afresh")
            return set()
        return {int(n[:-5]) for n in names
                if n.endswith(".pack") and n[:-5].isdigit() and int(n[:-5]) < BUCKETS}

    def _read(self, table: Table, number: int) -> dict[bytes, Any]:
        """One bucket of a table, or nothing (noted) when it cannot be trusted; a discarded
        bucket is written again, or removed, at the next save."""
        path = table.file(number)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.note(f"{self._shown(path)}: cannot be read ({exc.strerror}); computing afresh")
            table._dirty.add(number)
            return {}
        try:
            return self._parse(data, table.name, number)
        except _Foreign:  # one note for the whole cache: every table is another version's
            self.note(f"{self._shown(self.folder)}: made by another version of the tools; "
                      "discarded, computing afresh")
        except CacheError as exc:
            self.note(f"{self._shown(path)}: discarded, {exc}; computing afresh")
        table._dirty.add(number)
        return {}

    def _shown(self, path: Path | None) -> str:
        assert path is not None
        try:
            return os.path.relpath(path)
        except ValueError:  # another drive
            return str(path)

    def _parse(self, data: bytes, name: str, number: int) -> dict[bytes, Any]:
        if not data.startswith(MAGIC):
            raise CacheError("not a cache file")
        try:
            end = data.index(b"\n", len(MAGIC))
            header = json.loads(data[len(MAGIC):end])
        except (ValueError, UnicodeDecodeError):
            raise CacheError("its header is damaged") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT \
                or header.get("table") != name or header.get("bucket") != number:
            raise CacheError("it was written in another format")
        if header.get("tools") != self.fingerprint:
            raise _Foreign("it was made by another version of the tools")
        payload = data[end + 1 + DIGEST_SIZE:]
        if file_digest(payload) != data[end + 1:end + 1 + DIGEST_SIZE]:
            raise CacheError("its checksum does not match (a damaged or truncated file)")
        try:
            bucket = loads(payload)
        except Exception as exc:
            raise CacheError(f"a value cannot be read ({exc})") from None
        if not isinstance(bucket, dict) or not all(isinstance(k, bytes) for k in bucket):
            raise CacheError("it does not hold a table")
        return bucket

    def save(self) -> None:
        """End a run: write every bucket this run changed (or whose unused entries it drops),
        each to a temporary file then renamed over the old one, remove the emptied ones, and
        forget what the run did not use. A bucket that cannot be written is noted, and the run
        goes on: a cache is never a reason to fail."""
        for table in self._tables.values():
            table._end_run()
            if self.folder is not None:
                for number in sorted(table._dirty):
                    bucket = table._buckets.get(number, {})
                    if bucket:
                        self._write(table, number, dumps(bucket))
                    else:
                        with contextlib.suppress(OSError):
                            os.unlink(table.file(number))
                table._present = {n for n, b in table._buckets.items() if b} | (
                    (table._present or set()) - set(table._buckets))
            table._dirty.clear()

    def _write(self, table: Table, number: int, payload: bytes) -> bool:
        assert table.folder is not None
        path = table.file(number)
        header = json.dumps({"format": FORMAT, "table": table.name, "bucket": number,
                             "tools": self.fingerprint}, sort_keys=True).encode()
        try:
            table.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{number:02d}.", suffix=".tmp",
                                       dir=table.folder)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(MAGIC + header + b"\n" + file_digest(payload))
                    f.write(payload)
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            self.note(f"{self._shown(path)}: not written ({exc.strerror or exc}); the next run "
                      "computes it again")
            return False
        return True

    def stats(self) -> dict[str, tuple[int, int]]:
        """Hits and misses by table, for the build log."""
        return {name: (t.hits, t.misses) for name, t in sorted(self._tables.items())}

