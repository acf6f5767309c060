"""The audit log as a page: `/admin/audit`, the API's filters as a GET form."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from .. import db
from ..audit.models import AuditAction
from ..errors import ValidationFailed
from ..permissions import Permission, has_permission
from ..validation import whole_number
from ..web.auth import current_account, requires
from ..web.forms import errors_by_field
from ..web.json_api import next_cursor
from .reading import FILTERS, SUBJECT_TYPES, entries, entry_json, read_query, seq_of
from .telling import changes, subject_names

bp = Blueprint("audit", __name__)

# Subject types and the first word of actions ("shipment.recorded"), as the page names them.
TOPICS = {
    "account": _l("Account"),
    "token": _l("API token"),
    "broker": _l("Broker"),
    "licence": _l("Licence"),
    "certificate": _l("Certificate"),
    "signer": _l("Signing key"),
    "embargo": _l("Embargo"),
    "denied_list": _l("Denied parties"),
    "screening": _l("Screening"),
    "shipment": _l("Shipment"),
    "delivery": _l("Delivery"),
    "authority": _l("Foreign authority"),
    "notice": _l("Shipment notice"),
}

# The subjects that have a page, and what a reader needs to open any one of them.
SUBJECT_PAGES = {
    "broker": (Permission.BROKER_READ_ANY, "brokers.detail", "broker_id"),
    "licence": (Permission.LICENCE_READ_ANY, "licences.detail", "licence_id"),
    "certificate": (Permission.CERTIFICATE_READ_ANY, "certificates.detail", "number"),
}


def topic(code: str) -> str:
    return str(TOPICS.get(code, code))


def subject_url(subject_type: str, subject_id: str, role: str) -> str | None:
    if subject_type not in SUBJECT_PAGES:
        return None
    permission, endpoint, argument = SUBJECT_PAGES[subject_type]
    if not has_permission(role, permission):
        return None
    if argument == "number":
        return url_for(endpoint, number=subject_id)
    number = whole_number(subject_id, digits=10)
    return url_for(endpoint, **{argument: number}) if number and number < 2**31 else None


@bp.get("/admin/audit")
@requires(Permission.AUDIT_READ)
def index():
    typed = {name: request.args.get(name, "").strip() for name in FILTERS}
    try:
        filters, limit, before = read_query()
    except ValidationFailed as error:
        return _page(typed, [], None, errors_by_field(error)), 422
    session = db.session()
    rows = entries(session, filters=filters, limit=limit, before=before)
    role = current_account().role
    items = [{**entry_json(row), "subject_url": subject_url(row[0].subject_type,
                                                            row[0].subject_id, role)}
             for row in rows[:limit]]
    names = subject_names(session, items)
    for item in items:
        item["subject_name"] = names.get((item["subject_type"], str(item["subject_id"])))
        item["changes"] = changes(item["before"], item["after"])
    cursor = next_cursor(rows, limit, seq_of)
    older = None
    if cursor:
        kept = {name: value for name, value in typed.items() if value}
        if "limit" in request.args:
            kept["limit"] = request.args["limit"]
        older = url_for("audit.index", **kept, cursor=cursor)
    return _page(typed, items, older, {})


def _page(typed: dict, items: list[dict], older: str | None, errors: dict):
    return render_template("audit/index.html", form=typed, items=items, older=older,
                           errors=errors, subject_types=SUBJECT_TYPES,
                           actions=[str(a) for a in AuditAction], topic=topic)
