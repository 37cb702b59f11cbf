"""Editor intake: from an article's address and a study's DOI or PMID to checked records.

:mod:`~build_tools.intake.net` fetches (base addresses from the environment, a User-Agent with a
contact address, time-outs, one clear error without a network); :mod:`~.article` captures a web
article with trafilatura; :mod:`~.records` turns Crossref and PubMed records into BibTeX entries
and compares them with existing ones; :mod:`~.bibedit` writes entries and the fields ``verify``
owns into ``sources/*.bib`` without touching anything else; :mod:`~.similar` ranks existing
claims; :mod:`~.appearance` adds an appearance to a claim file, keeping its comments and
layout; :mod:`~.files` writes every file of a command all at once, or none.

The libraries these need (trafilatura, rapidfuzz, ruamel.yaml) are the optional extra
``intake``: the site build never imports this package.
"""

from __future__ import annotations

from build_tools.knowledge_base import CannotRun

__all__ = ["MISSING_EXTRA", "CannotRun", "IntakeError", "require"]

# CannotRun: a command cannot run at all (exit 2): the knowledge base cannot be loaded, or here
# without a network or the editor's libraries. One class with the knowledge base's, so a command
# that loads it and fetches catches one exception.


class IntakeError(Exception):
    """A command cannot do what was asked: the message says why (exit 1)."""


MISSING_EXTRA = ("this command needs the editor's tools: pip install -e '.[intake]' (or "
                 "'.[test]', which includes them)")


def require(module: str) -> None:
    """Raise :class:`CannotRun` with the install command when ``module`` cannot be imported."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise CannotRun(f"{module} is not installed: {MISSING_EXTRA}")
