"""mkdocs.yml read as MkDocs reads it, without MkDocs: ``INHERIT`` merged, ``!ENV`` resolved,
any other tag kept as plain data. ``render --out`` (:mod:`build_tools.config.site_config`) and
``check``'s review period (:func:`read_policy`, the policy of :mod:`build_tools.rules.review`)
both read it here, so they see what the plugin sees."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from build_tools.core.problems import CannotRun, Problem, Severity
from build_tools.rules.review import CONFIG_FILE, DEFAULT_MONTHS, OPTION, PLUGIN, not_months


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


def load(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The settings of the mkdocs.yml at ``path`` (absolute), with its ``INHERIT`` chain merged
    and ``!ENV`` resolved; a file that cannot be read or parsed is :class:`CannotRun`."""
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
        data = _merge(load((path.parent / str(parent)).resolve(), (*seen, path)), data)
    return data


def plugin_options(config: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """The options of the plugin ``name``, ``{}`` when it is listed bare, None when absent."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, Mapping):
        plugins = [{k: v} for k, v in plugins.items()]
    for item in plugins:
        if item == name:
            return {}
        if isinstance(item, Mapping) and name in item:
            return dict(item[name] or {})
    return None


# --- the review policy, as check reads it ----------------------------------------------------


class _Composer(yaml.SafeLoader):
    """Composes mkdocs.yml whatever tags it uses (``!ENV``, ``!!python/name:``)."""


def read_policy(root: Path | str = ".") -> tuple[int, list[Problem]]:
    """The review period in months from ``<root>/mkdocs.yml``, and the problems with it.

    Read as the plugin gets it from MkDocs (:func:`load`: ``INHERIT`` merged, ``!ENV``
    resolved). No mkdocs.yml, no ``evidence`` plugin or no option:
    :data:`DEFAULT_MONTHS`. A file that does not parse is left to MkDocs to report; the default
    is used.
    """
    path = Path(root) / CONFIG_FILE
    shown = CONFIG_FILE if str(root) in (".", "") else path.as_posix()
    try:
        options = plugin_options(load(path.resolve()), PLUGIN) or {}
    except CannotRun:
        return DEFAULT_MONTHS, []
    months = options.get(OPTION, DEFAULT_MONTHS)
    if type(months) is int and months > 0:
        return months, []
    line, col = _position(path)
    return DEFAULT_MONTHS, [Problem(shown, line, col, Severity.ERROR, not_months(
        "a sequence" if isinstance(months, list) else "a mapping" if isinstance(months, dict)
        else yaml.safe_dump(months).splitlines()[0] if not isinstance(months, str) else months))]


def _position(path: Path) -> tuple[int, int]:
    """Where the option is written in this file (1:1 when it comes from an INHERIT parent)."""
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Composer)
    value = _option(node)
    return (value.start_mark.line + 1, value.start_mark.column + 1) if value else (1, 1)


def _option(node: yaml.Node | None) -> yaml.Node | None:
    """The node of ``plugins: [..., {evidence: {review_months: N}}]``, if written."""
    plugins = _get(node, "plugins")
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else \
        [plugins] if isinstance(plugins, yaml.MappingNode) else []
    for entry in entries:
        options = _get(entry, PLUGIN)
        if options is not None:
            return _get(options, OPTION)
    return None


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None
