"""The dependency map of the site: every generated page and data file, and what it is made from.

Each output is declared once, where it is produced (``Site.outputs`` in
:mod:`build_tools.render.site`), as an :class:`Output`: its path, the function that renders it,
the template it is rendered with, and a function that returns its *inputs*, the values it is
made from, written small: the fingerprints of the records it shows
(:class:`~build_tools.model.knowledge_base.Fingerprints`; a claim's covers its file and flags, a
source's its fields), and the few other values it shows (a count, a date, the history of a
claim). Its key (:func:`output_key`) is a hash of those inputs, of the text of its template and
of every template that one uses (``_macros.j2`` always), and of the site's settings. An output
is rendered again when, and only when, its key differs from the one it had when its text was
last made (:func:`render_outputs`); everything else about the tools is in the cache's
fingerprint (:func:`build_tools.core.digest.code_fingerprint`).

A page type that reads something it does not declare would be left stale by an incremental
build: ``tests/test_incremental_builds.py`` applies random edits and compares each incremental
build with a clean one, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import meta

from build_tools.core.cache import MISSING, Table
from build_tools.core.digest import digest, digest_parts

MACROS = "_macros.j2"
"""The macros every template may call (the global ``m``)."""


@dataclass(frozen=True)
class Output:
    """One generated page or data file."""

    path: str
    """Under the docs folder: ``claims/x.md``, ``data/claims.json``."""
    make: Callable[[], str]
    inputs: Callable[[], Any]
    """What it is made from, as values :func:`~build_tools.core.digest.digest` takes."""
    template: str | None = None
    """The template it is rendered with; None for a data file made in Python."""


class Templates:
    """The digest of each template with everything it uses, read once per build."""

    def __init__(self, env: jinja2.Environment, table: Table | None = None) -> None:
        self.env = env
        self.table = table
        """Where the templates each template names are kept between runs, by its text
        (finding them means parsing it)."""
        self._source: dict[str, str] = {}
        self._digests: dict[str, bytes] = {}

    def source(self, name: str) -> str:
        found = self._source.get(name)
        if found is None:
            assert self.env.loader is not None
            found = self._source[name] = self.env.loader.get_source(self.env, name)[0]
        return found

    def uses(self, name: str) -> list[str]:
        """``name``, the macros, and every template it includes, imports or extends, at any
        depth, in a fixed order."""
        seen = list(dict.fromkeys([name, MACROS]))
        todo = list(seen)
        while todo:
            for used in self._named(todo.pop()):
                if used not in seen:
                    seen.append(used)
                    todo.append(used)
        return seen

    def _named(self, name: str) -> list[str]:
        """The templates ``name`` includes, imports or extends (not those they name)."""
        source = self.source(name)
        key = digest_parts("templates named", name, source)
        found = self.table.get(key) if self.table is not None else MISSING
        if found is MISSING:
            found = sorted((used for used in meta.find_referenced_templates(
                self.env.parse(source)) if used is not None), key=str)
            if self.table is not None:
                self.table.put(key, found)
        return list(found)

    def digest(self, name: str) -> bytes:
        found = self._digests.get(name)
        if found is None:
            found = self._digests[name] = digest(
                [(used, self.source(used)) for used in self.uses(name)] if name else [])
        return found


def output_key(output: Output, templates: Templates, settings: bytes) -> bytes:
    return digest(output.path, templates.digest(output.template or ""), settings,
                  output.inputs())


@dataclass
class Rendered:
    """One build's outputs: every key, and the texts rendered for it."""

    keys: dict[str, bytes]
    texts: dict[str, str]
    """The outputs rendered in this build (those whose key changed, or all)."""
    outputs: dict[str, Output] = field(default_factory=dict)

    def text(self, path: str) -> str:
        """An output's text, rendered now if this build did not render it."""
        found = self.texts.get(path)
        if found is None:
            found = self.texts[path] = self.outputs[path].make()
        return found


def changed(outputs: list[Output], keys: Mapping[str, bytes],
            known: Mapping[str, bytes]) -> list[Output]:
    """The outputs whose key is not the one ``known`` records for their path."""
    return [o for o in outputs if known.get(o.path) != keys[o.path]]
