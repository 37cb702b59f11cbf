"""The evidence map: interventions down the side, outcomes across the top, one mark per pair.

Each mark is a ring whose slices are the claims about the pair by verdict (in the verdict
colours of :data:`vocabulary.VERDICT_COLOURS`), which grows with their number, written in the
middle; dots under it show the highest certainty among them in GRADE's style (four for high ...
one for very low; none when no claim is rated). Every mark is a link, named in words, to the row
of the table underneath that lists the same claims, so the page reads the same without the
picture. Static SVG: nothing runs in the browser.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from build_tools.core import vocabulary as v
from build_tools.model.claim import Certainty, Claim
from build_tools.rules.grade import body

PAGE = "evidence-map/index.md"
"""The map's page: an index page, so that its table can link in raw HTML (mkdocs.yml's
navigation names it)."""


def anchor(intervention: str, outcome: str) -> str:
    """The id of a pair's row in the table under the map (and the fragment its mark links to)."""
    return f"map-{intervention}-{outcome}"


@dataclass
class Cell:
    """The claims about one intervention and one outcome, in id order."""

    intervention: v.Term
    outcome: v.Term
    claims: list[Claim] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return anchor(self.intervention.value, self.outcome.value)

    @property
    def verdicts(self) -> list[tuple[str, int]]:
        """(verdict, number of claims) in the verdicts' order, those present; claims with no
        verdict yet count as none."""
        counts = Counter(c.verdict for c in self.claims)
        return [(k, counts[k]) for k in v.VERDICTS if counts[k]]

    @property
    def best(self) -> Certainty | None:
        """The highest rated certainty among the claims, or None when none is rated."""
        rated = [c.certainty for c in self.claims
                 if c.certainty is not None and c.certainty.level in v.CERTAINTY_LEVELS]
        return max(rated, key=lambda c: c.term.rating, default=None)

    def said(self) -> str:
        """The cell in words: the name of its link and its tooltip."""
        n = len(self.claims)
        words = [f"{self.intervention.label} and {self.outcome.label.lower()}: {n} claim"
                 f"{'s' if n != 1 else ''}",
                 ", ".join(f"{k} {v.VERDICTS[verdict].label.lower()}"
                           for verdict, k in self.verdicts)]
        best = self.best
        words.append(f"highest certainty {best.term.label.lower()}" if best
                     else "no certainty rated")
        return "; ".join(w for w in words if w)


@dataclass
class EvidenceMap:
    """The interventions and outcomes some claim names, in vocabulary order, and their cells."""

    rows: list[v.Term]
    columns: list[v.Term]
    cells: dict[tuple[str, str], Cell]

    @property
    def largest(self) -> int:
        return max((len(c.claims) for c in self.cells.values()), default=0)

    def ordered(self) -> list[Cell]:
        """Every cell, row by row, as the table lists them."""
        return [self.cells[(r.value, c.value)] for r in self.rows for c in self.columns
                if (r.value, c.value) in self.cells]


def build(claims: Sequence[Claim]) -> EvidenceMap:
    """The map of ``claims``: one cell per intervention and outcome that a claim names together
    (terms outside the vocabularies, which check reports, are left out)."""
    cells: dict[tuple[str, str], Cell] = {}
    for claim in sorted(claims, key=lambda c: c.id):
        for i in dict.fromkeys(claim.intervention):
            for o in dict.fromkeys(claim.outcome):
                if i in v.INTERVENTIONS and o in v.OUTCOMES:
                    cells.setdefault((i, o), Cell(v.INTERVENTIONS[i], v.OUTCOMES[o])
                                     ).claims.append(claim)
    rows = [t for k, t in v.INTERVENTIONS.items() if any(i == k for i, _ in cells)]
    columns = [t for k, t in v.OUTCOMES.items() if any(o == k for _, o in cells)]
    return EvidenceMap(rows, columns, cells)


LABEL_W, HEADER_H, CELL_W, CELL_H = 210, 150, 40, 46
"""The map's layout in pixels: the row labels' column, the slanted column headings, a cell."""
R_MIN, R_MAX, RING = 10.0, 17.0, 5.0
"""The ring's outer radius for one claim and for the largest cell, and its width."""
DOT_Y, DOT_R, DOT_GAP = 41.0, 2.2, 6.0
"""Where the certainty dots sit in a cell, their radius and spacing."""
INK, PAPER, BAND = "#000", "#fff", "#f2f2f6"
"""The map's own colours: dots and numbers, ring centres, every other row's band."""


def radius(n: int, largest: int) -> float:
    """Grows with the square root of the count (so area follows it), from R_MIN to R_MAX."""
    if largest <= 1:
        return R_MIN
    return R_MIN + (R_MAX - R_MIN) * math.sqrt((n - 1) / (largest - 1))


def _point(cx: float, cy: float, r: float, turn: float) -> str:
    a = 2 * math.pi * turn - math.pi / 2  # 0 at the top, clockwise
    return f"{cx + r * math.cos(a):.2f} {cy + r * math.sin(a):.2f}"


def _slice(cx: float, cy: float, r: float, start: float, end: float) -> str:
    """The path of a ring slice from ``start`` to ``end`` (fractions of a turn)."""
    inner = r - RING
    large = 1 if end - start > 0.5 else 0
    return (f"M{_point(cx, cy, r, start)}A{r:.2f} {r:.2f} 0 {large} 1 {_point(cx, cy, r, end)}"
            f"L{_point(cx, cy, inner, end)}A{inner:.2f} {inner:.2f} 0 {large} 0 "
            f"{_point(cx, cy, inner, start)}Z")


