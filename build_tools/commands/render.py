"""``render --out DIR``: the site's whole docs tree written to a folder, for any builder.

The same pages the ``evidence`` plugin hands MkDocs, byte for byte, with the docs folder's own
files beside them: MkDocs without the plugin, ProperDocs or Zensical build the site from it with
``mkdocs.rendered.yml``. A knowledge base with problems fails as ``check`` does and leaves the
folder as it was.

With the cache (``.kb-cache/build/``), a folder this command wrote before is brought up to date:
only the outputs whose inputs changed are rendered (:func:`build_tools.render.site.render_outputs`)
and only the files whose bytes changed are written (:func:`build_tools.render.disk.update_tree`);
the cache records, per folder, what each file was made from. Without a record, or with
``--no-cache``, every output is rendered and the folder is written whole.
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
from build_tools.core.cache import MISSING, Cache, on_stderr
from build_tools.core.digest import digest, file_digest
from build_tools.core.problems import CannotRun
from build_tools.knowledge_base import load
from build_tools.render.disk import (
    TreeConflict,
    hand_written,
    intact,
    record_of,
    refuse_clashes,
    update_tree,
    write_tree,
)
from build_tools.render.fragments import TABLE as FRAGMENTS
from build_tools.render.history import TABLE as HISTORY
from build_tools.render.history import read_history
from build_tools.render.site import render_outputs

log = logging.getLogger(__name__)

OUTPUTS = "outputs"
"""The cache table of what each output folder holds (:data:`build_tools.render.disk.Record`)."""

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
        stdout: TextIO | None = None, github: bool | None = None, no_cache: bool = False) -> int:
    """Load and check the knowledge base the configuration names, render the pages and write
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
        root = os.path.relpath(config.root)
        cache = Cache.at(root, not no_cache, note=on_stderr)
        kb = load(root, review_months=config.settings.review_months, cache=cache)
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
    history = read_history(config.root, cache.table(HISTORY) if cache.enabled else None)
    if not history.available:
        log.info("no change history on the pages: %s", history.reason)
    outputs = cache.table(OUTPUTS, sweep=False)
    record_key = digest("render --out", str(out.resolve()))
    record = outputs.get(record_key) if out.is_dir() else MISSING
    known = intact(out, record) if record is not MISSING else {}
    rendered = render_outputs(kb, config.settings, history, known,
                              cache.table(FRAGMENTS) if cache.enabled else None)
    try:
        hand = hand_written(config.docs_dir)
        refuse_clashes(config.docs_dir, hand, rendered.keys)
    except TreeConflict as exc:
        print(f"error: {exc}", file=stdout)
        return EXIT_PROBLEMS
    keys = {**{p: file_digest(data) for p, data in hand.items()}, **rendered.keys}
    if record is MISSING:
        texts = {p: rendered.text(p) for p in rendered.keys}
        stats = write_tree({**hand, **{p: t.encode("utf-8") for p, t in texts.items()}}, out)
        new_record = record_of(out, keys)
    else:
        files: dict[str, bytes | None] = {
            p: None if known.get(p) == keys[p] else data for p, data in hand.items()}
        files.update({p: None if p not in rendered.texts else rendered.texts[p].encode("utf-8")
                      for p in rendered.keys})
        stats, new_record = update_tree(out, files, keys)
    if cache.enabled:
        outputs.put(record_key, new_record)
        cache.save()
    n_pages = sum(1 for p in rendered.keys if p.endswith(".md"))
    n_generated = len(rendered.keys)
    print(f"{out}: {n_pages} generated pages, {n_generated - n_pages} data files and "
          f"{len(hand)} hand-written files ({len(rendered.texts)} rendered, {stats.written} "
          f"written, {stats.unchanged} unchanged, {stats.removed} removed) in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return EXIT_CLEAN
