"""A horizontal bar chart as inline SVG: readable without JavaScript, labelled in words."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from build_tools.core import vocabulary as v


def bar_chart(rows: list[tuple[str, str, int]], title: str) -> Markup:
    """``rows`` are (verdict, label, count); the verdict's colour (:data:`vocabulary.
    VERDICT_COLOURS`) fills its bar, and the label is always written."""
    bar_h, gap, label_w, bar_w = 22, 8, 150, 260
    top = max((n for _, _, n in rows), default=0) or 1
    height = len(rows) * (bar_h + gap) + gap
    parts = [f'<svg class="kb-chart" role="img" aria-labelledby="chart-title" '
             f'viewBox="0 0 {label_w + bar_w + 50} {height}" '
             f'xmlns="http://www.w3.org/2000/svg" width="100%" '
             f'style="max-width:{label_w + bar_w + 50}px">',
             f'<title id="chart-title">{escape(title)}</title>']
    for i, (key, label, count) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        width = round(bar_w * count / top)
        colour = v.VERDICT_COLOURS.get(key, v.NO_VERDICT_COLOUR).fill
        name = key if key in v.VERDICT_COLOURS else "none"  # its class: the scheme's colour
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" '
                     f'font-size="13" fill="currentColor">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{width}" height="{bar_h}" '
                     f'fill="{colour}" class="kb-bar-{name}"><title>{escape(label)}: {count}'
                     '</title></rect>')
        parts.append(f'<text x="{label_w + width + 6}" y="{y + bar_h * 0.7:.1f}" '
                     f'font-size="13" fill="currentColor">{count}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
