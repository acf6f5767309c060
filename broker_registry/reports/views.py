"""The regulator's dashboard and the yearly national report: page, CSV and PDF."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext

from .. import db
from ..db.columns import utcnow
from ..errors import NotFound
from ..permissions import Permission
from ..validation import whole_number
from ..web.auth import requires
from . import service
from .csv_export import render_csv
from .dashboard import dashboard_charts, duration, queue_labels, waiting_time
from .pdf import render_pdf
from .tables import country, display, national_tables

bp = Blueprint("reports", __name__)


def _locale() -> str:
    return str(get_locale() or "en")


def _no_report(year: int | str) -> str:
    """Why there is no report for a year, naming the years there are."""
    return gettext("There is no national report for %(year)s: choose a year from %(first)s "
                   "to %(last)s.", year=year, first=service.FIRST_YEAR, last=utcnow().year)


def _report(year: int):
    """The report's title and tables, or a 404 for a year the registry cannot report on."""
    now = utcnow()
    if not service.is_reportable(year, now=now):
        raise NotFound(_no_report(year))
    report = service.national_report(db.session(), year=year, now=now)
    title = gettext("National report on arms brokering, %(year)s", year=year)
    return report, title, national_tables(report, _locale())


@bp.get("/regulator/dashboard")
@requires(Permission.REPORTS_READ)
def dashboard():
    days, now = current_app.config["SETTINGS"].delivery_overdue_days, utcnow()
    data = service.dashboard(db.session(), now=now, overdue_days=days)
    return render_template("reports/dashboard.html", data=data, charts=dashboard_charts(data),
                           queue_labels=queue_labels(), overdue_period=duration(days, "day"),
                           waited=lambda since: waiting_time(since, now),
                           country_label=lambda code: country(code, _locale()))


@bp.get("/regulator/reports")
@requires(Permission.REPORTS_READ)
def index():
    asked, error = request.args.get("year", "").strip(), None
    if asked:
        # Any year asked for gets its report, or the list of years with the reason why not.
        year = whole_number(asked, digits=4)
        if year is not None and service.is_reportable(year, now=utcnow()):
            return redirect(url_for("reports.national", year=year))
        error = _no_report(asked if len(asked) <= 12 else asked[:11] + "…")
    years = service.reportable_years(db.session(), now=utcnow())
    return render_template("reports/index.html", years=years, error=error), \
        404 if error else 200


@bp.get("/regulator/reports/<int:year>")
@requires(Permission.REPORTS_READ)
def national(year: int):
    report, title, tables = _report(year)
    years = service.reportable_years(db.session(), now=utcnow())
    return render_template("reports/national.html", report=report, title=title,
                           tables=tables, years=years, display=display)


@bp.get("/regulator/reports/<int:year>.csv")
@requires(Permission.REPORTS_READ)
def national_csv(year: int):
    _, title, tables = _report(year)
    return _download(render_csv(title, tables), "text/csv; charset=utf-8", f"{year}.csv")


@bp.get("/regulator/reports/<int:year>.pdf")
@requires(Permission.REPORTS_READ)
def national_pdf(year: int):
    _, title, tables = _report(year)
    subtitle = gettext("Figures as recorded on %(date)s.", date=display(utcnow(), "date"))
    body = render_pdf(title=title, subtitle=subtitle, tables=tables,
                      font_file=current_app.config["SETTINGS"].cjk_font)
    return _download(body, "application/pdf", f"{year}.pdf")


def _download(body: bytes, mimetype: str, suffix: str) -> Response:
    response = Response(body, mimetype=mimetype.split(";")[0])
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="national-report-{suffix}"'
    response.headers["Cache-Control"] = "no-store"
    return response
