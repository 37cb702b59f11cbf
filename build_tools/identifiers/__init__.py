"""One handler per identifier type (after manubot's ``cite`` handlers): each knows its pattern,
its normal form, its record fetch and its BibTeX field (:class:`~.base.Identifier`).

``add source``, ``verify``, the library index of ``sources/``, the checker and the reference
links all go through :data:`HANDLERS`; a new identifier type is a new module here and one line
in the table.
"""

from __future__ import annotations

from build_tools.identifiers.base import Identifier
from build_tools.identifiers.doi import DOI
from build_tools.identifiers.pmcid import PMCID
from build_tools.identifiers.pmid import PMID
from build_tools.identifiers.record import Author, Record

__all__ = ["HANDLERS", "Author", "Identifier", "Record", "handler"]

HANDLERS: dict[str, Identifier] = {h.field: h for h in (DOI(), PMID(), PMCID())}
"""The identifier types, by BibTeX field, in the order they are tried."""


def handler(field: str) -> Identifier:
    """The handler of the identifier held in BibTeX field ``field``."""
    return HANDLERS[field]
