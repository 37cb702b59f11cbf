"""``render --out DIR``: the site's whole docs tree written to a folder, for any builder.

The same pages the ``evidence`` plugin hands MkDocs, byte for byte, with the docs folder's own
files beside them: MkDocs without the plugin, ProperDocs or Zensical build the site from it with
``mkdocs.rendered.yml``. A knowledge base with problems fails as ``check`` does and leaves the
folder as it was.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from build_tools.commands.check import EXIT_CANNOT_RUN, EXIT_CLEAN, EXIT_PROBLEMS, report
from build_tools.config import site_config
from build_tools.core.problems import CannotRun
from build_tools.knowledge_base import load
from build_tools.render.disk import TreeConflict, docs_tree, write_tree
from build_tools.render.history import read_history
from build_tools.render.site import render_site

log = logging.getLogger(__name__)

MARKER = "data/claims.json"
"""A file every rendered tree has: a non-empty folder without it was not written by render, and
is not replaced."""


def _refuse(out: Path, config: site_config.SiteConfig) -> str | None:
    """Why ``out`` must not be replaced by a rendered tree, or None."""
    target = out.resolve()
    for what, path in (("the site's configuration", config.config_file.parent),
                       ("the docs folder", config.docs_dir),
                       ("the knowledge base", config.root)):
        if target == path or target in path.parents:
            return f"it holds {what} ({os.path.relpath(path)})"
    if config.docs_dir in target.parents:
        return f"it is inside the docs folder ({os.path.relpath(config.docs_dir)})"
    if target.is_file():
        return "it is a file"
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        return (f"it is not empty and has no {MARKER}, so render did not write it (expected a "
                "new folder, an empty one or one that render wrote before)")
    return None


def run(out: Path, config_file: Path = Path("mkdocs.yml"), strict: bool = False,
        stdout: TextIO | None = None, github: bool | None = None) -> int:
    """Load and check the knowledge base the configuration names, render every page and write
    the docs tree to ``out``. Exit 0 when written, 1 on problems, 2 when it cannot run."""
    stdout = stdout or sys.stdout
    if github is None:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
    started = time.perf_counter()
    try:
        config = site_config.read(config_file)
        why = _refuse(out, config)
        if why:
            raise CannotRun(f"{out}: will not replace this folder: {why}")
        kb = load(os.path.relpath(config.root), review_months=config.settings.review_months)
    except CannotRun as exc:
        print(f"error: {exc}", file=stdout)
        return EXIT_CANNOT_RUN
    strict = strict or config.strict
    if kb.report.problems:  # printed as check prints them; warnings alone do not stop it
        code = report(kb, strict, stdout, github)
        if code != EXIT_CLEAN:
            print(f"error: nothing written to {out}: the knowledge base has problems",
                  file=stdout)
            return code
    history = read_history(config.root)
    if not history.available:
        log.info("no change history on the pages: %s", history.reason)
    pages = render_site(kb, config.settings, history)
    try:
        tree = docs_tree(config.docs_dir, pages)
    except TreeConflict as exc:
        print(f"error: {exc}", file=stdout)
        return EXIT_PROBLEMS
    stats = write_tree(tree, out)
    n_pages = sum(1 for p in pages if p.endswith(".md"))
    print(f"{out}: {n_pages} generated pages, {len(pages) - n_pages} data files and "
          f"{len(tree) - len(pages)} hand-written files ({stats.written} written, "
          f"{stats.unchanged} unchanged, {stats.removed} removed) in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return EXIT_CLEAN
