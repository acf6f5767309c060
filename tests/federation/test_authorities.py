"""Adding, suspending, reinstating and removing a foreign authority: by URL and fingerprint
(API, pages, command line), each change audited and effective at once, every refusal
changing nothing."""

from __future__ import annotations

import hashlib

from sqlmodel import select

from broker_registry.audit.models import AuditEntry
from broker_registry.federation.models import ForeignAuthority
from certs import pki
from tests.certs.factories import DAY, NOW
from tests.conftest import csrf_token

AUTHORITIES = "/api/v1/federation/authorities"


def _rows(db):
    db.expire_all()
    return list(db.exec(select(ForeignAuthority)))


def _audit(db, action):
    return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)))


def test_an_authority_is_added_only_with_its_root_s_fingerprint(admin_api, partner, db):
    preview = admin_api.post(AUTHORITIES, json={"base_url": partner.url + "/"})
    assert preview.status_code == 200
    fingerprint = hashlib.sha256(partner.issuer.root_der).hexdigest()
    assert preview.get_json() == {"code": "PP-NCA", "name": "Authority PP-NCA",
                                  "base_url": partner.url, "fingerprint": fingerprint,
                                  "added": False}
    wrong = admin_api.post(AUTHORITIES, json={"base_url": partner.url,
                                              "fingerprint": "ab" * 32})
    assert wrong.status_code == 422
    assert wrong.get_json()["errors"][0]["field"] == "fingerprint"
    assert "does not match" in wrong.get_json()["errors"][0]["message"]
    assert _rows(db) == [] and _audit(db, "authority.added") == []
    spaced = " ".join(fingerprint[i:i + 4] for i in range(0, 64, 4))
    added = admin_api.post(AUTHORITIES, json={"base_url": partner.url, "fingerprint": spaced})
    assert added.status_code == 201, added.get_json()
    assert added.headers["Location"] == "/api/v1/federation/authorities/PP-NCA"
    body = added.get_json()
    assert (body["code"], body["status"], body["refreshed_at"]) == ("PP-NCA", "active", None)
    assert body["stale_since"] is not None  # no list yet
    [entry] = _audit(db, "authority.added")
    assert entry.subject_id == "PP-NCA" and entry.after["fingerprint"] == fingerprint
    again = admin_api.post(AUTHORITIES, json={"base_url": partner.url,
                                              "fingerprint": fingerprint})
    assert again.status_code == 409


def test_a_partner_that_cannot_be_reached_or_is_not_one_is_refused(admin_api, partner, db):
    partner.stop()
    gone = admin_api.post(AUTHORITIES, json={"base_url": partner.url})
    assert gone.status_code == 422 and "cannot be reached" in gone.get_json()["detail"]
    for bad in ("ftp://example.org", "not a url", "https://", "http://x.example/?q=1"):
        answer = admin_api.post(AUTHORITIES, json={"base_url": bad})
        assert answer.status_code == 422, bad
        assert answer.get_json()["errors"][0]["field"] == "base_url"
    assert _rows(db) == []


def test_an_address_without_metadata_is_refused(admin_api, partner, db):
    partner.routes["/.well-known/euc1-federation"] = (200, b'{"federation": 1}', "text/json")
    answer = admin_api.post(AUTHORITIES, json={"base_url": partner.url})
    assert answer.status_code == 422 and "metadata" in answer.get_json()["detail"]
    partner.routes.pop("/.well-known/euc1-federation")
    answer = admin_api.post(AUTHORITIES, json={"base_url": partner.url})
    assert answer.status_code == 422 and "answered 404" in answer.get_json()["detail"]
    assert _rows(db) == []


def test_a_root_can_be_pasted_but_not_our_own_code_nor_a_non_ca(admin_api, partner_keys, db):
    pem = pki.certificate_pem(partner_keys.keys.root_cert).decode()
    fingerprint = hashlib.sha256(partner_keys.root_der).hexdigest()
    own = admin_api.post(AUTHORITIES, json={"base_url": "https://x.example", "code": "XX-NCA",
                                            "name": "Us", "root": pem,
                                            "fingerprint": fingerprint})
    assert own.status_code == 422 and own.get_json()["errors"][0]["field"] == "code"
    dsc = pki.certificate_pem(partner_keys.keys.dsc).decode()
    not_ca = admin_api.post(AUTHORITIES, json={"base_url": "https://x.example", "code": "QQ-NCA",
                                               "name": "Q", "root": dsc})
    assert not_ca.status_code == 422 and not_ca.get_json()["errors"][0]["field"] == "root"
    pasted = admin_api.post(AUTHORITIES, json={"base_url": "https://x.example", "code": "QQ-NCA",
                                               "name": "Q", "root": pem,
                                               "fingerprint": fingerprint})
    assert pasted.status_code == 201
    assert [row.code for row in _rows(db)] == ["QQ-NCA"]


