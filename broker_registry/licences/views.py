from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from .. import db
from ..audit.service import history
from ..brokers import service as brokers
from ..brokers.models import Broker
from ..certificates import service as certificates
from ..errors import Conflict, DomainError, ValidationFailed
from ..i18n.formats import language
from ..permissions import Permission, has_permission
from ..reference.categories import CATEGORIES
from ..reference.countries import all_countries
from ..reference.units import UNITS
from ..sanctions.service import sanction_licence
from ..validation import Country, parse, parse_value
from ..web import confirmations, queues
from ..web.auth import current_account, requires
from ..web.forms import act_on_case, edited_rows, editing_rows, form_text, sanction_act
from ..web.json_api import encode_cursor, page_args
from ..web.submissions import claim, earlier_result, record_result, sent_nonce
from . import desk, offers, service, workflow
from .forms import (
    GOODS_FIELDS,
    application_from_form,
    form_errors,
    goods_rows,
    stored_form,
    to_storable,
)
from .models import EndUserKind, LicenceStatus
from .schemas import BrokerResponse, LicenceApplication, LicenceDecision, Reason
from .screening import as_seen_by, findings_of

bp = Blueprint("licences", __name__)


def _settings():
    return current_app.config["SETTINGS"]


def _form_page(form, errors: dict, licence_id: int | None = None, status: int = 200):
    owned = brokers.owned_by(db.session(), current_account())
    if (why := offers.why_no_application(owned)) is not None:
        return render_template("licences/cannot_apply.html", why=why,
                               has_broker=bool(owned)), 409 if status != 200 else 200
    rows = edited_rows(goods_rows(form), form, GOODS_FIELDS, "line")
    return render_template(
        "licences/apply.html", form=form, errors=errors, rows=rows, licence_id=licence_id,
        brokers=offers.registered(owned), kinds=list(EndUserKind),
        countries=all_countries(language()), categories=CATEGORIES, units=UNITS), status


def _save(licence_id: int | None):
    """Save the form as a draft, or submit it; answer with the form again on any error. A new
    application, or a submission, is made once however often the form is sent (a draft saved
    again is simply saved again)."""
    session, rows, owner = db.session(), [], current_account()
    draft = request.form.get("action") == "draft"
    nonce = sent_nonce() if licence_id is None or not draft else None
    try:
        if (earlier := earlier_result(session, owner, nonce)) is not None:
            flash(gettext("This form was already sent: here is the application it made."))
            return redirect(earlier)
        claimed = claim(session, owner, nonce)
        if draft:
            licence = service.save_draft(session, owner=current_account(), licence_id=licence_id,
                                         form=to_storable(request.form))
            message = gettext("Draft saved. Only you can see it until you submit it.")
        else:
            body, rows = application_from_form(request.form)
            application = parse(LicenceApplication, body)
            licence = _submit(session, application, licence_id)
            message = gettext("Your application is submitted and has been screened.")
        # A draft goes on being edited; a submitted application is shown as the case it is.
        location = url_for("licences.edit" if draft else "licences.detail",
                           licence_id=licence.id)
        record_result(session, claimed, location)
        session.commit()
    except IntegrityError:  # the same form, sent at the same moment, was made first
        session.rollback()
        flash(gettext("This form was already sent: here is the application it made."))
        return redirect(earlier_result(session, owner, nonce) or url_for("licences.mine"))
    except ValidationFailed as error:
        session.rollback()
        return _form_page(request.form, form_errors(error, rows), licence_id, 422)
    except Conflict as error:
        session.rollback()
        return _form_page(request.form, {"broker_id": error.detail}, licence_id, 409)
    flash(message)
    return redirect(location)


def _submit(session, application, licence_id):
    threshold = _settings().screening_threshold
    if licence_id is None:
        return service.apply(session, owner=current_account(), application=application,
                             threshold=threshold)
    return service.submit_draft(session, owner=current_account(), licence_id=licence_id,
                                application=application, threshold=threshold)


@bp.route("/licences/apply", methods=["GET", "POST"])
@requires(Permission.LICENCE_APPLY)
def apply():
    if request.method == "POST":
        return _form_page(request.form, {}) if editing_rows(request.form, "line") else _save(None)
    return _form_page(request.args, {})


@bp.route("/licences/<int:licence_id>/edit", methods=["GET", "POST"])
@requires(Permission.LICENCE_APPLY)
def edit(licence_id: int):
    if request.method == "POST":
        if editing_rows(request.form, "line"):
            return _form_page(request.form, {}, licence_id)
        return _save(licence_id)
    draft = service.draft_of(db.session(), current_account(), licence_id)
    return _form_page(stored_form(draft.draft_form), {}, licence_id)


