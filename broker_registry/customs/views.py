from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from certs.verify import read

from .. import db
from ..certificates.views import detail as certificate_page
from ..db.columns import rfc3339, utcnow
from ..errors import Conflict, FieldError, NotFound, PayloadTooLarge, ValidationFailed
from ..federation import notices
from ..federation.api import shipped_abroad
from ..federation.verification import verify_anywhere
from ..i18n.verdicts import UNTRUSTED_RESULTS, action_text, reason_text
from ..keys.authority import authority
from ..permissions import Permission
from ..revocations import service as revocations
from ..validation import DATE_ONLY, number_or_text, parse, parse_rfc3339, whole_number
from ..web.auth import current_account, requires
from ..web.forms import errors_by_field
from ..web.submissions import claim, earlier_result, record_result, sent_nonce
from . import markings, service
from .api import verification_json
from .images import qr_reader, read_qr, uploaded
from .lane import abroad, lane_config
from .schemas import MAX_PAYLOAD, DeliveryRequest, ShipmentRequest
from .verification import note_code

bp = Blueprint("customs", __name__)


def _answer(payload: str | None, errors: dict, status: int = 200, refused: bool = False):
    """The page, with the registry's verdict on `payload`; refused: a shipment was not
    recorded, and the banner says so instead of the verdict."""
    answer = None
    if payload:
        online = verify_anywhere(
            db.reader(), payload, home=authority(),
            ours=current_app.extensions["server_trust"],
            partners=current_app.extensions["foreign_trust"])
        answer = verification_json(online)
        answer["reason_params"].update(note_code(db.reader(), online))
    phone = current_app.config["SETTINGS"].authority_phone
    return render_template("customs/verify.html", answer=answer, payload=payload or "",
                           errors=errors, sequence=revocations.sequence(db.session()),
                           refused=refused, lane=lane_config(), reason_text=reason_text,
                           home=authority().code,
                           action_text=lambda result: action_text(result, phone),
                           untrusted_results=UNTRUSTED_RESULTS), status


@bp.get("/customs/verify")
@requires(Permission.VERIFY)
def verify_page():
    payload = request.args.get("payload", "").strip()
    qr_reader().warm()  # a photo may follow: its reader starts while the officer takes it
    if len(payload) > MAX_PAYLOAD:
        return _answer(None, _too_long(), 422)
    return _answer(payload or None, {})


def _too_long() -> dict:
    # Cut short, it would be answered as a broken code; the whole of it is simply too long.
    return {"payload": gettext("This is longer than any certificate's code (at most %(n)s "
                               "characters): scan it again, or paste only the code.",
                               n=MAX_PAYLOAD)}


@bp.post("/customs/verify")
@requires(Permission.VERIFY)
def verify_submit():
    upload = request.files.get("image")
    try:
        if upload is not None and upload.filename:
            payload = read_qr(uploaded(upload), qr_reader())
        else:
            payload = request.form.get("payload", "").strip()
            if len(payload) > MAX_PAYLOAD:
                return _answer(None, _too_long(), 422)
            if not payload:
                return _answer(None, {"payload": gettext("Scan, upload or paste a certificate.")},
                               422)
    except ValidationFailed as error:
        return _answer(None, errors_by_field(error), 422)
    except PayloadTooLarge as error:
        return _answer(None, {"image": error.detail}, 413)
    return _answer(payload, {})


def shipment_from_form() -> dict:
    form, lines = request.form, []
    for key in form:
        if key.startswith("quantity_") and form[key].strip():
            line = key.removeprefix("quantity_")
            quantity = form[key].strip()
            markings = [m.strip() for m in form.get(f"markings_{line}", "").replace(",", "\n")
                        .splitlines() if m.strip()]
            lines.append({"line": number_or_text(line), "quantity": number_or_text(quantity),
                          "markings": markings or None})
    return {"border_post": form.get("border_post", ""), "lines": lines}


@bp.post("/customs/certificates/<number>/shipments")
@requires(Permission.SHIPMENT_RECORD)
def record_shipment(number: str):
    session, payload = db.session(), request.form.get("payload", "")[:MAX_PAYLOAD]
    # The form's nonce is its Idempotency-Key: sent twice (a double tap on a slow line, the
    # back button), it records one shipment, as a retried API call does.
    nonce, form = sent_nonce(), shipment_from_form()
    key = f"form:{nonce}" if nonce else None
    try:
        body = parse(ShipmentRequest, form)
        if payload and abroad(payload, number):
            return _shipped_abroad(number, payload, body, key)
        shipment = service.record_shipment(
            session, actor=current_account(), number=number, border_post=body.border_post,
            lines=body.lines, idempotency_key=key)
    except ValidationFailed as error:
        session.rollback()
        return _answer(payload, _by_line(error, form["lines"]), 422, refused=True)
    except service.OverDrawn as error:
        session.rollback()
        return _answer(payload, {"shipment": error.detail, **_over_by_line(error)}, 409,
                       refused=True)
    except service.KeyReused:
        session.rollback()
        return _answer(payload, {"shipment": gettext(
            "This form was sent before with other quantities, and that shipment is recorded. "
            "To record another, verify the certificate again.")}, 409, refused=True)
    except (Conflict, NotFound) as error:
        session.rollback()
        return _answer(payload, {"shipment": error.detail}, error.status, refused=True)
    flash(gettext("Shipment recorded against %(number)s.", number=number))
    for warning in markings.warnings_of(session, shipment):
        flash(gettext("Marking %(marking)s already crossed under %(certificates)s: check the "
                      "item. The regulator sees this marking flagged.", marking=warning["marking"],
                      certificates=", ".join(warning["certificates"])))
    # The certificate by its number: the code itself would be kept in access logs and the
    # browser's history.
    return redirect(url_for("certificates.detail", number=number))


