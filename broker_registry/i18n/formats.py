"""The page's language, and how values are written in it: dates, numbers, money, countries,
categories, units, roles and audit actions. English and Simplified Chinese; how a request's
language is chosen is web/languages.py's.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import format_currency, format_date, format_decimal, format_time, get_locale

from ..reference.categories import category_name, is_category
from ..reference.countries import all_countries, country_name, is_country
from ..reference.currencies import is_currency, minor_units
from ..reference.units import is_unit, unit_label
from . import labels

LANGUAGES = {"en": "English", "zh": "简体中文"}
RTL = frozenset({"ar", "he", "fa", "ur"})  # ready for Arabic: a catalogue, not a redesign


def language() -> str:
    """The page's language code ("en", "zh"); English outside a request."""
    return str(get_locale() or "en").split("_")[0]


def page_language() -> dict:
    current = language()
    return {"page_lang": "zh-Hans" if current == "zh" else current,
            "page_dir": "rtl" if current in RTL else "ltr", "languages": LANGUAGES,
            "current_language": current}


# Formatting for the page's language. Dates stay dates; money keeps its ISO code in English.

def date_filter(value) -> str:
    if not value:
        return "—"
    return format_date(value, "medium")


def datetime_filter(value) -> str:
    if not value:
        return "—"
    if isinstance(value, str):  # an RFC 3339 time from a JSON answer
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return date_filter(value)
    return f"{format_date(value, 'medium')} {format_time(value, 'HH:mm')}"


def number_filter(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        return format_decimal(value)
    except (TypeError, ValueError, InvalidOperation):
        return str(value)


def money_filter(value, currency: str | None) -> str:
    if value is None or value == "" or not currency or not is_currency(currency):
        return "—" if value in (None, "") else f"{value} {currency or ''}".strip()
    digits = minor_units(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    pattern += " ¤¤¤" if language() == "zh" else " ¤¤"
    return format_currency(Decimal(str(value)), currency, pattern, currency_digits=False)


def country_filter(code) -> str:
    return country_name(code, language()) if is_country(code) else str(code or "—")


def category_filter(code) -> str:
    return category_name(code, language()) if is_category(code) else str(code or "—")


def unit_filter(code) -> str:
    return unit_label(code, language()) if is_unit(code) else str(code or "")


def quantity_filter(quantity, unit) -> str:
    return f"{number_filter(quantity)} {unit_filter(unit)}".strip()


def countries() -> tuple[tuple[str, str], ...]:
    """Every country for a select, named and sorted in the page's language."""
    return all_countries(language())


def actor_filter(actor: str | None, full: bool = True) -> str:
    """'regulator:r@example.org' as the history shows it: the role translated."""
    role, _, who = (actor or "system").partition(":")
    role_label = labels.label(labels.ROLES, role)
    return f"{role_label} {who}".strip() if full else role_label


def action_filter(action: str) -> str:
    return labels.label(labels.ACTIONS, str(action).split(".")[-1])
