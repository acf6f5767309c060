from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from certs.errors import MalformedError
from certs.verify import read

from .. import db
from ..certificates import service as certificates
from ..db.columns import rfc3339, utcnow
from ..errors import DomainError, invalid
from ..permissions import Permission
from ..web.auth import bearer_token_sent, check_token_with, current_account, requires
from ..web.json_api import created, json_body, page, page_args
from . import markings, service
from .images import qr_reader, read_qr, uploaded
from .schemas import DeliveryRequest, ShipmentRequest, VerifyRequest
from .verification import STATE_WITH_PRINCIPAL, state_from_rows, verify_online

bp = Blueprint("customs_api", __name__, url_prefix="/api/v1")


def verification_json(online) -> dict:
    verification = online.verification
    certificate = None
    if verification.claims is not None:
        claims = verification.claims
        certificate = {**claims.content, "issuer": claims.iss,
                       "issued_at": _moment(claims.iat), "valid_from": _moment(claims.nbf),
                       "valid_until": _moment(claims.exp)}
        if online.certificate is not None:
            certificate["status"] = str(online.certificate.effective_status)
    # Online, the registry's own records are the revocation list: nothing to warn about that.
    notices = [n for n in verification.notices if n.code != "revocation_not_checked"]
    return {"result": str(online.result), "reason": online.reason, "certificate": certificate,
            "remaining": online.remaining,
            "checked_at": rfc3339(utcnow()),
            "warnings": [notice.sentence for notice in notices],
            "reason_code": online.why.code, "reason_params": dict(online.why.params),
            "warning_codes": [notice.as_json() for notice in notices]}


def _moment(epoch: int) -> str:
    """A claim's time as the API writes times (decode_claims keeps it within 1970-9999)."""
    return rfc3339(datetime.fromtimestamp(epoch, UTC))


def _verify(payload, known=None):
    return verification_json(verify_online(db.reader(), payload,
                                           current_app.extensions["server_trust"], known))


def _read_ahead() -> None:
    """Before POST /verify's permission check: when the body holds a readable payload, check
    the token and read the certificate's record in one round trip, not two (the busiest
    request at a border). Anything amiss is left for the check and the view to answer, in
    their usual order. Without a token there is nothing to check: no decoding either."""
    if not bearer_token_sent():
        return
    try:
        reading = read(json_body(VerifyRequest).payload)
    except (DomainError, MalformedError):
        return
    rows = check_token_with(STATE_WITH_PRINCIPAL, {"h": reading.cti_hash})
    if rows is not None:
        g.verify_ahead = (reading, (reading.cti_hash, state_from_rows(rows)))


@bp.post("/verify")
@requires(Permission.VERIFY, ahead=_read_ahead)
@db.read_only
def verify():
    if "verify_ahead" in g:
        return jsonify(_verify(*g.verify_ahead))
    return jsonify(_verify(json_body(VerifyRequest).payload))


@bp.post("/verify/image")
@requires(Permission.VERIFY)
@db.read_only
def verify_image():
    upload = request.files.get("image")
    if upload is None:
        raise invalid("image", _l("send the photo as multipart form field 'image'"))
    return jsonify(_verify(read_qr(uploaded(upload), qr_reader())))


# As long as the column that keeps it; a longer key is refused, never cut short, since two
# different keys cut to the same prefix would make the second shipment a "retry" of the first.
IDEMPOTENCY_KEY_LENGTH = 200


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > IDEMPOTENCY_KEY_LENGTH:
        raise invalid("Idempotency-Key", _l("An Idempotency-Key has at most %(n)d characters.",
                                            n=IDEMPOTENCY_KEY_LENGTH))
    if not key.isprintable():  # NUL above all, which PostgreSQL refuses in any string
        raise invalid("Idempotency-Key", _l("contains a control character"))
    return key or None


@bp.post("/certificates/<number>/shipments")
@requires(Permission.SHIPMENT_RECORD)
def shipments(number: str):
    body = json_body(ShipmentRequest)
    key = _idempotency_key()
    body_hash = service.request_hash({"number": number, **body.model_dump()})
    session, actor = db.session(), current_account()
    try:
        shipment = service.draw(session, actor=actor, number=number,
                                border_post=body.border_post, lines=body.lines,
                                idempotency_key=key, body_hash=body_hash)
        session.commit()
    except IntegrityError:
        # The same key raced in from another worker and won: answer as it was answered.
        session.rollback()
        shipment = service.replay(session, actor, key, body_hash)
    certificate = certificates.get_for(session, actor, number)
    return created({"shipment_id": shipment.id, "certificate": certificate.number,
                    "border_post": shipment.border_post, "lines": shipment.lines,
                    "recorded_at": rfc3339(shipment.recorded_at),
                    "remaining": certificates.remaining(session, certificate),
                    "warnings": markings.warnings_of(session, shipment)},
                   f"/api/v1/certificates/{certificate.number}")


@bp.post("/certificates/<number>/delivery")
@requires(Permission.DELIVERY_RECORD)
def delivery(number: str):
    body = json_body(DeliveryRequest)
    session = db.session()
    confirmed = service.confirm_delivery(session, actor=current_account(), number=number,
                                         received_at=body.received_at, lines=body.lines,
                                         remarks=body.remarks)
    session.commit()
    return created({"certificate": number, "received_at": rfc3339(body.received_at),
                    "lines": confirmed.lines, "remarks": confirmed.remarks},
                   f"/api/v1/certificates/{number}")


@bp.get("/markings/<path:marking>")
@requires(Permission.TRACE)
def trace(marking: str):
    limit, after = page_args()
    rows = service.trace(db.session(), marking, limit=limit + 1, after=after)
    return page(rows, limit, _trace_json, key=lambda row: row["id"])


def _trace_json(row: dict) -> dict:
    return {**{k: v for k, v in row.items() if k != "id"},
            "recorded_at": rfc3339(row["recorded_at"])}


@bp.get("/certificates/overdue")
@requires(Permission.TRACE)
def overdue():
    days = current_app.config["SETTINGS"].delivery_overdue_days
    limit, after = page_args()
    rows = service.overdue(db.session(), days=days, limit=limit + 1, after=after)
    return page(rows, limit, lambda c: {"number": c.number,
                                        "last_shipment_at": rfc3339(c.last_shipment_at)})
