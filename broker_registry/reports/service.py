"""The regulator's dashboard and the yearly national report (Programme of Action, ATT).

Every figure is one aggregate query (COUNT/SUM ... GROUP BY) over an indexed filter where the
schema has one; nothing loads a table into Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..audit.models import AuditAction, AuditEntry
from ..brokers.models import Broker, RegistrationStatus
from ..certificates.models import Certificate, CertificateLine
from ..customs.models import Delivery, Shipment
from ..licences.models import Licence, LicenceFinding, LicenceLine, LicenceStatus

# The licence events the dashboard counts per month, read from the audit log: it is the only
# place a suspension or revocation is dated, and a licence may be suspended more than once.
LICENCE_EVENTS = (AuditAction.LICENCE_ISSUED, AuditAction.LICENCE_DENIED,
                  AuditAction.LICENCE_SUSPENDED, AuditAction.LICENCE_REVOKED)
WAITING_LICENCES = (LicenceStatus.SUBMITTED, LicenceStatus.AWAITING_COUNTERSIGNATURE,
                    LicenceStatus.INFORMATION_REQUESTED)


@dataclass(frozen=True)
class Queue:
    key: str  # "registration", "renewal", or a waiting licence status
    count: int
    oldest: datetime | None


@dataclass(frozen=True)
class Overdue:
    number: str
    last_shipment_at: datetime
    destination: str | None


@dataclass
class Dashboard:
    months: list[str]  # "YYYY-MM", oldest first
    queues: list[Queue]
    licence_events: dict[str, list[int]]  # audit action -> one count per month
    certificates_issued: list[int]
    shipments_by_post: list[tuple[str, int]]
    overdue_count: int
    overdue: list[Overdue] = field(default_factory=list)


def last_months(now: datetime, count: int = 12) -> list[str]:
    year, month = now.astimezone(UTC).year, now.astimezone(UTC).month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def month_key(session: Session, column):
    """The UTC calendar month of a timestamp column as "YYYY-MM", in the database's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM")
    return sa.func.substr(column, 1, 7)  # SQLite stores UTC as "YYYY-MM-DD HH:MM:SS..."


def queues(session: Session) -> list[Queue]:
    registrations = session.execute(
        sa.select(sa.func.count(), sa.func.min(Broker.submitted_at))
        .where(Broker.status == RegistrationStatus.SUBMITTED)).one()
    renewals = session.execute(
        sa.select(sa.func.count(), sa.func.min(Broker.renewal_requested_at))
        .where(Broker.status == RegistrationStatus.REGISTERED,
               Broker.renewal_requested_at.is_not(None))).one()
    found = {status: (n, oldest) for status, n, oldest in session.execute(
        sa.select(Licence.status, sa.func.count(), sa.func.min(Licence.submitted_at))
        .where(Licence.status.in_([str(s) for s in WAITING_LICENCES]))
        .group_by(Licence.status))}
    return [Queue("registration", *registrations), Queue("renewal", *renewals),
            *(Queue(str(s), *found.get(str(s), (0, None))) for s in WAITING_LICENCES)]


def events_per_month(session: Session, *, actions, months: list[str]) -> dict[str, list[int]]:
    since = datetime.fromisoformat(months[0] + "-01").replace(tzinfo=UTC)
    month = month_key(session, AuditEntry.at)
    rows = session.execute(
        sa.select(AuditEntry.action, month, sa.func.count())
        .where(AuditEntry.action.in_([str(a) for a in actions]), AuditEntry.at >= since)
        .group_by(AuditEntry.action, month))
    counts = {(action, key): n for action, key, n in rows}
    return {str(a): [counts.get((str(a), m), 0) for m in months] for a in actions}


def shipments_by_post(session: Session, *, since: datetime, limit: int = 15):
    count = sa.func.count().label("n")
    rows = session.execute(
        sa.select(Shipment.border_post, count).where(Shipment.recorded_at >= since)
        .group_by(Shipment.border_post).order_by(count.desc(), Shipment.border_post)
        .limit(limit))
    return [(post, n) for post, n in rows]


