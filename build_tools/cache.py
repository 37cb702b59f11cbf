"""The persistent cache under ``<root>/.kb-cache/build/``, keyed on content hashes.

What a run computed from its inputs (a file's records and problems, a claim's cross-file
problems, a page's rendered parts) is kept for the next run under a key made from those inputs'
contents (:func:`digest`), never from modification times: a checkout, a copy or a save within
the same clock tick cannot serve a stale value, and a file changed back is found again.

The cache holds *tables*, one file each (``records.pack``, ``stages.pack``, ...). A table is
read whole at its first use and written whole, at :meth:`Cache.save`, only when the run changed
it: to a temporary file beside it, then renamed over it, so a reader sees the old table or the
new one and never half of one, and two runs at once cannot corrupt it (the last one's table
wins; what the other added is computed again next time). A table keeps only the entries the run
that writes it used (``sweep``), so it holds what the current inputs need and does not grow.

Nothing in it is trusted: a file that is not a table of this format, of this version of the
tools (:func:`code_fingerprint`), whose checksum does not match, or whose values name any class
outside this package and a few plain types, is discarded with a one-line note and the run
computes afresh. The values are pickles, read with :class:`_Unpickler`, which refuses every
other class.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import hashlib
import io
import json
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1
"""The tables' layout; a table of another format is foreign."""

FOLDER = Path(".kb-cache") / "build"
"""Where the tables live, under the knowledge base's root (``.kb-cache/`` is ignored by git)."""

MAGIC = b"KBCACHE\n"
_DIGEST_SIZE = 16

LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "bibtexparser", "pylatexenc",
             "walking-lbp-evidence")
"""The distributions whose code shapes what is cached: their versions are part of
:func:`code_fingerprint`."""


# --- digests ------------------------------------------------------------------------------


def digest(*parts: Any) -> bytes:
    """A 16-byte BLAKE2b hash of ``parts``, the same in every process for the same values.

    Each value is written with its type: ``None``, booleans, numbers, strings, bytes, lists and
    tuples (in order), dicts (in insertion order, as they are rendered), sets (sorted),
    dataclasses (their class and the fields that take part in comparison: caches declared with
    ``compare=False`` are left out), dates, enums and paths. Anything else is a TypeError:
    an object whose identity or ``repr`` would stand for its content would make a key that
    is never found again, or one that is found when it should not be.
    """
    h = hashlib.blake2b(digest_size=_DIGEST_SIZE)
    _feed(h.update, parts)
    return h.digest()


def file_digest(data: bytes) -> bytes:
    """The hash of a file's bytes."""
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()


def _feed(out: Callable[[bytes], object], value: Any) -> None:
    if value is None:
        out(b"N")
    elif value is True or value is False:
        out(b"T" if value else b"F")
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        out(b"s%d:" % len(data))
        out(data)
    elif isinstance(value, (bytes, bytearray, memoryview)):
        out(b"b%d:" % len(value))
        out(bytes(value))
    elif isinstance(value, enum.Enum):
        out(b"e" + type(value).__qualname__.encode() + b":")
        _feed(out, value.value)
    elif isinstance(value, int):
        out(b"i%d;" % value)
    elif isinstance(value, float):
        out(b"f" + repr(value).encode() + b";")
    elif isinstance(value, (tuple, list)):
        out(b"(%d:" % len(value))
        for item in value:
            _feed(out, item)
        out(b")")
    elif isinstance(value, dict):
        out(b"{%d:" % len(value))
        for k, item in value.items():
            _feed(out, k)
            _feed(out, item)
        out(b"}")
    elif isinstance(value, (set, frozenset)):
        encoded = []
        for item in value:
            parts: list[bytes] = []
            _feed(parts.append, item)
            encoded.append(b"".join(parts))
        out(b"<%d:" % len(encoded))
        for item in sorted(encoded):
            out(item)
        out(b">")
    elif isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        out(b"d" + type(value).__name__.encode() + b":")
        _feed(out, str(value))
    elif isinstance(value, Path):
        out(b"p")
        _feed(out, value.as_posix())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out(b"D" + f"{type(value).__module__}.{type(value).__qualname__}".encode() + b":")
        for f in dataclasses.fields(value):
            if f.compare:
                _feed(out, f.name)
                _feed(out, getattr(value, f.name))
        out(b";")
    else:
        raise TypeError(f"digest: cannot hash a {type(value).__qualname__} by its content")


