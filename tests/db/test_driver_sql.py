"""A DriverQuery gives the rows SQLAlchemy gives, with every column converted the same way."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from broker_registry.accounts import service as accounts
from broker_registry.accounts.models import Account, ApiToken
from broker_registry.certificates.models import Certificate
from broker_registry.customs import verification
from broker_registry.db.columns import utcnow
from broker_registry.db.driver_sql import DriverQuery


def _core(connection, query: DriverQuery, params: dict) -> list[tuple]:
    return [tuple(row) for row in connection.execute(query.statement, params)]


@pytest.fixture
def driver_only(connection):
    """Fails the test if a DriverQuery went through SQLAlchemy's execution after all."""
    through_core = []

    def seen(*args):
        through_core.append(args[2])

    sa.event.listen(connection, "before_cursor_execute", seen)
    def rows(query, params):
        through_core.clear()
        found = query.rows(connection, params)
        assert through_core == [], through_core
        return found

    yield rows
    sa.event.remove(connection, "before_cursor_execute", seen)


def test_the_certificate_state_matches_core_column_for_column(connection, db, certificate,
                                                               customs, driver_only):
    shipped = customs.post(f"/api/v1/certificates/{certificate['number']}/shipments",
                           json={"lines": [{"line": 1, "quantity": 5}],
                                 "border_post": "Aflao border post"})
    assert shipped.status_code == 201
    record = db.exec(sa.select(Certificate).where(
        Certificate.number == certificate["number"])).scalar_one()
    record.status, record.status_reason = "suspended", "Enquiry into the consignee"
    db.add(record)
    db.commit()
    rows = driver_only(verification._STATE, {"h": record.cti_hash})
    assert rows == _core(connection, verification._STATE, {"h": record.cti_hash})
    (first, second) = rows
    assert first[:3] == (record.id, "suspended", "Enquiry into the consignee")
    assert first[3].tzinfo is not None and first[3] == record.valid_until
    assert first[5] == 0  # suspended here by hand: no reason code was given
    assert [r[6:] for r in rows] == [(1, 200, 5), (2, 100000, 0)]
    assert second[4] == record.updated_at


def test_a_certificate_without_lines_comes_back_with_nulls(connection, db, certificate,
                                                          driver_only):
    record = db.exec(sa.select(Certificate).where(
        Certificate.number == certificate["number"])).scalar_one()
    db.execute(sa.delete(verification.CertificateLine).where(
        verification.CertificateLine.certificate_id == record.id))
    db.commit()
    rows = driver_only(verification._STATE, {"h": record.cti_hash})
    assert rows == _core(connection, verification._STATE, {"h": record.cti_hash})
    assert rows[0][5:] == (0, None, None, None)  # valid: reason code 0
    assert verification._STATE.rows(connection, {"h": b"\0" * 32}) == []


def test_a_token_resolves_while_live_and_not_once_expired_or_revoked(connection, db,
                                                                     make_account):
    account = make_account("customs")
    plaintext, token = accounts.issue_token(db, account)
    db.commit()
    principal = accounts.resolve_token(connection, plaintext)
    assert (principal.id, principal.role) == (account.id, "customs")
    # The expiry is compared in SQL: the bound datetime must be converted as Core would.
    token.expires_at = utcnow() + timedelta(seconds=30)
    db.add(token)
    db.commit()
    assert accounts.resolve_token(connection, plaintext) is not None
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.add(token)
    db.commit()
    assert accounts.resolve_token(connection, plaintext) is None
    token.expires_at, token.revoked_at = utcnow() + timedelta(days=1), utcnow()
    db.add(token)
    db.commit()
    assert accounts.resolve_token(connection, plaintext) is None


def test_the_token_and_the_certificate_in_one_query(connection, db, certificate, customs,
                                                    driver_only):
    record = db.exec(sa.select(Certificate).where(
        Certificate.number == certificate["number"])).scalar_one()
    token = customs.headers["Authorization"].split()[1]
    params = {**accounts.token_params(token), "h": record.cti_hash}
    rows = driver_only(verification.PRINCIPAL_AND_STATE, params)
    assert rows == _core(connection, verification.PRINCIPAL_AND_STATE, params)
    assert [row[:2] for row in rows] == [(customs.account.id, "customs")] * 2
    assert verification.state_from_rows([row[2:] for row in rows]) == \
        verification.certificate_state(connection, record.cti_hash)
    # No such certificate: the principal alone, with nulls; a dead token: nothing at all.
    unknown = driver_only(verification.PRINCIPAL_AND_STATE, {**params, "h": b"\0" * 32})
    assert unknown == [(customs.account.id, "customs", *[None] * 9)]
    assert verification.state_from_rows([row[2:] for row in unknown]) is None
    dead = {**params, "token_hash": "0" * 64}
    assert driver_only(verification.PRINCIPAL_AND_STATE, dead) == []
    principal, state = verification.principal_and_state(connection, token, record.cti_hash)
    assert (principal.id, principal.role) == (customs.account.id, "customs")
    assert state == verification.certificate_state(connection, record.cti_hash)
    assert verification.principal_and_state(connection, "brt_dead", record.cti_hash) \
        == (None, None)


def test_literal_values_are_bound_and_missing_parameters_refused(connection, make_account,
                                                                driver_only):
    account = make_account("regulator")
    query = DriverQuery(sa.select(Account.id, Account.active, Account.created_at)
                        .where(Account.id == sa.bindparam("id"), Account.role == "regulator"))
    rows = driver_only(query, {"id": account.id})
    assert rows == _core(connection, query, {"id": account.id})
    assert rows[0][:2] == (account.id, True) and rows[0][2].tzinfo is not None
    with pytest.raises(KeyError, match="id"):
        query.rows(connection, {})


def test_lists_and_literal_parameters_are_left_to_core(connection):
    expanding = sa.select(ApiToken.id).where(ApiToken.id.in_(sa.bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="run this statement on Core"):
        DriverQuery(expanding).rows(connection, {"ids": [1, 2]})
    literal = sa.select(ApiToken.id).where(ApiToken.id == sa.bindparam("id", literal_execute=True))
    with pytest.raises(ValueError, match="run this statement on Core"):
        DriverQuery(literal).rows(connection, {"id": 1})


def test_a_bad_statement_fails_with_its_own_error_wrapped_as_sqlalchemy_would(connection):
    broken = DriverQuery(sa.select(sa.column("no_such_column")).select_from(sa.table("accounts")))
    with pytest.raises(sa.exc.DBAPIError) as failed:
        broken.rows(connection, {})
    # The driver's own error, not a second one from running it again in an aborted
    # PostgreSQL transaction.
    assert "no_such_column" in str(failed.value.orig)
    assert not failed.value.connection_invalidated
