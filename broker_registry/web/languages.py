"""Languages: English and Simplified Chinese, chosen by the user or the browser.

Pages: `?lang=`, then the signed-in account's choice, then the `lang` cookie, then the
browser's Accept-Language. The JSON API keeps its codes, titles and problem types in English;
only the human sentences (`detail`, `errors[].message`) follow `?lang=` or Accept-Language,
never a cookie or an account setting, so the same request always gets the same answer.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, has_request_context, redirect, request
from flask_babel import Babel, gettext
from jinja2 import pass_context
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from .. import db
from ..i18n import form_messages, formats, labels, reasons, verdicts
from ..i18n.formats import LANGUAGES, language
from . import tags
from .auth import current_account, public
from .problems import API_PREFIX
from .redirects import same_site_path

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = "i18n/translations"  # under the package: make translations writes there

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
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


def back_to(target: str | None) -> str:
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
    chosen = request.form.get("lang", "")
    response = redirect(back_to(request.form.get("next") or request.referrer))
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


def error_title(status: int, title: str) -> str:
    if language() == "en" or status not in _HTTP_TITLES:
        return title
    return gettext(_HTTP_TITLES[status])


def error_detail(status: int, detail: str, reason: str | None = None) -> str:
    """A domain error's detail is already in the page's language; an HTTP error's is not, and
    web/problems.py says by `reason` which it is ("csrf", "http": the status's own)."""
    text = str(detail or "")
    if language() == "en":
        return text
    if reason == "csrf":
        return gettext("The form expired or came from another site: go back, reload the page "
                       "and send it again.")
    if reason == "http" and status in _HTTP_DETAILS:
        return gettext(_HTTP_DETAILS[status])
    return text


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale,
          default_translation_directories=f"{app.root_path}/{TRANSLATIONS}")
    app.context_processor(formats.page_language)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(countries=formats.countries, error_title=error_title,
                                 error_detail=error_detail, field_label=labels.field_label,
                                 reason_sentence=verdicts.verification,
                                 error_control=form_messages.control_id,
                                 error_row=form_messages.row_of)
    filters = {
        "date": formats.date_filter, "datetime": formats.datetime_filter,
        "number": formats.number_filter, "money": formats.money_filter,
        "country": formats.country_filter, "category": formats.category_filter,
        "unit": formats.unit_filter, "quantity": formats.quantity_filter,
        "actor": formats.actor_filter, "action": formats.action_filter,
        "status_label": lambda code: labels.label(labels.STATUSES, code),
        "role_label": lambda code: labels.label(labels.ROLES, code),
        "kind_label": lambda code: labels.label(labels.KINDS, code),
        "verdict_label": lambda code: labels.label(labels.VERDICTS, code),
        "recorded_reason": reasons.recorded_reason,
    }
    app.jinja_env.filters["status_tone"] = tags.tone
    app.jinja_env.filters.update({name: _per_request(f) for name, f in filters.items()})


def _per_request(function):
    """Jinja folds a filter of a constant ('full'|kind_label) once, when it compiles the
    template, in whatever language that first request had; a context filter is never folded."""

    @pass_context
    def live(_context, *args, **kwargs):
        return function(*args, **kwargs)

    return live
