"""Bar charts as inline SVG, drawn on the server: no script, no font download, no internet.

Each chart names itself (`<title>`, `aria-labelledby`) and the page shows the same numbers in a
table. Labels arrive already translated and numbers are formatted by the caller's `fmt`, so this
module knows neither Flask nor the locale. With `rtl`, the axis runs right to left.

An SVG's text scales with its width, so each chart is drawn twice: wide for a desktop and narrow
for a phone (static/reports.css shows one), each sized so its text is at least 12 px where it is
shown. Column charts have a y-axis with gridlines; month labels are thinned until they cannot
overlap, and a bar's number is written on it only where it fits.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

# A series is drawn in its class, series-0 to series-5, which the theme colours
# (static/reports.css, --chart-1 to --chart-6 in static/app.css, docs/themes.md): Okabe and
# Ito's palette, told apart with the common colour-vision deficiencies, in each theme's shade.
SERIES = 6


def _series(s: int) -> str:
    return f"series-{s % SERIES}"


@dataclass(frozen=True)
class Shape:
    name: str  # the CSS class: chart-wide or chart-narrow
    width: int
    font: int  # in the viewBox's units
    plot_height: int
    axis: int  # room for the y-axis's numbers
    label_width: int  # a horizontal bar chart's names


WIDE = Shape("chart-wide", 760, 13, 200, 48, 240)
NARROW = Shape("chart-narrow", 360, 14, 160, 40, 130)
PLOT_TOP = 24


def text_width(text: str, font: float) -> float:
    """A generous estimate of the text's width: a CJK character is a full em, others 0.62."""
    return sum(font * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62) for c in text)


def _text(x: float, y: float, body: str, anchor: str, css: str, font: int) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}" '
            f'font-size="{font}">{escape(body)}</text>')


def _open(chart_id: str, title: str, height: int, summary: str, rtl: bool,
          shape: Shape) -> list[str]:
    # The direction is explicit: "start" anchors then mean the right-hand edge in RTL.
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {shape.name}" role="img" '
            f'viewBox="0 0 {shape.width} {height}" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" id={quoteattr(chart_id)} '
            f'direction="{"rtl" if rtl else "ltr"}" font-family="system-ui, sans-serif">',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(summary)}</desc>']


def _ticks(top: int) -> list[int]:
    """0 and up to four round steps (1, 2 or 5 times a power of ten) reaching at least top."""
    top = max(top, 1)
    power = 10 ** max(0, math.floor(math.log10(top)) - 1)
    step = next(s * power for s in (1, 2, 5, 10, 20, 50, 100) if top / (s * power) <= 4)
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _both(draw: Callable[[Shape, str], str], chart_id: str) -> Markup:
    return Markup(draw(WIDE, chart_id) + draw(NARROW, f"{chart_id}-narrow"))  # noqa: S704


def column_chart(*, chart_id: str, title: str, summary: str, labels: Sequence[str],
                 series: Sequence[tuple[str, Sequence[int]]], fmt: Callable[[int], str] = str,
                 rtl: bool = False, short_labels: Sequence[str] | None = None) -> Markup:
    """Vertical bars, one group per label (a month), one bar per series in each group; the
    axis shows `short_labels` ("Jan"), each bar's tooltip the full label ("Jan 2027")."""
    short = list(short_labels or labels)

    def draw(shape: Shape, svg_id: str) -> str:
        ticks = _ticks(max([0, *(v for _, values in series for v in values)]))
        top, base = ticks[-1], PLOT_TOP + shape.plot_height
        left, right = (12, shape.width - shape.axis) if rtl else (shape.axis, shape.width - 12)
        group = (right - left) / max(1, len(labels))
        bar = min(28.0, (group - 6) / max(1, len(series)))
        parts = _open(svg_id, title, base + 34 + _legend_height(series, shape), summary, rtl,
                      shape)
        for tick in ticks:  # gridlines and the y-axis's numbers
            y = base - shape.plot_height * tick / top
            parts.append(f'<line class="grid" x1="{left}" x2="{right}" y1="{y:.1f}" '
                         f'y2="{y:.1f}"/>')
            parts.append(_text(right + 6 if rtl else left - 6, y + shape.font * .35, fmt(tick),
                               "start" if rtl else "end", "axis", shape.font))
        parts.append(f'<line class="axis" x1="{left}" x2="{right}" y1="{base}" '
                     f'y2="{base}"/>')
        every = math.ceil((max(text_width(s, shape.font) for s in short or [""]) + 6) / group)
        for i, label in enumerate(labels):
            slot = len(labels) - 1 - i if rtl else i
            start = left + slot * group + (group - bar * len(series)) / 2
            for s, (name, values) in enumerate(series):
                value, x = values[i], start + s * bar
                height = shape.plot_height * value / top
                parts.append(f'<rect x="{x:.1f}" y="{base - height:.1f}" '
                             f'width="{bar - 2:.1f}" height="{height:.1f}" '
                             f'class="{_series(s)}"><title>'
                             f'{escape(f"{label}, {name}: {fmt(value)}")}</title></rect>')
                if value and text_width(fmt(value), shape.font) <= bar - 1:
                    parts.append(_text(x + (bar - 2) / 2, base - height - 4, fmt(value),
                                       "middle", "value", shape.font))
            if i % every == 0:
                parts.append(_text(left + slot * group + group / 2, base + shape.font + 6,
                                   short[i], "middle", "label", shape.font))
        parts.extend(_legend(series, base + 30 + shape.font, rtl, shape))
        parts.append("</svg>")
        return "".join(parts)

    return _both(draw, chart_id)


