"""The national report as titled tables in the reader's language: one shape for the page,
the CSV and the PDF, so the three always say the same thing.

Cells hold raw values (ints, datetimes, strings); `display` formats them for people, while
the CSV writes numbers and dates plainly for spreadsheets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import format_date, format_decimal, gettext

from ..licences.models import FindingRule
from ..reference.categories import category_name
from ..reference.countries import country_name
from ..reference.units import unit_label
from .service import NationalReport

NUMBER, TEXT, DATE = "number", "text", "date"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT
    share: int = 1  # of the width the text columns divide in the PDF: free text gets more


@dataclass
class ReportTable:
    key: str  # stable, untranslated: the CSV's section column
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    # Only where each thing is counted once: a licence has one destination, but may name
    # several categories, and pieces do not add up with rounds.
    summable: bool = False

    @property
    def totals(self) -> list | None:
        if not (self.summable and self.rows):
            return None
        return [sum(row[i] for row in self.rows) if c.kind == NUMBER else ""
                for i, c in enumerate(self.columns)]


def display(value, kind: str = TEXT) -> str:
    if value is None or value == "":
        return "—" if kind != NUMBER else ""
    if kind == NUMBER:
        return format_decimal(value)
    if kind == DATE and isinstance(value, datetime):
        return format_date(value, "medium")
    return str(value)


def country(code: str | None, locale: str) -> str:
    if not code:
        return gettext("Not stated")
    try:
        return country_name(code, locale)
    except KeyError:
        return code


def category(code: str, locale: str) -> str:
    try:
        return category_name(code, locale)
    except KeyError:
        return code


def unit(code: str, locale: str) -> str:
    try:
        return unit_label(code, locale)
    except ValueError:
        return code


def rule_label(rule: str) -> str:
    labels = {FindingRule.EMBARGO_FULL: gettext("Arms embargo (full)"),
              FindingRule.EMBARGO_PARTIAL: gettext("Arms embargo (partial)"),
              FindingRule.DENIED_PARTY: gettext("Party on the UN Consolidated List"),
              FindingRule.NATIONAL_LIST: gettext("Party on the national denied-parties list")}
    return labels.get(rule, rule)


def _by_country(key: str, title: str, what: str, rows, locale: str) -> ReportTable:
    columns = [Column(gettext("Code")), Column(gettext("Country")), Column(what, NUMBER)]
    return ReportTable(key, title, columns,
                       [[code or "", country(code, locale), n] for code, n in rows],
                       summable=True)


def _brokers(report: NationalReport, locale: str) -> list[ReportTable]:
    at = format_date(report.as_of - timedelta(seconds=1), "medium")  # 31 Dec, not 1 Jan
    return [
        _by_country("brokers_registered",
                    gettext("Brokers registered in %(year)s, by country", year=report.year),
                    gettext("Brokers"), report.brokers_registered, locale),
        _by_country("brokers_on_register",
                    gettext("Brokers on the register on %(date)s, by country", date=at),
                    gettext("Brokers"), report.brokers_on_register, locale),
    ]


def _category_columns(what: str) -> list[Column]:
    return [Column(gettext("Code")), Column(gettext("Category of goods")),
            Column(gettext("Unit")), Column(what, NUMBER)]


def _goods(report: NationalReport, locale: str) -> list[ReportTable]:
    year = report.year
    licences = ReportTable(
        "licences_by_category",
        gettext("Licences issued in %(year)s, by category of goods", year=year),
        [*_category_columns(gettext("Licences")), Column(gettext("Quantity licensed"), NUMBER)],
        [[c, category(c, locale), unit(u, locale), n, q]
         for c, u, n, q in report.licences_by_category])
    certificates = ReportTable(
        "certificates_by_category",
        gettext("End-user certificates issued in %(year)s, by category of goods", year=year),
        [*_category_columns(gettext("Certificates")),
         Column(gettext("Quantity certified"), NUMBER),
         Column(gettext("Quantity shipped"), NUMBER)],
        [[c, category(c, locale), unit(u, locale), n, q, s]
         for c, u, n, q, s in report.certificates_by_category])
    return [
        licences,
        _by_country("licences_by_destination",
                    gettext("Licences issued in %(year)s, by destination", year=year),
                    gettext("Licences"), report.licences_by_destination, locale),
        certificates,
        _by_country("certificates_by_destination",
                    gettext("End-user certificates issued in %(year)s, by destination",
                            year=year),
                    gettext("Certificates"), report.certificates_by_destination, locale),
    ]


def _denials(report: NationalReport, locale: str) -> list[ReportTable]:
    denials = ReportTable(
        "denials", gettext("Licence applications denied in %(year)s", year=report.year),
        [Column(gettext("Date"), DATE), Column(gettext("Application")),
         Column(gettext("Destination")), Column(gettext("Grounds"), share=3)],
        [[d.decided_at, f"LA-{d.licence_id:06d}", country(d.destination, locale),
          d.reason or ""] for d in report.denials])
    findings = ReportTable(
        "denial_findings",
        gettext("Screening findings on the applications denied in %(year)s", year=report.year),
        [Column(gettext("Rule")), Column(gettext("Rule name")),
         Column(gettext("Denied applications"), NUMBER)],
        [[rule, rule_label(rule), n] for rule, n in report.denial_findings])
    return [denials, findings]


def national_tables(report: NationalReport, locale: str) -> list[ReportTable]:
    deliveries = _by_country(
        "deliveries_by_destination",
        gettext("Deliveries verified in %(year)s, by destination", year=report.year),
        gettext("Deliveries"), report.deliveries_by_destination, locale)
    return [*_brokers(report, locale), *_goods(report, locale), *_denials(report, locale),
            deliveries]
