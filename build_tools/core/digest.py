"""Hashes of content: the keys of the persistent cache (:mod:`build_tools.core.cache`).

:func:`digest` hashes values by what they hold, the same in every process (Python's own
``hash`` of a string changes with each interpreter); :func:`file_digest` hashes a file's bytes;
:func:`code_fingerprint` names the version of the tools that made a cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import sys
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT = 1
"""The cache's layout (:mod:`build_tools.core.cache`): part of :func:`code_fingerprint`."""

DIGEST_SIZE = 16

LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "bibtexparser", "pylatexenc",
             "walking-lbp-evidence")
"""The distributions whose code shapes what is cached: their versions are part of
:func:`code_fingerprint`."""


def digest(*parts: Any) -> bytes:
    """A 16-byte BLAKE2b hash of ``parts``, the same in every process for the same values.

    Each value is written with its type: ``None``, booleans, numbers, strings, bytes, lists and
    tuples (in order), dicts (in insertion order, as they are rendered), sets (sorted),
    dataclasses (their class and the fields that take part in comparison: caches declared with
    ``compare=False`` are left out), dates, enums and paths. Anything else is a TypeError:
    an object whose identity or ``repr`` would stand for its content would make a key that
    is never found again, or one that is found when it should not be.
    """
    out: list[bytes] = []
    _feed(out, parts)
    return hashlib.blake2b(b"".join(out), digest_size=DIGEST_SIZE).digest()


def digest_parts(*parts: bytes | str | None) -> bytes:
    """:func:`digest` for the common case of a few strings, byte strings and Nones, in one
    hash call: each written with its length, so no two sequences give the same input."""
    out = []
    for p in parts:
        if p is None:
            out.append(b"N")
        else:
            data = p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p
            out.append(b"%d:" % len(data))
            out.append(data)
    return hashlib.blake2b(b"".join(out), digest_size=DIGEST_SIZE).digest()


def file_digest(data: bytes) -> bytes:
    """The hash of a file's bytes."""
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


def _str(out: list[bytes], value: str) -> None:
    data = value.encode("utf-8", "surrogatepass")
    out.append(b"s%d:" % len(data))
    out.append(data)


def _bytes(out: list[bytes], value: bytes) -> None:
    out.append(b"b%d:" % len(value))
    out.append(value)


def _sequence(out: list[bytes], value: list[Any] | tuple[Any, ...]) -> None:
    append = out.append
    append(b"(%d:" % len(value))
    for item in value:
        kind = type(item)
        if kind is bytes:  # the common items (fingerprints, names) written here, not called
            append(b"b%d:" % len(item))
            append(item)
        elif kind is str:
            data = item.encode("utf-8", "surrogatepass")
            append(b"s%d:" % len(data))
            append(data)
        elif item is None:
            append(b"N")
        else:
            feed = _EXACT.get(kind)
            if feed is None:
                _feed(out, item)
            else:
                feed(out, item)
    append(b")")


def _dict(out: list[bytes], value: dict[Any, Any]) -> None:
    out.append(b"{%d:" % len(value))
    for k, item in value.items():
        _feed(out, k)
        _feed(out, item)
    out.append(b"}")


_FIELDS: dict[type, tuple[bytes, tuple[tuple[bytes, str], ...]]] = {}
"""Of each dataclass: its header, and each field that takes part in comparison (its name
written as :func:`_str` writes it, and the name)."""


def _dataclass(out: list[bytes], value: Any) -> None:
    kind = type(value)
    found = _FIELDS.get(kind)
    if found is None:
        names = []
        for f in dataclasses.fields(value):
            if f.compare:
                written: list[bytes] = []
                _str(written, f.name)
                names.append((b"".join(written), f.name))
        found = _FIELDS[kind] = (
            b"D" + f"{kind.__module__}.{kind.__qualname__}".encode() + b":", tuple(names))
    header, fields = found
    out.append(header)
    for written_name, name in fields:
        out.append(written_name)
        _feed(out, getattr(value, name))
    out.append(b";")


_EXACT: dict[type, Callable[[list[bytes], Any], None]] = {
    str: _str, bytes: _bytes, list: _sequence, tuple: _sequence, dict: _dict,
    type(None): lambda out, _: out.append(b"N"),
    bool: lambda out, value: out.append(b"T" if value else b"F"),
    int: lambda out, value: out.append(b"i%d;" % value),
    float: lambda out, value: out.append(b"f" + repr(value).encode() + b";"),
}
"""The writer of each plain type, looked up by exact type (the common case, and the fast one)."""


def _feed(out: list[bytes], value: Any) -> None:
    feed = _EXACT.get(type(value))
    if feed is not None:
        feed(out, value)
    elif isinstance(value, enum.Enum):  # before str and int: an enum may be either
        out.append(b"e" + type(value).__qualname__.encode() + b":")
        _feed(out, value.value)
    elif isinstance(value, str):
        _str(out, value)
    elif isinstance(value, (bytes, bytearray, memoryview)):
        _bytes(out, bytes(value))
    elif isinstance(value, bool):
        out.append(b"T" if value else b"F")
    elif isinstance(value, int):
        out.append(b"i%d;" % value)
    elif isinstance(value, float):
        out.append(b"f" + repr(value).encode() + b";")
    elif isinstance(value, (tuple, list)):
        _sequence(out, value)
    elif isinstance(value, dict):
        _dict(out, value)
    elif isinstance(value, (set, frozenset)):
        encoded = []
        for item in value:
            parts: list[bytes] = []
            _feed(parts, item)
            encoded.append(b"".join(parts))
        out.append(b"<%d:" % len(encoded))
        out.extend(sorted(encoded))
        out.append(b">")
    elif isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        out.append(b"d" + type(value).__name__.encode() + b":")
        _str(out, str(value))
    elif isinstance(value, Path):
        out.append(b"p")
        _str(out, value.as_posix())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        _EXACT[type(value)] = _dataclass  # its fields, worked out once, found by type after
        _dataclass(out, value)
    else:
        raise TypeError(f"digest: cannot hash a {type(value).__qualname__} by its content")


def code_fingerprint(package: Path | None = None,
                     libraries: Iterable[str] = LIBRARIES) -> str:
    """What the tools are: every ``.py`` file of the package (name and bytes), the cache
    format, Python's version and the versions of :data:`LIBRARIES`. A cache made by anything
    else is foreign. The templates are not in it: each page's key holds the digests of the
    templates it is rendered with, so a template edit re-renders only those pages."""
    package = package or Path(__file__).resolve().parent.parent
    h = hashlib.blake2b(digest_size=DIGEST_SIZE)
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
