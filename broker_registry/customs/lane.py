"""The border lane's page in the browser: what its own verifier needs, and its JSON calls.

The customs page verifies a code in the page (static/js/euc1/), then asks here for the live
state; it records shipments here with an Idempotency-Key, at once or, recorded offline, when
the connection returns. A queued shipment carries X-Queued-At: refused on arrival, it is kept
for regulators (service.flag_refused) and the answer says so. A partner's certificate (its
code sent with the shipment) is recorded as the federation API records it, its notice queued
to the issuer (docs/spec/federation.md section 5.1). Errors are problem+json.
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from certs.errors import MalformedError
from certs.verify import read

from .. import db
from ..certificates import service as certificates
from ..db.columns import rfc3339
from ..errors import Conflict, DomainError, ValidationFailed, invalid
from ..federation.api import shipped_abroad
from ..i18n.formats import countries
from ..i18n.verdicts import lane_table
from ..keys.authority import authority, key_store
from ..permissions import Permission, has_permission
from ..validation import parse_rfc3339
from ..web.auth import current_account, public, requires
from ..web.json_api import created, json_body
from ..web.problems import domain_error_response
from . import service
from .api import idempotency_key_sent, verified_json
from .schemas import LaneShipmentRequest, VerifyRequest

bp = Blueprint("customs_lane", __name__)
STATIC = Path(__file__).resolve().parent.parent / "static" / "customs"

# The page's own words, beside the verdict table (i18n/verdicts.py), in the page's language.
WORDS = {
    "certificate": _l("Certificate"), "licence": _l("Licence"), "broker": _l("Broker"),
    "supplier": _l("Supplier"), "consignee": _l("Consignee"), "end_user": _l("End user"),
    "destination": _l("Destination"), "end_use": _l("End use"), "left": _l("Left"),
    "line": _l("Line %(line)s"),
    "via": _l("%(destination)s, via %(countries)s"),
    "line_left": _l("line %(line)s: %(left)s of %(licensed)s left"),
    "line_unknown": _l("line %(line)s: %(licensed)s licensed, what is left is known online"),
    "line_abroad": _l("line %(line)s: %(licensed)s licensed"),
    "checked_registry": _l("Checked with the registry."),
    "checked_device": _l("Checked on this device, lists from %(age)s ago."),
    "compare_title": _l("Compare with the cargo and papers"),
    "untrusted_title": _l("Untrusted content, do not rely on it"),
    "untrusted_hint": _l("This is what the code says, but its signature did not verify: "
                         "anyone could have written it."),
    "registry_title": _l("The registry's record of %(number)s"),
    "registry_title_none": _l("The registry's record"),
    "registry_none": _l("The registry has no certificate %(number)s."),
    "differs": _l("(differs)"),
    "not_recorded": _l("NOTHING RECORDED"),
    "not_recorded_detail": _l("Nothing was recorded: %(detail)s"),
    "over": _l("Line %(line)s: %(asked)s asked, only %(left)s left."),
    "ship_title": _l("Record the shipment"), "border_post": _l("Border post"),
    "quantity": _l("Quantity crossing"), "markings": _l("Markings (serial numbers), one per line"),
    "record": _l("Record shipment"),
    "border_post_missing": _l("Enter the border post."),
    "quantity_missing": _l("Enter the quantity crossing on at least one line."),
    "line_legend": _l("Line %(line)s (%(left)s left)"),
    "line_offline": _l("Line %(line)s (%(licensed)s licensed)"),
    "recorded": _l("Shipment recorded against %(number)s."),
    "queued": _l("No connection: the shipment against %(number)s is kept on this device and "
                 "will be sent when the connection returns."),
    "queue_title": _l("Shipments recorded on this device"),
    "queued_item": _l("%(number)s at %(post)s: %(lines)s"),
    "line_quantity": _l("line %(line)s × %(quantity)s"),
    "waiting": _l("waiting to send"),
    "refused_on_arrival": _l("refused on arrival:"),
    "flagged": _l("The regulators see it on the certificate's page."),
    "dismiss": _l("Dismiss"),
    "lists_none": _l("No lists on this device yet: connect once to load them."),
    "lists_age": _l("Lists on this device from %(age)s ago (revocations sequence "
                    "%(sequence)s)."),
    "lists_stale": _l("They are past their next update (due %(age)s ago): connect to refresh "
                      "them."),
    "no_lists": _l("Not checked: no lists on this device and no connection to the registry."),
}


def lane_config() -> dict:
    """What the page's verifier reads from the page itself: the root it pins, the words of
    the one verdict table in the page's language, where to ask."""
    settings = current_app.config["SETTINGS"]
    root = key_store().root_certificate().public_bytes(Encoding.DER)
    return {"root": base64.b64encode(root).decode("ascii"), "table": lane_table(),
            "words": {name: str(text) for name, text in WORDS.items()},
            "phone": settings.authority_phone, "csrf": generate_csrf(),
            "countries": dict(countries()),
            "account": current_account().id,
            "can_ship": has_permission(current_account().role, Permission.SHIPMENT_RECORD),
            "urls": {"check": url_for("customs_lane.check"),
                     "record": url_for("customs_lane.record", number="NUMBER"),
                     "ship": url_for("customs_lane.ship", number="NUMBER"),
                     "certificate": url_for("certificates.detail", number="NUMBER"),
                     "trust": url_for("keys_api.trust_list"),
                     "revocations": url_for("revocations_api.revocations"),
                     "bundle": url_for("federation.trust_bundle"),
                     "worker": url_for("customs_lane.worker"),
                     "scope": url_for("customs.verify_page").rsplit("/", 1)[0] + "/"}}


