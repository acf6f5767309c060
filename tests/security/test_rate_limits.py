"""Guessing passwords and mass sign-up are slowed per account and per address, with a clear
429: problem+json on the API, a page on the web, and Retry-After on both."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token


@pytest.fixture
def limited(make_app):
    from broker_registry.web.extensions import limiter

    app = make_app(ratelimit_enabled=True)
    limiter.reset()
    yield app
    limiter.reset()


def _address(n: int) -> dict:
    return {"REMOTE_ADDR": f"10.1.{n // 250}.{n % 250 + 1}"}


def _assert_api_429(response):
    assert response.status_code == 429
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 429 and body["title"] and body["detail"]
    assert int(response.headers["Retry-After"]) > 0


def _assert_page_429(response):
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    assert "429" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def _login_form(client, email, n):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": f"guess {n}",
                                       "csrf_token": token}, environ_base=_address(n))


def test_login_page_per_account_from_many_addresses(limited, make_account):
    account = make_account("regulator")
    client = limited.test_client()
    answers = [_login_form(client, account.email, n).status_code for n in range(10)]
    assert answers == [401] * 10
    _assert_page_429(_login_form(client, account.email, 10))
    # Another account is not locked out by the attack on this one.
    assert _login_form(client, "someone.else@example.org", 11).status_code == 401


def test_login_page_per_address_across_accounts(limited):
    client = limited.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    answers = [client.post("/login", data={"email": f"spray{n}@example.org", "password": "x",
                                           "csrf_token": token},
                           environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code
               for n in range(31)]
    assert answers[:30] == [401] * 30
    assert answers[30] == 429


def test_token_endpoint_per_address_across_accounts(limited):
    client = limited.test_client()
    for n in range(30):
        response = client.post("/api/v1/auth/token",
                               json={"email": f"spray{n}@example.org", "password": "x"},
                               environ_base={"REMOTE_ADDR": "192.0.2.8"})
        assert response.status_code == 401
    _assert_api_429(client.post("/api/v1/auth/token",
                                json={"email": "spray99@example.org", "password": "x"},
                                environ_base={"REMOTE_ADDR": "192.0.2.8"}))


def test_token_endpoint_per_account_from_many_addresses(limited, make_account):
    account = make_account("customs")
    client = limited.test_client()
    for n in range(10):
        response = client.post("/api/v1/auth/token",
                               json={"email": account.email, "password": f"guess {n}"},
                               environ_base=_address(n))
        assert response.status_code == 401
    # The email is matched however it is spelled.
    _assert_api_429(client.post("/api/v1/auth/token",
                                json={"email": f"  {account.email.upper()} ",
                                      "password": "guess"}, environ_base=_address(10)))


def test_api_sign_up_per_address_and_per_account(limited):
    client = limited.test_client()
    for n in range(10):
        response = client.post("/api/v1/accounts", json={
            "email": f"new{n}@example.org", "password": "a long passphrase 42",
            "display_name": f"New {n}"}, environ_base={"REMOTE_ADDR": "192.0.2.9"})
        assert response.status_code == 202
    _assert_api_429(client.post("/api/v1/accounts", json={
        "email": "new99@example.org", "password": "a long passphrase 42",
        "display_name": "New"}, environ_base={"REMOTE_ADDR": "192.0.2.9"}))
    # Probing one email (does it exist?) from many addresses is slowed too.
    statuses = [client.post("/api/v1/accounts", json={
        "email": "target@example.org", "password": "a long passphrase 42",
        "display_name": "Probe"}, environ_base=_address(n)).status_code for n in range(6)]
    assert statuses[:5] == [202] * 5 and statuses[5] == 429


def test_sign_up_page_per_address_and_per_account(limited):
    client = limited.test_client()
    token = csrf_token(client.get("/signup").get_data(as_text=True))

    def sign_up(email, address):
        fresh = limited.test_client()
        page = fresh.get("/signup")
        return fresh.post("/signup", data={
            "email": email, "password": "a long passphrase 42", "display_name": "New",
            "csrf_token": csrf_token(page.get_data(as_text=True))},
            environ_base={"REMOTE_ADDR": address})

    assert token
    for n in range(10):
        assert sign_up(f"page{n}@example.org", "192.0.2.10").status_code == 200
    _assert_page_429(sign_up("page99@example.org", "192.0.2.10"))
    statuses = [sign_up("page-target@example.org", _address(n)["REMOTE_ADDR"]).status_code
                for n in range(6)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_public_lists_are_limited_per_address_generously(keys, limited):
    """A verifier's sync, a browser's schema: 300 a minute from one address, then a 429; an
    address that keeps within it is not held back by another's loop."""
    # `keys` first: the app it builds, with limits off, would otherwise turn off the limiter
    # every app shares.
    client = limited.test_client()
    loop = {"REMOTE_ADDR": "192.0.2.20"}
    for path in ("/api/v1/trust-list", "/api/v1/schemas/euc-v1.json"):
        answer = client.get(path, environ_base=loop)
        assert answer.status_code == 200, (path, answer.status_code, dict(answer.headers))
        assert answer.headers["X-RateLimit-Limit"] == "300", path
    answers = [client.get("/api/v1/revocations?format=json", environ_base=loop).status_code
               for _ in range(300)]
    assert set(answers) == {200}
    _assert_api_429(client.get("/api/v1/revocations?format=json", environ_base=loop))
    another = client.get("/api/v1/revocations?format=json",
                         environ_base={"REMOTE_ADDR": "192.0.2.21"})
    assert another.status_code == 200


def test_the_current_password_is_tried_at_most_ten_times_a_minute_per_account(
        db, make_account, limited):
    """From the page and the API together, from any address: then a 429, for that account
    alone."""
    from broker_registry.accounts import service as accounts
    from tests.conftest import PASSWORD, ApiClient

    def api_of(account):
        token, _ = accounts.issue_token(db, account)
        db.commit()
        return ApiClient(limited.test_client(), token)

    account = make_account("regulator")
    api = api_of(account)
    pages = limited.test_client()
    token = csrf_token(pages.get("/login").get_data(as_text=True))
    pages.post("/login", data={"email": account.email, "password": PASSWORD,
                               "csrf_token": token})
    token = csrf_token(pages.get("/account").get_data(as_text=True))
    wrong = {"current_password": "a guess", "new_password": "a brand new passphrase 42"}
    answers = [api.post("/api/v1/me/password", json=wrong,
                        environ_base=_address(n)).status_code for n in range(5)]
    answers += [pages.post("/account", data={**wrong, "csrf_token": token},
                           environ_base=_address(n)).status_code for n in range(5, 10)]
    assert answers == [422] * 10
    _assert_api_429(api.post("/api/v1/me/password", json={**wrong,
                                                          "current_password": PASSWORD}))
    _assert_page_429(pages.post("/account", data={**wrong, "csrf_token": token}))
    assert api.get("/api/v1/me").status_code == 200  # reading is not held back
    other = api_of(make_account("regulator"))
    assert other.post("/api/v1/me/password", json=wrong).status_code == 422