def code_fingerprint(package: Path | None = None,
                     libraries: Iterable[str] = LIBRARIES) -> str:
    """What the tools are: every ``.py`` file of the package (name and bytes), the cache
    format, Python's version and the versions of :data:`LIBRARIES`. A cache made by anything
    else is foreign. The templates are not in it: each page's key holds the digests of the
    templates it is rendered with, so a template edit re-renders only those pages."""
    package = package or Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=_DIGEST_SIZE)
    h.update(b"format %d\npython %s\n" % (FORMAT, sys.version.encode()))
    for name in libraries:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name} {version}\n".encode())
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if "__pycache__" in rel:
            continue
        data = path.read_bytes()
        h.update(f"{rel} {len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


# --- tables -------------------------------------------------------------------------------


_ALLOWED_MODULES = {"datetime", "collections", "copyreg", "markupsafe", "pathlib", "decimal"}
_ALLOWED_BUILTINS = {"set", "frozenset", "list", "dict", "tuple", "bytes", "bytearray", "str",
                     "int", "float", "bool", "complex", "range", "slice", "object"}


class _Unpickler(pickle.Unpickler):
    """Reads a cached value, refusing any class that is not this package's or a plain type."""

    def __init__(self, data: bytes, resolve: Callable[[Any], Any] | None) -> None:
        super().__init__(io.BytesIO(data))
        self._resolve = resolve

    def find_class(self, module: str, name: str) -> Any:
        top = module.partition(".")[0]
        if top == "build_tools" or module in _ALLOWED_MODULES or \
                (module == "builtins" and name in _ALLOWED_BUILTINS):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused class {module}.{name}")

    def persistent_load(self, pid: Any) -> Any:
        if self._resolve is None:
            raise pickle.UnpicklingError("a reference to a record with nothing to resolve it")
        return self._resolve(pid)


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, refer: Callable[[Any], Any] | None) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._refer = refer

    def persistent_id(self, obj: Any) -> Any:
        return self._refer(obj) if self._refer is not None else None


def dumps(value: Any, refer: Callable[[Any], Any] | None = None) -> bytes:
    """``value`` pickled; ``refer(obj)`` may name an object that is not to be copied (a record
    the next run loads anyway) by an id that :func:`loads` gives back to ``resolve``."""
    buf = io.BytesIO()
    _Pickler(buf, refer).dump(value)
    return buf.getvalue()


def loads(data: bytes, resolve: Callable[[Any], Any] | None = None) -> Any:
    return _Unpickler(data, resolve).load()


class CacheError(Exception):
    """A table cannot be trusted: it is discarded."""


MISSING: Any = object()
"""What :meth:`Table.get` returns for a key it does not hold."""


class Table:
    """One table: values by key, read from its file at first use."""

    def __init__(self, cache: Cache, name: str, sweep: bool) -> None:
        self.cache = cache
        self.name = name
        self.sweep = sweep
        self._entries: dict[bytes, bytes] | None = None
        self._used: set[bytes] = set()
        self.changed = False
        self.hits = self.misses = 0

    @property
    def path(self) -> Path | None:
        return self.cache.folder / f"{self.name}.pack" if self.cache.folder else None

    def _load(self) -> dict[bytes, bytes]:
        if self._entries is None:
            self._entries = self.cache._read(self) if self.path else {}
        return self._entries

    def get(self, key: bytes, resolve: Callable[[Any], Any] | None = None) -> Any:
        """The value kept under ``key``, or :data:`MISSING`."""
        data = self._load().get(key)
        if data is None:
            self.misses += 1
            return MISSING
        try:
            value = loads(data, resolve)
        except Exception as exc:  # a value that cannot be read: the whole table is suspect
            self.cache._discard(self, f"a value cannot be read ({exc})")
            self.misses += 1
            return MISSING
        self._used.add(key)
        self.hits += 1
        return value

    def put(self, key: bytes, value: Any, refer: Callable[[Any], Any] | None = None) -> None:
        entries = self._load()
        data = dumps(value, refer)
        self._used.add(key)
        if entries.get(key) != data:
            entries[key] = data
            self.changed = True

    def keep(self, key: bytes) -> bool:
        """Mark ``key`` as used (kept at the next save) without reading it; whether it is
        held."""
        held = key in self._load()
        if held:
            self._used.add(key)
        return held

    def _payload(self) -> dict[bytes, bytes]:
        entries = self._load()
        if self.sweep:
            return {k: v for k, v in entries.items() if k in self._used}
        return entries

    def dropped(self) -> int:
        """How many entries the next save leaves out (held, not used this run)."""
        return len(self._load()) - len(self._payload())


