"""POST /api/v1/verify checks the token and reads the certificate in one statement, and still
refuses and answers exactly as the permission check and the view would on their own."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from broker_registry.accounts.models import ApiToken
from broker_registry.certificates.models import Certificate
from broker_registry.db.columns import utcnow
from certs.qrtext import decode_qr_text, encode_qr_text
from tests.statements import statements_sent


@pytest.fixture
def warm(app, certificate, customs):
    """The worker's trust store built and held, so that only the request's own reads count."""
    app.extensions["server_trust"].ttl = 3600
    assert customs.post("/api/v1/verify", json={"payload": certificate["qr_payload"]}) \
        .status_code == 200


def _verify(api, payload):
    return api.post("/api/v1/verify", json={"payload": payload})


def test_a_verification_is_one_statement(connection, warm, certificate, customs):
    with statements_sent(connection) as sent:
        answer = _verify(customs, certificate["qr_payload"])
    assert len(sent) == 1, sent
    body = answer.get_json()
    assert (answer.status_code, body["result"]) == (200, "VALID")
    assert body["certificate"]["number"] == certificate["number"]
    assert body["remaining"] == certificate["remaining"]


def test_the_state_read_ahead_is_current(connection, warm, certificate, licence, customs,
                                         regulators):
    shipped = customs.post(f"/api/v1/certificates/{certificate['number']}/shipments",
                           json={"lines": [{"line": 1, "quantity": 7}], "border_post": "Aflao"})
    assert shipped.status_code == 201
    suspended = regulators[0].post(f"/api/v1/licences/{licence['id']}/suspend",
                                   json={"reason": "Enquiry into the consignee"})
    assert suspended.status_code == 200
    with statements_sent(connection) as sent:
        body = _verify(customs, certificate["qr_payload"]).get_json()
    assert len(sent) == 1
    assert body["result"] == "SUSPENDED"
    assert "Enquiry into the consignee" in body["reason"]
    assert body["remaining"][0] == {"line": 1, "licensed": 200, "shipped": 7, "left": 193}


def test_a_certificate_the_registry_does_not_hold(connection, db, warm, certificate, customs):
    db.execute(sa.update(Certificate).where(Certificate.number == certificate["number"])
               .values(cti_hash=b"\0" * 32))
    db.commit()
    with statements_sent(connection) as sent:
        body = _verify(customs, certificate["qr_payload"]).get_json()
    assert len(sent) == 1
    assert body["result"] == "VALID"
    assert "no record" in body["reason"] and body["remaining"] == []
    assert "status" not in body["certificate"]


def _altered(payload: str, offset: int) -> str:
    """The code with one byte of its COSE message flipped (negative offset: from the end)."""
    cose = bytearray(decode_qr_text(payload))
    cose[offset] ^= 0x01
    return encode_qr_text(bytes(cose))


@pytest.mark.parametrize(("where", "result"), [
    (-1, "BAD_SIGNATURE"),  # the signature's last byte
    (10, "UNKNOWN_SIGNER"),  # a byte of the kid in the protected header
])
def test_a_forged_code_learns_nothing_of_the_record(connection, warm, certificate, customs,
                                                    where, result):
    forged = _altered(certificate["qr_payload"], where)
    with statements_sent(connection) as sent:
        answer = _verify(customs, forged)
    assert sent, "the token and the record were read ahead"
    body = answer.get_json()
    assert body["result"] == result
    assert body["certificate"]["number"] == certificate["number"]  # what the code claims
    assert "status" not in body["certificate"]  # but nothing the registry holds
    assert body["remaining"] == []


@pytest.mark.parametrize("change", ["revoked", "expired"])
def test_a_dead_token_is_refused_on_the_fast_path(connection, db, warm, certificate, customs,
                                                  change):
    token = db.exec(sa.select(ApiToken).where(ApiToken.account_id == customs.account.id)) \
        .scalars().one()
    if change == "revoked":
        token.revoked_at = utcnow()
    else:
        token.expires_at = utcnow() - timedelta(seconds=1)
    db.add(token)
    db.commit()
    with statements_sent(connection) as sent:
        answer = _verify(customs, certificate["qr_payload"])
    assert len(sent) == 1  # the combined read, which found no live token
    assert answer.status_code == 401
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert "bearer token" in answer.get_json()["detail"]


def test_without_a_token_nothing_is_read_or_decoded(connection, warm, certificate, anonymous):
    with statements_sent(connection) as sent:
        answer = anonymous.post("/api/v1/verify", json={"payload": certificate["qr_payload"]})
    assert answer.status_code == 401
    assert sent == []


def test_refusals_keep_their_order(warm, certificate, customs, broker_api, anonymous):
    genuine = {"payload": certificate["qr_payload"]}
    assert anonymous.post("/api/v1/verify", json=genuine).status_code == 401
    assert anonymous.post("/api/v1/verify", json={"payload": 5}).status_code == 401
    assert broker_api.post("/api/v1/verify", json=genuine).status_code == 403
    assert broker_api.post("/api/v1/verify", json={}).status_code == 403
    assert broker_api.post("/api/v1/verify", data="not json",
                           content_type="application/json").status_code == 403
    long_token = {"Authorization": "Bearer " + "x" * 300}
    assert anonymous.post("/api/v1/verify", json=genuine, headers=long_token).status_code == 401
    assert customs.post("/api/v1/verify", json={"payload": 5}).status_code == 422
    assert customs.post("/api/v1/verify", data="not json",
                        content_type="application/json").status_code == 400
    malformed = customs.post("/api/v1/verify", json={"payload": "EUC1:nonsense"})
    assert (malformed.status_code, malformed.get_json()["result"]) == (200, "MALFORMED")
