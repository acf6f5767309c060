"""Every state machine's table, walked on real records in the database: each row, from each
status it allows, gives the status it declares and writes the audit action it declares; from
any other status it is refused with a Conflict that names the status and what the row allows,
and the record and the audit log stay as they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from broker_registry.audit.models import AuditAction, AuditEntry
from broker_registry.audit.service import history
from broker_registry.brokers import service as brokers
from broker_registry.brokers.models import Broker, RegistrationStatus
from broker_registry.certificates import service as certificates
from broker_registry.certificates.models import Certificate, CertificateStatus
from broker_registry.db.columns import utcnow
from broker_registry.errors import Conflict
from broker_registry.i18n.labels import STATUSES, label
from broker_registry.licences import lifecycle
from broker_registry.licences.models import Licence, LicenceStatus
from broker_registry.states import Machine
from certs.revocation_list import Reason
from tests.records import submit

EXPIRED = "expired"


class Kind:
    """One kind of record: its table, the statuses it can be in, how a record is put in one,
    and how a transition is applied to it."""

    def __init__(self, name, machine: Machine, statuses, subject_type: str, put, apply):
        self.name, self.machine, self.statuses = name, machine, [str(s) for s in statuses]
        self.subject_type, self.put, self.apply = subject_type, put, apply


def _put_dated(record, status: str, live: str) -> None:
    """A record in `status`; expired is a live status past its valid_until."""
    if status == EXPIRED:
        record.status, record.valid_until = live, utcnow() - timedelta(days=1)
    else:
        record.status, record.valid_until = status, utcnow() + timedelta(days=30)


def _kinds(db, regulator, broker, licence, certificate) -> list[Kind]:
    return [
        Kind("brokers", brokers.TRANSITIONS, RegistrationStatus, "broker",
             lambda status: _put_dated(broker, status, RegistrationStatus.REGISTERED),
             lambda action: brokers.transition(db, regulator, broker, action, "walked")),
        Kind("licences", lifecycle.TRANSITIONS, LicenceStatus, "licence",
             lambda status: _put_dated(licence, status, LicenceStatus.ISSUED),
             lambda action: lifecycle.transition(db, regulator, licence, action, "walked")),
        # a certificate's expiry is computed and never stored: its table reads the stored one
        Kind("certificates", certificates.TRANSITIONS,
             [s for s in CertificateStatus if s != CertificateStatus.EXPIRED], "certificate",
             lambda status: setattr(certificate, "status", status),
             lambda action: certificates.transition(db, regulator, certificate, action,
                                                     "walked", Reason.UNSPECIFIED)),
    ]


@pytest.fixture
def records(app, db, certificate, regulator):
    number = certificate["number"]
    row = db.exec(select(Certificate).where(Certificate.number == number)).one()
    licence = db.get(Licence, row.licence_id)
    broker = db.get(Broker, licence.broker_id)
    return _kinds(db, regulator, broker, licence, row), {"broker": broker, "licence": licence,
                                                        "certificate": row}


def _subject_id(record) -> str:
    return str(record.number if isinstance(record, Certificate) else record.id)


def _last_seq(db) -> int:
    return db.exec(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)).first() or 0


def test_every_table_walked_on_real_records(app, db, records):
    kinds, by_type = records
    walked = refused = 0
    with app.test_request_context():
        for kind in kinds:
            record = by_type[kind.subject_type]
            assert {s for row in kind.machine for s in row.allowed_from} <= set(kind.statuses)
            for row in kind.machine:
                assert row.to in kind.statuses and row.to != EXPIRED
                assert row.audit in set(AuditAction) and str(row.past)
                for status in kind.statuses:
                    kind.put(status)
                    db.add(record)
                    db.flush()
                    seq = _last_seq(db)
                    if status in row.allowed_from:
                        kind.apply(row.action)
                        db.flush()
                        db.refresh(record)
                        assert (kind.name, row.action, status, record.status) == \
                            (kind.name, row.action, status, row.to)
                        entry = history(db, kind.subject_type, _subject_id(record))[-1]
                        assert entry.seq == seq + 1 and entry.action == row.audit
                        walked += 1
                    else:
                        stored = record.status
                        with pytest.raises(Conflict) as refusal:
                            kind.apply(row.action)
                        detail = refusal.value.detail
                        assert label(STATUSES, status) in detail, detail
                        assert all(label(STATUSES, s) in detail for s in row.allowed_from) \
                            or "already revoked" in detail
                        db.refresh(record)
                        assert record.status == stored
                        assert _last_seq(db) == seq
                        refused += 1
    # 8 + 9 + 3 rows; each from every status the kind has
    assert walked == sum(len(row.allowed_from) for kind in kinds for row in kind.machine)
    assert walked + refused == sum(len(kind.statuses) * len(kind.machine.transitions)
                                   for kind in kinds)


def test_a_refusal_says_the_status_and_what_is_allowed(app, db, broker_api, regulator):
    licence = db.get(Licence, submit(broker_api)["id"])
    with app.test_request_context(), pytest.raises(Conflict) as refusal:
        lifecycle.transition(db, regulator, licence, "countersign", "too soon")
    assert refusal.value.detail == ("The licence application is submitted; it cannot be "
                                    "approved (allowed from: awaiting countersignature).")


def test_a_table_has_one_row_per_action():
    from broker_registry.states import row

    with pytest.raises(ValueError, match="two rows for 'go'"):
        Machine([row({"a"}, "go", "b", "x.went", "went"), row({"b"}, "go", "c", "x.went", "went")],
                refusal=lambda **kw: "no")
