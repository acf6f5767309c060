"""The reasons the registry records itself are kept as a code and parameters beside their
English; entries written before, in English alone, get their code from the migration, and the
hash chain verifies either way, and catches a code edited after it was written."""

import sqlalchemy as sa
from alembic import command
from flask_babel import force_locale

from broker_registry.audit.models import AuditEntry
from broker_registry.audit.service import history, verify
from broker_registry.certificates.models import Certificate
from broker_registry.db.migrate import alembic_config
from broker_registry.i18n.reasons import recorded_reason
from broker_registry.licences.models import Licence
from tests.customs.live import certificate_on

BEFORE_CODES = "59604bf0a33f"  # the revision before reasons were kept as codes


def _coded(connection) -> dict:
    audit = connection.execute(sa.select(AuditEntry.seq, AuditEntry.reason_code,
                                         AuditEntry.reason_params)
                               .where(AuditEntry.reason_code.is_not(None))).all()
    certificates = connection.execute(sa.select(Certificate.number,
                                                Certificate.status_reason_code,
                                                Certificate.status_reason_params)).all()
    return {"audit": {seq: (code, params) for seq, code, params in audit},
            "certificates": {n: (code, params) for n, code, params in certificates}}


def test_old_english_reasons_become_the_codes_they_were_written_with(isolated_app):
    certificate, tokens, _ = certificate_on(isolated_app)
    client = isolated_app.test_client()
    r1 = {"Authorization": f"Bearer {tokens['r1']}"}
    engine = isolated_app.extensions["db"].engine
    with engine.connect() as connection:
        licence_id, broker_id = connection.execute(
            sa.select(Licence.id, Licence.broker_id).join(Certificate).where(
                Certificate.number == certificate["number"])).one()
    assert client.post(f"/api/v1/brokers/{broker_id}/suspend", headers=r1,
                       json={"reason": "under investigation"}).status_code == 200
    with engine.connect() as connection:
        written = _coded(connection)
    codes = {code for code, _ in written["audit"].values()}
    assert {"broker_sanctioned", "first_signer"} <= codes
    assert written["certificates"][certificate["number"]][0] == "broker_sanctioned"

    def migrate(step, revision):
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            step(config, revision)

    migrate(command.downgrade, BEFORE_CODES)  # the English alone, as entries were written
    migrate(command.upgrade, "head")
    with engine.connect() as connection:
        assert _coded(connection) == written
    with isolated_app.test_request_context(), force_locale("zh"):
        from broker_registry import db

        session = db.session()
        assert verify(session) == []
        said = [recorded_reason(e.reason, e.reason_code, e.reason_params)
                for e in history(session, "licence", licence_id)]
    number = written["audit"][max(written["audit"])][1]["number"]
    assert f"中介商登记 {number} 已暂停：under investigation" in said


def test_a_code_edited_after_it_was_written_breaks_the_chain(db, keys):
    entry = db.exec(sa.select(AuditEntry).where(AuditEntry.reason_code == "first_signer")) \
        .scalar()
    assert entry is not None and entry.reason == "first signer key" and verify(db) == []
    db.execute(sa.update(AuditEntry).where(AuditEntry.id == entry.id)
               .values(reason_code="replaces_revoked"))
    db.commit()
    problems = verify(db)
    assert [(p.seq, p.message) for p in problems] == \
        [(entry.seq, "its reason code does not say its reason")]
