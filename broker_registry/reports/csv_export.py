"""The national report as one CSV file: every table in turn, each row led by its section.

UTF-8 with a byte-order mark, so that Excel opens Chinese and accented names correctly. Each
section starts with its title and its header row; the first column names the section with a
stable key, so a spreadsheet filter on it picks out one table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext

from .tables import ReportTable


def _plain(value) -> str | int:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return "" if value is None else value


def _cells(value) -> str | int:
    text = _plain(value)
    # A cell that starts like a formula would run in a spreadsheet: the grounds are free text.
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def render_csv(title: str, tables: Iterable[ReportTable]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([gettext("section"), title])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.key, table.title])
        writer.writerow([table.key, *(c.label for c in table.columns)])
        for row in table.rows:
            writer.writerow([table.key, *(_cells(v) for v in row)])
        if table.totals:
            writer.writerow([table.key, gettext("Total"), *table.totals[1:]])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
