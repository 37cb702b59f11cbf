"""What the last MkDocs build wrote into a site folder, and what a dirty build must rebuild.

MkDocs' ``--dirty`` skips every page whose ``File.is_modified()`` is false, and its own rule
(the output older than the source) is not enough for a site whose pages are generated, whose
navigation and links depend on which pages exist (docs/decisions/0011-incremental-builds.md).
The plugin records, per site folder, what a build wrote (:class:`SiteRecord`), and before the
next dirty build decides with :func:`plan` which pages it rebuilds, or that it must rebuild
everything, so that the folder ends byte for byte as a clean build would leave it (the search
index, made after the build over the whole folder, included).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from build_tools.core.digest import digest, file_digest
from build_tools.render.disk import Stats, walk

VERSIONS = ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions",
            "jinja2", "markupsafe")
"""The distributions whose code shapes the HTML of every page."""

SEARCH = "material.plugins.search.plugin"
"""Material's search plugin: configured but turned off (the site's search is Pagefind's index,
which the ``evidence`` plugin writes over the whole site after every build), it keeps no state
across pages."""

Outputs = Stats
"""Each file of a site folder, by its path in it, with its size and modification time."""


@dataclass
class SiteRecord:
    """What one build left in a site folder."""

    skeleton: bytes
    """The hash of everything every page's HTML depends on besides its own text
    (:func:`skeleton`)."""
    sources: dict[str, bytes] = field(default_factory=dict)
    """Each page's and file's source, by its path in the docs: the hash of its text."""
    pages: set[str] = field(default_factory=set)
    """The documentation pages, by their path in the docs."""
    outputs: Outputs = field(default_factory=dict)
    warned: set[str] = field(default_factory=set)
    """The pages whose build logged a warning: rebuilt every time, so it is logged again."""
    keys: dict[str, bytes] = field(default_factory=dict)
    """Each generated page's and file's key (:mod:`build_tools.render.outputs`): while it is
    the same, so is its text, and it is not rendered again."""


def _plain(value: Any, depth: int = 0) -> Any:
    """A configuration value as plain data for :func:`digest`; an object it cannot see into
    becomes a value no other build has (the dirty build is then a full one)."""
    if depth > 12:
        return os.urandom(8)
    if value is None or isinstance(value, (str, int, float, bool, bytes)):
        return value
    if isinstance(value, Mapping):
        return [(str(k), _plain(v, depth + 1)) for k, v in value.items()]
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v, depth + 1) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    shown = repr(value)
    if " at 0x" not in shown:  # a repr that says what it holds (a gitignore spec, a pattern)
        return (type(value).__qualname__, shown)
    if hasattr(value, "__dict__") and not callable(value):
        return (type(value).__qualname__,
                [(k, _plain(v, depth + 1)) for k, v in sorted(vars(value).items())
                 if not k.startswith("_")])
    return os.urandom(8)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _theme_files(dirs: Iterable[str]) -> list[tuple[str, bytes]]:
    """The files of the theme folders that are not an installed package's (a ``custom_dir``):
    their versions do not say what they hold."""
    out = []
    for d in dirs:
        if "site-packages" in Path(d).parts or "dist-packages" in Path(d).parts:
            continue
        for top, _, names in sorted(os.walk(d)):
            for name in sorted(names):
                path = Path(top) / name
                out.append((path.as_posix(), file_digest(path.read_bytes())))
    return out


def unknown_plugins(plugins: Mapping[str, Any], ours: type) -> list[str]:
    """The configured plugins a dirty build cannot vouch for: all but this one and Material's
    search turned off (on, its index would hold only the pages a dirty build rebuilt)."""
    return [name for name, p in plugins.items()
            if not isinstance(p, ours) and not (type(p).__module__ == SEARCH
                                                and not p.config.get("enabled", True))]


def skeleton(config: Mapping[str, Any], code: str) -> bytes:
    """Everything a page's HTML depends on besides its own text: the configuration as MkDocs
    resolved it (but ``site_dir``, which a build moves), each plugin's options, the theme,
    the versions of the programs that make the HTML, this package's code, and
    ``SOURCE_DATE_EPOCH``."""
    settings = [(k, _plain(v)) for k, v in sorted(config.items())
                if k not in ("site_dir", "plugins", "theme", "config_file_path", "watch")]
    plugins = [(name, type(p).__module__, type(p).__qualname__, _plain(dict(p.config)))
               for name, p in config["plugins"].items()]
    theme = config["theme"]
    theme_part = (getattr(theme, "name", None), _plain(dict(theme)),
                  list(getattr(theme, "dirs", [])), _theme_files(getattr(theme, "dirs", [])),
                  sorted(getattr(theme, "static_templates", [])))
    return digest(settings, plugins, theme_part, [(n, _version(n)) for n in VERSIONS],
                  sys.version, code, os.environ.get("SOURCE_DATE_EPOCH"))


@dataclass
class Plan:
    """What a dirty build rebuilds."""

    exact: bool
    """False: everything is rebuilt, as a clean build would (``why`` says why)."""
    modified: set[str]
    """The sources (paths in the docs) whose pages and files are rebuilt."""
    why: str = ""
    before: Outputs = field(default_factory=dict)
    """What the site folder held before the build."""


def plan(record: SiteRecord | None, skeleton_now: bytes, sources: Mapping[str, bytes],
         pages: Iterable[str], generated: set[str], dests: Mapping[str, str],
         final: Path, unknown: list[str], anchors_warn: bool) -> Plan:
    """Which of ``sources`` (the hash of each page's and file's text, by its path in the docs)
    a dirty build rebuilds, given what the last build left in ``final`` (``record``).

    A page is rebuilt when its text changed, when its output is missing or not what that build
    wrote, when it logged a warning then, and, for a hand-written page, when the set of pages
    changed (its links to them render differently). Everything is rebuilt when there is no
    record, the skeleton changed, a plugin it cannot vouch for is configured, or anchor checks
    are warnings (a skipped page's anchors would go unchecked)."""
    everything = set(sources)
    present = walk(final) if final.is_dir() else {}
    why = ("no record of the last build of this folder" if record is None
           else "the configuration, the theme or the tools changed"
           if record.skeleton != skeleton_now
           else f"the plugins {', '.join(unknown)} may keep state across pages" if unknown
           else "anchor checks are warnings" if anchors_warn else "")
    if why:
        return Plan(False, everything, why, present)
    assert record is not None
    pages = set(pages)
    page_set_changed = pages != record.pages
    modified = set()
    for src, h in sources.items():
        dest = dests.get(src)
        out = record.outputs.get(dest) if dest else None
        if record.sources.get(src) != h or src in record.warned or dest is None \
                or out is None or present.get(dest) != out \
                or (page_set_changed and src in pages and src not in generated):
            modified.add(src)
    return Plan(True, modified, "", present)


def stale(now: Outputs, before: Outputs, expected: set[str]) -> list[str]:
    """The files of the site folder (``now``: what it holds after the build) that are no
    longer any page's or file's output and that this build did not write (their size and time
    are those the last build left): what a clean build would not have made."""
    return sorted(rel for rel, st in now.items()
                  if rel not in expected and before.get(rel) == st)


def rewalked(now: Outputs, final: Path, folder: str) -> Outputs:
    """``now`` with what is under ``folder`` (a path in the site) walked again: after one
    step wrote only there (the search index), instead of walking the whole site again."""
    prefix = folder.rstrip("/") + "/"
    kept = {rel: st for rel, st in now.items() if not rel.startswith(prefix)}
    kept.update((prefix + rel, st) for rel, st in walk(final / folder).items())
    return kept
