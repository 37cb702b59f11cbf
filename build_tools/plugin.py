"""The MkDocs plugin: the knowledge base's pages, added as virtual files at build time.

A thin adapter. Loading and checking is :mod:`build_tools.knowledge_base`; rendering is
:mod:`build_tools.render`, which knows nothing of MkDocs. This module only moves their output into
MkDocs' file collection, fails the build on a knowledge base with errors, watches ``claims/`` and
``sources/`` under ``mkdocs serve``, and builds into a staging folder that replaces ``site/``
only when the build succeeded.

Every build loads and renders through the cache (``.kb-cache/build/``; option ``cache: false``
turns it off): only what an edit changed is read, worked out and rendered. Under ``--dirty``
(``mkdocs serve --dirty``, ``mkdocs build --dirty``) MkDocs itself rebuilds only the pages the
plugin says changed, and the plugin makes that exact (:mod:`build_tools.site_record`): what a
dirty build leaves is byte for byte what a clean build would. Without ``--dirty`` MkDocs renders
every page, whatever the plugin says. After every build, dirty or not, the site's search index
(Pagefind's, :mod:`build_tools.search_index`) is made again over the whole site, so it is always
the one a clean build gives.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from build_tools import site_record as sr
from build_tools.config.site_config import site_settings
from build_tools.core.cache import MISSING, Cache
from build_tools.core.digest import digest, file_digest
from build_tools.core.problems import CannotRun
from build_tools.knowledge_base import Loader
from build_tools.model.knowledge_base import CLAIMS_DIR, SOURCES_DIR
from build_tools.render.fragments import TABLE as FRAGMENTS
from build_tools.render.history import TABLE as HISTORY
from build_tools.render.history import read_history
from build_tools.render.outputs import Rendered
from build_tools.render.paging import PAGE_SIZE, not_page_size
from build_tools.render.site import render_outputs
from build_tools.rules.review import DEFAULT_MONTHS
from build_tools.search_index import BUNDLE, build_index

# MkDocs counts warnings for --strict only on its own logger tree, so the plugin logs there.
log = get_plugin_logger(__name__)
BUILDER_LOGGER = log.logger.name.split(".", 1)[0]
"""The logger tree of the program running the plugin: ``mkdocs``, or ``properdocs`` under
ProperDocs, which runs MkDocs plugins with every ``mkdocs.*`` import redirected to its own."""

SITES = "sites"
"""The cache table of what each site folder holds (:class:`~build_tools.site_record.SiteRecord`)."""

_LOADERS: dict[tuple[Path, bool], Loader] = {}
"""One loader per knowledge base (and cache setting) for the life of the process, so that the
records a build made stay in memory for the next one (``mkdocs serve``)."""

_SERVED: dict[str, sr.SiteRecord] = {}
"""What each build under ``mkdocs serve`` left in its temporary folder, by that folder."""


class GeneratedFile(File):
    """A generated page or data file: its text made when MkDocs first reads it (a dirty build
    reads only the pages that changed), and whether it changed decided by the plugin."""

    modified: bool = True
    _make: Callable[[], str] | None = None
    _text: str | bytes | None = None

    @property
    def _content(self) -> str | bytes | None:  # where MkDocs reads a generated file's text
        if self._text is None and self._make is not None:
            self._text = self._make()
        return self._text

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._text = value

    def is_modified(self) -> bool:
        return self.modified


class EvidenceConfig(Config):
    root = c.Type(str, default=".")
    """The knowledge base root (holding claims/ and sources/), relative to mkdocs.yml."""
    edit_path = c.Type(str, default="edit/main/")
    """Appended to ``repo_url`` to link each claim page to its YAML file for editing."""
    strict = c.Type(bool, default=False)
    """Treat the checker's warnings as errors even without ``mkdocs build --strict``."""
    review_months = c.Type(int, default=DEFAULT_MONTHS)
    """How long a claim's review stays current; ``check`` reads the same option
    (:mod:`build_tools.rules.review`)."""
    page_size = c.Type(int, default=PAGE_SIZE)
    """Items on one page of a long list (:mod:`build_tools.render.paging`)."""
    cache = c.Type(bool, default=True)
    """Keep what a build worked out in ``.kb-cache/build/`` for the next one."""
    search_index = c.Type(bool, default=True)
    """Index the built site for its search at the end of the build
    (:mod:`build_tools.search_index`); off, the site has no search until ``search-index``."""


