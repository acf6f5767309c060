from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from certs.errors import MalformedError
from certs.verify import Reading, read

from .. import db
from ..certificates import service as certificates
from ..db.columns import rfc3339, utcnow
from ..errors import DomainError, invalid
from ..federation.verification import verify_anywhere
from ..keys.authority import authority
from ..permissions import Permission
from ..web.auth import (
    authorize,
    checks_in_view,
    current_account,
    current_principal,
    requires,
    unresolved_bearer_token,
)
from ..web.json_api import created, json_body, page, page_args
from . import markings, service, verification
from .images import qr_reader, read_qr, uploaded
from .schemas import DeliveryRequest, ShipmentRequest, VerifyRequest

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
    # A partner's certificate (issued_abroad) is checked against the partner's lists, though.
    abroad = any(n.code == "issued_abroad" for n in verification.notices)
    notices = [n for n in verification.notices
               if abroad or n.code != "revocation_not_checked"]
    return {"result": str(online.result), "reason": online.reason, "certificate": certificate,
            "remaining": online.remaining,
            "checked_at": rfc3339(utcnow()),
            "warnings": [notice.sentence for notice in notices],
            "reason_code": online.why.code, "reason_params": dict(online.why.params),
            "warning_codes": [notice.as_json() for notice in notices]}


def _moment(epoch: int) -> str:
    """A claim's time as the API writes times (decode_claims keeps it within 1970-9999)."""
    return rfc3339(datetime.fromtimestamp(epoch, UTC))


def verified_json(payload, known=None) -> dict:
    """The answer for a payload, whichever trusted authority issued it."""
    return verification_json(verify_anywhere(
        db.reader(), payload, home=authority(), ours=current_app.extensions["server_trust"],
        partners=current_app.extensions["foreign_trust"], known=known))


@bp.post("/verify")
@checks_in_view(Permission.VERIFY)
@db.read_only
def verify():
    """The busiest request at a border, in one round trip: when a bearer token comes with a
    readable payload, the token's check and the certificate's record are one query, and the
    permission is checked on the principal it found. Every refusal keeps its order (401,
    403, then 400/413/422 for the body, then MALFORMED); without a token nothing is decoded."""
    token = unresolved_bearer_token()
    reading = None if token is None else _reading()
    if reading is None:
        authorize(current_principal(), Permission.VERIFY)
        return jsonify(verified_json(json_body(VerifyRequest).payload))
    principal, state = verification.principal_and_state(db.reader(), token, reading.cti_hash)
    authorize(principal, Permission.VERIFY)
    return jsonify(verified_json(reading, (reading.cti_hash, state)))


def _reading() -> Reading | None:
    """The body's payload decoded, or None: what is amiss is answered after the check."""
    try:
        return read(json_body(VerifyRequest).payload)
    except (DomainError, MalformedError):
        return None


@bp.post("/verify/image")
@requires(Permission.VERIFY)
@db.read_only
def verify_image():
    upload = request.files.get("image")
    if upload is None:
        raise invalid("image", _l("send the photo as multipart form field 'image'"))
    return jsonify(verified_json(read_qr(uploaded(upload), qr_reader())))


# As long as the column that keeps it; a longer key is refused, never cut short, since two
# different keys cut to the same prefix would make the second shipment a "retry" of the first.
IDEMPOTENCY_KEY_LENGTH = 200


def idempotency_key_sent() -> str | None:
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
    body, key = json_body(ShipmentRequest), idempotency_key_sent()
    session, actor = db.session(), current_account()
    shipment = service.record_shipment(session, actor=actor, number=number,
                                       border_post=body.border_post, lines=body.lines,
                                       idempotency_key=key)
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
