"""The pages: CSRF on every form, a strict Content-Security-Policy that the rendered HTML keeps,
no caching of personal data, safe cookies, and sessions that end when they should."""

from __future__ import annotations

import re
from datetime import date

import pytest

from broker_registry.accounts.models import Account
from tests.conftest import PASSWORD, csrf_token
from tests.test_permissions import ACCESS, PUBLIC

ROLE_ORDER = ("broker", "regulator", "customs", "admin")


def sign_in(client, account) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": account.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


def _page_rules(app, method: str):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        api = rule.rule.startswith("/api/") and rule.rule != "/api/docs"
        if api or rule.rule.startswith("/static/") or method not in rule.methods:
            continue
        yield rule


def _who(endpoint: str) -> str | None:
    allowed = ACCESS[endpoint]
    if allowed == PUBLIC:
        return None
    return next(str(role) for role in ROLE_ORDER if role in {str(a) for a in allowed})


def _url(rule, known: dict) -> str:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        values[name] = (sorted(converter.items)[0] if kind == "AnyConverter"
                        else known.get(name, 999999 if "Integer" in kind or "Id" in kind
                                       else "XX"))
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture
def clients(app, make_account, db):
    """One signed-in test client per role (and None: an anonymous one)."""
    made = {None: app.test_client()}

    def client_for(who):
        key = who.id if isinstance(who, Account) else who
        if key not in made:
            account = who if isinstance(who, Account) else make_account(who)
            made[key] = app.test_client()
            sign_in(made[key], account)
        return made[key]

    return client_for


def test_every_form_refuses_a_post_without_its_csrf_token(app, clients):
    posted = 0
    for rule in _page_rules(app, "POST"):
        client = clients(_who(rule.endpoint))
        url = _url(rule, {})
        response = client.post(url, data={"email": "a@example.org", "reason": "x"})
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        assert "CSRF" in response.get_data(as_text=True) or \
            "csrf" in response.get_data(as_text=True).lower(), rule.endpoint
        forged = client.post(url, data={"csrf_token": "forged.token.value"})
        assert forged.status_code == 400, rule.endpoint
        posted += 1
    assert posted >= 20  # the walk found the forms


@pytest.fixture
def known(broker_api, certificate, licence):
    return {"broker_id": broker_api.broker.id, "licence_id": licence["id"],
            "number": certificate["number"], "year": date.today().year, "country": "GH",
            "token_id": 1}


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_every_page_carries_a_strict_policy_the_html_keeps(app, clients, known, broker_api, db):
    owner = db.get(Account, broker_api.account.id)
    checked = 0
    for rule in _page_rules(app, "GET"):
        who = _who(rule.endpoint)
        client = clients(owner if who == "broker" else who)
        response = client.get(_url(rule, known))
        if response.mimetype != "text/html":
            continue
        checked += 1
        where = f"{rule.endpoint} ({response.status_code})"
        policy = response.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert "'unsafe-inline'" not in directives["script-src"], where
        assert "'unsafe-eval'" not in directives["script-src"], where
        assert directives["style-src"] == "'self'", where
        assert directives["frame-ancestors"] == "'none'", where
        assert directives["object-src"] == "'none'", where
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"], where
        html = response.get_data(as_text=True)
        nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert f'nonce="{nonce}"' in tag, (where, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), f"inline handler in {where}"
        assert not re.search(r"<[^>]+\sstyle\s*=", html), f"style attribute in {where}"
        assert "<style" not in html, f"style element in {where}"
        assert "javascript:" not in html, where
    assert checked >= 25


def test_error_and_api_answers_carry_the_policy_too(client):
    for path in ("/no-such-page", "/api/v1/no-such-thing", "/api/docs"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_production_sends_hsts_and_secure_session_cookies(make_app, make_account):
    app = make_app(environment="production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    client = app.test_client()
    home = client.get("/", base_url="https://registry.example")
    assert home.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(re.search(r"max-age=(\d+)", home.headers["Strict-Transport-Security"])
               .group(1)) >= 31536000
    account = make_account("broker")
    page = client.get("/login", base_url="https://registry.example")
    response = client.post("/login", base_url="https://registry.example",
                           headers={"Referer": "https://registry.example/login"},
                           data={"email": account.email, "password": PASSWORD,
                                 "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("broker_registry_session="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly"} <= flags
    assert "samesite=lax" in cookie.lower()


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie("broker_registry_session")
    return cookie.value if cookie else None


def test_login_gives_a_fresh_session(app, make_account):
    account = make_account("broker")
    attacker_planted = app.test_client()
    with attacker_planted.session_transaction() as session:
        session["planted"] = "by the attacker"
    before = _session_cookie(attacker_planted)
    sign_in(attacker_planted, account)
    after = _session_cookie(attacker_planted)
    assert before and after and before != after
    with attacker_planted.session_transaction() as session:
        assert "planted" not in session
        # A random id, whose sign-in is kept on the server: the cookie names no account.
        assert len(session["sign_in"]) == 43 and "account_id" not in session
    # The cookie the attacker kept from before the login signs nobody in.
    replay = app.test_client()
    replay.set_cookie("broker_registry_session", before)
    response = replay.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _page_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_a_password_changed_on_the_page_ends_every_other_session_and_token(app, make_account,
                                                                         api_as):
    account = make_account("broker")
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, account)
    sign_in(elsewhere, account)
    api = api_as(account)
    assert api.get("/api/v1/me").status_code == 200 and _page_signed_in(elsewhere)
    token = csrf_token(here.get("/account").get_data(as_text=True))
    changed = here.post("/account", data={"current_password": PASSWORD,
                                          "new_password": "a brand new passphrase 42",
                                          "csrf_token": token})
    assert changed.status_code == 302
    assert not _page_signed_in(elsewhere)
    assert api.get("/api/v1/me").status_code == 401
    assert _page_signed_in(here)  # the person who changed it stays in, on a new session


def test_a_password_changed_through_the_api_ends_every_session_and_token(app, make_account,
                                                                       api_as):
    account = make_account("customs")
    page = app.test_client()
    sign_in(page, account)
    caller, other = api_as(account), api_as(account)
    response = caller.post("/api/v1/me/password",
                           json={"current_password": PASSWORD,
                                 "new_password": "a brand new passphrase 42"})
    assert response.status_code == 200
    assert other.get("/api/v1/me").status_code == 401
    assert caller.get("/api/v1/me").status_code == 401
    assert not _page_signed_in(page)
    # The new password works; the old one does not.
    fresh = app.test_client()
    assert fresh.post("/api/v1/auth/token", json={"email": account.email,
                                                  "password": PASSWORD}).status_code == 401
    assert fresh.post("/api/v1/auth/token", json={
        "email": account.email, "password": "a brand new passphrase 42"}).status_code == 200