def test_suspend_reinstate_remove_are_audited_and_effective_at_once(
        admin_api, partner_keys, customs, db):
    pem = pki.certificate_pem(partner_keys.keys.root_cert).decode()
    fingerprint = hashlib.sha256(partner_keys.root_der).hexdigest()
    assert admin_api.post(AUTHORITIES, json={
        "base_url": "https://p.example", "code": "PP-NCA", "name": "P", "root": pem,
        "fingerprint": fingerprint}).status_code == 201
    row = _rows(db)[0]
    row.trust_list = partner_keys.trust_list()  # as a refresh would have stored it
    db.add(row)
    db.commit()
    text = partner_keys.certificate(exp=NOW + 20 * 365 * DAY)  # verified online, now

    def verdict():
        answer = customs.post("/api/v1/verify", json={"payload": text}).get_json()
        return answer["result"], answer["reason_code"]

    answer = customs.post("/api/v1/verify", json={"payload": text}).get_json()
    assert [w["code"] for w in answer["warning_codes"]] == ["revocation_not_checked",
                                                             "issued_abroad"]

    assert verdict() == ("VALID", "valid")
    no_reason = admin_api.post(f"{AUTHORITIES}/PP-NCA/suspend", json={"reason": " "})
    assert no_reason.status_code == 422
    suspended = admin_api.post(f"{AUTHORITIES}/PP-NCA/suspend", json={"reason": "inquiry"})
    assert suspended.status_code == 200 and suspended.get_json()["status"] == "suspended"
    assert verdict() == ("UNKNOWN_SIGNER", "authority_unknown")
    assert admin_api.post(f"{AUTHORITIES}/PP-NCA/suspend",
                          json={"reason": "again"}).status_code == 409
    assert admin_api.post(f"{AUTHORITIES}/PP-NCA/reinstate",
                          json={"reason": "cleared"}).status_code == 200
    assert verdict() == ("VALID", "valid")
    assert admin_api.post(f"{AUTHORITIES}/PP-NCA/remove",
                          json={"reason": "treaty ended"}).status_code == 200
    assert verdict() == ("UNKNOWN_SIGNER", "authority_unknown")
    assert admin_api.post(f"{AUTHORITIES}/PP-NCA/reinstate",
                          json={"reason": "x"}).status_code == 404
    actions = [e.action for e in db.exec(select(AuditEntry).where(
        AuditEntry.subject_type == "authority").order_by(AuditEntry.seq))]
    assert actions == ["authority.added", "authority.suspended", "authority.reinstated",
                       "authority.removed"]
    assert admin_api.get(AUTHORITIES).get_json()["items"] == []


def test_the_admin_pages_show_the_fingerprint_and_refuse_a_wrong_one(
        client, login, make_account, partner, db):
    login(make_account("admin"))
    page = client.get("/admin/authorities")
    assert page.status_code == 200 and "No foreign authority is trusted yet." in page.text
    token = csrf_token(page.text)
    fingerprint = hashlib.sha256(partner.issuer.root_der).hexdigest()
    preview = client.post("/admin/authorities/preview",
                          data={"base_url": partner.url, "csrf_token": token})
    assert preview.status_code == 200 and fingerprint in preview.text
    assert "Authority PP-NCA" in preview.text
    wrong = client.post("/admin/authorities", data={"base_url": partner.url,
                                                    "fingerprint": "0" * 64,
                                                    "csrf_token": token})
    assert wrong.status_code == 422 and "does not match" in wrong.text
    assert _rows(db) == []
    done = client.post("/admin/authorities", data={"base_url": partner.url,
                                                   "fingerprint": fingerprint,
                                                   "csrf_token": token})
    assert done.status_code == 302
    listed = client.get("/admin/authorities?lang=zh")
    assert "PP-NCA" in listed.text and fingerprint in listed.text
    assert "外国主管机关" in listed.text and "根证书指纹（SHA-256）" in listed.text
    suspend = client.post("/admin/authorities/PP-NCA/suspend",
                          data={"reason": "inquiry", "csrf_token": token})
    assert suspend.status_code == 302 and _rows(db)[0].status == "suspended"
    empty = client.post("/admin/authorities/preview", data={"base_url": "",
                                                            "csrf_token": token})
    assert empty.status_code == 422


def test_our_metadata_is_public_and_readable_from_any_origin(client, keys):
    answer = client.get("/.well-known/euc1-federation")
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    body = answer.get_json()
    assert body["authority"]["code"] == "XX-NCA"
    assert body["endpoints"]["shipment_notices"].endswith("/api/v1/federation/notices")
