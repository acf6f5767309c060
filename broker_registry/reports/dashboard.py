"""The dashboard's figures as the page shows them: translated labels, charts and their tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_skeleton
from flask_babel import format_decimal, format_timedelta, get_locale, gettext
from markupsafe import Markup

from ..audit.models import AuditAction
from ..i18n.formats import RTL
from ..licences.models import LicenceStatus
from . import charts
from .service import Dashboard


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: Markup
    columns: list[str]  # the table's header: the first names the rows
    rows: list[list]  # [label, number, number, ...]


def _fmt(value: int) -> str:
    return format_decimal(value)


def month_label(key: str) -> str:
    year, month = key.split("-")
    return format_skeleton("yMMM", date(int(year), int(month), 1), locale=get_locale())


def short_month(key: str) -> str:
    """A chart's axis label: "Jan", "1月"."""
    year, month = key.split("-")
    return format_skeleton("MMM", date(int(year), int(month), 1), locale=get_locale())


def duration(count: int, unit: str) -> str:
    """`count` whole days or hours in the reader's language ("90 days", "90天"), plural and all.
    The huge threshold keeps Babel from turning 400 days into "1 year"."""
    return format_timedelta(timedelta(**{f"{unit}s": count}), granularity=unit,
                            threshold=10**9)


def waiting_time(since: datetime, now: datetime) -> str:
    """How long the oldest has waited, in whole hours or days, counted down: Babel would round
    an application sent a minute ago up to "1 day"."""
    waited = now - since
    if waited < timedelta(hours=1):
        return gettext("less than an hour")
    if waited < timedelta(days=1):
        return duration(waited.seconds // 3600, "hour")
    return duration(waited.days, "day")


def queue_labels() -> dict[str, str]:
    return {"registration": gettext("Registration applications"),
            "renewal": gettext("Renewal requests"),
            LicenceStatus.SUBMITTED: gettext("Licence applications to decide"),
            LicenceStatus.AWAITING_COUNTERSIGNATURE: gettext("Licences awaiting countersignature"),
            LicenceStatus.INFORMATION_REQUESTED: gettext("Licence applications awaiting the "
                                                         "broker's answer")}


def _licence_chart(data: Dashboard, months: list[str], rtl: bool) -> Chart:
    short = [short_month(m) for m in data.months]
    names = {AuditAction.LICENCE_ISSUED: gettext("Issued"),
             AuditAction.LICENCE_DENIED: gettext("Denied"),
             AuditAction.LICENCE_SUSPENDED: gettext("Suspended"),
             AuditAction.LICENCE_REVOKED: gettext("Revoked")}
    series = [(names[action], data.licence_events[action]) for action in names]
    title = gettext("Licences issued, denied, suspended and revoked per month")
    svg = charts.column_chart(chart_id="chart-licences", title=title, labels=months,
                              series=series, fmt=_fmt, rtl=rtl, summary=_summary(),
                              short_labels=short)
    rows = [[month, *(values[i] for _, values in series)] for i, month in enumerate(months)]
    return Chart("chart-licences", title, svg, [gettext("Month"), *names.values()], rows)


def _certificate_chart(data: Dashboard, months: list[str], rtl: bool) -> Chart:
    title = gettext("End-user certificates issued per month")
    name = gettext("Certificates")
    svg = charts.column_chart(chart_id="chart-certificates", title=title, labels=months,
                              series=[(name, data.certificates_issued)], fmt=_fmt, rtl=rtl,
                              summary=_summary(),
                              short_labels=[short_month(m) for m in data.months])
    rows = [[m, n] for m, n in zip(months, data.certificates_issued, strict=True)]
    return Chart("chart-certificates", title, svg, [gettext("Month"), name], rows)


def _shipment_chart(data: Dashboard, rtl: bool) -> Chart:
    title = gettext("Shipments per border post, last 12 months")
    svg = charts.bar_chart(chart_id="chart-shipments", title=title,
                           bars=data.shipments_by_post, fmt=_fmt, rtl=rtl, summary=_summary())
    return Chart("chart-shipments", title, svg, [gettext("Border post"), gettext("Shipments")],
                 [list(row) for row in data.shipments_by_post])


def _summary() -> str:
    return gettext("A bar chart; the table after it gives the same numbers.")


def dashboard_charts(data: Dashboard) -> list[Chart]:
    rtl = str(get_locale() or "en").split("_")[0] in RTL
    months = [month_label(m) for m in data.months]
    return [_licence_chart(data, months, rtl), _certificate_chart(data, months, rtl),
            _shipment_chart(data, rtl)]
