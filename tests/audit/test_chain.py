import sqlalchemy as sa
from sqlmodel import select

from broker_registry.audit.models import AuditEntry
from tests.factories import registered_broker


def _audit_verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def _entries(db):
    return db.exec(select(AuditEntry).order_by(AuditEntry.seq)).all()


def _with_history(api_as, db):
    regulator = api_as("regulator")
    _, registration = registered_broker(api_as, regulator=regulator)
    regulator.post(f"/api/v1/brokers/{registration['id']}/suspend", json={"reason": "check"})
    regulator.post(f"/api/v1/brokers/{registration['id']}/reinstate", json={"reason": "ok"})
    entries = _entries(db)
    assert len(entries) >= 6
    return entries


def test_an_untouched_chain_verifies(app, api_as, db):
    _with_history(api_as, db)
    result = _audit_verify(app)
    assert result.exit_code == 0, result.output
    assert "audit log intact" in result.output


def test_entries_record_who_what_why_before_and_after(api_as, db):
    entries = _with_history(api_as, db)
    suspended = next(e for e in entries if e.action == "broker.suspended")
    assert suspended.actor.startswith("regulator:")
    assert suspended.reason == "check"
    assert suspended.before["status"] == "registered"
    assert suspended.after["status"] == "suspended"
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]


def test_an_edited_entry_is_named(app, api_as, db):
    entries = _with_history(api_as, db)
    target = entries[3]
    db.execute(sa.update(AuditEntry).where(AuditEntry.id == target.id)
               .values(reason="nothing to see"))
    db.commit()
    result = _audit_verify(app)
    assert result.exit_code == 1
    assert f"seq={target.seq} id={target.id}: content was edited" in result.output


def test_a_deleted_entry_is_named(app, api_as, db):
    entries = _with_history(api_as, db)
    target = entries[2]
    db.execute(sa.delete(AuditEntry).where(AuditEntry.id == target.id))
    db.commit()
    result = _audit_verify(app)
    assert result.exit_code == 1
    assert f"expected seq {target.seq}: entries missing (deleted)" in result.output


def test_reordered_entries_are_named(app, api_as, db):
    entries = _with_history(api_as, db)
    first, second = entries[1], entries[2]
    (first_id, first_seq), (second_id, second_seq) = (first.id, first.seq), (second.id, second.seq)
    table = AuditEntry.__table__
    db.execute(sa.update(table).where(table.c.id == first_id).values(seq=-1))
    db.execute(sa.update(table).where(table.c.id == second_id).values(seq=first_seq))
    db.execute(sa.update(table).where(table.c.id == first_id).values(seq=second_seq))
    db.commit()
    result = _audit_verify(app)
    assert result.exit_code == 1
    assert "out of order" in result.output
    assert f"id={first_id}" in result.output and f"id={second_id}" in result.output


def test_a_deleted_tail_is_noticed(app, api_as, db):
    entries = _with_history(api_as, db)
    db.execute(sa.delete(AuditEntry).where(AuditEntry.id == entries[-1].id))
    db.commit()
    result = _audit_verify(app)
    assert result.exit_code == 1
    assert "entries at the end were deleted" in result.output


def test_a_failed_action_leaves_no_audit_entry(api_as, db):
    regulator = api_as("regulator")
    _, registration = registered_broker(api_as, regulator=regulator)
    count = len(_entries(db))
    regulator.post(f"/api/v1/brokers/{registration['id']}/reinstate", json={"reason": "x"})
    assert len(_entries(db)) == count


def test_content_with_number_keys_verifies_as_written(app, db, make_account):
    # A certificate's lines {2: 1, 10: 1}: as numbers 2 sorts first, as text "10" does. The
    # hash must be taken over what the column gives back, or verify cries tampering.
    from broker_registry.audit.service import record

    record(db, actor=make_account("regulator"), action="certificate.issued",
           subject_type="certificate", subject_id="EUC-XX-2026-000001",
           after={"lines": {2: 1, 10: 1}})
    db.commit()
    assert _entries(db)[-1].after == {"lines": {"2": 1, "10": 1}}
    result = _audit_verify(app)
    assert result.exit_code == 0, result.output


def test_a_reason_quoting_a_whole_reason_is_cut_to_fit_not_refused(api_as, db, broker_api,
                                                                   regulators):
    from tests.records import issue

    licence = issue(broker_api, regulators)
    reason = "r" * 4000  # as long as a reason may be; the cascade quotes it after a preamble
    answer = regulators[0].post(f"/api/v1/brokers/{broker_api.broker.id}/suspend",
                                json={"reason": reason})
    assert answer.status_code == 200
    quoted = [e for e in _entries(db) if e.subject_type == "licence"
              and e.subject_id == str(licence["id"]) and e.action == "licence.suspended"]
    assert len(quoted[0].reason) == 4000 and quoted[0].reason.endswith("r…")
    assert next(e for e in _entries(db) if e.action == "broker.suspended").reason == reason
