"""Shipment notices: a partner's notice about one of our certificates is verified under its
root and recorded once; an untrusted sender, a replay with other content, a forged signature
each get a clear answer and change nothing; an over-draw from abroad reaches the regulators.
And a shipment recorded here against a partner's certificate queues a signed notice."""

from __future__ import annotations

import os
import time

from sqlmodel import select

from broker_registry.federation import service
from broker_registry.federation.models import OutgoingNotice, ReceivedNotice
from broker_registry.keys.authority import authority, key_store
from broker_registry.keys.service import trust_list
from broker_registry.notifications.models import Notification
from certs import pki
from certs.federation import Notice, read_notice, sign_notice, verify_notice
from certs.trust_list import parse_trust_list
from certs.verify import read
from tests.certs.factories import DAY, NOW
from tests.certs.federated import issuer

COSE = {"Content-Type": "application/cose"}


def _trust(db, who):
    candidate = service.candidate(code=who.code, name=f"Authority {who.code}",
                                  base_url="https://partner.example", root=who.root_der)
    row = service.add(db, actor=None, proposed=candidate,
                      confirmed_fingerprint=candidate.fingerprint, home_code="XX-NCA")
    row.trust_list = who.trust_list()
    db.add(row)
    db.commit()


def _notice(who, payload, *, quantity=2, notice_id=None, post="Bridge", to="XX-NCA"):
    notice = Notice(notice_id or os.urandom(16), who.code, to, read(payload).cti_hash,
                    "N-1", post, NOW, ({"line": 1, "quantity": quantity,
                                        "markings": ["SN-9"]},))
    return sign_notice(notice, kid=pki.kid(who.keys.dsc), key=who.keys.dsc_key)


def test_a_partner_s_notice_is_recorded_once(client, db, certificate, partner_keys, regulators):
    _trust(db, partner_keys)
    payload = certificate["qr_payload"]
    body = _notice(partner_keys, payload)
    first = client.post("/api/v1/federation/notices", data=body, headers=COSE)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["status"] == "recorded" and not first.get_json()["over_draw"]
    again = client.post("/api/v1/federation/notices", data=body, headers=COSE)
    assert again.status_code == 200 and again.get_json()["status"] == "already_recorded"
    notice_id = read_id(body)
    other = client.post("/api/v1/federation/notices",
                        data=_notice(partner_keys, payload, notice_id=notice_id, post="Elsewhere"),
                        headers=COSE)
    assert other.status_code == 409 and "other content" in other.get_json()["detail"]
    [row] = db.exec(select(ReceivedNotice)).all()
    assert (row.authority_code, row.border_post, row.lines[0]["markings"]) == (
        "PP-NCA", "Bridge", ["SN-9"])
    shown = regulators[0].get(f"/api/v1/certificates/{certificate['number']}").get_json()
    assert [(c["authority"], c["border_post"]) for c in shown["reported_crossings"]] == [
        ("PP-NCA", "Bridge")]
    traced = regulators[0].get("/api/v1/federation/markings/SN-9").get_json()
    assert [(t["certificate"], t["reported_by"], t["border_post"], t["line"])
            for t in traced["items"]] == [(certificate["number"], "PP-NCA", "Bridge", 1)]
    assert regulators[0].get("/api/v1/federation/markings/SN-0").get_json()["items"] == []


def read_id(body: bytes) -> bytes:
    return read_notice(body).notice_id


def test_untrusted_forged_misaddressed_and_unknown_notices_are_refused(
        client, db, certificate, partner_keys):
    payload = certificate["qr_payload"]
    untrusted = client.post("/api/v1/federation/notices", data=_notice(partner_keys, payload),
                            headers=COSE)
    assert untrusted.status_code == 403 and "not trusted" in untrusted.get_json()["detail"]
    _trust(db, partner_keys)
    impostor = issuer("PP-NCA")  # the same code, another root
    forged = client.post("/api/v1/federation/notices", data=_notice(impostor, payload),
                         headers=COSE)
    assert forged.status_code == 403 and "does not verify" in forged.get_json()["detail"]
    elsewhere = client.post("/api/v1/federation/notices",
                            data=_notice(partner_keys, payload, to="YY-NCA"), headers=COSE)
    assert elsewhere.status_code == 422
    unknown = client.post("/api/v1/federation/notices",
                          data=_notice(partner_keys, partner_keys.certificate()), headers=COSE)
    assert unknown.status_code == 404
    assert client.post("/api/v1/federation/notices", data=b"junk",
                       headers=COSE).status_code == 422
    assert client.post("/api/v1/federation/notices", data=b"junk").status_code == 415
    assert db.exec(select(ReceivedNotice)).all() == []


