import time

import cbor2
from sqlmodel import select

from broker_registry.keys.authority import key_store
from broker_registry.revocations.api import HEADS_TTL
from certs import pki
from certs.revocation_list import RevocationState, cti_hash, parse_revocation_list
from certs.trust_list import parse_trust_list
from tests.customs.live import publish
from tests.records import issue_certificate


def _trust(anonymous, keys):
    root = pki.load_certificate(keys.root_cert_path.read_bytes())
    return parse_trust_list(anonymous.get("/api/v1/trust-list").data, root_cert=root)


def test_full_list_delta_and_etag(app, anonymous, licence, regulators, keys):
    regulator = regulators[0]
    certs = [issue_certificate(regulator, licence["id"], {"lines": [{"line": 1, "quantity": 1}]})
             for _ in range(3)]
    hashes = [_hash(c) for c in certs]
    regulator.post(f"/api/v1/certificates/{certs[0]['number']}/revoke", json={"reason": "lost"})
    assert publish(app).sequence == 1  # the worker's step
    full = anonymous.get("/api/v1/revocations")
    assert full.status_code == 200 and full.mimetype == "application/cose"
    trust = _trust(anonymous, keys)
    state = RevocationState()
    state.apply(parse_revocation_list(full.data, trust=trust))
    base = state.sequence
    assert base == 1 and str(state.status(hashes[0])) == "revoked" and len(state) == 1

    regulator.post(f"/api/v1/licences/{licence['id']}/suspend", json={"reason": "inquiry"})
    delta = anonymous.get(f"/api/v1/revocations?since={base}")
    parsed = parse_revocation_list(delta.data, trust=trust)
    assert parsed.base == base and parsed.sequence == base + 2  # 2 suspensions
    statuses = {e.h: str(e.status) for e in parsed.entry_list()}
    assert statuses == {hashes[1]: "suspended", hashes[2]: "suspended"}
    state.apply(parsed)

    regulator.post(f"/api/v1/licences/{licence['id']}/reinstate", json={"reason": "cleared"})
    lifted = parse_revocation_list(
        anonymous.get(f"/api/v1/revocations?since={parsed.sequence}").data, trust=trust)
    assert {str(e.status) for e in lifted.entry_list()} == {"active"}
    assert len(lifted.entries) == 2
    state.apply(lifted)
    assert str(state.status(hashes[0])) == "revoked"
    assert state.status(hashes[1]) is None

    etag = delta.headers["ETag"]
    unchanged = anonymous.get(f"/api/v1/revocations?since={base}",
                              headers={"If-None-Match": etag})
    assert unchanged.status_code == 200  # the list moved on since that ETag
    latest = anonymous.get(f"/api/v1/revocations?since={lifted.sequence}")
    same = anonymous.get(f"/api/v1/revocations?since={lifted.sequence}",
                         headers={"If-None-Match": latest.headers["ETag"]})
    assert same.status_code == 304 and same.data == b""


def _hash(certificate) -> bytes:
    from certs.cose import decode_sign1
    from certs.qrtext import decode_qr_text

    claims = cbor2.loads(decode_sign1(decode_qr_text(certificate["qr_payload"])).payload)
    return cti_hash(claims[7])


def test_json_format_and_bad_parameters(anonymous, keys):
    listing = anonymous.get("/api/v1/revocations?format=json")
    assert listing.status_code == 200
    body = listing.get_json()
    assert set(body) >= {"authority", "sequence", "base", "issued_at", "next_update", "entries",
                         "revoked_signers"}
    assert body["authority"] == "XX-NCA" and body["base"] == 0
    # Every list, full or delta, is due again within the hour: the worker signs the full list
    # again at least every half hour, so a verifier holding only full lists calls one stale
    # only when the registry stopped publishing.
    assert body["next_update"] - body["issued_at"] == 3600
    since_zero = anonymous.get("/api/v1/revocations?format=json&since=0")
    assert since_zero.get_json() == body  # a verifier holding no list gets the full one
    delta = anonymous.get(f"/api/v1/revocations?format=json&since={body['sequence']}")
    assert delta.get_json()["base"] == body["sequence"]
    assert delta.get_json()["next_update"] - delta.get_json()["issued_at"] == 3600
    for query in ("since=-1", "since=abc", "since=99999999", "format=xml"):
        response = anonymous.get(f"/api/v1/revocations?{query}")
        assert response.status_code == 422, query
        assert response.content_type == "application/problem+json"


def test_requests_serve_the_published_full_list(app, anonymous, licence, regulators, keys):
    regulator = regulators[0]
    first = anonymous.get("/api/v1/revocations?format=json").get_json()
    cert = issue_certificate(regulator, licence["id"], {"lines": [{"line": 1, "quantity": 1}]})
    regulator.post(f"/api/v1/certificates/{cert['number']}/revoke", json={"reason": "lost"})
    served = anonymous.get("/api/v1/revocations?format=json").get_json()
    assert served["sequence"] == first["sequence"]  # no request rebuilds the full list
    result = app.test_cli_runner().invoke(args=["revocations", "publish"])
    assert result.exit_code == 0, result.output
    published = anonymous.get("/api/v1/revocations?format=json").get_json()
    assert published["sequence"] == first["sequence"] + 1
    assert len(published["entries"]) == 1
    assert key_store  # the signer that signed it is the active one (checked by parsing above)



def test_publish_signs_again_before_a_quiet_hour_leaves_the_list_stale(app, db, anonymous,
                                                                        keys):
    from datetime import timedelta

    from broker_registry.db.columns import utcnow
    from broker_registry.revocations.models import RevocationSnapshot

    runner = app.test_cli_runner()  # `init` published the first list
    assert "already published and current" in \
        runner.invoke(args=["revocations", "publish"]).output
    first = anonymous.get("/api/v1/revocations")
    snapshot = db.exec(select(RevocationSnapshot)).one()
    snapshot.issued_at -= timedelta(minutes=50)  # no revocation for fifty minutes
    snapshot.next_update -= timedelta(minutes=50)
    db.add(snapshot)
    db.commit()
    again = runner.invoke(args=["revocations", "publish"])
    assert "published the full list" in again.output, again.output
    time.sleep(HEADS_TTL)  # past the worker's cached heads
    renewed = anonymous.get("/api/v1/revocations?format=json").get_json()
    assert renewed["next_update"] > utcnow().timestamp() + 3000
    fresh = anonymous.get("/api/v1/revocations", headers={"If-None-Match": first.headers["ETag"]})
    assert fresh.status_code == 200  # another edition: not a 304 for the stale copy
