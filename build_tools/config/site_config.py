"""What the site's configuration (mkdocs.yml) says that rendering needs, read without MkDocs.

mkdocs.yml is the one configuration of the site, whichever program builds it: the ``evidence``
plugin reads it through MkDocs, and ``render --out`` reads the same settings here, so that both
render the same pages. Only the keys rendering needs are read; ``INHERIT`` and ``!ENV`` are
understood as MkDocs understands them, any other tag is read as plain data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_tools.config import mkdocs_yml
from build_tools.core.problems import CannotRun
from build_tools.render import paging
from build_tools.render.site import SiteSettings
from build_tools.rules.review import DEFAULT_MONTHS, OPTION, PLUGIN, not_months


def site_settings(config: Mapping[str, Any], options: Mapping[str, Any]) -> SiteSettings:
    """The settings the pages need, from a site configuration and the plugin's options (MkDocs'
    validated config in the plugin; the YAML itself in :func:`read`)."""
    defaults = SiteSettings()
    return SiteSettings(site_name=config.get("site_name") or defaults.site_name,
                        site_url=config.get("site_url") or None,
                        repo_url=config.get("repo_url") or None,
                        edit_path=options.get("edit_path") or defaults.edit_path,
                        directory_urls=bool(config.get("use_directory_urls", True)),
                        review_months=options.get("review_months", defaults.review_months),
                        page_size=options.get(paging.OPTION, defaults.page_size))


@dataclass(frozen=True)
class SiteConfig:
    """The parts of mkdocs.yml that rendering the docs tree needs."""

    config_file: Path
    docs_dir: Path
    """The hand-written pages, absolute."""
    root: Path
    """The knowledge base (claims/ and sources/), absolute: the plugin's ``root`` option."""
    settings: SiteSettings
    strict: bool
    """The plugin's ``strict`` option: warnings fail the build as errors do."""


def read(config_file: Path | str = "mkdocs.yml") -> SiteConfig:
    """The rendering settings of the site configured by ``config_file``."""
    path = Path(config_file).resolve()
    config = mkdocs_yml.load(path)
    options = mkdocs_yml.plugin_options(config, PLUGIN)
    if options is None:
        raise CannotRun(f"{os.path.relpath(path)}: the '{PLUGIN}' plugin is not listed under "
                        "plugins (expected its options, e.g. root, in the site's configuration)")
    months = options.get(OPTION, DEFAULT_MONTHS)
    if type(months) is not int or months < 1:
        raise CannotRun(f"{os.path.relpath(path)}: {not_months(months)}")
    size = options.get(paging.OPTION, paging.PAGE_SIZE)
    if type(size) is not int or size < 1:
        raise CannotRun(f"{os.path.relpath(path)}: {paging.not_page_size(size)}")
    base = path.parent
    docs_dir = (base / str(config.get("docs_dir") or "docs")).resolve()
    if not docs_dir.is_dir():
        raise CannotRun(f"{os.path.relpath(path)}: docs_dir {os.path.relpath(docs_dir)} is not a "
                        "folder (expected the hand-written pages)")
    return SiteConfig(config_file=path,
                      docs_dir=docs_dir,
                      root=(base / str(options.get("root") or ".")).resolve(),
                      settings=site_settings(config, options),
                      strict=bool(options.get("strict", False)))
