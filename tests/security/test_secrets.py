"""The key passphrase and the private keys never leave the key files: not in logs, not in the
database, not in any answer, not in any other file of the data folder."""

from __future__ import annotations

import base64
import logging
import subprocess
import sys

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from sqlmodel import SQLModel

from broker_registry.accounts import service as accounts
from broker_registry.permissions import Role
from tests.conftest import ApiClient, csrf_token
from tests.factories import broker_application
from tests.mailbox import confirm_link, path_of
from tests.records import application

PASSPHRASE = "Known-Passphrase-For-The-Leak-Test-7f3a9c"


class Recorder:
    """Every answer the workflow got: bodies and headers."""

    def __init__(self):
        self.seen: list[bytes] = []

    def wrap(self, client, token=None):
        api = ApiClient(client, token)
        recorder = self

        class Recording:
            def __getattr__(self, method):
                def call(path, **kwargs):
                    response = getattr(api, method)(path, **kwargs)
                    recorder.seen.append(response.get_data())
                    recorder.seen.append(str(response.headers).encode())
                    return response

                return call

        return Recording()


def _workflow(app, db, make_account, recorder: Recorder) -> None:
    client = app.test_client()
    anonymous = recorder.wrap(client)
    signed_up = anonymous.post("/api/v1/accounts", json={
        "email": "leak-test@example.org", "password": "a long passphrase 42",
        "display_name": "Leak test"})
    assert signed_up.status_code == 202
    link = confirm_link(db, "leak-test@example.org")
    page = client.get(path_of(link))
    recorder.seen.append(page.get_data())
    confirmed = client.post("/signup/confirm", data={
        "token": link.split("token=")[1], "password": "a long passphrase 42",
        "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert confirmed.status_code == 302
    token = anonymous.post("/api/v1/auth/token", json={
        "email": "leak-test@example.org", "password": "a long passphrase 42"}).get_json()["token"]
    broker = recorder.wrap(client, token)

    def staff(role):
        account = make_account(role)
        plaintext, _ = accounts.issue_token(db, account)
        db.commit()
        return recorder.wrap(client, plaintext)

    first, second, officer = staff(Role.REGULATOR), staff(Role.REGULATOR), staff(Role.CUSTOMS)
    registration = broker.post("/api/v1/brokers", json=broker_application()).get_json()
    assert first.post(f"/api/v1/brokers/{registration['id']}/decision",
                      json={"decision": "approve", "reason": "ok"}).status_code == 200
    licence = broker.post("/api/v1/licences", json=application(registration["id"])).get_json()
    for regulator in (first, second):
        assert regulator.post(f"/api/v1/licences/{licence['id']}/decision",
                              json={"decision": "approve", "reason": "ok"}).status_code == 200
    issued = first.post(f"/api/v1/licences/{licence['id']}/certificates")
    assert issued.status_code == 201, issued.get_json()
    certificate = issued.get_json()
    number = certificate["number"]
    assert officer.post("/api/v1/verify", json={"payload": certificate["qr_payload"]}) \
        .get_json()["result"] == "VALID"
    assert officer.post(f"/api/v1/certificates/{number}/shipments", json={
        "border_post": "Aflao", "lines": [{"line": 1, "quantity": 5}]}).status_code == 201
    for name in ("qr.png", "qr.svg", "certificate.pdf"):
        assert broker.get(f"/api/v1/certificates/{number}/{name}").status_code == 200
    assert first.post(f"/api/v1/certificates/{number}/revoke",
                      json={"reason": "stolen"}).status_code == 200
    for path in ("/api/v1/trust-list", "/api/v1/revocations", "/api/v1/revocations?format=json",
                 "/api/v1/openapi.json", "/api/v1/me"):
        assert anonymous.get(path).status_code in (200, 401)
    assert officer.post("/api/v1/verify", json={"payload": certificate["qr_payload"]}) \
        .get_json()["result"] == "REVOKED"


def _forbidden(key) -> dict[str, bytes]:
    scalar = key.private_numbers().private_value.to_bytes(32, "big")
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    found = {"passphrase": PASSPHRASE.encode()}
    for name, value in (("scalar", scalar), ("pkcs8 der", der)):
        found[name] = value
        found[name + " hex"] = value.hex().encode()
        found[name + " base64"] = base64.b64encode(value)
        found[name + " base64url"] = base64.urlsafe_b64encode(value).rstrip(b"=")
    found["pkcs8 pem body"] = pem.splitlines()[1]
    found["scalar decimal"] = str(key.private_numbers().private_value).encode()
    return found


def _database_values(db):
    for table in SQLModel.metadata.sorted_tables:
        for row in db.connection().execute(sa.select(table)):
            for column, value in zip(table.columns, row, strict=True):
                if value is None or isinstance(value, (int, float, bool)):
                    continue
                data = value if isinstance(value, bytes) else str(value).encode()
                yield f"{table.name}.{column.name}", data


def test_no_passphrase_or_private_key_anywhere(make_app, make_account, db, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    data_dir = tmp_path / "data"
    app = make_app(data_dir=data_dir, key_passphrase=PASSPHRASE)
    from broker_registry.keys.authority import key_store
    from broker_registry.keys.service import active_signer
    from tests.records import init_keys

    with app.app_context():
        init_keys(db)
    recorder = Recorder()
    _workflow(app, db, make_account, recorder)

    with app.app_context():
        store = key_store()
        keys = [active_signer(db, store).private_key,
                store.signer_key(store.root_key_path.name)]
    forbidden = {}
    for n, key in enumerate(keys):
        forbidden.update({f"key {n} {name}": value for name, value in _forbidden(key).items()})

    places: list[tuple[str, bytes]] = []
    places += [(f"log {r.name}", (r.getMessage() + (r.exc_text or "")).encode())
               for r in caplog.records]
    places += [("response", body) for body in recorder.seen]
    places += list(_database_values(db))
    key_files = sorted(data_dir.rglob("*.key.pem"))
    assert len(key_files) >= 2
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        content = path.read_bytes()
        if path in key_files:
            assert b"ENCRYPTED PRIVATE KEY" in content, path
            continue
        places.append((str(path.relative_to(data_dir)), content))
    assert len(places) > 100 and len(caplog.records) > 0
    leaks = [f"{name} in {where}" for where, data in places
             for name, secret in forbidden.items() if secret in data]
    assert leaks == []


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_production_refuses_to_start_on_a_placeholder_or_missing_secret(tmp_path):
    from tests.reliability.gunicorn import app_env

    base = {**app_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}"),
            "BROKER_REGISTRY_ENV": "production", "SECRET_KEY": "a real secret 8f2d1c",
            "BROKER_REGISTRY_KEY_PASSPHRASE": PASSPHRASE}
    for name, value in (("SECRET_KEY", "changeme"), ("BROKER_REGISTRY_KEY_PASSPHRASE", ""),
                        ("SECRET_KEY", None)):
        env = {**base, name: value} if value is not None else \
            {k: v for k, v in base.items() if k != name}
        done = subprocess.run([sys.executable, "-c", "from broker_registry import create_app; "
                               "create_app()"], env=env, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode != 0, name
        assert name in done.stderr and "ConfigurationError" in done.stderr
        assert PASSPHRASE not in done.stderr + done.stdout