@bp.get("/licences/mine")
@requires(Permission.LICENCE_APPLY)
def mine():
    limit, after = page_args()
    rows = service.owned_by(db.session(), current_account(), status=None, limit=limit,
                            after=after)
    why_not = offers.why_no_application(brokers.owned_by(db.session(), current_account()))
    return render_template("licences/mine.html", licences=rows[:limit], why_not=why_not,
                           next_cursor=_next_cursor(rows, limit))


@bp.get("/licences/<int:licence_id>")
@requires(Permission.LICENCE_READ)
def detail(licence_id: int, errors: dict | None = None, status: int = 200):
    session, account = db.session(), current_account()
    licence = service.get_for(session, account, licence_id)
    staff = has_permission(account.role, Permission.LICENCE_DECIDE)
    findings = [as_seen_by(f, staff=staff) for f in findings_of(session, licence.id)]
    lines, held = service.lines_of(session, licence.id), certificates.allocated(session, licence.id)
    return render_template(
        "licences/detail.html", licence=licence, broker=session.get(Broker, licence.broker_id),
        lines=lines, findings=findings,
        anything_left=any(line.quantity > held.get(line.line_no, 0) for line in lines),
        history=history(session, "licence", licence.id), errors=errors or {},
        staff=staff,
        transitions=workflow.TRANSITIONS,
        certificates=certificates.for_licence(session, licence.id)), status


def _act(licence_id: int, act, action: str | None = None):
    if action in confirmations.ASKED and not confirmations.confirmed():
        licence = service.get_for(db.session(), current_account(), licence_id)
        return confirmations.ask(act, action=action,
                                 subject=licence.licence_number or licence.reference,
                                 back=url_for("licences.detail", licence_id=licence_id),
                                 rerender=lambda **kw: detail(licence_id, **kw))
    return act_on_case(act, rerender=lambda **kw: detail(licence_id, **kw),
                       done_url=url_for("licences.detail", licence_id=licence_id))


@bp.post("/licences/<int:licence_id>/decision")
@requires(Permission.LICENCE_DECIDE)
def decide(licence_id: int):
    def act(session):
        body = parse(LicenceDecision, {
            "decision": request.form.get("decision", ""), "reason": request.form.get("reason", ""),
            "acknowledge_findings": request.form.get("acknowledge_findings") == "yes",
            "list_parties": request.form.getlist("list_parties"),
            "listing_grounds": form_text("listing_grounds"),
            "internal_note": form_text("internal_note")})
        workflow.decide(session, actor=current_account(), licence_id=licence_id,
                        decision=body.decision, reason=body.reason,
                        acknowledge=body.acknowledge_findings, settings=_settings(),
                        list_parties=tuple(body.list_parties),
                        listing_grounds=body.listing_grounds, note=body.internal_note)

    return _act(licence_id, act, request.form.get("decision"))


@bp.post("/licences/<int:licence_id>/response")
@requires(Permission.LICENCE_APPLY)
def respond(licence_id: int):
    def act(session):
        body = parse(BrokerResponse, {"response": request.form.get("response", "")})
        workflow.respond(session, owner=current_account(), licence_id=licence_id,
                         response=body.response, settings=_settings())

    return _act(licence_id, act)


@bp.post("/licences/<int:licence_id>/<any(suspend, reinstate, revoke):action>")
@requires(Permission.LICENCE_SANCTION)
def sanction(licence_id: int, action: str):
    return _act(licence_id, sanction_act(Reason, sanction_licence, licence_id=licence_id,
                                         action=action, settings=_settings()), action)


def _next_cursor(rows, limit: int) -> str | None:
    return encode_cursor(rows[limit - 1].id) if len(rows) > limit else None


@bp.get("/regulator/licences")
@requires(Permission.LICENCE_READ_ANY)
def queue():
    """The regulator's work queue: search, filters, sort, counts and pages (licences/desk.py)."""
    args = request.args
    asked = queues.asked(args, statuses=desk.STATUSES, status=LicenceStatus.SUBMITTED,
                         sorts=desk.SORTS)
    try:
        country = parse_value(Country, args.get("country", "").upper(), "country")
    except DomainError:
        country = None
    flag = args.get("flag") if args.get("flag") in desk.FLAGS else ""
    session = db.session()
    found = desk.desk(session, status=None if asked.status == "all" else asked.status,
                      country=country, q=asked.q or None, flag=flag or None, sort=asked.sort,
                      page=asked.page)
    return render_template("licences/queue.html", desk=found, asked=asked,
                           statuses=desk.STATUSES, counts=desk.counts(session),
                           country=country or "", flag=flag,
                           flags=list(desk.FLAGS), sorts=list(desk.SORTS),
                           countries=all_countries(language()))
