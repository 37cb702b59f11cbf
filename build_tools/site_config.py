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

import yaml

from build_tools.knowledge_base import CannotRun
from build_tools.render.site import SiteSettings
from build_tools.review import DEFAULT_MONTHS, OPTION, PLUGIN, not_months


def site_settings(config: Mapping[str, Any], options: Mapping[str, Any]) -> SiteSettings:
    """The settings the pages need, from a site configuration and the plugin's options (MkDocs'
    validated config in the plugin; the YAML itself in :func:`read`)."""
    defaults = SiteSettings()
    return SiteSettings(site_name=config.get("site_name") or defaults.site_name,
                        site_url=config.get("site_url") or None,
                        repo_url=config.get("repo_url") or None,
                        edit_path=options.get("edit_path") or defaults.edit_path,
                        directory_urls=bool(config.get("use_directory_urls", True)),
                        review_months=options.get("review_months", defaults.review_months))


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


class _Loader(yaml.SafeLoader):
    """YAML as MkDocs reads mkdocs.yml: ``!ENV`` resolved, other tags kept as plain data."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, else the last
    item (MkDocs' rule)."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = items[:-1], items[-1] if len(items) > 1 else None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else None
    return default


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("", _any_tag)


def _merge(parent: dict[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """MkDocs' ``INHERIT``: mappings merged key by key, anything else replaced."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _load(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    shown = os.path.relpath(path)
    if path in seen:
        raise CannotRun(f"{shown}: INHERIT loops back to this file")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CannotRun(f"{shown}: no such file (expected the site's configuration, "
                        "mkdocs.yml)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CannotRun(f"{shown}: cannot read the site's configuration: {exc}") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        raise CannotRun(f"{where}: not valid YAML: {exc.problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CannotRun(f"{shown}: expected a mapping of settings")
    parent = data.pop("INHERIT", None)
    if parent:
        data = _merge(_load((path.parent / str(parent)).resolve(), (*seen, path)), data)
    return data


def _plugin_options(config: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``evidence`` plugin's options, ``{}`` when it is listed bare, None when absent."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, Mapping):
        plugins = [{k: v} for k, v in plugins.items()]
    for item in plugins:
        if item == PLUGIN:
            return {}
        if isinstance(item, Mapping) and PLUGIN in item:
            return dict(item[PLUGIN] or {})
    return None


def read(config_file: Path | str = "mkdocs.yml") -> SiteConfig:
    """The rendering settings of the site configured by ``config_file``."""
    path = Path(config_file).resolve()
    config = _load(path)
    options = _plugin_options(config)
    if options is None:
        raise CannotRun(f"{os.path.relpath(path)}: the '{PLUGIN}' plugin is not listed under "
                        "plugins (expected its options, e.g. root, in the site's configuration)")
    months = options.get(OPTION, DEFAULT_MONTHS)
    if type(months) is not int or months < 1:
        raise CannotRun(f"{os.path.relpath(path)}: {not_months(months)}")
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
