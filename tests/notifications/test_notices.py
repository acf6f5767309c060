"""The worker's other jobs: the outbox sent once by two senders at once, and the notices it
sends once each, in the reader's language."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import func, select

from broker_registry.brokers.notices import notice_expiring_registrations
from broker_registry.certificates.models import Certificate
from broker_registry.customs.notices import remind_overdue_deliveries
from broker_registry.db.columns import utcnow
from broker_registry.notifications.models import Notification, OutboxMessage
from broker_registry.notifications.outbox import send_pending
from broker_registry.permissions import Role
from tests.notifications.test_outbox import smtpd  # noqa: F401 - a fixture


def test_two_senders_at_once_send_each_message_once(isolated_app, smtpd):  # noqa: F811
    url = f"smtp://127.0.0.1:{smtpd.server_address[1]}"
    factory = isolated_app.extensions["db"].session_factory
    with factory() as session:
        session.add_all([OutboxMessage(to_address=f"to{n}@example.org", subject=f"m{n}",
                                       body="b") for n in range(40)])
        session.commit()
    results, start = [], threading.Barrier(2)

    def sender():
        with isolated_app.app_context(), factory() as session:
            start.wait()
            results.append(send_pending(session, smtp_url=url, sender="r@example.org"))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(r.sent for r in results) == 40 and sum(r.failed for r in results) == 0
    recipients = sorted(m.split("To: ")[1].split("\n")[0] for m in smtpd.messages)
    assert recipients == sorted(f"to{n}@example.org" for n in range(40))  # each once
    with factory() as session:
        rows = session.exec(select(OutboxMessage)).all()
        assert all(r.sent_at is not None and r.claimed_until is None for r in rows)


def test_a_registration_expiring_soon_is_told_once_in_its_readers_language(
        app, db, register_broker, make_account):
    owner = make_account(Role.BROKER)
    owner.locale = "zh"
    db.add(owner)
    _, broker = register_broker(owner)
    later_owner, _ = register_broker()  # three years to go: nothing to tell yet
    broker.valid_until = utcnow() + timedelta(days=30)
    db.add(broker)
    db.commit()
    told_before = db.exec(select(func.max(Notification.id))).one()  # the decisions
    with app.app_context():
        assert notice_expiring_registrations(db, window_days=90, now=utcnow(), mail=True) == 1
        assert notice_expiring_registrations(db, window_days=90, now=utcnow(), mail=True) == 0
    notes = db.exec(select(Notification).where(Notification.account_id == owner.id,
                                               Notification.id > told_before)).all()
    assert len(notes) == 1 and broker.registration_number in notes[0].subject
    assert "到期" in notes[0].subject  # written in the broker's language
    mails = db.exec(select(OutboxMessage)).all()
    assert [m.to_address for m in mails] == [broker.email]
    assert db.exec(select(Notification).where(
        Notification.account_id == later_owner.id, Notification.id > told_before)).all() == []

    broker.valid_until += timedelta(days=3 * 365)  # renewed: the next term is told again
    db.add(broker)
    db.commit()
    with app.app_context():
        later_now = broker.valid_until - timedelta(days=10)
        assert notice_expiring_registrations(db, window_days=90, now=later_now, mail=False) == 1


def test_overdue_deliveries_are_reminded_once_to_every_regulator(app, db, certificate,
                                                                  regulators, make_account):
    shipped = utcnow() - timedelta(days=120)
    db.execute(sa.update(Certificate).where(Certificate.number == certificate["number"])
               .values(last_shipment_at=shipped))
    db.commit()
    with app.app_context():
        assert remind_overdue_deliveries(db, days=90, now=utcnow(), mail=False) == 1
        assert remind_overdue_deliveries(db, days=90, now=utcnow(), mail=False) == 0
    db.commit()
    regulator_ids = {api.account.id for api in regulators}
    notes = db.exec(select(Notification).where(Notification.account_id.in_(regulator_ids)))
    notes = list(notes)
    assert {n.account_id for n in notes} == regulator_ids and len(notes) == 2
    assert all(certificate["number"] in n.body and n.subject == "1 delivery is overdue"
               for n in notes)
