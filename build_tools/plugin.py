"""The MkDocs plugin: the knowledge base's pages, added as virtual files at build time.

A thin adapter. Loading and checking is :mod:`build_tools.knowledge_base`; rendering is
:mod:`build_tools.render`, which knows nothing of MkDocs. This module only moves their output into
MkDocs' file collection, fails the build on a knowledge base with errors, watches ``claims/`` and
``sources/`` under ``mkdocs serve``, and builds into a staging folder that replaces ``site/``
only when the build succeeded.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from build_tools.knowledge_base import CLAIMS_DIR, SOURCES_DIR, CannotRun, Loader
from build_tools.render import SiteSettings, render_site

# MkDocs counts warnings for --strict only on its own logger tree, so the plugin logs there.
log = get_plugin_logger(__name__)

_LOADERS: dict[Path, Loader] = {}
"""One loader per knowledge base for the life of the process: ``mkdocs serve`` makes a new
plugin for every rebuild, and the loader's cache is what lets a rebuild re-read only what
changed."""

IN_NAV = {"index.md", "claims/index.md", "articles/index.md", "sources/index.md", "flags.md",
          "methodology.md"}


class EvidenceConfig(Config):
    root = c.Type(str, default=".")
    """The knowledge base root (holding claims/ and sources/), relative to mkdocs.yml."""
    edit_path = c.Type(str, default="edit/main/")
    """Appended to ``repo_url`` to link each claim page to its YAML file for editing."""
    strict = c.Type(bool, default=False)
    """Treat the checker's warnings as errors even without ``mkdocs build --strict``."""


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    """``plugins: [search, evidence]`` in mkdocs.yml."""

    def __init__(self) -> None:
        self.loader: Loader | None = None
        self.command: str = "build"
        self.pages: dict[str, str] = {}
        self._final_site: str | None = None
        self._warnings = _Counter()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"],
                   dirty: bool) -> None:
        self.command = command

    def _root(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.root).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = self._root(config)
        self.loader = _LOADERS.setdefault(root, Loader(root))
        if self.command != "serve":  # build into a staging folder; swap only on success
            self._final_site = config.site_dir
            config.site_dir = config.site_dir.rstrip("/\\") + ".building"
            logging.getLogger("mkdocs").addHandler(self._warnings)
            self._warnings.count = 0
        return config

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
            (log.error if p.severity.value == "error" else log.warning)(line)
        if kb.report.failed(strict=strict):
            n = len(kb.report.errors) + (len(kb.report.warnings) if strict else 0)
            raise PluginError(f"the knowledge base has {n} problem(s); see the messages above "
                              "(run 'python -m build_tools check' for the same list)")
        settings = SiteSettings(site_name=config.site_name, site_url=config.site_url,
                                repo_url=config.repo_url, edit_path=self.config.edit_path,
                                directory_urls=config.use_directory_urls)
        self.pages = render_site(kb, settings)
        log.info("evidence: %d claims, %d sources, re-read %d files", len(kb.claims),
                 len(kb.sources), len(self.loader.reread))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for path, content in sorted(self.pages.items()):
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide the generated page of the same name "
                                  "(expected hand-written pages to use other names)")
            f = File.generated(config, path, content=content)
            if path.endswith(".md") and path not in IN_NAV:
                f.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(f)
        return files

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        for name in (CLAIMS_DIR, SOURCES_DIR):
            server.watch(str(root / name))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._final_site is None:
            return
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        if config.strict and self._warnings.count:
            return  # MkDocs is about to abort; on_build_error discards the staging folder
        staging, final = config.site_dir, self._final_site
        old = final.rstrip("/\\") + ".old"
        shutil.rmtree(old, ignore_errors=True)
        if os.path.exists(final):
            os.replace(final, old)
        os.replace(staging, final)
        shutil.rmtree(old, ignore_errors=True)
        config.site_dir = final

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        if self._final_site is not None:
            staging = self._final_site.rstrip("/\\") + ".building"
            shutil.rmtree(staging, ignore_errors=True)
