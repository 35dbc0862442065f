"""Charts as inline SVG, drawn on the server: no script, nothing loaded from elsewhere.

Every chart has a <title> and <desc> for screen readers; the page shows the same numbers in
a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1a73e8", "#e8710a", "#188038", "#a142f4", "#d93025", "#12b5cb", "#9aa0a6")
FONT = 'font-family="system-ui, sans-serif"'


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" class="th-chart">'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>")
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text is escaped


def _nice_max(value: int) -> int:
    """Round an axis maximum up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def daily_bars(values: Sequence[int], *, title: str, desc: str) -> SafeString:
    """Vertical bars, one per day of the month, with a light grid and day labels."""
    width, height, left, bottom, top = 720, 220, 40, 24, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = _nice_max(max(values, default=0))
    slot = plot_w / max(1, len(values))
    body = []
    for tick in range(5):
        value = peak * tick // 4
        y = top + plot_h - plot_h * tick / 4
        body.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" '
                    f'stroke="#e0e0e0"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                    f'fill="#5f6368" {FONT}>{value}</text>')
    for index, value in enumerate(values):
        bar_h = plot_h * value / peak
        x = left + index * slot + slot * 0.15
        y = top + plot_h - bar_h
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                    f'height="{bar_h:.1f}" rx="2" fill="{PALETTE[0]}">'
                    f"<title>{index + 1}: {value}</title></rect>")
        if index == 0 or (index + 1) % 5 == 0:
            body.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - 6}" text-anchor="middle" '
                        f'font-size="11" fill="#5f6368" {FONT}>{index + 1}</text>')
    return _svg(width, height, title, desc, body)


def horizontal_bars(items: Sequence[tuple[str, int]], *, title: str, desc: str) -> SafeString:
    """One labelled horizontal bar per item, longest first, with its value at the end."""
    row, label_w, width = 30, 230, 720
    height = max(1, len(items)) * row + 8
    peak = max((value for _label, value in items), default=0) or 1
    body = []
    for index, (label, value) in enumerate(items):
        y = 4 + index * row
        bar_w = (width - label_w - 60) * value / peak
        color = PALETTE[(index + 1) % len(PALETTE)]
        short = label if len(label) <= 28 else label[:27].rstrip() + "…"
        body.append(f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" font-size="13" '
                    f'fill="#1d1d1f" {FONT}>{escape(short)}<title>{escape(label)}</title>'
                    "</text>")
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="{row - 10}" '
                    f'rx="3" fill="{color}"/>')
        body.append(f'<text x="{label_w + bar_w + 6:.1f}" y="{y + 19}" font-size="13" '
                    f'fill="#1d1d1f" {FONT}>{value}</text>')
    return _svg(width, height, title, desc, body)


def share_bar(parts: Sequence[tuple[str, int]], *, title: str, desc: str) -> SafeString:
    """A 100% stacked bar with a legend giving each part's label, count and share."""
    width, bar_h = 720, 36
    total = sum(value for _label, value in parts)
    legend_rows = (len(parts) + 1) // 2
    height = bar_h + 16 + legend_rows * 24
    body = []
    x = 0.0
    for index, (label, value) in enumerate(parts):
        color = PALETTE[index % len(PALETTE)]
        part_w = width * value / total if total else 0
        if part_w:
            body.append(f'<rect x="{x:.1f}" y="0" width="{part_w:.1f}" height="{bar_h}" '
                        f'fill="{color}"><title>{escape(label)}: {value}</title></rect>')
            if part_w > 48:
                body.append(f'<text x="{x + part_w / 2:.1f}" y="{bar_h / 2 + 5:.1f}" '
                            f'text-anchor="middle" font-size="13" font-weight="600" '
                            f'fill="#fff" {FONT}>{round(100 * value / total)}%</text>')
        x += part_w
        lx, ly = (index % 2) * (width / 2), bar_h + 16 + (index // 2) * 24
        share = f"{round(100 * value / total)}%" if total else "–"
        body.append(f'<rect x="{lx:.1f}" y="{ly}" width="14" height="14" rx="3" '
                    f'fill="{color}"/>')
        body.append(f'<text x="{lx + 20:.1f}" y="{ly + 12}" font-size="13" fill="#1d1d1f" '
                    f'{FONT}>{escape(label)} — {value} ({share})</text>')
    if not total:
        body.insert(0, f'<rect x="0" y="0" width="{width}" height="{bar_h}" fill="#f1f3f4"/>')
    return _svg(width, height, title, desc, body)