def test_an_over_draw_from_abroad_is_recorded_and_flagged(client, db, certificate, partner_keys,
                                                          regulators):
    _trust(db, partner_keys)
    payload = certificate["qr_payload"]
    licensed = certificate["remaining"][0]["licensed"]
    assert client.post("/api/v1/federation/notices", data=_notice(partner_keys, payload),
                       headers=COSE).status_code == 201
    over = client.post("/api/v1/federation/notices",
                       data=_notice(partner_keys, payload, quantity=licensed), headers=COSE)
    assert over.status_code == 201 and over.get_json()["over_draw"] is True
    flags = db.exec(select(Notification).where(
        Notification.subject.contains(certificate["number"]))).all()
    assert len(flags) == 2  # each regulator
    assert "PP-NCA" in flags[0].body


def test_a_shipment_against_a_partner_s_certificate_queues_a_signed_notice(
        customs, db, partner_keys, keys):
    _trust(db, partner_keys)
    payload = partner_keys.certificate(exp=int(time.time()) + 30 * DAY)
    lines = [{"line": 1, "quantity": 2, "markings": ["SN-1", "SN-2"]}]
    too_many = customs.post("/api/v1/federation/shipments", json={
        "payload": payload, "border_post": "Bridge",
        "lines": [{"line": 1, "quantity": 10**6}]})
    assert too_many.status_code == 422
    no_line = customs.post("/api/v1/federation/shipments", json={
        "payload": payload, "border_post": "Bridge", "lines": [{"line": 9, "quantity": 1}]})
    assert no_line.status_code == 422
    unknown = customs.post("/api/v1/federation/shipments", json={
        "payload": issuer("QQ-NCA").certificate(exp=int(time.time()) + DAY),
        "border_post": "Bridge", "lines": lines})
    assert unknown.status_code == 409
    assert db.exec(select(OutgoingNotice)).all() == []
    shipped = customs.post("/api/v1/federation/shipments", json={
        "payload": payload, "border_post": "Bridge", "lines": lines})
    assert shipped.status_code == 201, shipped.get_json()
    [row] = db.exec(select(OutgoingNotice)).all()
    assert row.acknowledged_at is None and row.attempts == 0
    with customs.client.application.app_context():
        store = key_store()
        body, _ = trust_list(db, store, authority())
        ours = parse_trust_list(body, root_cert=store.root_certificate())
    notice = verify_notice(row.body, sender=ours)
    assert (notice.sender, notice.issuer, notice.border_post) == ("XX-NCA", "PP-NCA", "Bridge")
    assert notice.lines[0]["markings"] == ["SN-1", "SN-2"]
    assert notice.cti_hash == read(payload).cti_hash



def test_the_new_verdicts_are_said_in_chinese(app):
    from flask_babel import force_locale

    from broker_registry.i18n.verdicts import verification

    with app.test_request_context(), force_locale("zh"):
        said = [verification(code, params) for code, params in (
            ("authority_unknown", {"iss": "CC-NCA", "kid": "00"}),
            ("authority_mismatch", {"iss": "AA-NCA", "kid": "00", "signer_authority": "BB-NCA"}),
            ("issued_abroad", {"authority": "AA-NCA", "name": "Authority (A)"}))]
    assert said == ["该证书声明的签发机关为 CC-NCA，不在本处信任的主管机关之列。",
                    "该证书声明的签发机关为 AA-NCA，却由 BB-NCA 的密钥签名：拒绝。",
                    "由 Authority (A)（AA-NCA）签发：剩余数量只有签发登记处知道。"]
