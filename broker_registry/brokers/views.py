from __future__ import annotations

from itertools import zip_longest

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from .. import db
from ..audit.service import history
from ..errors import Conflict, ValidationFailed
from ..i18n.formats import language
from ..permissions import Permission, has_permission
from ..reference.countries import all_countries
from ..sanctions.service import sanction_broker
from ..validation import parse
from ..web import confirmations, queues
from ..web.auth import current_account, public, requires
from ..web.forms import (
    act_on_case,
    edited_rows,
    editing_rows,
    errors_by_field,
    form_text,
    sanction_act,
)
from ..web.json_api import encode_cursor, page_args
from . import desk, service
from .models import Activity, BrokerKind, RegistrationStatus
from .schemas import BrokerApplication, Decision, Reason

bp = Blueprint("brokers", __name__)


def owner_rows(form) -> list[tuple[str, str]]:
    """The form's owner rows, empty ones included: (name, nationality)."""
    return list(zip_longest(form.getlist("owner_name"), form.getlist("owner_nationality"),
                            fillvalue=""))


def application_from_form() -> tuple[dict, list[int]]:
    """The API body the form describes, and which form row each beneficial owner came from."""
    form = request.form
    # A name without its nationality (or the other way) is kept, for the schema to refuse.
    rows = [i for i, (n, c) in enumerate(owner_rows(form)) if n.strip() or c.strip()]
    owners = [{"name": n, "nationality": c} for n, c in
              (owner_rows(form)[i] for i in rows)]
    return {
        "legal_name": form.get("legal_name", ""), "kind": form.get("kind", ""),
        "country": form.get("country", ""), "company_number": form_text("company_number"),
        "address": form.get("address", ""), "email": form.get("email", ""),
        "phone": form_text("phone"), "activities": form.getlist("activities"),
        "beneficial_owners": owners,
        "convictions_declared": form.get("convictions_declared") == "yes",
        "convictions_details": form_text("convictions_details"),
    }, rows


def _owner_control(rows: list[int]):
    """beneficial_owners.K.name -> beneficial_owners.N.name, N the form row it came from."""
    def control(field: str) -> str:
        parts = field.split(".")
        if len(parts) == 3 and parts[0] == "beneficial_owners" and parts[1].isdigit() \
                and int(parts[1]) < len(rows):
            return f"beneficial_owners.{rows[int(parts[1])]}.{parts[2]}"
        return field.split(".")[0] if field.startswith("activities") else field
    return control


@bp.route("/brokers/apply", methods=["GET", "POST"])
@requires(Permission.BROKER_APPLY)
def apply():
    errors: dict[str, str] = {}
    if request.method == "POST" and not editing_rows(request.form, "owner"):
        body, rows = application_from_form()
        try:
            application = parse(BrokerApplication, body)
            session = db.session()
            broker = service.apply(session, owner=current_account(), application=application)
            session.commit()
            flash(gettext("Your application is submitted. A regulator will review it."))
            return redirect(url_for("brokers.detail", broker_id=broker.id))
        except ValidationFailed as error:
            errors = errors_by_field(error, _owner_control(rows))
        except Conflict as error:  # already applied: the form was sent twice, say
            db.session().rollback()
            errors = {"legal_name": error.detail}
    owners = edited_rows([{"name": n, "nationality": c} for n, c in owner_rows(request.form)],
                         request.form, ("name", "nationality"), "owner")
    return render_template("brokers/apply.html", errors=errors, form=request.form,
                           owners=[(o["name"], o["nationality"]) for o in owners],
                           countries=all_countries(language()), kinds=list(BrokerKind),
                           activities=list(Activity)), 422 if errors else 200


@bp.get("/brokers/mine")
@requires(Permission.BROKER_APPLY)
def mine():
    brokers = service.owned_by(db.session(), current_account())
    return render_template("brokers/mine.html", brokers=brokers)


