"""The Jinja environment the pages are rendered in: filters, globals, and the macros.

Two things here are for speed, measured on the synthetic knowledge bases of ``bench/``
(``bench/bench_render.py``); neither changes a byte of output:

* ``m``, the macros of ``_macros.j2``, is a global made once, not imported by each template:
  ``{% import %}`` made or looked up a module for every page (about 60 microseconds a page,
  with the set of globals compared each time).
* Each template's globals are a plain dict: Jinja's default, a ``ChainMap`` over the
  environment's globals, is copied into every page's context key by key in Python (about 50
  microseconds a page with the methodology's tables among the globals).
"""

from __future__ import annotations

import functools
from collections.abc import MutableMapping
from typing import Any

import jinja2

from build_tools.bibtex import fields as b
from build_tools.core import vocabulary as v
from build_tools.core.reading import MAX_BIB_BYTES, MAX_BYTES
from build_tools.model.source import NOTICE_FIELDS, VERBATIM
from build_tools.render import evidence_map, search, urls
from build_tools.render.fragments import FragmentCache
from build_tools.render.markup import (
    description,
    html_hype,
    html_text,
    json_for_script,
    long_date,
    md_hype,
    md_text,
)
from build_tools.render.references import doi_url, notice_url, safe_url
from build_tools.rules import grade, passages
from build_tools.rules.hype import hype_words


class _Environment(jinja2.Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """The environment's globals and the template's own, in one dict (see the module's
        docstring). Every global is set before the first template is loaded."""
        return {**self.globals, **(d or {})}


@functools.cache
def environment() -> jinja2.Environment:
    """The environment of every page, made once per process."""
    env = _Environment(
        loader=jinja2.PackageLoader("build_tools", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates are the package's: no stat of each file per page
        extensions=[FragmentCache],  # {% cache %}: pieces kept between builds
    )
    env.filters["md"] = md_text
    env.filters["md_hype"] = md_hype
    env.filters["html"] = html_text
    env.filters["html_hype"] = html_hype
    env.filters["description"] = description
    env.filters["long_date"] = long_date
    env.filters["jsonld"] = json_for_script
    env.filters["page_title"] = urls.safe_title
    env.globals.update(VERDICTS=v.VERDICTS, STANCES=v.STANCES, FLAGS=v.FLAGS,
                       CERTAINTY=v.CERTAINTY_LEVELS, DESIGNS=v.DESIGNS,
                       DOWNGRADES=v.DOWNGRADE_DOMAINS, UPGRADES=v.UPGRADE_DOMAINS,
                       STARTS=v.CERTAINTY_STARTS, NA_REASONS=v.NOT_APPLICABLE_REASONS,
                       NOT_RATED=v.NOT_RATED, NOT_ASSESSED=v.NOT_ASSESSED, PICO=v.PICO,
                       PICO_LABELS=v.PICO_LABELS, COLOURS=v.VERDICT_COLOURS,
                       dots=evidence_map.dots, certainty_words=evidence_map.certainty_words,
                       certainty_label=evidence_map.certainty_label,
                       map_anchor=evidence_map.anchor, EVIDENCE_MAP=evidence_map.PAGE,
                       GRADE_RULES=grade.RULES,
                       WORDING=v.BOTTOM_LINE_WORDING, SET_ASIDE=v.SET_ASIDE_REASONS,
                       READING_GRADE_MAX=v.READING_GRADE_MAX, JARGON=v.JARGON,
                       HYPE=v.HYPE_TERMS, HYPE_SOURCES=v.HYPE_SOURCES,
                       HYPE_NEGATIONS=v.HYPE_NEGATIONS, hype_words=hype_words,
                       PASSAGE_RULE=passages.RULE, doi_url=doi_url,
                       safe_url=safe_url, notice_url=notice_url, NOTICE_KINDS=NOTICE_FIELDS,
                       **_bibtex_policy())
    env.globals.update(SEARCH_WEIGHTS=search.WEIGHTS, SYNONYMS=v.SYNONYMS,
                       STOP_WORDS=sorted(v.SEARCH_STOP_WORDS))
    macros = env.get_template("_macros.j2").module  # before "m" is a global: it needs none
    env.globals["m"] = macros
    return env


def _bibtex_policy() -> dict[str, Any]:
    """The tables the methodology page shows how sources are read from (issue 9)."""
    return {"BIB_FIELDS": b.FIELDS, "BIB_SHOWN": b.SHOWN, "BIB_ALIASES": b.ALIASES,
            "BIB_IGNORED": b.IGNORED, "BIB_IGNORED_PREFIXES": b.IGNORED_PREFIXES,
            "BIB_TYPES": b.TYPES, "BIB_REFUSED_TYPES": b.REFUSED_TYPES,
            "BIB_NOT_INHERITED": sorted(b.NOT_INHERITED), "BIB_VERBATIM": sorted(VERBATIM),
            "MAX_BYTES": MAX_BYTES, "MAX_BIB_BYTES": MAX_BIB_BYTES}
