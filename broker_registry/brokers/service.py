"""Broker registration: apply, decide, suspend, reinstate, revoke, renew, and the register."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from ..accounts.models import Account
from ..audit.models import AuditAction
from ..audit.service import record
from ..db import lock_rows
from ..db.columns import utcnow
from ..db.counters import next_value
from ..errors import Conflict, NotFound
from ..i18n.labels import STATUSES, label
from ..permissions import Permission, has_permission
from ..states import Machine, row
from . import decisions_told
from .models import Broker, RegistrationStatus
from .schemas import BrokerApplication

S = RegistrationStatus
A = AuditAction

# Every allowed change of a registration's status, written once: from, action, to, the audit
# action, the past tense. Expired is computed from valid_until, so it appears only as a
# starting point; a renewal leaves the status registered and moves valid_until.
TRANSITIONS = Machine([
    row({S.SUBMITTED}, "approve", S.REGISTERED, A.BROKER_APPROVED, _l("approved")),
    row({S.SUBMITTED}, "refuse", S.REFUSED, A.BROKER_REFUSED, _l("refused")),
    row({S.REGISTERED}, "suspend", S.SUSPENDED, A.BROKER_SUSPENDED, _l("suspended")),
    row({S.SUSPENDED}, "reinstate", S.REGISTERED, A.BROKER_REINSTATED, _l("reinstated")),
    row({S.REGISTERED, S.SUSPENDED, S.EXPIRED}, "revoke", S.REVOKED, A.BROKER_REVOKED,
        _l("revoked")),
    row({S.REGISTERED}, "request_renewal", S.REGISTERED, A.BROKER_RENEWAL_REQUESTED,
        _l("renewal requested")),
    row({S.REGISTERED, S.EXPIRED}, "renew", S.REGISTERED, A.BROKER_RENEWED, _l("renewed")),
    row({S.REGISTERED, S.EXPIRED}, "refuse_renewal", S.REGISTERED, A.BROKER_REFUSED,
        _l("renewal refused"), refused_as=_l("refused")),
], refusal=lambda **kw: _l("The registration is %(status)s; it cannot be %(done)s (allowed "
                           "from: %(allowed)s).", status=kw["status"], done=kw["done"],
                           allowed=kw["allowed"]))
PUBLIC_STATUSES = (S.REGISTERED, S.SUSPENDED, S.REVOKED)


def snapshot(broker: Broker) -> dict:
    return {"status": str(broker.effective_status),
            "registration_number": broker.registration_number,
            "valid_until": broker.valid_until.isoformat() if broker.valid_until else None}


def apply(session: Session, *, owner, application: BrokerApplication) -> Broker:
    data = application.model_dump(mode="json")
    _refuse_a_second(session, owner, data["legal_name"], data["country"])
    broker = Broker(owner_id=owner.id, **data)
    session.add(broker)
    session.flush()
    record(session, actor=owner, action=AuditAction.BROKER_APPLIED, subject_type="broker",
           subject_id=broker.id, after=snapshot(broker))
    return broker


# A registration still open: pending, suspended, or in force. One that has expired is not:
# its broker applies anew (a renewal asked for in time is still decided on the old one).
_OPEN = (S.SUBMITTED, S.SUSPENDED)


def _refuse_a_second(session: Session, owner, legal_name: str, country: str) -> None:
    """One open registration per account, legal name and country: a form sent twice, or the
    same broker applying again while the first is pending, is refused rather than queued twice.
    The owner's row is locked first, so two sends at the same moment are taken one by one."""
    session.exec(lock_rows(select(Account.id).where(Account.id == owner.id))).first()
    in_force = sa.and_(Broker.status == S.REGISTERED,
                       sa.or_(Broker.valid_until > utcnow(),
                              Broker.renewal_requested_at.is_not(None)))
    earlier = session.exec(select(Broker).where(
        Broker.owner_id == owner.id, Broker.legal_name == legal_name, Broker.country == country,
        sa.or_(Broker.status.in_(_OPEN), in_force)).order_by(Broker.id)).first()
    if earlier is not None:
        raise Conflict(_l("You already have a registration for %(name)s (%(reference)s, "
                          "%(status)s); renew or follow that one instead of applying again.",
                          name=legal_name, status=label(STATUSES, earlier.effective_status),
                          reference=earlier.registration_number or f"#{earlier.id}"))


def get_for(session: Session, account, broker_id: int, *, lock: bool = False) -> Broker:
    """The registration, if `account` may see it; otherwise not found, never forbidden."""
    statement = select(Broker).where(Broker.id == broker_id)
    if lock:
        statement = lock_rows(statement)
    broker = session.exec(statement).first()
    if broker is None or not (has_permission(account.role, Permission.BROKER_READ_ANY)
                              or broker.owner_id == account.id):
        raise NotFound(_l("No broker registration %(id)s.", id=broker_id))
    return broker


def owned_by(session: Session, account) -> list[Broker]:
    return list(session.exec(select(Broker).where(Broker.owner_id == account.id)
                             .order_by(Broker.id)))


def by_status(statement, status: str | None):
    """`statement` kept to registrations in `status` as a reader sees it (expiry computed from
    valid_until; "renewal": registered, renewal asked for); no status, every registration."""
    if status == "renewal":
        return statement.where(Broker.renewal_requested_at.is_not(None),
                               Broker.status == S.REGISTERED)
    if status == S.EXPIRED:
        return statement.where(Broker.status == S.REGISTERED, Broker.valid_until <= utcnow())
    if status == S.REGISTERED:
        return statement.where(Broker.status == S.REGISTERED, Broker.valid_until > utcnow())
    if status:
        return statement.where(Broker.status == status)
    return statement