def _legend_rows(series, shape: Shape) -> list[list[int]]:
    """The series in rows that fit the width, each item a swatch and its name."""
    rows, used = [[]], 0.0
    for s, (name, _) in enumerate(series):
        width = 18 + text_width(name, shape.font) + 16
        if rows[-1] and used + width > shape.width - 24:
            rows.append([])
            used = 0.0
        rows[-1].append(s)
        used += width
    return rows


def _legend_height(series, shape: Shape) -> int:
    return 0 if len(series) < 2 else len(_legend_rows(series, shape)) * (shape.font + 10)


def _legend(series, y: float, rtl: bool, shape: Shape) -> list[str]:
    if len(series) < 2:
        return []
    parts = []
    for r, row in enumerate(_legend_rows(series, shape)):
        x, line = 12.0, y + r * (shape.font + 10)
        for s in row:
            name = series[s][0]
            at = shape.width - x - 12 if rtl else x
            parts.append(f'<rect x="{at:.1f}" y="{line - shape.font + 2:.1f}" width="12" '
                         f'height="12" class="{_series(s)}"/>')
            parts.append(_text(at - 6 if rtl else at + 18, line, name, "start", "legend",
                               shape.font))
            x += 18 + text_width(name, shape.font) + 16
    return parts


def bar_chart(*, chart_id: str, title: str, summary: str, bars: Sequence[tuple[str, int]],
              fmt: Callable[[int], str] = str, rtl: bool = False) -> Markup:
    """Horizontal bars, one per label: for names too long to stand under a column."""

    def draw(shape: Shape, svg_id: str) -> str:
        top = max([1, *(v for _, v in bars)])
        row, label_width = shape.font * 2 + 4, shape.label_width
        plot = shape.width - label_width - 60
        parts = _open(svg_id, title, 10 + row * max(1, len(bars)), summary, rtl, shape)
        for i, (label, value) in enumerate(bars):
            y, length = 10 + i * row, plot * value / top
            if rtl:  # labels on the right, bars growing leftwards
                x, label_x = shape.width - label_width - length, shape.width - 10
                value_x = shape.width - label_width - length - 6
            else:
                x, label_x, value_x = label_width, label_width - 10, label_width + length + 6
            shown = label
            while text_width(shown, shape.font) > label_width - 14 and len(shown) > 2:
                shown = shown[:-2] + "…"
            middle = y + (row - 8) / 2 + shape.font * .35
            parts.append(_text(label_x, middle, shown, "start" if rtl else "end", "label",
                               shape.font))
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" '
                         f'height="{row - 8}" class="{_series(0)}"><title>'
                         f'{escape(f"{label}: {fmt(value)}")}</title></rect>')
            parts.append(_text(value_x, middle, fmt(value), "start", "value", shape.font))
        parts.append("</svg>")
        return "".join(parts)

    return _both(draw, chart_id)