class _Watch(logging.Handler):
    """Counts the warnings of a build (for ``--strict``), and notes the page each came from."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.config: MkDocsConfig | None = None
        self.pages: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        page = getattr(self.config, "_current_page", None)
        if page is not None:
            self.pages.add(page.file.src_uri)


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    """``plugins: [evidence]`` in mkdocs.yml."""

    def __init__(self) -> None:
        self.loader: Loader | None = None
        self.command: str = "build"
        self.dirty = False
        self.rendered: Rendered | None = None
        self._final_site: str | None = None
        self._watch = _Watch()
        self._files: Files | None = None
        self._plan: sr.Plan | None = None
        self._sources: dict[str, bytes] = {}
        self._skeleton: bytes | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"],
                   dirty: bool) -> None:
        self.command = command
        self.dirty = dirty
        if command == "serve" and not dirty:
            log.info("evidence: mkdocs serve rebuilds every page on each save; with --dirty "
                     "it rebuilds only the pages that changed, exactly")

    def _root(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.root).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = self._root(config)
        key = (root, self.config.cache)
        self.loader = _LOADERS.get(key)
        if self.loader is None:
            self.loader = _LOADERS[key] = Loader(root, cache=Cache.at(
                root, self.config.cache, note=log.info))
        if self.config.review_months < 1:
            raise PluginError(f"evidence: review_months is {self.config.review_months} "
                              "(expected a whole number of months above 0)")
        if self.config.page_size < 1:
            raise PluginError(f"evidence: {not_page_size(self.config.page_size)}")
        self.loader.review_months = self.config.review_months
        self._final_site = None
        if self.command != "serve":  # build into a staging folder; swap only on success
            self._final_site = config.site_dir
            config.site_dir = config.site_dir.rstrip("/\\") + ".building"
        self._watch.count, self._watch.pages, self._watch.config = 0, set(), config
        self._plan, self._sources = None, {}
        self._skeleton = None
        logging.getLogger(BUILDER_LOGGER).addHandler(self._watch)
        return config

    @property
    def _cache(self) -> Cache:
        assert self.loader is not None
        return self.loader.cache

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Load and check before MkDocs touches any output folder."""
        assert self.loader is not None
        try:
            kb = self.loader.load()
        except CannotRun as exc:
            raise PluginError(str(exc)) from None
        strict = self.config.strict or config.strict
        root = self.loader.root
        for p in kb.report.sorted():
            where = os.path.relpath(root / p.path, Path.cwd()) if not os.path.isabs(p.path) \
                else p.path
            line = f"{where}:{p.line}:{p.col}: {p.severity.value}: {p.message}"
            # a reminder (an overdue review) is shown on the site; it must not fail --strict
            (log.error if p.severity.value == "error" else log.info if p.reminder
             else log.warning)(line)
        if kb.report.failed(strict=strict):
            n = len(kb.report.errors) + (len(kb.report.escalated) if strict else 0)
            raise PluginError(f"the knowledge base has {n} problem(s); see the messages above "
                              "(run 'python -m build_tools check' for the same list)")
        history = read_history(root, self._cache.table(HISTORY))
        if not history.available:
            log.info("evidence: no change history on the pages: %s", history.reason)
        record = self._record(config)
        known = {p: k for p, k in (record.keys if record else {}).items()} if self.dirty else {}
        self.rendered = render_outputs(kb, site_settings(config, self.config), history, known,
                                       self._cache.table(FRAGMENTS), render=not self.dirty)
        log.info("evidence: %d claims, %d sources, re-read %d files", len(kb.claims),
                 len(kb.sources), len(self.loader.reread))

    def _site_key(self) -> bytes:
        return digest("mkdocs site", os.path.abspath(self._final_site or ""))

    def _record(self, config: MkDocsConfig) -> sr.SiteRecord | None:
        if self._final_site is None:
            return _SERVED.get(config.site_dir)
        found = self._cache.table(SITES, sweep=False).get(self._site_key())
        return None if found is MISSING else found

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.rendered is not None
        rendered = self.rendered
        for path in sorted(rendered.keys):
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide the generated page of the same name "
                                  "(expected hand-written pages to use other names)")
            f = GeneratedFile.generated(config, path, content="")
            assert isinstance(f, GeneratedFile)
            f._text, f._make = rendered.texts.get(path), functools.partial(rendered.text, path)
            # in the navigation or not: MkDocs applies mkdocs.yml's not_in_nav to these too
            files.append(f)
        self._files = files
        if self.dirty:
            self._plan_dirty(files, config)
        return files

    def _plan_dirty(self, files: Files, config: MkDocsConfig) -> None:
        """Tell MkDocs which pages to rebuild (see :func:`build_tools.site_record.plan`)."""
        assert self.rendered is not None
        record = self._record(config)
        generated = set(self.rendered.keys)
        inclusion = InclusionLevel.is_in_serve if self.command == "serve" \
            else InclusionLevel.is_included
        pages = [f.src_uri for f in files.documentation_pages(inclusion=inclusion)]
        sources: dict[str, bytes] = {}
        for f in files:
            if f.src_uri in generated:
                known = record.keys.get(f.src_uri) if record else None
                sources[f.src_uri] = record.sources[f.src_uri] \
                    if record and known == self.rendered.keys[f.src_uri] \
                    and f.src_uri in record.sources \
                    else file_digest(f.content_bytes)
            elif f.is_documentation_page() and f.abs_src_path:
                sources[f.src_uri] = file_digest(f.content_bytes)
        final = Path(self._final_site or config.site_dir)
        anchors = config.validation.links.anchors
        self._skeleton = sr.skeleton(config, self._cache.fingerprint)
        plan = self._plan = sr.plan(
            record, self._skeleton, sources, pages, generated,
            {f.src_uri: f.dest_uri for f in files}, final,
            sr.unknown_plugins(config.plugins, type(self)),
            anchors is not None and anchors >= logging.WARNING)
        self._sources = sources
        if not plan.exact:
            log.info("evidence: a full build under --dirty: %s", plan.why)
            if self._final_site is None and os.path.isdir(config.site_dir):
                _empty(config.site_dir)  # as a clean build starts
        for f in files:
            modified = not plan.exact or f.src_uri in plan.modified
            if isinstance(f, GeneratedFile):
                f.modified = modified
            elif f.src_uri in sources or not plan.exact:
                f.is_modified = functools.partial(bool, modified)  # type: ignore[method-assign]
        log.info("evidence: --dirty: %d of %d pages and files to rebuild",
                 len(plan.modified), len(sources))

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        for name in (CLAIMS_DIR, SOURCES_DIR):
            server.watch(str(root / name))
        return server

    @event_priority(-100)  # after every other plugin has written what it writes
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        logging.getLogger(BUILDER_LOGGER).removeHandler(self._watch)
        if self._final_site is not None and config.strict and self._watch.count:
            return  # MkDocs is about to abort; on_build_error discards the staging folder
        final = self._final_site or config.site_dir
        if self._final_site is not None and self.dirty:
            _move_into(config.site_dir, final)  # what it rebuilt, over what it kept
            config.site_dir = final
        now: sr.Outputs | None = None
        """What ``final`` holds, when it was walked after the build: walked once, here, and
        kept up to date until it is recorded."""
        if self._plan is not None:  # what a clean build would not have made
            now = sr.walk(Path(final))
            for rel in sr.stale(now, self._plan.before, self._expected()):
                os.unlink(Path(final) / rel)
                del now[rel]
        if self.config.search_index:  # the whole site: staged, serve's, or completed by --dirty
            try:
                log.info("evidence: %s", build_index(Path(config.site_dir)).line(Path(final)))
            except CannotRun as exc:
                raise PluginError(str(exc)) from None
            if now is not None and config.site_dir == final:
                now = sr.rewalked(now, Path(final), BUNDLE)
        if self._final_site is not None and not self.dirty:
            old = final.rstrip("/\\") + ".old"
            shutil.rmtree(old, ignore_errors=True)
            if os.path.exists(final):
                os.replace(final, old)
            os.replace(config.site_dir, final)
            shutil.rmtree(old, ignore_errors=True)
            config.site_dir = final
        if self.dirty or self._final_site is not None:  # plain serve never builds dirty
            self._remember(config, Path(final), now if config.site_dir == final else None)

    def _expected(self) -> set[str]:
        """The files this build's pages and files are written to."""
        assert self._files is not None
        inclusion = InclusionLevel.is_in_serve if self.command == "serve" \
            else InclusionLevel.is_included
        return {f.dest_uri for f in self._files if inclusion(f.inclusion)}

    def _remember(self, config: MkDocsConfig, final: Path, now: sr.Outputs | None) -> None:
        """What this build left in ``final`` (``now``, or walked here): for the next dirty
        build to start from."""
        assert self.rendered is not None and self._files is not None
        files = self._files
        inclusion = InclusionLevel.is_in_serve if self.command == "serve" \
            else InclusionLevel.is_included
        sources = dict(self._sources) if self._sources else {
            f.src_uri: file_digest(f.content_bytes) for f in files
            if isinstance(f, GeneratedFile) or (f.is_documentation_page() and f.abs_src_path)}
        new = sr.SiteRecord(self._skeleton or sr.skeleton(config, self._cache.fingerprint),
                            sources,
                            {f.src_uri for f in files.documentation_pages(inclusion=inclusion)},
                            sr.walk(final) if now is None else now, set(self._watch.pages))
        new.keys = dict(self.rendered.keys)
        if self._final_site is None:
            _SERVED[config.site_dir] = new
        else:
            self._cache.table(SITES, sweep=False).put(self._site_key(), new)
        self._cache.save()

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger(BUILDER_LOGGER).removeHandler(self._watch)
        if self._final_site is not None:
            staging = self._final_site.rstrip("/\\") + ".building"
            shutil.rmtree(staging, ignore_errors=True)


def _empty(folder: str) -> None:
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def _move_into(staging: str, final: str) -> None:
    """What a dirty build wrote, moved over what the last build left (file by file)."""
    for top, _, names in os.walk(staging):
        rel = os.path.relpath(top, staging)
        target = os.path.normpath(os.path.join(final, rel))
        os.makedirs(target, exist_ok=True)
        for name in names:
            os.replace(os.path.join(top, name), os.path.join(target, name))
    shutil.rmtree(staging, ignore_errors=True)