def queue(session: Session, *, status: str | None, country: str | None = None,
          limit: int, after: int | None, owner_id: int | None = None) -> list[Broker]:
    """A page of registrations by id, filtered; `owner_id` keeps one account's own."""
    statement = by_status(select(Broker).order_by(Broker.id).limit(limit + 1), status)
    if owner_id is not None:
        statement = statement.where(Broker.owner_id == owner_id)
    if country:
        statement = statement.where(Broker.country == country)
    if after is not None:
        statement = statement.where(Broker.id > after)
    return list(session.exec(statement))


def transition(session: Session, actor, broker: Broker, action: str, reason: str | None,
               before: dict | None = None, *, note: str | None = None,
               mail: bool = False) -> Broker:
    """The status change and its audit entry, through the table; `before` when the caller
    changed other fields already, so that the entry shows the registration as it was. The
    registration alone: what a sanction reaches beyond it is the sanctions layer's. The
    broker is told of the decision (decisions_told); `note` stays with the staff."""
    rule = TRANSITIONS.check(broker.effective_status, action)
    before = before or snapshot(broker)
    broker.status = rule.to
    broker.updated_at = utcnow()
    session.add(broker)
    record(session, actor=actor, action=rule.audit, subject_type="broker", subject_id=broker.id,
           reason=reason, before=before, after=_with_note(snapshot(broker), note))
    if action not in decisions_told.ASKED_BY_BROKER:
        decisions_told.tell(session, broker, action, rule.past, reason, mail=mail)
    return broker


def _with_note(after: dict, note: str | None) -> dict:
    """The regulator's internal note rides in the audit entry: staff read it, the broker is
    never sent it."""
    return {**after, "internal_note": note} if note else after


def decide(session: Session, *, actor, broker_id: int, decision: str, reason: str,
           years: int, country: str, note: str | None = None, mail: bool = False) -> Broker:
    broker = get_for(session, actor, broker_id, lock=True)
    # A renewal asked for in time is decided even when the decision comes after expiry.
    if broker.renewal_requested_at is not None and \
            broker.effective_status in (S.REGISTERED, S.EXPIRED):
        return _decide_renewal(session, actor, broker, decision, reason, years, note, mail)
    action = "approve" if decision == "approve" else "refuse"
    before = snapshot(broker)
    if action == "approve" and broker.effective_status == S.SUBMITTED:
        now = utcnow()
        sequence = next_value(session, f"broker:{country}:{now.year}")
        broker.registration_number = f"BR-{country}-{now.year}-{sequence:06d}"
        broker.registered_at = now
        broker.valid_until = now + timedelta(days=365 * years)
    if broker.effective_status == S.SUBMITTED:
        broker.decided_at = utcnow()
    return transition(session, actor, broker, action, reason, before, note=note, mail=mail)


def _decide_renewal(session, actor, broker: Broker, decision: str, reason: str, years: int,
                    note: str | None, mail: bool):
    before = snapshot(broker)
    broker.renewal_requested_at = None
    if decision == "approve":  # from the old end, so the registration has no gap
        term = timedelta(days=365 * years)
        broker.valid_until = max(broker.valid_until + term, utcnow() + timedelta(days=1))
    action = "renew" if decision == "approve" else "refuse_renewal"
    return transition(session, actor, broker, action, reason, before, note=note, mail=mail)


def sanction(session: Session, *, actor, broker_id: int, action: str, reason: str,
             note: str | None = None, mail: bool = False) -> Broker:
    """The registration's own change; sanctions.service.sanction_broker takes it further."""
    broker = get_for(session, actor, broker_id, lock=True)
    return transition(session, actor, broker, action, reason, note=note, mail=mail)


def renewal_opens(broker: Broker, window_days: int) -> datetime | None:
    """When renewal may first be asked: window_days before the registration expires."""
    return None if broker.valid_until is None else broker.valid_until - timedelta(days=window_days)


def renewal_open(broker: Broker, window_days: int) -> bool:
    """Whether the registration is within the days before its expiry when renewal is asked."""
    opens = renewal_opens(broker, window_days)
    return opens is not None and utcnow() >= opens


def request_renewal(session: Session, *, owner, broker_id: int, window_days: int) -> Broker:
    broker = get_for(session, owner, broker_id, lock=True)
    if broker.effective_status == S.EXPIRED:
        raise Conflict(_l("The registration expired on %(date)s; apply for a new registration "
                          "instead.", date=f"{broker.valid_until:%Y-%m-%d}"))
    if broker.effective_status != S.REGISTERED:
        raise Conflict(_l("The registration is %(status)s; only a registered broker can ask "
                          "for renewal.", status=label(STATUSES, broker.effective_status)))
    if broker.renewal_requested_at is not None:
        raise Conflict(_l("A renewal has already been requested and awaits a decision."))
    if not renewal_open(broker, window_days):
        raise Conflict(_l("Renewal opens %(days)s days before the registration expires (valid "
                          "until %(date)s).", days=window_days,
                          date=f"{broker.valid_until:%Y-%m-%d}"))
    broker.renewal_requested_at = utcnow()
    return transition(session, owner, broker, "request_renewal", None)


def public_register(session: Session, *, q: str | None, country: str | None,
                    limit: int, after: int | None) -> list[Broker]:
    statement = (select(Broker).where(Broker.status.in_([str(s) for s in PUBLIC_STATUSES]))
                 .order_by(Broker.id).limit(limit + 1))
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(sa.or_(
            Broker.legal_name.ilike(pattern, escape="\\"),
            Broker.registration_number.ilike(pattern, escape="\\")))
    if country:
        statement = statement.where(Broker.country == country)
    if after is not None:
        statement = statement.where(Broker.id > after)
    return list(session.exec(statement))
