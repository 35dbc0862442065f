"""Small inline SVG charts drawn on the server (no chart library, nothing from a CDN)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 180, 40, 24, 12


def nice_top(values: Sequence[float | None]) -> float:
    """Return a round maximum for the axis: a multiple of 4, so that its four steps are
    whole numbers (counts of comments have no halves)."""
    top = max([v for v in values if v is not None] + [1])
    return float(max(4, math.ceil(top / 4) * 4))


def _frame(title: str, body: list[str], top: float, unit: str = "") -> SafeString:
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    grid = []
    for step in range(5):
        y = PAD_TOP + plot_h - plot_h * step / 4
        value = top * step / 4
        label = f"{value:.0f}"
        grid.append(f'<line x1="{PAD_LEFT}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" '
                    f'class="grid"/><text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" '
                    f'class="axis" text-anchor="end">{escape(label)}{escape(unit)}</text>')
    svg = (f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" role="img" '
           f'aria-label="{escape(title)}">'
           f'<title>{escape(title)}</title>{"".join(grid)}{"".join(body)}</svg>')
    return mark_safe(svg)  # noqa: S308 - every text is escaped above


def _labels(labels: Sequence[str], count: int) -> list[str]:
    plot_w = WIDTH - PAD_LEFT
    out = []
    every = max(1, count // len(labels)) if labels else 1
    for n, label in enumerate(labels):
        x = PAD_LEFT + plot_w * (n * every + every / 2) / count
        out.append(f'<text x="{x:.1f}" y="{HEIGHT - 6}" class="axis" '
                   f'text-anchor="middle">{escape(label)}</text>')
    return out


def bars(title: str, values: Sequence[float | None], labels: Sequence[str],
         unit: str = "") -> SafeString:
    """Vertical bars, one per value; `labels` are spread evenly under them."""
    top = nice_top(values)
    plot_w, plot_h = WIDTH - PAD_LEFT, HEIGHT - PAD_BOTTOM - PAD_TOP
    width = plot_w / max(len(values), 1)
    body = []
    for n, value in enumerate(values):
        if not value:
            continue
        h = plot_h * value / top
        body.append(f'<rect x="{PAD_LEFT + n * width + width * .1:.1f}" '
                    f'y="{PAD_TOP + plot_h - h:.1f}" width="{max(width * .8, 1):.1f}" '
                    f'height="{h:.1f}" class="bar"><title>{escape(f"{value:g}{unit}")}'
                    f'</title></rect>')
    return _frame(title, body + _labels(labels, len(values)), top, unit)


def line(title: str, values: Sequence[float | None], labels: Sequence[str]) -> SafeString:
    """A line over evenly spaced values (None: no value yet, e.g. hours still to come)."""
    top = nice_top(values)
    plot_w, plot_h = WIDTH - PAD_LEFT, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(len(values) - 1, 1)
    known = [(n, v) for n, v in enumerate(values) if v is not None]
    if not known:
        return _frame(title, _labels(labels, len(values)), top)
    points = " ".join(f"{PAD_LEFT + n * step:.1f},{PAD_TOP + plot_h - plot_h * v / top:.1f}"
                      for n, v in known)
    area = (f"{PAD_LEFT + known[0][0] * step:.1f},{PAD_TOP + plot_h} {points} "
            f"{PAD_LEFT + known[-1][0] * step:.1f},{PAD_TOP + plot_h}")
    body = [f'<polygon points="{area}" class="area"/>',
            f'<polyline points="{points}" class="line"/>']
    return _frame(title, body + _labels(labels, len(values)), top)


def hbars(title: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """Horizontal bars with their label and value (labels get room up to half the width)."""
    height = max(len(rows), 1) * 28 + 8
    top = max([n for _label, n in rows] + [1])
    longest = max((len(label) for label, _value in rows), default=0)
    edge = min(max(160, 12 + 6 * longest), WIDTH // 2)
    body = []
    for n, (label, value) in enumerate(rows):
        y = 8 + n * 28
        w = (WIDTH - edge - 60) * value / top
        body.append(f'<text x="{edge}" y="{y + 15}" class="axis" text-anchor="end">'
                    f'{escape(label)}</text><rect x="{edge + 10}" y="{y}" '
                    f'width="{max(w, 1):.1f}" height="20" class="bar"/><text '
                    f'x="{edge + 16 + w:.1f}" y="{y + 15}" class="value">{value}</text>')
    svg = (f'<svg viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
           f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>')
    return mark_safe(svg)  # noqa: S308 - every text is escaped above
