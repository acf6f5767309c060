"""Bar charts as inline SVG, drawn on the server: no script, no font download, no internet.

Each chart names itself (`<title>`, `aria-labelledby`) and every bar carries its number as
text, so it reads without colour; the page shows the same numbers in a table. Labels arrive
already translated and numbers are formatted by the caller's `fmt`, so this module knows
neither Flask nor the locale. With `rtl`, the axis runs right to left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

# Okabe and Ito's palette: told apart by people with the common colour-vision deficiencies.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
WIDTH, PLOT_TOP, PLOT_HEIGHT = 760, 40, 200


SIZES = {"value": 11, "label": 11, "legend": 12}  # in the viewBox's units: they scale with it


def _text(x: float, y: float, body: str, anchor: str, css: str) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}" '
            f'font-size="{SIZES[css]}">{escape(body)}</text>')


def _open(chart_id: str, title: str, height: int, summary: str, rtl: bool) -> list[str]:
    # The direction is explicit: "start" anchors then mean the right-hand edge in RTL.
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc"'
            f' id={quoteattr(chart_id)} direction="{"rtl" if rtl else "ltr"}" '
            'font-family="system-ui, sans-serif">',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(summary)}</desc>']


def column_chart(*, chart_id: str, title: str, summary: str, labels: Sequence[str],
                 series: Sequence[tuple[str, Sequence[int]]], fmt: Callable[[int], str] = str,
                 rtl: bool = False) -> Markup:
    """Vertical bars, one group per label (a month), one bar per series in each group."""
    top = max([1, *(v for _, values in series for v in values)])
    group = (WIDTH - 40) / max(1, len(labels))
    bar = min(28.0, (group - 8) / max(1, len(series)))
    base = PLOT_TOP + PLOT_HEIGHT
    parts = _open(chart_id, title, base + 60, summary, rtl)
    parts.append(f'<line class="axis" x1="20" x2="{WIDTH - 20}" y1="{base}" y2="{base}" '
                 'stroke="#57606a"/>')
    for i, label in enumerate(labels):
        slot = len(labels) - 1 - i if rtl else i
        left = 20 + slot * group + (group - bar * len(series)) / 2
        for s, (name, values) in enumerate(series):
            value = values[i]
            height = PLOT_HEIGHT * value / top
            x = left + s * bar
            parts.append(f'<rect x="{x:.1f}" y="{base - height:.1f}" width="{bar - 2:.1f}" '
                         f'height="{height:.1f}" fill="{PALETTE[s % len(PALETTE)]}">'
                         f'<title>{escape(f"{label}, {name}: {fmt(value)}")}</title></rect>')
            if value:
                parts.append(_text(x + (bar - 2) / 2, base - height - 4, fmt(value),
                                   "middle", "value"))
        parts.append(_text(20 + slot * group + group / 2, base + 18, label, "middle", "label"))
    parts.extend(_legend(series, base + 44, rtl))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped


def _legend(series, y: float, rtl: bool) -> list[str]:
    if len(series) < 2:
        return []
    parts, step = [], (WIDTH - 40) / len(series)
    for s, (name, _) in enumerate(series):
        x = WIDTH - 32 - s * step if rtl else 20 + s * step
        parts.append(f'<rect x="{x:.1f}" y="{y - 10}" width="12" height="12" '
                     f'fill="{PALETTE[s % len(PALETTE)]}"/>')
        parts.append(_text(x - 6 if rtl else x + 18, y, name, anchor="start", css="legend"))
    return parts


def bar_chart(*, chart_id: str, title: str, summary: str, bars: Sequence[tuple[str, int]],
              fmt: Callable[[int], str] = str, rtl: bool = False) -> Markup:
    """Horizontal bars, one per label: for names too long to stand under a column."""
    top = max([1, *(v for _, v in bars)])
    row, label_width, plot = 26, 240, WIDTH - 300

    def x_end(length: float) -> float:
        return WIDTH - label_width - length - 6

    parts = _open(chart_id, title, 10 + row * max(1, len(bars)), summary, rtl)
    for i, (label, value) in enumerate(bars):
        y, length = 10 + i * row, plot * value / top
        if rtl:  # labels on the right, bars growing leftwards
            x, label_x, value_x = WIDTH - label_width - length, WIDTH - 10, x_end(length)
        else:
            x, label_x, value_x = label_width, label_width - 10, label_width + length + 6
        shown = label if len(label) <= 32 else label[:31] + "…"
        parts.append(_text(label_x, y + 14, shown, anchor="start" if rtl else "end",
                           css="label"))
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{row - 8}" '
                     f'fill="{PALETTE[0]}"><title>{escape(f"{label}: {fmt(value)}")}</title>'
                     '</rect>')
        parts.append(_text(value_x, y + 14, fmt(value), anchor="start", css="value"))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
