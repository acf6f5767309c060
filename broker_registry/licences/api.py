from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from .. import db
from ..audit.service import history, internal_note
from ..brokers.models import Broker
from ..db.columns import rfc3339
from ..errors import invalid
from ..permissions import Permission, has_permission
from ..reference.categories import CATEGORIES
from ..sanctions.service import sanction_licence
from ..validation import Country, parse_value, whole_number
from ..web.auth import current_account, public, requires
from ..web.json_api import created, json_body, page, page_args
from ..web.serialise import public as as_public
from . import service, workflow
from .models import LicenceStatus
from .schemas import (
    BrokerResponse,
    FindingPublic,
    LicenceApplication,
    LicenceDecision,
    LicencePublic,
    LinePublic,
    Reason,
)
from .screening import as_seen_by, findings_of

bp = Blueprint("licences_api", __name__, url_prefix="/api/v1")


def licence_json(licence, viewer, *, full: bool = True) -> dict:
    session = db.session()
    data = as_public(LicencePublic, licence, status=str(licence.effective_status))
    if not full:
        return data
    broker = session.get(Broker, licence.broker_id)
    staff = has_permission(viewer.role, Permission.LICENCE_READ_ANY)
    data["broker"] = {"id": broker.id, "legal_name": broker.legal_name,
                      "registration_number": broker.registration_number,
                      "status": str(broker.effective_status)}
    data["goods"] = [as_public(LinePublic, line) for line in service.lines_of(session, licence.id)]
    data["screening"] = [as_public(FindingPublic, as_seen_by(f, staff=staff))
                         for f in findings_of(session, licence.id)]
    data["history"] = [{"action": e.action, "at": rfc3339(e.at),
                        "reason": e.reason, "by": e.actor if staff else e.actor.split(":")[0],
                        **({"internal_note": internal_note(e)} if staff else {})}
                       for e in history(session, "licence", licence.id)]
    return data


def _settings():
    return current_app.config["SETTINGS"]


@bp.get("/categories")
@public
def categories():
    lang = request.args.get("lang", "en")
    limit, after = page_args()  # the cursor is the position of the last category given
    numbered = list(enumerate(CATEGORIES, start=1))[after or 0:(after or 0) + limit + 1]
    return page(numbered, limit, lambda item: {"code": item[1].code, "name": item[1].name(lang)},
                key=lambda item: item[0])


@bp.post("/licences")
@requires(Permission.LICENCE_APPLY)
def apply():
    application = json_body(LicenceApplication)
    session = db.session()
    licence = service.apply(session, owner=current_account(), application=application,
                            threshold=_settings().screening_threshold)
    session.commit()
    return created(licence_json(licence, current_account()), f"/api/v1/licences/{licence.id}")


@bp.get("/licences/<int:licence_id>")
@requires(Permission.LICENCE_READ)
def get(licence_id: int):
    licence = service.get_for(db.session(), current_account(), licence_id)
    return jsonify(licence_json(licence, current_account()))


def _list_args() -> dict:
    status = request.args.get("status") or None
    if status and status not in LicenceStatus._value2member_map_:
        raise invalid("status", _l("'%(status)s' is not a licence status", status=status))
    raw = request.args.get("broker_id") or None
    broker_id = None if raw is None else whole_number(raw, digits=9)
    if raw is not None and broker_id is None:
        raise invalid("broker_id", _l("must be a broker id"))
    return {"status": status, "country": parse_value(Country, request.args.get("country"),
                                                     "country"),
            "broker_id": broker_id}


@bp.get("/licences")
@requires(Permission.LICENCE_READ)
def list_licences():
    limit, after = page_args()
    args, account = _list_args(), current_account()
    if has_permission(account.role, Permission.LICENCE_READ_ANY):
        rows = service.queue(db.session(), **args, limit=limit, after=after)
    else:
        rows = service.owned_by(db.session(), account, status=args["status"], limit=limit,
                                after=after)
    return page(rows, limit, lambda lic: licence_json(lic, account, full=False))


@bp.post("/licences/<int:licence_id>/decision")
@requires(Permission.LICENCE_DECIDE)
def decide(licence_id: int):
    body = json_body(LicenceDecision)
    session = db.session()
    licence = workflow.decide(session, actor=current_account(), licence_id=licence_id,
                              decision=body.decision, reason=body.reason,
                              acknowledge=body.acknowledge_findings, settings=_settings(),
                              list_parties=tuple(body.list_parties),
                              listing_grounds=body.listing_grounds, note=body.internal_note)
    session.commit()
    return jsonify(licence_json(licence, current_account()))


@bp.post("/licences/<int:licence_id>/response")
@requires(Permission.LICENCE_APPLY)
def respond(licence_id: int):
    body = json_body(BrokerResponse)
    session = db.session()
    licence = workflow.respond(session, owner=current_account(), licence_id=licence_id,
                               response=body.response, settings=_settings())
    session.commit()
    return jsonify(licence_json(licence, current_account()))


@bp.post("/licences/<int:licence_id>/<any(suspend, reinstate, revoke):action>")
@requires(Permission.LICENCE_SANCTION)
def sanction(licence_id: int, action: str):
    body = json_body(Reason)
    session = db.session()
    licence = sanction_licence(session, actor=current_account(), licence_id=licence_id,
                               action=action, reason=body.reason, settings=_settings(),
                               note=body.internal_note)
    session.commit()
    return jsonify(licence_json(licence, current_account()))
