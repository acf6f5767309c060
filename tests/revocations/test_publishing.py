"""When a full list is due, what it holds, and that exactly one is stored per sequence."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from broker_registry.db import exclusive
from broker_registry.db.columns import utcnow
from broker_registry.keys import service as signers
from broker_registry.keys.authority import authority, key_store
from broker_registry.revocations import publishing, service
from broker_registry.revocations.models import ListedCertificate, RevocationSnapshot
from broker_registry.sanctions.service import revoke_signer
from certs import pki
from certs.revocation_list import parse_revocation_list
from certs.trust_list import parse_trust_list
from tests.records import issue, issue_certificate
from tests.revocations.test_api import _hash


def _publish(app, db, **kwargs):
    with app.app_context():
        return publishing.publish_if_due(db, store=key_store(), authority=authority().code,
                                         **kwargs)


def _parsed(anonymous, keys_store):
    root = pki.load_certificate(keys_store.root_cert_path.read_bytes())
    trust = parse_trust_list(anonymous.get("/api/v1/trust-list").data, root_cert=root)
    return parse_revocation_list(anonymous.get("/api/v1/revocations").data, trust=trust)


def _certificates(regulators, licence, n):
    return [issue_certificate(regulators[0], licence["id"],
                              {"lines": [{"line": 1, "quantity": 1}]}) for _ in range(n)]


def test_a_list_is_due_only_when_something_changed(app, db, keys, licence, regulators):
    assert _publish(app, db) is None  # init published sequence 0; nothing changed since
    certificate = _certificates(regulators, licence, 1)[0]
    regulators[0].post(f"/api/v1/certificates/{certificate['number']}/revoke",
                       json={"reason": "lost"})
    moved = _publish(app, db)
    assert (moved.sequence, moved.edition, moved.why) == (1, 1, "the sequence moved from 0 to 1")
    assert _publish(app, db) is None

    with app.app_context():
        signer = signers.rotate(db, key_store(), authority())
        db.commit()
    rotated = _publish(app, db)
    assert (rotated.sequence, rotated.edition) == (1, 2)
    assert rotated.why == "another signer is active"
    assert rotated.kid == bytes.fromhex(signer.kid)

    newest = db.exec(select(RevocationSnapshot).where(RevocationSnapshot.sequence == 1)).one()
    newest.issued_at -= timedelta(minutes=31)  # half an hour without a change
    db.add(newest)
    db.commit()
    renewed = _publish(app, db)
    assert (renewed.sequence, renewed.edition) == (1, 3)
    assert renewed.why == "the list is halfway to its next_update"
    assert _publish(app, db) is None
    assert _publish(app, db, force=True).edition == 4


def test_the_list_holds_what_stands_and_is_signed_by_the_active_signer(
        app, db, keys, licence, regulators, broker_api, anonymous):
    api = regulators[0]
    revoked, lifted, expired = _certificates(regulators, licence, 3)
    for certificate in (revoked, expired):
        assert api.post(f"/api/v1/certificates/{certificate['number']}/revoke",
                        json={"reason": "x"}).status_code == 200
    for action in ("suspend", "reinstate"):  # `lifted` is suspended, then active again
        assert api.post(f"/api/v1/licences/{licence['id']}/{action}",
                        json={"reason": "inquiry"}).status_code == 200
    other = issue(broker_api, regulators)
    suspended = _certificates(regulators, other, 1)[0]
    assert api.post(f"/api/v1/licences/{other['id']}/suspend",
                    json={"reason": "inquiry"}).status_code == 200
    # time passes: `expired` reaches its end (its entry's expiry is the certificate's)
    db.execute(sa.update(ListedCertificate).where(ListedCertificate.cti_hash == _hash(expired))
               .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    with app.app_context():
        old_kid = keys_active_kid(db)
        revoke_signer(db, key_store(), authority(), kid_hex=old_kid, reason="compromised")
        db.commit()
    published = _publish(app, db)
    parsed = _parsed(anonymous, keys)
    assert parsed.sequence == published.sequence == service.sequence(db)
    assert {h: str(e.status) for h, e in zip(parsed.entries, parsed.entry_list(),
                                             strict=True)} == \
        {_hash(revoked): "revoked", _hash(suspended): "suspended"}
    assert parsed.revoked_signers == {bytes.fromhex(old_kid)}
    assert parsed.kid == published.kid == bytes.fromhex(keys_active_kid(db)) != \
        bytes.fromhex(old_kid)
    assert parsed.next_update - parsed.issued_at == 3600


def keys_active_kid(db) -> str:
    return next(s.kid for s in signers.all_signers(db) if s.status == "active")


def test_only_the_newest_list_keeps_its_body(app, db, keys, certificate, regulators):
    regulators[0].post(f"/api/v1/certificates/{certificate['number']}/revoke",
                       json={"reason": "lost"})
    _publish(app, db)
    rows = db.exec(select(RevocationSnapshot).order_by(RevocationSnapshot.sequence)).all()
    assert [(r.sequence, r.body is not None) for r in rows] == [(0, False), (1, True)]


def test_a_list_published_meanwhile_by_another_process_is_kept(app, db, keys, certificate,
                                                                regulators):
    # Between this publisher's look and its store, another one stores the same sequence: the
    # look under the write lock finds a newer list, and this one stores nothing.
    if db.get_bind().engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL keeps the second publisher out with its lock (next test)")
    regulators[0].post(f"/api/v1/certificates/{certificate['number']}/revoke",
                       json={"reason": "lost"})
    others = []

    def another_process_first(sequence, why):
        others.append(_publish(app, db))

    assert _publish(app, db, starting=another_process_first) is None
    assert others[0].sequence == 1
    stored = db.exec(select(RevocationSnapshot).where(RevocationSnapshot.sequence == 1)).one()
    assert stored.edition == 1 and stored.kid == others[0].kid


def test_a_publisher_holding_the_lock_keeps_the_others_out(app, db, keys, certificate,
                                                             regulators):
    engine = db.get_bind().engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite orders publishers by its write lock (the test above)")
    regulators[0].post(f"/api/v1/certificates/{certificate['number']}/revoke",
                       json={"reason": "lost"})
    with exclusive(engine, publishing.LOCK) as held:
        assert held
        assert _publish(app, db) is None  # another process is at it
    assert _publish(app, db).sequence == 1
