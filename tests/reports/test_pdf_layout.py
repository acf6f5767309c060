"""The national report PDF numbers its pages ("Page 2 of 5", in the reader's language) and
never leaves a table's heading at the foot of a page, away from its table."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from broker_registry.reports.pdf import render_pdf
from broker_registry.reports.tables import NUMBER, Column, ReportTable

from .conftest import pdf_text


def tables() -> list[ReportTable]:
    """Tables of 1 to 14 rows: over enough pages that some heading falls near a page's end."""
    return [ReportTable(f"t{n}", f"Heading{n:02d}", [Column("What"), Column("Count", NUMBER)],
                        [[f"Row{n:02d}x{i}", i] for i in range(1, n % 14 + 2)])
            for n in range(1, 41)]


def pages(app, tmp_path, lang: str) -> list[str]:
    with app.test_request_context(), force_locale(lang):
        body = render_pdf(title="National report", subtitle="2026", tables=tables())
    return pdf_text(body, tmp_path).split("\f")[:-1]  # pdftotext ends each page with \f


@pytest.mark.parametrize("lang, label", [("en", "Page {} of {}"), ("zh", "第 {} 页，共 {} 页")])
def test_every_page_is_numbered(app, tmp_path, lang, label):
    found = pages(app, tmp_path, lang)
    assert len(found) >= 3
    for number, text in enumerate(found, start=1):
        assert label.format(number, len(found)) in text, (number, text[-200:])


def test_a_heading_stays_with_its_table(app, tmp_path):
    for number, text in enumerate(pages(app, tmp_path, "en"), start=1):
        for heading in re.findall(r"Heading(\d\d)", text):
            assert f"Row{heading}x1" in text, f"Heading{heading} alone at the foot of page " \
                                              f"{number}"
