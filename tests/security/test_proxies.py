"""Behind the README's reverse proxy every request comes from the proxy's address: told how
many proxies there are, the app limits each client by the address the proxy saw, and a client
cannot choose its address by sending X-Forwarded-For itself."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_token

PROXY = {"REMOTE_ADDR": "127.0.0.1"}  # gunicorn sees only the proxy on the same host


@pytest.fixture
def proxied(make_app):
    from broker_registry.web.extensions import limiter

    def make(proxies: int):
        app = make_app(ratelimit_enabled=True, trusted_proxies=proxies)
        limiter.reset()
        return app

    yield make
    limiter.reset()


def _login(client, email, password, forwarded_for=None):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token},
                       headers=headers, environ_base=PROXY)


def test_behind_one_proxy_an_attack_from_one_address_does_not_lock_out_another(
        proxied, make_account):
    app = proxied(1)
    regulator = make_account("regulator")
    attacker = app.test_client()
    answers = [_login(attacker, f"spray{n}@example.org", "guess", "203.0.113.9").status_code
               for n in range(120)]
    assert answers[:30] == [401] * 30 and set(answers[30:]) == {429}
    # Forging the header does not help: the proxy appends the address it saw, and that one,
    # the rightmost, is the one trusted.
    forged = _login(attacker, "spray@example.org", "guess", "198.51.100.7, 203.0.113.9")
    assert forged.status_code == 429
    signed_in = _login(app.test_client(), regulator.email, PASSWORD, "198.51.100.7")
    assert signed_in.status_code == 302


def test_without_a_trusted_proxy_the_header_is_ignored(proxied, make_account):
    app = proxied(0)
    client = app.test_client()
    answers = [_login(client, f"spray{n}@example.org", "guess", f"192.0.2.{n}").status_code
               for n in range(31)]
    assert answers[:30] == [401] * 30 and answers[30] == 429, "a forged address was believed"


@pytest.mark.parametrize("proxies,seen", [(1, ("https", "198.51.100.7")),
                                           (0, ("http", "127.0.0.1"))])
def test_the_proxy_says_the_scheme_too(proxied, proxies, seen):
    from flask import request

    app = proxied(proxies)
    app.add_url_rule("/__seen", "seen", lambda: f"{request.scheme} {request.remote_addr}")
    answer = app.test_client().get("/__seen", environ_base=PROXY, headers={
        "X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"})
    assert answer.get_data(as_text=True) == " ".join(seen)
