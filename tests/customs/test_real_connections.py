"""The hot read paths on a database of their own, with a real pool: the autocommit reader and
the request's session are two connections, and these tests run them against each other."""

from __future__ import annotations

import sqlalchemy as sa

from broker_registry.accounts import service as accounts
from broker_registry.certificates.models import Certificate
from broker_registry.revocations.models import RevocationSnapshot
from tests.conftest import csrf_token
from tests.customs.live import certificate_on


def _bearer(tokens, who):
    return {"Authorization": f"Bearer {tokens[who]}"}


def test_verify_download_and_a_revoked_token_over_two_connections(isolated_app):
    certificate, tokens, _ = certificate_on(isolated_app)
    client = isolated_app.test_client()
    verified = client.post("/api/v1/verify", json={"payload": certificate["qr_payload"]},
                           headers=_bearer(tokens, "officer"))
    assert verified.status_code == 200 and verified.get_json()["result"] == "VALID"
    path = f"/api/v1/certificates/{certificate['number']}/qr.svg"
    first, held = (client.get(path, headers=_bearer(tokens, "owner")) for _ in range(2))
    assert first.status_code == held.status_code == 200 and first.data == held.data
    assert client.get(path, headers=_bearer(tokens, "officer")).status_code == 403

    pages = isolated_app.test_client()  # the broker's own pages: a session, then a read
    form = csrf_token(pages.get("/login").get_data(as_text=True))
    assert pages.post("/login", data={"email": "owner@example.org", "csrf_token": form,
                                      "password": "correct horse battery staple"}
                      ).status_code == 302
    page_svg = pages.get(f"/certificates/{certificate['number']}/qr.svg")
    assert page_svg.status_code == 200 and page_svg.data == first.data

    token_id = client.get("/api/v1/auth/tokens", headers=_bearer(tokens, "officer")) \
        .get_json()["items"][0]["id"]
    assert client.post(f"/api/v1/auth/tokens/{token_id}/revoke",
                       headers=_bearer(tokens, "officer")).status_code == 200
    refused = client.post("/api/v1/verify", json={"payload": certificate["qr_payload"]},
                          headers=_bearer(tokens, "officer"))
    assert refused.status_code == 401


def test_a_token_revoked_while_a_write_queued_does_not_write(isolated_app, monkeypatch):
    # The principal is read before the write transaction begins; another request revokes
    # the token in between. The view's account is read again inside the transaction.
    _, tokens, licence = certificate_on(isolated_app)
    database = isolated_app.extensions["db"]
    with database.engine.connect() as connection:
        before = connection.execute(sa.select(sa.func.count(Certificate.id))).scalar()
    read_again = accounts.account_for_token

    def revoked_meanwhile(session, plaintext):
        with database.session_factory() as other:
            other.execute(sa.text("UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP"))
            other.commit()
        return read_again(session, plaintext)

    monkeypatch.setattr(accounts, "account_for_token", revoked_meanwhile)
    answer = isolated_app.test_client().post(
        f"/api/v1/licences/{licence['id']}/certificates",
        json={"lines": [{"line": 1, "quantity": 1}]}, headers=_bearer(tokens, "r1"))
    assert answer.status_code == 401 and answer.mimetype == "application/problem+json"
    with database.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count(Certificate.id))).scalar() == before


def test_a_request_finding_no_list_yet_is_told_to_come_back_and_builds_none(isolated_app):
    # A registry migrated but not yet published (the worker publishes within seconds, `init`
    # at once): no request builds or signs the list in its place.
    client, database = isolated_app.test_client(), isolated_app.extensions["db"]
    for query in ("", "?since=0", "?format=json"):
        answer = client.get(f"/api/v1/revocations{query}")
        assert answer.status_code == 503, query
        assert answer.mimetype == "application/problem+json"
        assert answer.headers["Retry-After"] == "5"
        assert "worker" in answer.get_json()["detail"]
    with database.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(
            RevocationSnapshot)).scalar() == 0
    certificate_on(isolated_app)  # keys and the first list, as `init` makes them
    assert client.get("/api/v1/revocations").status_code == 200
