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
        self._prefixes: dict[tuple[str, str | None, str], bytes] = {}
        self._numbers: dict[tuple[type, int], bytes] = {}
        self._heads: dict[str | bytes, bytes] = {}
        self._sources: dict[str, bytes] = {}
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
            found = self._sources.get(value.key)
            if found is None:
                found = self._sources[value.key] = digest_parts(
                    value.key, self.prints.sources.get(value.key))
            return found
        if value is None or type(value) is str or type(value) is bytes:
            return value
        kind = type(value)
        if kind is int or kind is bool:  # a row's number: the same few for every page
            found = self._numbers.get((kind, value))
            if found is None:
                found = self._numbers[(kind, value)] = digest(value)
            return found
        return digest(value)  # a date, a tuple: by their type and value

    def key(self, *parts: Any) -> bytes:
        """The key of a piece made from ``parts`` (with the settings). The common piece, one
        record's row under a fixed prefix (:meth:`prefix`, or a name), is keyed by the
        record's fingerprint followed by the prefix's digest: no hash per row, and every
        piece of one claim falls in the same bucket of the table, so a one-claim edit rewrites
        few of them. Such a key is 32 bytes, every other one 16, so the two never meet."""
        if len(parts) == 2 and isinstance(parts[1], (Claim, Source)) and \
                type(parts[0]) in (str, bytes):
            head = self._heads.get(parts[0])
            if head is None:
                head = self._heads[parts[0]] = digest_parts(self.settings, parts[0])
            row = self.part(parts[1])
            assert isinstance(row, bytes)
            return row + head
        return digest_parts(self.settings, *[self.part(p) for p in parts])

    def prefix(self, where: str, template: str | None, here: str) -> bytes:
        """What every piece of one ``{% cache %}`` tag on one page has in its key: the tag's
        place, its template's text, the page and the settings (worked out once per page)."""
        found = self._prefixes.get((where, template, here))
        if found is None:
            found = self._prefixes[(where, template, here)] = self.key(
                "piece", where, self.template_digest(template or ""), here)
        return found

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
        key = fragments.key(fragments.prefix(where, template, here), *args)
        made: str = fragments.make(key, caller)
        return made