@bp.get("/brokers/<int:broker_id>")
@requires(Permission.BROKER_READ)
def detail(broker_id: int, errors: dict | None = None, status: int = 200):
    session = db.session()
    broker = service.get_for(session, current_account(), broker_id)
    staff = has_permission(current_account().role, Permission.BROKER_DECIDE)
    window_days = current_app.config["SETTINGS"].renewal_window_days
    return render_template("brokers/detail.html", broker=broker, staff=staff,
                           renewal_open=service.renewal_open(broker, window_days),
                           renewal_window_days=window_days,
                           renewal_opens=service.renewal_opens(broker, window_days),
                           history=history(session, "broker", broker.id),
                           errors=errors or {}), status


def _act(broker_id: int, act, action: str | None = None):
    if action in confirmations.ASKED and not confirmations.confirmed():
        broker = service.get_for(db.session(), current_account(), broker_id)
        return confirmations.ask(act, action=action,
                                 subject=broker.registration_number or broker.legal_name,
                                 back=url_for("brokers.detail", broker_id=broker_id),
                                 rerender=lambda **kw: detail(broker_id, **kw))
    return act_on_case(act, rerender=lambda **kw: detail(broker_id, **kw),
                       done_url=url_for("brokers.detail", broker_id=broker_id))


@bp.post("/brokers/<int:broker_id>/decision")
@requires(Permission.BROKER_DECIDE)
def decide(broker_id: int):
    settings = current_app.config["SETTINGS"]

    def act(session):
        body = parse(Decision, {"decision": request.form.get("decision", ""),
                                "reason": request.form.get("reason", ""),
                                "internal_note": form_text("internal_note")})
        service.decide(session, actor=current_account(), broker_id=broker_id,
                       decision=body.decision, reason=body.reason,
                       years=settings.registration_years, country=settings.authority_country,
                       note=body.internal_note, mail=bool(settings.smtp_url))

    return _act(broker_id, act, request.form.get("decision"))


@bp.post("/brokers/<int:broker_id>/<any(suspend, reinstate, revoke):action>")
@requires(Permission.BROKER_SANCTION)
def sanction(broker_id: int, action: str):
    return _act(broker_id, sanction_act(Reason, sanction_broker, broker_id=broker_id,
                                        action=action,
                                        mail=bool(current_app.config["SETTINGS"].smtp_url)),
                action)


@bp.post("/brokers/<int:broker_id>/renewal")
@requires(Permission.BROKER_APPLY)
def renewal(broker_id: int):
    def act(session):
        service.request_renewal(session, owner=current_account(), broker_id=broker_id,
                                window_days=current_app.config["SETTINGS"].renewal_window_days)

    return _act(broker_id, act)


def _next_cursor(rows, limit: int) -> str | None:
    return encode_cursor(rows[limit - 1].id) if len(rows) > limit else None


@bp.get("/regulator/brokers")
@requires(Permission.BROKER_READ_ANY)
def queue():
    """The registrations queue: search, status, sort, counts and pages (brokers/desk.py)."""
    asked = queues.asked(request.args, statuses=desk.STATUSES,
                         status=RegistrationStatus.SUBMITTED, sorts=desk.SORTS)
    session = db.session()
    found = desk.desk(session, status=None if asked.status == "all" else asked.status,
                      q=asked.q or None, sort=asked.sort, page=asked.page,
                      threshold=current_app.config["SETTINGS"].screening_threshold)
    return render_template("brokers/queue.html", desk=found, asked=asked,
                           statuses=desk.STATUSES, counts=desk.counts(session),
                           flags=desk.FLAGS, sorts=list(desk.SORTS))


@bp.get("/register")
@public
def register():
    limit, after = page_args()
    q = request.args.get("q", "").strip()[:200] or None
    country = request.args.get("country", "").strip().upper()[:2] or None
    rows = service.public_register(db.session(), q=q, country=country, limit=limit,
                                   after=after)
    return render_template("brokers/register.html", brokers=rows[:limit], q=q or "",
                           country=country or "", countries=all_countries(language()),
                           next_cursor=_next_cursor(rows, limit))
