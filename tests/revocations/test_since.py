"""`?since=N` (decision D1): below the newest full list's sequence S, and 0 or 1, the stored
full list itself; from S to the current sequence a delta from N; past it a 422. Every list
names every revoked signer (D2) and is due again within the hour (D3). No request signs a
full list."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from broker_registry.keys import service as signers
from broker_registry.keys.authority import authority, key_store
from broker_registry.revocations.models import RevocationSnapshot
from broker_registry.sanctions.service import revoke_signer
from certs import pki
from certs.revocation_list import parse_revocation_list
from certs.trust_list import parse_trust_list
from tests.customs.live import publish
from tests.records import issue_certificate
from tests.revocations.test_api import _hash


@pytest.fixture
def listed(app, db, keys, licence, regulators, anonymous):
    """Five revocations and a revoked signer, a full list published at S = 6, then two more
    revocations: the current sequence is 8."""
    api = regulators[0]

    def revoked(n):
        certificates = [issue_certificate(api, licence["id"],
                                          {"lines": [{"line": 1, "quantity": 1}]})
                        for _ in range(n)]
        for certificate in certificates:
            assert api.post(f"/api/v1/certificates/{certificate['number']}/revoke",
                            json={"reason": "lost"}).status_code == 200
        return certificates

    certificates = revoked(5)
    with app.app_context():
        kid = next(s.kid for s in signers.all_signers(db) if s.status == "active")
        revoke_signer(db, key_store(), authority(), kid_hex=kid, reason="compromised")
        db.commit()
    assert publish(app).sequence == 6
    certificates += revoked(2)  # signed by the signer that took over
    root = pki.load_certificate(keys.root_cert_path.read_bytes())
    trust = parse_trust_list(anonymous.get("/api/v1/trust-list").data, root_cert=root)
    return certificates, bytes.fromhex(kid), trust


def _stored(db):
    return db.execute(sa.select(RevocationSnapshot.sequence, RevocationSnapshot.edition,
                                RevocationSnapshot.body)).all()


@pytest.mark.parametrize("since", [0, 1, 5])
def test_a_verifier_behind_the_full_list_gets_the_stored_list_itself(db, anonymous, listed,
                                                                     since):
    stored = _stored(db)
    full = anonymous.get("/api/v1/revocations")
    answer = anonymous.get(f"/api/v1/revocations?since={since}")
    assert answer.status_code == 200 and answer.mimetype == "application/cose"
    # the very bytes stored: an ECDSA signature made now would differ
    body = next(body for _, _, body in stored if body is not None)
    assert answer.data == full.data == body
    assert answer.headers["ETag"] == full.headers["ETag"]
    parsed = parse_revocation_list(answer.data, trust=listed[2])
    assert (parsed.base, parsed.sequence) == (0, 6)
    assert _stored(db) == stored  # nothing built, signed or stored
    cached = anonymous.get(f"/api/v1/revocations?since={since}",
                           headers={"If-None-Match": full.headers["ETag"]})
    assert cached.status_code == 304


@pytest.mark.parametrize(("since", "changed"), [(6, 2), (7, 1), (8, 0)])
def test_from_the_full_list_on_a_delta(db, anonymous, listed, since, changed):
    certificates, kid, trust = listed
    stored = _stored(db)
    parsed = parse_revocation_list(anonymous.get(f"/api/v1/revocations?since={since}").data,
                                   trust=trust)
    assert (parsed.base, parsed.sequence) == (since, 8)
    assert set(parsed.entries) == {_hash(c) for c in certificates[7 - changed:7]}
    assert parsed.revoked_signers == {kid}  # the whole set, though revoked before `since`
    assert parsed.next_update - parsed.issued_at == 3600
    assert _stored(db) == stored


def test_ahead_of_the_sequence_is_refused(anonymous, listed):
    for since in (9, 10**12):
        answer = anonymous.get(f"/api/v1/revocations?since={since}")
        assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
        assert answer.get_json()["errors"][0]["field"] == "since"


def test_the_json_form_follows_the_same_rules(anonymous, listed):
    full = anonymous.get("/api/v1/revocations?format=json").get_json()
    assert anonymous.get("/api/v1/revocations?format=json&since=1").get_json() == full
    delta = anonymous.get("/api/v1/revocations?format=json&since=6").get_json()
    assert (full["base"], full["sequence"], delta["base"], delta["sequence"]) == (0, 6, 6, 8)
    assert full["revoked_signers"] == delta["revoked_signers"] != []
    for body in (full, delta):
        assert body["next_update"] - body["issued_at"] == 3600


def test_the_full_list_as_json_is_rendered_once_per_edition(app, anonymous, listed, monkeypatch):
    """A million entries take seconds to render as JSON: requests for the same published list
    share one rendering in each worker, and a new edition is rendered afresh."""
    from broker_registry.revocations import api as revocations_api

    rendered = []
    render = revocations_api._as_json_bytes
    monkeypatch.setattr(revocations_api, "_as_json_bytes",
                        lambda body: rendered.append(body) or render(body))
    first = [anonymous.get("/api/v1/revocations?format=json", headers={"If-None-Match": ""})
             for _ in range(3)]
    assert len(rendered) == 1 and len({answer.data for answer in first}) == 1
    assert first[0].get_json()["sequence"] == 6
    anonymous.get("/api/v1/revocations?format=json&since=6")  # a delta: rendered for itself
    assert len(rendered) == 2
    publish(app)  # a new edition at sequence 8
    newer = anonymous.get("/api/v1/revocations?format=json").get_json()
    assert newer["sequence"] == 8 and len(rendered) == 3
