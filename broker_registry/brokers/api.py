from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from .. import db
from ..audit.service import history, internal_note
from ..errors import invalid
from ..permissions import Permission, has_permission
from ..sanctions.service import sanction_broker
from ..validation import Country, parse_value
from ..web.auth import current_account, public, requires
from ..web.json_api import created, json_body, page, page_args
from ..web.serialise import public as as_public
from . import service
from .models import RegistrationStatus
from .schemas import BrokerApplication, BrokerPublic, Decision, HistoryItem, Reason, RegisterEntry

bp = Blueprint("brokers_api", __name__, url_prefix="/api/v1")


def broker_json(broker, viewer) -> dict:
    entries = history(db.session(), "broker", broker.id)
    staff = has_permission(viewer.role, Permission.BROKER_READ_ANY)
    items = [as_public(HistoryItem, {"action": e.action, "at": e.at, "reason": e.reason,
                                     "by": e.actor if staff else e.actor.split(":")[0],
                                     "internal_note": internal_note(e) if staff else None})
             for e in entries]
    return as_public(BrokerPublic, broker, status=str(broker.effective_status), history=items)


@bp.post("/brokers")
@requires(Permission.BROKER_APPLY)
def apply():
    application = json_body(BrokerApplication)
    session = db.session()
    broker = service.apply(session, owner=current_account(), application=application)
    session.commit()
    return created(broker_json(broker, current_account()), f"/api/v1/brokers/{broker.id}")


@bp.get("/brokers/<int:broker_id>")
@requires(Permission.BROKER_READ)
def get(broker_id: int):
    broker = service.get_for(db.session(), current_account(), broker_id)
    return jsonify(broker_json(broker, current_account()))


@bp.get("/brokers")
@requires(Permission.BROKER_READ)
def list_brokers():
    limit, after = page_args()
    status = request.args.get("status") or None
    if status and status not in {*RegistrationStatus, "renewal"}:
        raise invalid("status", _l("'%(status)s' is not a registration status", status=status))
    country = parse_value(Country, request.args.get("country"), "country")
    account = current_account()
    owner_id = None if has_permission(account.role, Permission.BROKER_READ_ANY) else account.id
    rows = service.queue(db.session(), status=status, country=country, limit=limit, after=after,
                         owner_id=owner_id)
    return page(rows, limit, lambda b: as_public(BrokerPublic, b, status=str(b.effective_status)))


@bp.post("/brokers/<int:broker_id>/decision")
@requires(Permission.BROKER_DECIDE)
def decide(broker_id: int):
    body = json_body(Decision)
    session = db.session()
    settings = current_app.config["SETTINGS"]
    broker = service.decide(session, actor=current_account(), broker_id=broker_id,
                            decision=body.decision, reason=body.reason,
                            years=settings.registration_years,
                            country=settings.authority_country, note=body.internal_note,
                            mail=bool(settings.smtp_url))
    session.commit()
    return jsonify(broker_json(broker, current_account()))


def _sanction(broker_id: int, action: str):
    body = json_body(Reason)
    session = db.session()
    broker = sanction_broker(session, actor=current_account(), broker_id=broker_id,
                             action=action, reason=body.reason, note=body.internal_note,
                             mail=bool(current_app.config["SETTINGS"].smtp_url))
    session.commit()
    return jsonify(broker_json(broker, current_account()))


@bp.post("/brokers/<int:broker_id>/suspend")
@requires(Permission.BROKER_SANCTION)
def suspend(broker_id: int):
    return _sanction(broker_id, "suspend")


@bp.post("/brokers/<int:broker_id>/reinstate")
@requires(Permission.BROKER_SANCTION)
def reinstate(broker_id: int):
    return _sanction(broker_id, "reinstate")


@bp.post("/brokers/<int:broker_id>/revoke")
@requires(Permission.BROKER_SANCTION)
def revoke(broker_id: int):
    return _sanction(broker_id, "revoke")


@bp.post("/brokers/<int:broker_id>/renewal")
@requires(Permission.BROKER_APPLY)
def renewal(broker_id: int):
    session = db.session()
    json_body(allow_empty=True)
    broker = service.request_renewal(
        session, owner=current_account(), broker_id=broker_id,
        window_days=current_app.config["SETTINGS"].renewal_window_days)
    session.commit()
    return jsonify(broker_json(broker, current_account()))


@bp.get("/public/brokers")
@public
def public_register():
    limit, after = page_args()
    q = request.args.get("q", "").strip()[:200] or None
    country = parse_value(Country, request.args.get("country"), "country")
    rows = service.public_register(db.session(), q=q, country=country, limit=limit, after=after)
    return page(rows, limit, lambda b: as_public(RegisterEntry, b, status=str(b.effective_status)))
