"""The national report as an A4 PDF, in the reader's language, with the embedded CJK font,
numbered pages, and each table's heading kept on the page where its table starts."""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import partial
from xml.sax.saxutils import escape

from flask_babel import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..certificates.pdf import cjk_font  # one place decides which CJK font is embedded
from .tables import NUMBER, TEXT, ReportTable, display

WIDTH, NARROW = 180 * mm, 30 * mm
# A heading starts a new page unless this much is left below it: room for the heading, the
# header row and the first rows, so that no heading is left alone at the foot of a page.
HEADING_WITH_ROWS = 35 * mm


class NumberedCanvas(Canvas):
    """Keeps every page until the document ends, then writes "Page n of N" at each foot."""

    def __init__(self, *args, footer, font: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer, self._font, self._held = footer, font, []

    def showPage(self):  # noqa: N802 - ReportLab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held)
        for number, page in enumerate(self._held, start=1):
            self.__dict__.update(page)
            self.setFont(self._font, 8)
            self.drawRightString(A4[0] - 15 * mm, 8 * mm, self._footer(number, total))
            super().showPage()
        super().save()


def _page_label(number: int, total: int) -> str:
    return gettext("Page %(page)s of %(pages)s", page=number, pages=total)


def _styles(font_file: str) -> dict[str, ParagraphStyle]:
    font = cjk_font(font_file)
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=11)
    return {"title": ParagraphStyle("title", fontName=font, fontSize=16, leading=21),
            "heading": ParagraphStyle("heading", fontName=font, fontSize=11, leading=15,
                                      spaceBefore=8, spaceAfter=4),
            "body": body,
            "number": ParagraphStyle("number", parent=body, alignment=2),
            "header": ParagraphStyle("header", parent=body, textColor=colors.HexColor("#333"))}


def _p(text, style) -> Paragraph:
    # The grounds of a denial are free text: their line breaks are part of what was written.
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(table: ReportTable, s) -> list:
    header = [_p(c.label, s["header"]) for c in table.columns]
    rows = [[_p(display(v, c.kind), s["number" if c.kind == NUMBER else "body"])
             for v, c in zip(row, table.columns, strict=True)] for row in table.rows]
    if table.totals:
        rows.append([_p(gettext("Total"), s["header"])]
                    + [_p(display(v, c.kind) if c.kind == NUMBER else "", s["number"])
                       for v, c in zip(table.totals[1:], table.columns[1:], strict=True)])
    if not rows:
        return [CondPageBreak(HEADING_WITH_ROWS), _p(table.title, s["heading"]),
                _p(gettext("None in this year."), s["body"])]
    # The grounds of a denial may run to 4,000 characters, longer than a page in their column:
    # such a row continues on the next page rather than failing the whole report.
    grid = Table([header, *rows], repeatRows=1, hAlign="LEFT", colWidths=_widths(table),
                 splitInRow=1)
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eaeef2")),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [CondPageBreak(HEADING_WITH_ROWS), _p(table.title, s["heading"]), grid]


def _widths(table: ReportTable) -> list[float]:
    """Numbers and dates narrow, text columns sharing what is left of the 180 mm."""
    text = [c.share for c in table.columns if c.kind == TEXT]
    unit = (WIDTH - NARROW * (len(table.columns) - len(text))) / max(1, sum(text))
    return [unit * c.share if c.kind == TEXT else NARROW for c in table.columns]


def render_pdf(*, title: str, subtitle: str, tables: Iterable[ReportTable],
               font_file: str = "") -> bytes:
    s, buffer = _styles(font_file), io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm, title=title)
    story = [_p(title, s["title"]), _p(subtitle, s["body"]), Spacer(1, 4 * mm)]
    for table in tables:
        story.extend(_table(table, s))
    document.build(story, canvasmaker=partial(NumberedCanvas, footer=_page_label,
                                              font=cjk_font(font_file)))
    return buffer.getvalue()
