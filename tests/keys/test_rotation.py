import base64

from sqlmodel import select

from broker_registry.audit.service import history
from broker_registry.keys.models import SignerKey
from tests.records import issue_certificate


def _verify(api, payload):
    return api.post("/api/v1/verify", json={"payload": payload}).get_json()


def test_after_rotation_old_certificates_still_verify_and_new_ones_use_the_new_key(
        app, db, licence, regulators, customs, anonymous):
    regulator = regulators[0]
    before = issue_certificate(regulator, licence["id"], {"lines": [{"line": 1, "quantity": 1}]})
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    after = issue_certificate(regulator, licence["id"], {"lines": [{"line": 1, "quantity": 1}]})
    assert _verify(customs, before["qr_payload"])["result"] == "VALID"
    assert _verify(customs, after["qr_payload"])["result"] == "VALID"
    signers = anonymous.get("/api/v1/trust-list").get_json()["signers"]
    statuses = sorted(s["status"] for s in signers)
    assert statuses == ["active", "retired"]
    kids = {s.kid: s.status for s in db.exec(select(SignerKey)).all()}
    assert sorted(kids.values()) == ["active", "retired"]


def test_revoking_a_key_fails_everything_it_signed(app, db, licence, regulators, customs,
                                                   anonymous):
    regulator = regulators[0]
    signed = issue_certificate(regulator, licence["id"], {"lines": [{"line": 1, "quantity": 1}]})
    old = db.exec(select(SignerKey)).one()
    kid_b64 = base64.b64encode(bytes.fromhex(old.kid)).decode()
    sequence_before = anonymous.get("/api/v1/revocations?format=json").get_json()["sequence"]
    result = app.test_cli_runner().invoke(args=["keys", "revoke", kid_b64,
                                                "--reason", "key compromise"])
    assert result.exit_code == 0, result.output
    answer = _verify(customs, signed["qr_payload"])
    assert answer["result"] == "REVOKED" and "signing key" in answer["reason"]
    listed = anonymous.get("/api/v1/revocations?format=json").get_json()
    assert kid_b64 in listed["revoked_signers"]
    assert listed["sequence"] == sequence_before + 1  # the key's entry covers what it signed
    # ...and the record says so too: no page, answer or shipment takes it for valid
    record = customs.get(f"/api/v1/certificates/{signed['number']}").get_json()
    assert record["status"] == "revoked"
    shipment = customs.post(f"/api/v1/certificates/{signed['number']}/shipments",
                            json={"border_post": "Aflao", "lines": [{"line": 1, "quantity": 1}]})
    assert shipment.status_code == 409 and "revoked" in shipment.get_json()["detail"]
    [entry] = [e for e in history(db, "certificate", signed["number"])
               if e.action == "certificate.revoked"]
    assert entry.reason == f"Signer key {old.kid} revoked: key compromise"
    assert entry.after["cause"] == "signer"
    # A new key took over, so the authority can still issue.
    fresh = issue_certificate(regulator, licence["id"], {"lines": [{"line": 1, "quantity": 1}]})
    assert _verify(customs, fresh["qr_payload"])["result"] == "VALID"
    again = app.test_cli_runner().invoke(args=["keys", "revoke", old.kid, "--reason", "x"])
    assert again.exit_code == 1 and "already revoked" in again.output


def test_keys_cli_refuses_bad_input(app, keys):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["keys", "revoke", "nonsense", "--reason", "x"]).exit_code == 2
    unknown = runner.invoke(args=["keys", "revoke", "00" * 8, "--reason", "x"])
    assert unknown.exit_code == 1 and "No signer key" in unknown.output
    assert runner.invoke(args=["keys", "revoke", "00" * 8]).exit_code == 2  # --reason needed


def test_export_root_writes_the_pinned_certificate(app, keys, tmp_path):
    target = tmp_path / "root.pem"
    result = app.test_cli_runner().invoke(args=["keys", "export-root", str(target)])
    assert result.exit_code == 0 and "SHA-256" in result.output
    assert target.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert target.read_bytes() == keys.root_cert_path.read_bytes()


def test_private_keys_are_encrypted_and_owner_only(keys):
    for path in keys.directory.glob("*.key.pem"):
        assert (path.stat().st_mode & 0o777) == 0o600
        assert b"ENCRYPTED PRIVATE KEY" in path.read_bytes()
