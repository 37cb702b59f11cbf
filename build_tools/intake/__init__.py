"""Editor intake: from an article's address and a study's DOI or PMID to checked records.

:mod:`~.article` captures a web article with trafilatura (fetched with
:mod:`build_tools.core.net`); :mod:`~.verifier` compares entries with their records (one
handler per identifier type in :mod:`build_tools.identifiers`); :mod:`~.bibedit` writes entries
and the fields ``verify`` owns into ``sources/*.bib`` without touching anything else;
:mod:`~.entries` makes the fields of a new entry from a record or a capture;
:mod:`~.similar` ranks existing claims; :mod:`~.appearance` adds an appearance to a claim
file, inserting its lines and changing nothing else; :mod:`~.scaffold` writes a new claim
file's text; :mod:`~.files` writes every file of a command all at once, or none, under a lock.

The libraries these need (trafilatura, lxml, bm25s, PyStemmer) are the optional extra
``intake``: the site build never imports this package.
"""

from __future__ import annotations

from build_tools.core.problems import CannotRun, IntakeError

__all__ = ["MISSING_EXTRA", "CannotRun", "IntakeError", "require"]


MISSING_EXTRA = ("this command needs the editor's tools: pip install -e '.[intake]' (or "
                 "'.[test]', which includes them)")


def require(module: str) -> None:
    """Raise :class:`CannotRun` with the install command when ``module`` cannot be imported."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise CannotRun(f"{module} is not installed: {MISSING_EXTRA}")
