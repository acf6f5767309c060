from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import db
from ..audit.service import history
from ..brokers.models import Broker
from ..customs import markings
from ..customs import service as customs
from ..errors import Conflict, FieldError, ValidationFailed
from ..federation import notices as federation
from ..i18n.labels import REVOCATION_REASONS, label
from ..keys.authority import authority, key_store
from ..licences import service as licences
from ..permissions import Permission, has_permission
from ..sanctions.service import revoke_certificate
from ..validation import parse, whole_number
from ..web import confirmations
from ..web.auth import current_account, requires
from ..web.forms import act_on_case, errors_by_field
from ..web.submissions import claim, earlier_result, record_result, sent_nonce
from . import service
from .downloads import download_response
from .models import REVOKE_CODES
from .schemas import IssueRequest, Revocation

bp = Blueprint("certificates", __name__)


@bp.get("/certificates/<number>")
@requires(Permission.CERTIFICATE_READ)
def detail(number: str, errors: dict | None = None, status: int = 200):
    session, role = db.session(), current_account().role
    certificate = service.get_for(session, current_account(), number)
    delivery = customs.delivery_of(session, certificate.id)
    # Customs verify from the papers they are shown; the QR and PDF are the holder's.
    can_download = has_permission(role, Permission.CERTIFICATE_DOWNLOAD)
    # Delivery is confirmed once, of goods already shipped (customs.service.confirm_delivery).
    delivery_open = (has_permission(role, Permission.DELIVERY_RECORD) and delivery is None
                     and certificate.last_shipment_at is not None)
    return render_template("certificates/detail.html", certificate=certificate,
                           can_download=can_download, delivery=delivery,
                           delivery_open=delivery_open,
                           remaining=service.remaining(session, certificate),
                           shipments=customs.shipments_of(session, certificate.id),
                           reported=federation.received_for(session, certificate.id),
                           refused=customs.refused_of(session, certificate.id),
                           flagged_markings=markings.flagged_on(session, certificate.id)
                           if has_permission(role, Permission.TRACE) else [],
                           history=history(session, "certificate", certificate.number),
                           staff=has_permission(role, Permission.CERTIFICATE_READ_ANY),
                           revoke_codes=[(code, label(REVOCATION_REASONS, code.replace("_", " ")))
                                         for code in REVOKE_CODES],
                           errors=errors or {}), status


@bp.get("/certificates/<number>/<any('qr.png', 'qr.svg', 'certificate.pdf'):name>")
@requires(Permission.CERTIFICATE_DOWNLOAD)
def download(number: str, name: str):
    return download_response(number, name)


@bp.post("/certificates/<number>/revoke")
@requires(Permission.CERTIFICATE_REVOKE)
def revoke(number: str):
    """Asked first on a confirmation page (web/confirmations.py), then done."""
    def act(session):
        body = parse(Revocation, {"reason": request.form.get("reason", ""),
                                  "reason_code": request.form.get("reason_code",
                                                                  "unspecified")})
        revoke_certificate(session, actor=current_account(), number=number,
                           reason=body.reason, code=body.reason_code)

    def again(**kw):  # the page again, the reason as typed beside its error
        return detail(number, **kw)

    if not confirmations.confirmed():
        return confirmations.ask(act, action="revoke", subject=number, back=url_for(
            "certificates.detail", number=number), rerender=again, facts=[(
                gettext("Reason code on the revocation list"),
                label(REVOCATION_REASONS, request.form.get("reason_code", "").replace("_", " ")))])
    return act_on_case(act, rerender=again, done_url=url_for("certificates.detail",
                                                             number=number),
                       done=gettext("The certificate is revoked; customs see it at once, "
                                    "offline verifiers at their next sync."))


def _issue_form() -> dict:
    """Every quantity left empty certifies all that is left; otherwise exactly the quantities
    typed, a 0 leaving its line off. A quantity that is not a whole number is refused by name,
    never read as "everything"."""
    lines, errors, typed = [], [], False
    for key, value in request.form.items():
        line_no = whole_number(key.removeprefix("quantity_"), digits=4)
        if not key.startswith("quantity_") or line_no is None or not value.strip():
            continue
        typed, quantity = True, whole_number(value.strip(), digits=8)
        if quantity is None:
            errors.append(FieldError(key, _l("must be a whole number, 0 to leave the line off"),
                                      "number"))
        elif quantity:
            lines.append({"line": line_no, "quantity": quantity})
    if typed and not lines and not errors:
        errors.append(FieldError("lines", _l("every quantity is 0: enter what this certificate "
                                             "covers, or leave every quantity empty for all "
                                             "that is left")))
    if errors:
        raise ValidationFailed(errors)
    return {"lines": lines or None, "valid_until": request.form.get("valid_until") or None}


@bp.route("/licences/<int:licence_id>/certificates/new", methods=["GET", "POST"])
@requires(Permission.CERTIFICATE_ISSUE)
def issue(licence_id: int):
    session, errors, actor = db.session(), {}, current_account()
    licence = licences.get_for(session, actor, licence_id)
    if request.method == "POST":
        nonce = sent_nonce()
        try:
            if (earlier := earlier_result(session, actor, nonce)) is not None:
                flash(gettext("This form was already sent: here is the certificate it issued."))
                return redirect(earlier)
            body = parse(IssueRequest, _issue_form())
            claimed = claim(session, actor, nonce)
            certificate = service.issue(session, actor=actor, licence_id=licence_id,
                                        lines=body.lines, valid_until=body.valid_until,
                                        authority=authority(), store=key_store())
            location = url_for("certificates.detail", number=certificate.number)
            record_result(session, claimed, location)
            session.commit()
            flash(gettext("Certificate %(number)s issued.", number=certificate.number))
            return redirect(location)
        except IntegrityError:  # the same form, sent at the same moment, issued first
            session.rollback()
            flash(gettext("This form was already sent: here is the certificate it issued."))
            return redirect(earlier_result(session, actor, nonce) or request.path)
        except ValidationFailed as error:
            session.rollback()
            errors = errors_by_field(error)
        except service.OverWhatIsLeft as error:  # said on each line's own quantity
            session.rollback()
            errors = errors_by_field(ValidationFailed([
                FieldError(f"quantity_{n}", error.detail, "over_left", {"left": left, "line": n})
                for n, left in error.left.items()]))
        except Conflict as error:
            session.rollback()
            errors = {"lines": error.detail}
    why = service.why_not_issuable(licence, session.get(Broker, licence.broker_id))
    if why is not None:  # say why, rather than offer a form that can only be refused
        return render_template("certificates/cannot_issue.html", licence=licence, why=why), 409
    held = service.allocated(session, licence_id)
    lines = [{"line": line, "left": line.quantity - held.get(line.line_no, 0)}
             for line in licences.lines_of(session, licence_id)]
    return render_template("certificates/issue.html", licence=licence, lines=lines,
                           errors=errors, certificates=service.for_licence(session, licence_id)), \
        422 if errors else 200
