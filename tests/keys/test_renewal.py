"""A signer is never used past its certificate's end: the issuer refuses, and the worker hands
over to a new signer a month before (docs/spec/euc-qr.md section 7: a certificate whose iat
lies outside its DSC's validity is refused by every verifier)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from broker_registry.audit.service import history
from broker_registry.certificates.models import Certificate
from broker_registry.keys import service
from broker_registry.keys.authority import authority, key_store
from broker_registry.keys.models import SignerKey
from broker_registry.worker import renew_the_signer
from certs import pki
from tests.records import issue_certificate


def _recertify(db, *, not_before: datetime, validity: timedelta) -> SignerKey:
    """Give the active signer a certificate of other dates, for the same key."""
    store = key_store()
    row = db.exec(select(SignerKey).where(SignerKey.status == "active")).one()
    root_key = pki.load_private_key(store.root_key_path, store.passphrase)
    cert = pki.make_dsc(root_key, store.root_certificate(),
                        store.signer_key(row.key_file).public_key(), common_name="Signer",
                        not_before=not_before, validity=validity)
    row.certificate_der, row.kid = pki.certificate_der(cert), pki.kid(cert).hex()
    db.add(row)
    db.commit()
    return row


def test_a_signer_past_its_certificate_s_end_signs_nothing(app, db, licence, regulators):
    with app.app_context():
        _recertify(db, not_before=datetime.now(UTC) - timedelta(days=400),
                   validity=timedelta(days=365))
    before = len(db.exec(select(Certificate)).all())
    answer = regulators[0].post(f"/api/v1/licences/{licence['id']}/certificates",
                                json={"lines": [{"line": 1, "quantity": 1}]})
    assert answer.status_code == 503
    assert answer.content_type == "application/problem+json"
    assert "keys rotate" in answer.get_json()["detail"]
    assert len(db.exec(select(Certificate)).all()) == before


def test_the_worker_renews_a_signer_a_month_before_its_end_and_not_sooner(app, db, licence,
                                                                          regulators):
    with app.app_context():
        far = _recertify(db, not_before=datetime.now(UTC) - timedelta(days=1),
                         validity=timedelta(days=100))
        renew_the_signer()
        assert [s.kid for s in db.exec(select(SignerKey)).all()] == [far.kid]
        near = _recertify(db, not_before=datetime.now(UTC) - timedelta(days=300),
                          validity=timedelta(days=320))
        near_kid = near.kid
        renew_the_signer()
    db.expire_all()
    signers = {s.kid: s.status for s in db.exec(select(SignerKey)).all()}
    assert signers[near_kid] == "retired" and list(signers.values()).count("active") == 1
    [new] = [kid for kid, status in signers.items() if status == "active"]
    [created] = [e for e in history(db, "signer", new) if e.action == "signer.created"]
    assert created.reason.startswith("the signer's certificate ends on ")
    # the new signer signs from now on
    issued = issue_certificate(regulators[0], licence["id"], {"lines": [{"line": 1,
                                                                          "quantity": 1}]})
    [signed] = [e for e in history(db, "certificate", issued["number"])
                if e.action == "certificate.issued"]
    assert signed.after["signer"] == new


def test_rotate_if_expiring_leaves_a_young_signer_alone(app, db, keys):
    with app.app_context():
        assert service.rotate_if_expiring(db, key_store(), authority(),
                                          now=datetime.now(UTC)) is None
