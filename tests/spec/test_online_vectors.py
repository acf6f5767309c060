"""The test vectors through the online verifier, POST /api/v1/verify.

Online answers come from the registry's own records, not from lists, so the vectors' world is
loaded into this test's registry the way the registry itself would hold it: the document
signers it issued (dsc-1, dsc-2, dsc-revoked, dsc-late, dsc-mislisted, by their own kids; a
registry never holds a DSC another root signed, nor one for certificate signing), a
certificate record for every certificate of the vectors (by its cti), and before each vector
the statuses its trust list and revocation lists give: certificates revoked or suspended with
the list's reason code, signers revoked. The clock of the verification is the vector's time.
What this does not test online is what online has not: list parsing and list warnings (the
offline tests cover them).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlmodel import select

import certs.verify
from broker_registry.certificates.models import Certificate, CertificateLine
from broker_registry.keys.models import SignerKey
from certs import pki
from certs.trust_list import SignerStatus
from certs.verify import read

from . import vectors as published

HELD = ("dsc-1", "dsc-2", "dsc-revoked", "dsc-late", "dsc-mislisted")


@pytest.fixture
def vector_registry(app, db, certificate):
    """The registry of `certificate`, holding the vectors' signers and certificates too."""
    real = db.exec(select(Certificate).where(Certificate.number == certificate["number"])).one()
    lines = db.exec(select(CertificateLine).where(CertificateLine.certificate_id == real.id)
                    .order_by(CertificateLine.line_no)).all()
    trust = published.trust("current")
    signers = {}
    for signer in trust.signers:
        label = next(name for name, about in published.index()["signers"].items()
                     if about["kid"] == signer.kid.hex())
        if label in HELD:
            row = SignerKey(kid=signer.kid.hex(), certificate_der=pki.certificate_der(
                signer.certificate), key_file="spec-vector-signer-has-no-key-here",
                status=SignerStatus.RETIRED)
            db.add(row)
            signers[signer.kid] = row
    records = {}
    for vector in published.vectors():
        number = vector["expected"]["content_number"]
        if number is None or number in records:
            continue
        reading = read(vector["payload"])
        record = Certificate(number=number, licence_id=real.licence_id, signer_id=real.signer_id,
                             cti=reading.claims.cti, cti_hash=reading.cti_hash,
                             issued_by=real.issued_by, not_before=real.not_before,
                             valid_until=datetime.fromtimestamp(reading.claims.exp, UTC),
                             content={}, qr_payload=vector["payload"])
        db.add(record)
        db.flush()
        for line in lines:
            db.add(CertificateLine(certificate_id=record.id, licence_line_id=line.licence_line_id,
                                   line_no=line.line_no, quantity=line.quantity))
        records[number] = record
    db.commit()
    return SimpleNamespace(signers=signers, records=records, trust=trust)


def _hold(db, app, registry, vector) -> None:
    """The statuses this vector's trust list and lists give, as the registry would hold them."""
    trust = published.trust(vector["trust_list"])
    state = published.state(vector["revocation_lists"], trust)
    listed_revoked = {s.kid for s in trust.signers if s.status is SignerStatus.REVOKED}
    moment = datetime.now(UTC) + timedelta(seconds=len(vector["name"]))
    for kid, row in registry.signers.items():
        revoked = kid in listed_revoked or (state is not None and state.signer_revoked(kid))
        row.status = SignerStatus.REVOKED if revoked else SignerStatus.RETIRED
        row.updated_at = moment  # a new version of the signer table: no worker keeps the old
        db.add(row)
    shipped_out = vector.get("online", {}).get("shipped") == "all"
    for record in registry.records.values():
        entry = None if state is None else state.lookup(record.cti_hash)
        record.status = "valid" if entry is None else str(entry.status)
        record.status_code = 0 if entry is None else int(entry.reason)
        # the registry changes a status and writes its list entry in one transaction
        record.updated_at = moment if entry is None else datetime.fromtimestamp(entry.at, UTC)
        db.add(record)
        db.execute(sa.update(CertificateLine).where(
            CertificateLine.certificate_id == record.id).values(
            shipped=CertificateLine.quantity if shipped_out else 0))
    db.commit()
    app.extensions["server_trust"].invalidate()


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_the_online_verifier_answers_every_vector(app, db, customs, vector_registry,
                                                  monkeypatch):
    wrong = []
    for vector in published.vectors():
        _hold(db, app, vector_registry, vector)
        monkeypatch.setattr(certs.verify, "time", SimpleNamespace(time=lambda v=vector: v["at"]))
        response = customs.post("/api/v1/verify", json={"payload": vector["payload"]})
        answer = response.get_json()
        expected, online = vector["expected"], vector.get("online", {})
        want = (online.get("result", expected["result"]), online.get("code",
                                                                      expected["reason_code"]),
                online.get("params", expected["reason_params"]), expected["content_number"])
        params = {k: v for k, v in answer["reason_params"].items() if k != "detail"}
        got = (answer["result"], answer["reason_code"], params,
               (answer["certificate"] or {}).get("number"))
        if response.status_code != 200 or got != want:
            wrong.append((vector["name"], want, got))
    assert wrong == []
