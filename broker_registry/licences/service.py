"""Licence applications: apply (API), drafts (pages), reading and listing."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from ..audit.models import AuditAction
from ..audit.service import record
from ..brokers import service as brokers
from ..brokers.models import Broker, RegistrationStatus
from ..db import lock_rows
from ..db.columns import utcnow
from ..errors import Conflict, NotFound, invalid
from ..i18n.labels import STATUSES, label
from ..permissions import Permission, has_permission
from ..validation import whole_number
from .lifecycle import snapshot, transition
from .models import Licence, LicenceLine, LicenceStatus
from .schemas import MAX_ID, LicenceApplication
from .screening import rescreen

S = LicenceStatus


def _registered_broker(session: Session, owner, broker_id: int) -> Broker:
    broker = brokers.get_for(session, owner, broker_id)
    if broker.effective_status != RegistrationStatus.REGISTERED:
        raise Conflict(_l("The broker registration %(number)s is %(status)s; only a registered "
                          "broker may apply for a licence.",
                          number=broker.registration_number or broker.id,
                          status=label(STATUSES, broker.effective_status)))
    return broker


def _fill(session: Session, licence: Licence, application: LicenceApplication) -> None:
    data = application.model_dump(mode="json", exclude={"goods", "valid_until"})
    for name, value in data.items():
        setattr(licence, name, value)
    licence.valid_until = application.valid_until
    licence.draft_form = None
    licence.submitted_at = licence.updated_at = utcnow()
    session.add(licence)
    session.flush()
    for number, line in enumerate(application.goods, start=1):
        session.add(LicenceLine(licence_id=licence.id, line_no=number,
                                **line.model_dump(mode="json")))


def apply(session: Session, *, owner, application: LicenceApplication,
          threshold: int) -> Licence:
    broker = _registered_broker(session, owner, application.broker_id)
    licence = Licence(broker_id=broker.id, owner_id=owner.id, status=S.SUBMITTED)
    _fill(session, licence, application)
    record(session, actor=owner, action=AuditAction.LICENCE_SUBMITTED, subject_type="licence",
           subject_id=licence.id, after=snapshot(licence))
    rescreen(session, licence, broker, threshold)
    return licence


MAX_DRAFTS = 20  # kept at once by one account
# The longest application the schema allows is about 41,000 characters (fifty goods lines
# described at length, three parties, the end use, transport and financing): a draft holds that
# and a little more, never the megabytes a crafted form can send.
MAX_DRAFT_CHARACTERS = 60_000


def _keepable(session: Session, owner, form: dict, licence_id: int | None) -> None:
    size = len(json.dumps(form, ensure_ascii=False))
    if size > MAX_DRAFT_CHARACTERS:
        raise invalid("draft", _l("is too long to keep (%(size)s characters, at most %(n)s): "
                                  "shorten it", size=f"{size:,}", n=f"{MAX_DRAFT_CHARACTERS:,}"))
    if licence_id is None:
        kept = session.exec(select(sa.func.count()).select_from(Licence).where(
            Licence.owner_id == owner.id, Licence.status == S.DRAFT)).one()
        if kept >= MAX_DRAFTS:
            raise invalid("draft", _l("cannot be kept: you have %(n)s drafts, the most there "
                                      "can be. Submit one, or save this application over one "
                                      "of them (My licences lists them).", n=MAX_DRAFTS))


def save_draft(session: Session, *, owner, form: dict, licence_id: int | None) -> Licence:
    """Keep the page form as typed, to be completed later; only its owner ever sees it."""
    broker_id = whole_number((form.get("broker_id") or [""])[0], digits=10)
    if broker_id is None or not 0 < broker_id <= MAX_ID:
        raise invalid("broker_id", _l("choose the registration the deal is brokered under"))
    _keepable(session, owner, form, licence_id)
    broker = brokers.get_for(session, owner, broker_id)
    if licence_id is None:
        licence = Licence(broker_id=broker.id, owner_id=owner.id, status=S.DRAFT)
    else:
        licence = draft_of(session, owner, licence_id)
        licence.broker_id = broker.id
    licence.draft_form, licence.updated_at = form, utcnow()
    session.add(licence)
    session.flush()
    if licence_id is None:
        record(session, actor=owner, action=AuditAction.LICENCE_DRAFTED,
               subject_type="licence", subject_id=licence.id, after=snapshot(licence))
    return licence


def draft_of(session: Session, owner, licence_id: int) -> Licence:
    licence = get_for(session, owner, licence_id, lock=True)
    if licence.status != S.DRAFT:
        raise Conflict(_l("The application is %(status)s; only a draft can be edited.",
                          status=label(STATUSES, licence.effective_status)))
    return licence


def submit_draft(session: Session, *, owner, licence_id: int,
                 application: LicenceApplication, threshold: int) -> Licence:
    licence = draft_of(session, owner, licence_id)
    broker = _registered_broker(session, owner, application.broker_id)
    _fill(session, licence, application)
    transition(session, owner, licence, "submit", None)
    rescreen(session, licence, broker, threshold)
    return licence


def get_for(session: Session, account, licence_id: int, *, lock: bool = False) -> Licence:
    """The licence, if `account` may see it; otherwise not found, never forbidden."""
    if not 0 < licence_id <= MAX_ID:
        raise NotFound(_l("No licence %(id)s.", id=licence_id))
    statement = select(Licence).where(Licence.id == licence_id)
    if lock:
        statement = lock_rows(statement)
    licence = session.exec(statement).first()
    owner = licence is not None and licence.owner_id == account.id
    staff = has_permission(account.role, Permission.LICENCE_READ_ANY)
    if licence is None or not (owner or (staff and licence.status != S.DRAFT)):
        raise NotFound(_l("No licence %(id)s.", id=licence_id))
    return licence


def lines_of(session: Session, licence_id: int) -> list[LicenceLine]:
    return list(session.exec(select(LicenceLine).where(LicenceLine.licence_id == licence_id)
                             .order_by(LicenceLine.line_no)))


def by_status(statement, status: str | None):
    """`statement` kept to licences in `status` as a reader sees it (expiry computed from
    valid_until); no status, every licence but drafts."""
    now = utcnow()
    live = (S.ISSUED, S.SUSPENDED)
    if status == S.EXPIRED:
        return statement.where(Licence.status.in_(live), Licence.valid_until <= now)
    if status in live:
        return statement.where(Licence.status == status, Licence.valid_until > now)
    if status:
        return statement.where(Licence.status == status)
    return statement.where(Licence.status != S.DRAFT)


def queue(session: Session, *, status: str | None, country: str | None = None,
          broker_id: int | None = None, limit: int, after: int | None) -> list[Licence]:
    """Oldest first, in keyset pages over the (status, id) or (destination, status, id) index.
    A draft is its broker's alone: it is in no queue, whatever status is asked for."""
    statement = (by_status(select(Licence), status).where(Licence.status != S.DRAFT)
                 .order_by(Licence.id).limit(limit + 1))
    if country:
        statement = statement.where(Licence.destination_country == country)
    if broker_id is not None:
        statement = statement.where(Licence.broker_id == broker_id)
    if after is not None:
        statement = statement.where(Licence.id > after)
    return list(session.exec(statement))


def owned_by(session: Session, account, *, status: str | None, limit: int,
             after: int | None) -> list[Licence]:
    statement = select(Licence).where(Licence.owner_id == account.id)
    if status:
        statement = by_status(statement, status)
    statement = statement.order_by(Licence.id).limit(limit + 1)
    if after is not None:
        statement = statement.where(Licence.id > after)
    return list(session.exec(statement))


def of_broker(session: Session, broker_id: int, statuses) -> list[Licence]:
    """The broker's licences in these stored statuses, locked: what its sanction may reach."""
    return list(session.exec(lock_rows(
        select(Licence).where(Licence.broker_id == broker_id,
                              Licence.status.in_([str(s) for s in statuses]))
        .order_by(Licence.id))))