def _overdue_filter(cutoff: datetime):
    return (Certificate.dvc_required.is_(True), Certificate.delivered_at.is_(None),
            Certificate.last_shipment_at.is_not(None), Certificate.last_shipment_at < cutoff)


def overdue_deliveries(session: Session, *, days: int, now: datetime, limit: int = 10):
    cutoff = now - timedelta(days=days)
    total = session.execute(sa.select(sa.func.count()).select_from(Certificate)
                            .where(*_overdue_filter(cutoff))).scalar_one()
    rows = session.execute(
        sa.select(Certificate.number, Certificate.last_shipment_at, Licence.destination_country)
        .join(Licence, Licence.id == Certificate.licence_id)
        .where(*_overdue_filter(cutoff)).order_by(Certificate.last_shipment_at).limit(limit))
    return total, [Overdue(*row) for row in rows]


def dashboard(session: Session, *, now: datetime, overdue_days: int) -> Dashboard:
    months = last_months(now)
    since = datetime.fromisoformat(months[0] + "-01").replace(tzinfo=UTC)
    events = events_per_month(session, months=months,
                              actions=(*LICENCE_EVENTS, AuditAction.CERTIFICATE_ISSUED))
    overdue_count, overdue = overdue_deliveries(session, days=overdue_days, now=now)
    return Dashboard(
        months=months, queues=queues(session),
        licence_events={str(a): events[str(a)] for a in LICENCE_EVENTS},
        certificates_issued=events[str(AuditAction.CERTIFICATE_ISSUED)],
        shipments_by_post=shipments_by_post(session, since=since),
        overdue_count=overdue_count, overdue=overdue)


# The yearly national report. The Programme of Action was adopted in 2001: no earlier year.
FIRST_YEAR = 2001


@dataclass(frozen=True)
class Denial:
    decided_at: datetime
    licence_id: int
    destination: str | None
    reason: str | None


@dataclass
class NationalReport:
    year: int
    as_of: datetime  # the year's end, or now while the year is running
    brokers_registered: list[tuple[str, int]]  # (country, brokers first registered that year)
    brokers_on_register: list[tuple[str, int]]  # (country, brokers on the register at as_of)
    licences_by_category: list[tuple[str, str, int, int]]  # (category, unit, licences, qty)
    licences_by_destination: list[tuple[str | None, int]]
    certificates_by_category: list[tuple[str, str, int, int, int]]  # ..., quantity, shipped
    certificates_by_destination: list[tuple[str | None, int]]
    denials: list[Denial]
    denial_findings: list[tuple[str, int]]  # (screening rule, denied licences with it)
    deliveries_by_destination: list[tuple[str | None, int]]


def is_reportable(year: int, *, now: datetime) -> bool:
    return FIRST_YEAR <= year <= now.astimezone(UTC).year


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def reportable_years(session: Session, *, now: datetime) -> list[int]:
    """From the year of the first audit entry (the registry's first act) to this year."""
    first = session.execute(sa.select(AuditEntry.at).order_by(AuditEntry.seq).limit(1)
                            ).scalar_one_or_none()
    start = max(FIRST_YEAR, first.year if first else now.year)
    return list(range(now.astimezone(UTC).year, start - 1, -1))


def _by(session: Session, key, count, *where, join=None) -> list[tuple]:
    statement = sa.select(key, count)
    if join is not None:
        statement = statement.select_from(join)
    rows = session.execute(statement.where(*where).group_by(key)
                           .order_by(count.desc(), key))
    return [tuple(row) for row in rows]


def _brokers(session: Session, start: datetime, end: datetime, as_of: datetime):
    count = sa.func.count(Broker.id)
    registered = _by(session, Broker.country, count,
                     Broker.registered_at >= start, Broker.registered_at < end)
    revoked_before = sa.exists().where(
        AuditEntry.subject_type == "broker",
        AuditEntry.subject_id == sa.cast(Broker.id, sa.String),
        AuditEntry.action == AuditAction.BROKER_REVOKED, AuditEntry.at < as_of)
    on_register = _by(session, Broker.country, count,
                      Broker.registered_at < as_of, Broker.valid_until > as_of,
                      sa.or_(Broker.status != RegistrationStatus.REVOKED, ~revoked_before))
    return registered, on_register