def _shipped_abroad(number: str, payload: str, body: ShipmentRequest, key: str | None):
    """A partner's certificate, from the page's form: kept and its notice queued to the
    issuer, as the lane and POST /api/v1/federation/shipments do it."""
    try:
        shipped_abroad(payload, body.border_post, body.lines, key)
    except service.KeyReused:
        db.session().rollback()
        return _answer(payload, {"shipment": gettext(
            "This form was sent before with other quantities, and that shipment is recorded. "
            "To record another, verify the certificate again.")}, 409, refused=True)
    except (Conflict, ValidationFailed) as error:
        db.session().rollback()
        errors = errors_by_field(error) if isinstance(error, ValidationFailed) \
            else {"shipment": error.detail}
        return _answer(payload, errors, error.status, refused=True)
    flash(gettext("Shipment recorded against %(number)s. The registry of %(issuer)s is told "
                  "what crossed; what is left is known there.",
                  number=number, issuer=read(payload).claims.iss))
    return redirect(url_for("customs.verify_page"))


def _over_by_line(error: service.OverDrawn) -> dict[str, str]:
    return {f"quantity_{o['line']}": gettext("%(asked)s asked, only %(left)s left.",
                                             asked=o["asked"], left=o["left"])
            for o in error.lines}


def _by_line(error: ValidationFailed, lines: list[dict]) -> dict[str, str]:
    """The errors keyed by the form's own fields: "lines.0.quantity" is the quantity of the
    first line typed, which the form calls quantity_<its line number>."""
    found: dict[str, str] = {}
    for item in error.errors:
        parts = item.field.split(".")
        index = whole_number(parts[1], digits=3) if len(parts) > 1 else None
        if parts[0] == "lines" and index is not None and index < len(lines):
            # "lines.0.markings.1" is the second marking of the first line: its markings box.
            kind = "markings" if parts[2:3] == ["markings"] else "quantity"
            found.setdefault(f"{kind}_{lines[index]['line']}", item.message)
        else:
            found.setdefault(item.field, item.message)
    return found


def delivery_from_form() -> dict:
    """The delivery form as DeliveryRequest reads it, the date typed still as typed. A line's
    quantity left empty is left out, for the schema to call it required."""
    form, lines = request.form, []
    for key in form:
        if key.startswith("quantity_"):
            quantity = form[key].strip()
            lines.append({"line": number_or_text(key.removeprefix("quantity_")),
                          **({"quantity": number_or_text(quantity)} if quantity else {})})
    return {"received_at": form.get("received_at", "").strip(), "lines": lines,
            "remarks": form.get("remarks", "").strip() or None}


def moment_received(typed: str, now: datetime) -> str | None:
    """The day typed as the moment the schema takes: the end of that day (UTC), so that goods
    received on the day the certificate was issued are not "before it was issued". Never
    later than now for today's date at the post, which east of UTC is tomorrow's in UTC for
    part of the day: that would be "in the future"."""
    if not DATE_ONLY.fullmatch(typed):
        return None
    try:
        end = parse_rfc3339(typed)
    except ValueError:  # 2027-02-30
        return None
    return rfc3339(min(end, now) if end.date() <= now.date() + timedelta(days=1) else end)


def _delivery_request(form: dict) -> DeliveryRequest:
    """The form parsed, with every error at once: a date that is not one is said so here, and
    the schema, given a stand-in for it, still checks the rest."""
    typed, errors = form["received_at"], []
    received_at = moment_received(typed, utcnow())
    if received_at is None:
        errors.append(FieldError("received_at", gettext("'%(value)s' is not a YYYY-MM-DD date",
                                                        value=typed) if typed
                                 else gettext("is required")))
    try:
        body = parse(DeliveryRequest, {**form, "received_at": received_at or rfc3339(utcnow())})
    except ValidationFailed as error:
        raise ValidationFailed(errors + error.errors) from None
    if errors:
        raise ValidationFailed(errors)
    return body


@bp.post("/customs/certificates/<number>/delivery")
@requires(Permission.DELIVERY_RECORD)
def confirm_delivery(number: str):
    session, actor, nonce = db.session(), current_account(), sent_nonce()
    location, form = url_for("certificates.detail", number=number), delivery_from_form()
    already_sent = gettext("This form was already sent: here is the delivery it confirmed.")
    if (earlier := earlier_result(session, actor, nonce)) is not None:
        flash(already_sent)
        return redirect(earlier)
    try:
        body = _delivery_request(form)
        claimed = claim(session, actor, nonce)
        service.confirm_delivery(session, actor=actor, number=number,
                                 received_at=body.received_at, lines=body.lines,
                                 remarks=body.remarks)
        record_result(session, claimed, location)
        session.commit()
    except IntegrityError:  # the same form, sent at the same moment, confirmed first
        session.rollback()
        flash(already_sent)
        return redirect(location)
    except ValidationFailed as error:
        session.rollback()
        return certificate_page(number, _by_line(error, form["lines"]), 422)
    except Conflict as error:
        session.rollback()
        return certificate_page(number, {"delivery": error.detail}, error.status)
    flash(gettext("Delivery of %(number)s confirmed.", number=number))
    return redirect(location)


@bp.get("/customs/trace")
@requires(Permission.TRACE)
def trace():
    marking = request.args.get("marking", "").strip()[:100]
    session = db.session()
    rows = service.trace(session, marking) if marking else []
    # Beside our own crossings, those partners reported against our certificates.
    reported = notices.reported_markings(session, marking) if marking else []
    return render_template("customs/trace.html", marking=marking, rows=rows, reported=reported)
