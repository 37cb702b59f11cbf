"""``search-index SITE``: the site's search index (Pagefind's), written into a built site.

Run it after a builder that does not run the ``evidence`` plugin (Zensical; MkDocs or ProperDocs
with ``mkdocs.rendered.yml``); the plugin does the same at the end of its own builds.
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_tools.commands.check import EXIT_CANNOT_RUN, EXIT_CLEAN
from build_tools.core.problems import CannotRun
from build_tools.search_index import build_index


def run(site: Path) -> int:
    """Index ``site``; exit 0 when written, 2 when it cannot be (the old index is kept)."""
    try:
        summary = build_index(site)
    except CannotRun as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    print(summary.line(site), file=sys.stderr)
    return EXIT_CLEAN