@bp.post("/customs/verify.json")
@requires(Permission.VERIFY)
@db.read_only
def check():
    payload = json_body(VerifyRequest).payload
    return jsonify(verified_json(payload))


@bp.get("/customs/certificates/<number>/record.json")
@requires(Permission.VERIFY)
def record(number: str):
    """The registry's own record of a number, to set beside content that did not verify."""
    session = db.session()
    certificate = certificates.get_for(session, current_account(), number)
    return jsonify({"number": certificate.number, "content": certificate.content,
                    "status": str(certificate.effective_status),
                    "remaining": certificates.remaining(session, certificate)})


def _queued_at():
    raw = request.headers.get("X-Queued-At")
    if raw is None:
        return None
    try:
        return parse_rfc3339(raw.strip(), dates=False)
    except ValueError:
        raise invalid("X-Queued-At", _l("must be an RFC 3339 time")) from None


@bp.post("/customs/certificates/<number>/shipments.json")
@requires(Permission.SHIPMENT_RECORD)
def ship(number: str):
    """One of our certificates, drawn down here; a partner's (its code sent as `payload`),
    kept and its notice queued to the issuer, as POST /api/v1/federation/shipments does."""
    body, key, queued_at = json_body(LaneShipmentRequest), idempotency_key_sent(), _queued_at()
    if body.payload is not None and abroad(body.payload, number):
        return _ship_abroad(number, body, key)
    session, actor = db.session(), current_account()
    try:
        shipment = service.record_shipment(session, actor=actor, number=number,
                                           border_post=body.border_post, lines=body.lines,
                                           idempotency_key=key)
    except (Conflict, ValidationFailed) as error:
        session.rollback()
        return _refused(error, number, body, key, queued_at)
    certificate = certificates.get_for(session, actor, number)
    return created({"shipment_id": shipment.id, "certificate": certificate.number,
                    "lines": shipment.lines, "recorded_at": rfc3339(shipment.recorded_at),
                    "remaining": certificates.remaining(session, certificate)},
                   url_for("certificates.detail", number=certificate.number))


def abroad(payload: str, number: str) -> bool:
    """Whether the code sent is a partner's certificate, the one the address names (the lane
    and the page's form send it with a shipment); ValidationFailed if it is another's."""
    try:
        claims = read(payload).claims
    except MalformedError:
        raise invalid("payload", _l("The code sent with the shipment cannot be read.")) from None
    if claims.iss == authority().code:
        return False
    if claims.content.get("number") != number:
        raise invalid("payload", _l("The code sent is for another certificate.")) from None
    return True


def _ship_abroad(number: str, body, key: str | None) -> Response:
    try:
        row = shipped_abroad(body.payload, body.border_post, body.lines, key)
    except (Conflict, ValidationFailed) as error:
        db.session().rollback()
        return _refused(error, number, body, key, None)  # no certificate of ours to flag it on
    return created({"notice_id": row.notice_id, "certificate": row.certificate_number,
                    "issuer": read(body.payload).claims.iss, "lines": row.lines,
                    "recorded_at": rfc3339(row.recorded_at), "remaining": None},
                   url_for("customs.verify_page"))


def _refused(error: DomainError, number: str, body: LaneShipmentRequest, key: str | None,
             queued_at) -> Response:
    """The refusal as a problem, with the lines over-drawn; a queued shipment's refusal is
    kept and audited first (flagged: true), in a transaction of its own."""
    flagged = False
    if queued_at is not None and key is not None and not isinstance(error, service.KeyReused):
        session = db.session()
        service.flag_refused(session, actor=current_account(), number=number,
                             queued_at=queued_at, border_post=body.border_post,
                             lines=[line.model_dump() for line in body.lines],
                             idempotency_key=key, reason=error.detail)
        session.commit()
        flagged = True
    response = domain_error_response(error)
    extra = response.get_json()
    extra["flagged"] = flagged
    extra["lines"] = getattr(error, "lines", [])
    response.set_data(current_app.json.dumps(extra))
    return response


@bp.get("/customs/sw.js")
@public
def worker():
    """The service worker, from /customs/ so that its scope is the customs pages."""
    response = Response((STATIC / "sw.js").read_bytes(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
