"""Languages: English and Simplified Chinese, chosen by the user or the browser.

Pages: `?lang=`, then the signed-in account's choice, then the `lang` cookie, then the
browser's Accept-Language. The JSON API keeps its codes, titles and problem types in English;
only the human sentences (`detail`, `errors[].message`) follow `?lang=` or Accept-Language,
never a cookie or an account setting, so the same request always gets the same answer.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Flask, current_app, has_request_context, redirect, request
from flask_babel import (
    Babel,
    format_currency,
    format_date,
    format_decimal,
    format_time,
    get_locale,
    gettext,
)
from jinja2 import pass_context
from werkzeug.exceptions import HTTPException, default_exceptions
from werkzeug.routing import RequestRedirect

from . import labels
from .reference.categories import category_name, is_category
from .reference.countries import all_countries, country_name, is_country
from .reference.currencies import is_currency, minor_units
from .reference.units import is_unit, unit_label
from .web.auth import public
from .web.problems import API_PREFIX
from .web.redirects import same_site_path

LANGUAGES = {"en": "English", "zh": "简体中文"}
RTL = frozenset({"ar", "he", "fa", "ur"})  # ready for Arabic: a catalogue, not a redesign
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    from .web.auth import current_account

    if not has_request_context():  # the command line, mail sent from a job: English
        return "en"
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    if not request.path.startswith(API_PREFIX):  # pages, /api/docs among them
        account = current_account()
        if account is not None and account.locale in LANGUAGES:
            return account.locale
        if request.cookies.get(COOKIE) in LANGUAGES:
            return request.cookies[COOKIE]
    return request.accept_languages.best_match(list(LANGUAGES), default="en")


def language() -> str:
    """The page's language code ("en", "zh"); English outside a request."""
    return str(get_locale() or "en").split("_")[0]


def page_language() -> dict:
    current = language()
    return {"page_lang": "zh-Hans" if current == "zh" else current,
            "page_dir": "rtl" if current in RTL else "ltr", "languages": LANGUAGES,
            "current_language": current}


def _back(target: str | None) -> str:
    """The same-site page the choice was made on, without the `lang` it replaces; home when
    that address is not a page (the answer to a refused form has the form's POST-only one)."""
    back = same_site_path(target, drop=("lang",))
    if back is None or not _is_page(back.partition("?")[0]):
        return "/"
    return back


def _is_page(path: str) -> bool:
    try:
        current_app.url_map.bind("").match(path, method="GET")
    except RequestRedirect:  # a page, under a slightly different address
        return True
    except HTTPException:  # not found, or not a page one can GET
        return False
    return True


@bp.post("/language")
@public
def set_language():
    from . import db
    from .web.auth import current_account

    chosen = request.form.get("lang", "")
    response = redirect(_back(request.form.get("next") or request.referrer))
    if chosen not in LANGUAGES:
        return response
    account = current_account()
    if account is not None and account.locale != chosen:
        session = db.session()
        account.locale = chosen
        session.add(account)
        session.commit()
    response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    return response


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


# Error pages: Werkzeug's titles and descriptions are English; the page says them again.
_HTTP_TITLES = {
    400: labels.N_("Bad request"), 401: labels.N_("Authentication required"),
    403: labels.N_("Forbidden"), 404: labels.N_("Not found"),
    405: labels.N_("Method not allowed"), 409: labels.N_("Conflict"),
    413: labels.N_("Payload too large"), 422: labels.N_("Validation failed"),
    429: labels.N_("Too many requests"), 500: labels.N_("Internal server error"),
    503: labels.N_("Service unavailable"),
}
_HTTP_DETAILS = {
    400: labels.N_("The request could not be understood."),
    401: labels.N_("Sign in to see this page."),
    403: labels.N_("Your account may not see this page."),
    404: labels.N_("There is nothing at this address."),
    405: labels.N_("This address does not accept that kind of request."),
    413: labels.N_("The request body is larger than this endpoint accepts."),
    429: labels.N_("Too many requests: wait a little, then try again."),
    500: labels.N_("The server failed to answer; the error has been logged."),
    503: labels.N_("The service is unavailable for the moment."),
}
_ENGLISH_DETAILS = {  # problems.py's own sentences for these statuses
    "The request body is larger than this endpoint accepts.",
    "The server failed to answer; the error has been logged.",
}


def error_title(status: int, title: str) -> str:
    if language() == "en" or status not in _HTTP_TITLES:
        return title
    return gettext(_HTTP_TITLES[status])


def error_detail(status: int, detail: str) -> str:
    """A domain error's detail is already in the page's language; Werkzeug's is not."""
    text = str(detail or "")
    if language() == "en":
        return text
    if text.startswith(("The CSRF", "The referrer")):
        return gettext("The form expired or came from another site: go back, reload the page "
                       "and send it again.")
    werkzeug = default_exceptions.get(status)
    generic = werkzeug is not None and text in (werkzeug.description, werkzeug.name)
    if (generic or text in _ENGLISH_DETAILS or status == 429) and status in _HTTP_DETAILS:
        return gettext(_HTTP_DETAILS[status])
    return text


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale,
          default_translation_directories=str(app.root_path) + "/translations")
    app.context_processor(page_language)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(countries=countries, error_title=error_title,
                                 error_detail=error_detail, field_label=labels.field_label,
                                 verdict_sentence=labels.verdict_sentence)
    filters = {
        "date": date_filter, "datetime": datetime_filter, "number": number_filter,
        "money": money_filter, "country": country_filter, "category": category_filter,
        "unit": unit_filter, "quantity": quantity_filter, "actor": actor_filter,
        "action": action_filter,
        "status_label": lambda code: labels.label(labels.STATUSES, code),
        "role_label": lambda code: labels.label(labels.ROLES, code),
        "kind_label": lambda code: labels.label(labels.KINDS, code),
        "verdict_label": lambda code: labels.label(labels.VERDICTS, code),
        "recorded_reason": labels.recorded_reason,
    }
    app.jinja_env.filters.update({name: _per_request(f) for name, f in filters.items()})


def _per_request(function):
    """Jinja folds a filter of a constant ('full'|kind_label) once, when it compiles the
    template, in whatever language that first request had; a context filter is never folded."""

    @pass_context
    def live(_context, *args, **kwargs):
        return function(*args, **kwargs)

    return live
