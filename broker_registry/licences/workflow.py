"""What can happen to a licence: the regulator's decisions, the broker's answers, sanctions
(the licence's own part: sanctions.service takes a sanction on to its certificates)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..accounts.locale import in_language_of
from ..brokers.models import Broker, RegistrationStatus
from ..db.columns import utcnow
from ..db.counters import next_value
from ..errors import Conflict
from ..i18n.labels import STATUSES, label
from ..notifications.service import notify
from ..screening.national_list import list_on_denial
from ..settings import Settings
from .lifecycle import TRANSITIONS, check, transition
from .models import Licence, LicenceStatus
from .screening import clear_for_approval, rescreen, summary
from .service import get_for

S = LicenceStatus
SANCTIONS = frozenset({"suspend", "reinstate", "revoke"})


def tell_broker(session: Session, licence: Licence, action: str, reason: str | None,
                email: str | None) -> None:
    name, what = licence.licence_number or licence.reference, TRANSITIONS.past(action)
    with in_language_of(session, licence.owner_id):
        if action in SANCTIONS:  # an issued licence, no longer an application
            body = gettext("Your brokering licence %(number)s was %(what)s.",
                           number=licence.licence_number, what=what)
        else:
            body = gettext("Your brokering licence application %(reference)s was %(what)s.",
                           reference=licence.reference, what=what)
        if licence.licence_number:
            body += "\n" + gettext("Licence number: %(number)s.", number=licence.licence_number)
        if reason:
            body += "\n" + gettext("Reason: %(reason)s", reason=reason)
        subject = gettext("Licence %(name)s: %(what)s", name=name, what=what)
    notify(session, account_id=licence.owner_id, licence_id=licence.id, email=email,
           subject=subject, body=body)


def _mail_to(broker: Broker, settings: Settings) -> str | None:
    return broker.email if settings.smtp_url else None


def _issue(session: Session, licence: Licence, actor, country: str) -> None:
    if licence.first_approved_by == actor.id:
        raise Conflict(_l("The application is awaiting countersignature and you gave its "
                          "first approval: a different regulator must countersign it (four "
                          "eyes)."))
    if licence.valid_until is None or licence.valid_until <= utcnow():
        raise Conflict(_l("The validity the broker asked for has passed; deny the application "
                          "or request information."))
    now = utcnow()
    sequence = next_value(session, f"licence:{country}:{now.year}")
    licence.licence_number = f"BL-{country}-{now.year}-{sequence:06d}"
    licence.issued_at = now


def _broker_in_good_standing(broker: Broker, *, reinstating: bool = False) -> None:
    """A licence is issued or brought back only while its broker is registered: a suspended
    or revoked broker's licences stay out of use until the broker is reinstated first."""
    if broker.effective_status == RegistrationStatus.REGISTERED:
        return
    status = label(STATUSES, broker.effective_status)
    if reinstating:
        raise Conflict(_l("The broker registration is %(status)s; reinstate the broker "
                          "before any of its licences.", status=status))
    raise Conflict(_l("The broker registration is %(status)s; a licence can only be "
                      "approved for a registered broker.", status=status))


def _approve(session, actor, licence: Licence, broker: Broker, action: str,
             acknowledge: bool, settings: Settings) -> dict:
    _broker_in_good_standing(broker)
    findings = rescreen(session, licence, broker, settings.screening_threshold)
    acknowledged = clear_for_approval(findings, actor=actor, acknowledge=acknowledge)
    if action == "countersign":
        _issue(session, licence, actor, settings.authority_country)
    else:
        licence.first_approved_by, licence.first_approved_at = actor.id, utcnow()
    return {"screening": summary(findings), "acknowledged_findings": acknowledged}


def decide(session: Session, *, actor, licence_id: int, decision: str, reason: str,
           acknowledge: bool, settings: Settings, list_parties: tuple[str, ...] = (),
           listing_grounds: str | None = None, note: str | None = None) -> Licence:
    licence = get_for(session, actor, licence_id, lock=True)
    broker = session.get(Broker, licence.broker_id)
    action = decision
    if decision == "approve":
        awaiting = licence.effective_status == S.AWAITING_COUNTERSIGNATURE
        action = "countersign" if awaiting else "approve"
    check(licence, action)
    if action in {"approve", "countersign"}:
        extra = _approve(session, actor, licence, broker, action, acknowledge, settings)
    else:
        extra = {"screening": summary(rescreen(session, licence, broker,
                                               settings.screening_threshold))}
    if action == "request_information":
        licence.information_request, licence.response = reason, None
        licence.first_approved_by = licence.first_approved_at = None
    if action in {"deny", "countersign"}:
        licence.decided_at = utcnow()
    if note:  # the regulator's internal note: in the audit entry for staff, never sent
        extra["internal_note"] = note
    transition(session, actor, licence, action, reason, extra)
    if action == "deny":
        list_on_denial(session, actor=actor, reference=licence.reference,
                       licence_id=licence.id, grounds=listing_grounds or "",
                       parties=[(role, getattr(licence, role)) for role in list_parties])
    tell_broker(session, licence, action, reason, _mail_to(broker, settings))
    return licence


def respond(session: Session, *, owner, licence_id: int, response: str,
            settings: Settings) -> Licence:
    licence = get_for(session, owner, licence_id, lock=True)
    check(licence, "respond")
    licence.response = response
    transition(session, owner, licence, "respond", response)
    rescreen(session, licence, session.get(Broker, licence.broker_id),
             settings.screening_threshold)
    return licence


def sanction(session: Session, *, actor, licence_id: int, action: str, reason: str,
             settings: Settings, note: str | None = None) -> Licence:
    licence = get_for(session, actor, licence_id, lock=True)
    broker = session.get(Broker, licence.broker_id)
    if action == "reinstate":
        check(licence, action)
        _broker_in_good_standing(broker, reinstating=True)
    transition(session, actor, licence, action, reason,
               {"internal_note": note} if note else None)
    tell_broker(session, licence, action, reason, _mail_to(broker, settings))
    return licence