class Cache:
    """The tables of one knowledge base, or none at all (``folder`` None: ``--no-cache``)."""

    def __init__(self, folder: Path | None, fingerprint: str | None = None,
                 note: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.fingerprint = fingerprint or (code_fingerprint() if folder else "")
        self._note = note or log.warning
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

    def _shown(self, table: Table) -> str:
        assert table.path is not None
        try:
            return os.path.relpath(table.path)
        except ValueError:  # another drive
            return str(table.path)

    def _discard(self, table: Table, why: str) -> None:
        self.note(f"{self._shown(table)}: discarded, {why}; computing afresh")
        table._entries = {}
        table._used.clear()
        table.changed = True

    def _read(self, table: Table) -> dict[bytes, bytes]:
        path = table.path
        assert path is not None
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.note(f"{self._shown(table)}: cannot be read ({exc.strerror}); computing afresh")
            table.changed = True
            return {}
        try:
            return self._parse(data, table.name)
        except CacheError as exc:
            self.note(f"{self._shown(table)}: discarded, {exc}; computing afresh")
            table.changed = True
            return {}

    def _parse(self, data: bytes, name: str) -> dict[bytes, bytes]:
        if not data.startswith(MAGIC):
            raise CacheError("not a cache file")
        try:
            end = data.index(b"\n", len(MAGIC))
            header = json.loads(data[len(MAGIC):end])
        except (ValueError, UnicodeDecodeError):
            raise CacheError("its header is damaged") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT \
                or header.get("table") != name:
            raise CacheError("it was written in another format")
        if header.get("tools") != self.fingerprint:
            raise CacheError("it was made by another version of the tools")
        payload = data[end + 1 + _DIGEST_SIZE:]
        if file_digest(payload) != data[end + 1:end + 1 + _DIGEST_SIZE]:
            raise CacheError("its checksum does not match (a damaged or truncated file)")
        try:
            entries = loads(payload)
        except Exception as exc:
            raise CacheError(f"it cannot be read ({exc})") from None
        if not isinstance(entries, dict) or not all(
                isinstance(k, bytes) and isinstance(v, bytes) for k, v in entries.items()):
            raise CacheError("it does not hold a table")
        return entries

    def save(self) -> None:
        """Write every table this run changed (or whose unused entries it drops): each to a
        temporary file, then renamed over the old one. A table that cannot be written is
        noted, and the run goes on: a cache is never a reason to fail."""
        if self.folder is None:
            return
        for table in self._tables.values():
            if table._entries is None or not (table.changed or (table.sweep and table.dropped())):
                continue
            payload = pickle.dumps(table._payload(), pickle.HIGHEST_PROTOCOL)
            header = json.dumps({"format": FORMAT, "table": table.name,
                                 "tools": self.fingerprint}, sort_keys=True).encode()
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{table.name}.", suffix=".tmp",
                                           dir=self.folder)
                try:
                    with os.fdopen(fd, "wb") as f:
                        f.write(MAGIC + header + b"\n" + file_digest(payload))
                        f.write(payload)
                    assert table.path is not None
                    os.replace(tmp, table.path)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
                    raise
            except OSError as exc:
                self.note(f"{self._shown(table)}: not written ({exc.strerror or exc}); the next "
                          "run computes it again")
                continue
            table.changed = False

    def stats(self) -> dict[str, tuple[int, int]]:
        """Hits and misses by table, for the build log."""
        return {name: (t.hits, t.misses) for name, t in sorted(self._tables.items())}

