"""The report queries on their own: month buckets, the register at year end, the year range."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from broker_registry.audit.models import AuditAction, AuditEntry
from broker_registry.brokers.models import Broker
from broker_registry.db.columns import utcnow
from broker_registry.reports import service


def test_last_months_run_oldest_first_across_a_new_year():
    assert service.last_months(datetime(2026, 2, 10, tzinfo=UTC), 4) == [
        "2025-11", "2025-12", "2026-01", "2026-02"]


def test_events_fall_in_their_month_and_old_ones_drop_out(licence, db):
    months = service.last_months(utcnow())
    issued = str(AuditAction.LICENCE_ISSUED)
    [entry] = db.exec(sa.select(AuditEntry).where(AuditEntry.action == issued)).scalars()
    counts = service.events_per_month(db, actions=[AuditAction.LICENCE_ISSUED], months=months)
    assert counts[issued][-1] == 1 and sum(counts[issued]) == 1
    def moved_to(moment: datetime) -> list[int]:
        db.execute(sa.update(AuditEntry).where(AuditEntry.id == entry.id).values(at=moment))
        return service.events_per_month(db, actions=[AuditAction.LICENCE_ISSUED],
                                        months=months)[issued]

    two_months_ago = datetime.fromisoformat(months[-3] + "-15").replace(tzinfo=UTC)
    counts = moved_to(two_months_ago)
    assert counts[-3] == 1 and sum(counts) == 1
    assert sum(moved_to(two_months_ago - timedelta(days=400))) == 0

def test_the_register_at_year_end_leaves_out_brokers_revoked_by_then(register_broker, db):
    register_broker()
    register_broker(status="revoked", country="FR")
    now = utcnow()
    report = service.national_report(db, year=now.year, now=now)
    assert dict(report.brokers_registered) == {"DE": 1, "FR": 1}
    assert dict(report.brokers_on_register) == {"DE": 1}
    last_year = service.national_report(db, year=now.year - 1, now=now)
    assert last_year.brokers_registered == last_year.brokers_on_register == []


def test_a_broker_revoked_after_the_year_was_on_its_register(register_broker, db):
    _, broker = register_broker(status="revoked")
    now = utcnow()
    db.execute(sa.update(Broker).where(Broker.id == broker.id)
               .values(registered_at=now - timedelta(days=400)))
    report = service.national_report(db, year=now.year - 1, now=now)
    assert dict(report.brokers_on_register) == {"DE": 1}


def test_the_reportable_years():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert [y for y in (0, 2000, 2001, 2026, 2027, 99999)
            if service.is_reportable(y, now=now)] == [2001, 2026]
