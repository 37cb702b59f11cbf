"""Rendered pieces kept between builds: a list of 10,000 claims re-renders one row for one edit.

A long page (the claims index, a scorecard, the review list) or data file (``claims.json``) is
made of one piece per record. :class:`Fragments` keeps each piece under a key made of what it
shows (:meth:`Fragments.key`): a claim stands for its file, its flags and the sources it names
(whose names and references a piece may show), a source for its fields. In a template, the
``{% cache ... %}`` tag marks such a piece, with the values it varies with::

    {% for c in claims %}
    {% cache c %}<tr>...{{ c.statement }}...</tr>{% endcache %}
    {% endfor %}

Its key also holds the template's name and text, the tag's line, the page it is on (``here``:
relative links differ from page to page) and the site's settings, so a piece is reused only
where it would be rendered the same. Whatever the body reads that is not one of those must be
among the tag's values; the property-based test of incremental builds
(``tests/test_incremental_builds.py``) renders every edit both ways and compares.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension

from build_tools.core.cache import MISSING, Table
from build_tools.core.digest import digest, digest_parts
from build_tools.model.claim import Claim
from build_tools.model.knowledge_base import Fingerprints
from build_tools.model.source import Source

TABLE = "fragments"
"""The cache table that keeps them between runs."""


class Fragments:
    """The pieces of one build: found in ``table`` (kept between runs) or in memory."""

    def __init__(self, table: Table | None, prints: Fingerprints, settings: bytes,
                 template_digest: Callable[[str], bytes]) -> None:
        self.table = table
        self.prints = prints
        self.settings = settings
        self.template_digest = template_digest
        self._memory: dict[bytes, Any] = {}
        self._claims: dict[int, bytes] = {}
        self._prefixes: dict[tuple[str, str], bytes] = {}
        self.new: dict[bytes, Any] = {}
        """The pieces made in this process since :meth:`take_new` (a forked renderer sends
        them back with its pages)."""

    def claim(self, claim: Claim) -> bytes:
        """A claim as any piece may show it: its file and flags, and every source it names."""
        found = self._claims.get(id(claim))
        if found is None:
            names = dict.fromkeys([a.source for a in claim.appearances]
                                  + [k for a in claim.appearances for k in a.cites]
                                  + [e.source for e in claim.evidence])
            sources = self.prints.sources
            found = self._claims[id(claim)] = digest_parts(
                self.prints.claims.get(claim.id), *claim.flags, b"%d" % len(names),
                *(x for k in names for x in (k, sources.get(k))))
        return found

    def part(self, value: Any) -> bytes | str | None:
        """A value of a piece's key as one of the few kinds :func:`digest_parts` takes."""
        if isinstance(value, Claim):
            return self.claim(value)
        if isinstance(value, Source):
            return digest_parts(value.key, self.prints.sources.get(value.key))
        if value is None or type(value) is str or type(value) is bytes:
            return value
        return digest(value)  # a number, a date: by their type and value

    def key(self, *parts: Any) -> bytes:
        return digest_parts(self.settings, *[self.part(p) for p in parts])

    def get(self, key: bytes) -> Any:
        found = self._memory.get(key, MISSING)
        if found is MISSING and self.table is not None:
            found = self.table.get(key)
            if found is not MISSING:
                self._memory[key] = found
        return found

    def put(self, key: bytes, value: Any) -> None:
        self._memory[key] = value
        self.new[key] = value
        if self.table is not None:
            self.table.put(key, value)

    def make(self, key: bytes, work: Callable[[], Any]) -> Any:
        """The piece under ``key``, made by ``work`` when it is not kept."""
        found = self.get(key)
        if found is MISSING:
            found = work()
            self.put(key, found)
        return found

    def take_new(self) -> dict[bytes, Any]:
        new, self.new = self.new, {}
        return new

    def merge(self, new: dict[bytes, Any]) -> None:
        """Keep the pieces another process made (see :attr:`new`)."""
        for key, value in new.items():
            if key not in self._memory:
                self.put(key, value)


class FragmentCache(Extension):
    """``{% cache value, ... %}...{% endcache %}``: the body rendered once for the same values
    (see the module's docstring), by the page's ``fragments``."""

    tags = {"cache"}  # noqa: RUF012 (Jinja's own declaration)

    def parse(self, parser: jinja2.parser.Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        args = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            args.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")
        call = self.call_method("_piece", [where, nodes.Const(parser.name),
                                           nodes.Name("here", "load"),
                                           nodes.Name("fragments", "load"), nodes.List(args)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _piece(self, where: str, template: str | None, here: str, fragments: Fragments | None,
               args: list[Any], caller: Callable[[], str]) -> str:
        if fragments is None:
            return caller()
        key = fragments.key("piece", where, fragments.template_digest(template or ""), here,
                            *args)
        made: str = fragments.make(key, caller)
        return made
