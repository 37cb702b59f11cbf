"""The site's stylesheet of vocabulary colours, generated from the vocabulary so that the badges,
the charts and every builder's site show each verdict in the one colour it is given there, in
the light scheme and in the dark one (Material's ``slate``, chosen by the reader's system setting
or the header's toggle)."""

from __future__ import annotations

from build_tools.core import vocabulary as v

PATH = "stylesheets/palette.css"
"""Where the stylesheet goes in the docs tree (``extra_css`` in mkdocs.yml names it)."""

DARK = '[data-md-color-scheme="slate"]'
"""The selector of the dark scheme (Material and Zensical set it on the body)."""


def _properties(dark: bool) -> list[str]:
    colours = {**v.VERDICT_COLOURS, "none": v.NO_VERDICT_COLOUR}
    lines = []
    for name, c in colours.items():
        fill, text = c.scheme(dark)
        lines.append(f"  --kb-verdict-{name}: {fill};")
        lines.append(f"  --kb-verdict-{name}-text: {text};")
    fill, text = v.FLAG_COLOUR.scheme(dark)
    lines += [f"  --kb-flag: {fill};", f"  --kb-flag-text: {text};",
              f"  --kb-flag-border: {v.FLAG_BORDER[dark]};"]
    return lines


def stylesheet() -> str:
    """CSS custom properties for each verdict's and the flags' colours in both schemes, and the
    badge and chart rules that use them."""
    lines = ["/* Generated from build_tools/core/vocabulary.py (VERDICT_COLOURS, FLAG_COLOUR) by "
             "the build: edit the vocabulary, not this file. */",
             ":root {", *_properties(False), "}",
             f"{DARK} {{", *_properties(True), "}"]
    for name in (*v.VERDICT_COLOURS, "none"):
        lines.append(f".kb-verdict-{name} {{ background: var(--kb-verdict-{name}); "
                     f"color: var(--kb-verdict-{name}-text); }}")
        lines.append(f".kb-chart .kb-bar-{name} {{ fill: var(--kb-verdict-{name}); }}")
    lines.append(".kb-flag { background: var(--kb-flag); color: var(--kb-flag-text); "
                 "border-color: var(--kb-flag-border); }")
    return "\n".join(lines) + "\n"