def _cell(cell: Cell, x0: float, y0: float, largest: int, href: str) -> list[str]:
    cx, cy = x0 + CELL_W / 2, y0 + 19
    n = len(cell.claims)
    r = radius(n, largest)
    said = escape(cell.said())
    out = [f'<a href="{escape(href)}" aria-label="{said}"><title>{said}</title>'
           f'<rect class="kb-map-hit" x="{x0 + 1:.0f}" y="{y0 + 1:.0f}" width="{CELL_W - 2}" '
           f'height="{CELL_H - 2}" rx="4" fill="transparent"/>']
    start = 0.0
    for verdict, k in cell.verdicts:
        colour = v.VERDICT_COLOURS[verdict].fill
        if k == n:
            out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r - RING / 2:.2f}" fill="none" '
                       f'stroke="{colour}" stroke-width="{RING}"/>')
        else:
            out.append(f'<path d="{_slice(cx, cy, r, start, start + k / n)}" fill="{colour}" '
                       f'stroke="{PAPER}" stroke-width="0.8"/>')
        start += k / n
    unjudged = n - sum(k for _, k in cell.verdicts)
    if unjudged == n:  # only claims with no verdict yet
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r - RING / 2:.2f}" fill="none" '
                   f'stroke="{v.NO_VERDICT_COLOUR.fill}" stroke-width="{RING}"/>')
    out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r - RING:.2f}" fill="{PAPER}"/>'
               f'<text x="{cx:.1f}" y="{cy + 3.5:.1f}" text-anchor="middle" font-size="10" '
               f'font-weight="700" fill="{INK}">{n}</text>')
    best = cell.best
    if best is not None:
        top = len(v.CERTAINTY_LEVELS)
        for d in range(top):
            dx = cx + (d - (top - 1) / 2) * DOT_GAP
            fill = INK if d < best.term.rating else PAPER
            out.append(f'<circle cx="{dx:.1f}" cy="{y0 + DOT_Y:.1f}" r="{DOT_R}" fill="{fill}" '
                       f'stroke="{INK}" stroke-width="0.8"/>')
    out.append("</a>")
    return out


def svg(m: EvidenceMap, title: str, where: Mapping[str, str] | None = None) -> Markup:
    """The map as inline SVG; each cell links to ``#<cell.anchor>``, on the page ``where``
    gives for its anchor (a final URL: the table may be cut into pages), or on this one."""
    where = where or {}
    width = LABEL_W + CELL_W * len(m.columns) + 10
    height = HEADER_H + CELL_H * len(m.rows) + 4
    out = [f'<svg class="kb-map-svg" role="group" aria-labelledby="kb-map-title" '
           f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}">',
           f'<title id="kb-map-title">{escape(title)}</title>']
    for j, col in enumerate(m.columns):
        x = LABEL_W + CELL_W * j + CELL_W / 2 + 4
        out.append(f'<text transform="translate({x:.0f} {HEADER_H - 8}) rotate(-55)" '
                   f'font-size="13" fill="currentColor">{escape(col.label)}</text>')
    for i, row in enumerate(m.rows):
        y = HEADER_H + CELL_H * i
        if i % 2 == 0:
            out.append(f'<rect class="kb-map-band" x="0" y="{y}" width="{width}" '
                       f'height="{CELL_H}" fill="{BAND}"/>')
        out.append(f'<text x="{LABEL_W - 10}" y="{y + CELL_H / 2 + 4:.0f}" text-anchor="end" '
                   f'font-size="13" fill="currentColor">{escape(row.label)}</text>')
        for j, col in enumerate(m.columns):
            cell = m.cells.get((row.value, col.value))
            if cell is not None:
                out.extend(_cell(cell, LABEL_W + CELL_W * j, y, m.largest,
                                 where.get(cell.anchor, "") + "#" + cell.anchor))
    out.append("</svg>")
    return Markup("".join(out))


def dots(level: str) -> Markup:
    """A certainty as the map shows it, for the legend: filled dots for its rank of four."""
    rating = v.CERTAINTY_LEVELS[level].rating
    top = len(v.CERTAINTY_LEVELS)
    w = DOT_GAP * top + 2
    parts = [f'<svg class="kb-map-dots" aria-hidden="true" width="{w:.0f}" height="8" '
             f'viewBox="0 0 {w:.0f} 8" xmlns="http://www.w3.org/2000/svg">']
    for d in range(top):
        fill = INK if d < rating else PAPER
        parts.append(f'<circle cx="{4 + d * DOT_GAP:.0f}" cy="4" r="{DOT_R}" fill="{fill}" '
                     f'stroke="{INK}" stroke-width="0.8"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def certainty_label(claim: Claim) -> str:
    """A claim's certainty as a column of a table gives it: Low, Not applicable, Not rated
    (evidence, none of it rateable), Not assessed (no evidence)."""
    c = claim.certainty
    if c is not None and c.level in v.CERTAINTY_LEVELS:
        return c.term.label
    if c is not None:
        return v.NOT_APPLICABLE.label
    return v.NOT_RATED.label if body(claim) else v.NOT_ASSESSED.label


def certainty_words(claim: Claim) -> str:
    """The same in a sentence: low certainty, certainty not rated."""
    label = certainty_label(claim)
    if claim.certainty is not None and claim.certainty.level in v.CERTAINTY_LEVELS:
        return f"{label.lower()} certainty"
    return f"certainty {label.lower()}"