def _licences(session: Session, start: datetime, end: datetime):
    issued = (Licence.issued_at >= start, Licence.issued_at < end)
    by_category = session.execute(
        sa.select(LicenceLine.category, LicenceLine.unit,
                  sa.func.count(sa.distinct(Licence.id)), sa.func.sum(LicenceLine.quantity))
        .join(Licence, Licence.id == LicenceLine.licence_id).where(*issued)
        .group_by(LicenceLine.category, LicenceLine.unit)
        .order_by(LicenceLine.category, LicenceLine.unit))
    by_destination = _by(session, Licence.destination_country, sa.func.count(Licence.id),
                         *issued)
    return [(c, u, n, int(q or 0)) for c, u, n, q in by_category], by_destination


def _certificates(session: Session, start: datetime, end: datetime):
    issued = (Certificate.issued_at >= start, Certificate.issued_at < end)
    by_category = session.execute(
        sa.select(LicenceLine.category, LicenceLine.unit,
                  sa.func.count(sa.distinct(Certificate.id)),
                  sa.func.sum(CertificateLine.quantity), sa.func.sum(CertificateLine.shipped))
        .select_from(CertificateLine)
        .join(Certificate, Certificate.id == CertificateLine.certificate_id)
        .join(LicenceLine, LicenceLine.id == CertificateLine.licence_line_id).where(*issued)
        .group_by(LicenceLine.category, LicenceLine.unit)
        .order_by(LicenceLine.category, LicenceLine.unit))
    by_destination = _by(session, Licence.destination_country, sa.func.count(Certificate.id),
                         *issued, join=sa.join(Certificate, Licence,
                                               Licence.id == Certificate.licence_id))
    # PostgreSQL sums a bigint as numeric: back to int, as SQLite gives it.
    return ([(c, u, n, int(q or 0), int(s or 0)) for c, u, n, q, s in by_category],
            by_destination)


def _denials(session: Session, start: datetime, end: datetime):
    denied = (Licence.status == LicenceStatus.DENIED, Licence.decided_at >= start,
              Licence.decided_at < end)
    # The grounds are the reason the regulator gave, kept with the audit entry of the denial.
    rows = session.execute(
        sa.select(Licence.decided_at, Licence.id, Licence.destination_country, AuditEntry.reason)
        .outerjoin(AuditEntry, sa.and_(
            AuditEntry.subject_type == "licence",
            AuditEntry.subject_id == sa.cast(Licence.id, sa.String),
            AuditEntry.action == AuditAction.LICENCE_DENIED))
        .where(*denied).order_by(Licence.decided_at, Licence.id))
    denied_ids = sa.select(Licence.id).where(*denied)
    findings = _by(session, LicenceFinding.rule,
                   sa.func.count(sa.distinct(LicenceFinding.licence_id)),
                   LicenceFinding.licence_id.in_(denied_ids))
    return [Denial(*row) for row in rows], findings


def national_report(session: Session, *, year: int, now: datetime) -> NationalReport:
    start, end = year_bounds(year)
    as_of = min(end, now)
    registered, on_register = _brokers(session, start, end, as_of)
    licences_by_category, licences_by_destination = _licences(session, start, end)
    certificates_by_category, certificates_by_destination = _certificates(session, start, end)
    denials, findings = _denials(session, start, end)
    deliveries = _by(session, Licence.destination_country, sa.func.count(Delivery.id),
                     Delivery.received_at >= start, Delivery.received_at < end,
                     join=sa.join(Delivery, Certificate,
                                  Certificate.id == Delivery.certificate_id)
                     .join(Licence, Licence.id == Certificate.licence_id))
    return NationalReport(
        year=year, as_of=as_of, brokers_registered=registered, brokers_on_register=on_register,
        licences_by_category=licences_by_category,
        licences_by_destination=licences_by_destination,
        certificates_by_category=certificates_by_category,
        certificates_by_destination=certificates_by_destination,
        denials=denials, denial_findings=findings, deliveries_by_destination=deliveries)
