"""The site's stylesheet of vocabulary colours, generated from the vocabulary so that the badges,
the charts and every builder's site show each verdict in the one colour it is given there."""

from __future__ import annotations

from build_tools.core import vocabulary as v

PATH = "stylesheets/palette.css"
"""Where the stylesheet goes in the docs tree (``extra_css`` in mkdocs.yml names it)."""


def stylesheet() -> str:
    """CSS custom properties for each verdict's colours, and the badge rules that use them."""
    colours = {**v.VERDICT_COLOURS, "none": v.NO_VERDICT_COLOUR}
    lines = ["/* Generated from build_tools/core/vocabulary.py (VERDICT_COLOURS) by the build: "
             "edit the vocabulary, not this file. */", ":root {"]
    for name, c in colours.items():
        lines.append(f"  --kb-verdict-{name}: {c.fill};")
        lines.append(f"  --kb-verdict-{name}-text: {c.text};")
    lines.append("}")
    for name in colours:
        lines.append(f".kb-verdict-{name} {{ background: var(--kb-verdict-{name}); "
                     f"color: var(--kb-verdict-{name}-text); }}")
    return "\n".join(lines) + "\n"
