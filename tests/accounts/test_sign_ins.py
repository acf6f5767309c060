"""Sign-ins are kept on the server: a copy of a browser's cookie, replayed after sign-out or a
password change, signs no one in; the table holds the id's hash only; and an API request on a
bearer token never reads it."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from broker_registry.accounts.models import SignIn
from broker_registry.db.columns import utcnow
from tests.conftest import PASSWORD, csrf_token
from tests.security.test_web import sign_in

COOKIE = "broker_registry_session"


def _copied(app, client):
    """Another browser holding a copy of client's session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _signed_in(client) -> bool:
    answer = client.get("/account")
    assert answer.status_code in (200, 302)
    return answer.status_code == 200


def test_a_cookie_copied_before_sign_out_signs_no_one_in_after_it(app, make_account):
    account = make_account("regulator")
    browser = app.test_client()
    sign_in(browser, account)
    thief = _copied(app, browser)
    assert _signed_in(thief)  # the copy works while the sign-in lasts
    token = csrf_token(browser.get("/account").get_data(as_text=True))
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not _signed_in(browser)
    assert not _signed_in(thief)
    login = thief.get("/account")
    assert login.status_code == 302 and "/login" in login.headers["Location"]


def test_a_password_change_ends_the_copies_of_every_browsers_cookie(app, make_account):
    account = make_account("customs")
    here, there = app.test_client(), app.test_client()
    sign_in(here, account)
    sign_in(there, account)
    copies = [_copied(app, here), _copied(app, there)]
    token = csrf_token(here.get("/account").get_data(as_text=True))
    changed = here.post("/account", data={"current_password": PASSWORD,
                                          "new_password": "a brand new passphrase 42",
                                          "csrf_token": token})
    assert changed.status_code == 302
    assert _signed_in(here)  # on a new sign-in
    assert [_signed_in(c) for c in (there, *copies)] == [False, False, False]


def test_only_the_ids_hash_is_kept_and_a_sign_in_lasts_twelve_hours(app, db, make_account):
    account = make_account("broker")
    browser = app.test_client()
    sign_in(browser, account)
    with browser.session_transaction() as session:
        sign_in_id = session["sign_in"]
    row = db.exec(select(SignIn).where(SignIn.account_id == account.id)).one()
    assert row.token_hash == hashlib.sha256(sign_in_id.encode()).hexdigest()
    assert sign_in_id not in row.token_hash
    assert timedelta(hours=11, minutes=59) < row.expires_at - row.created_at \
        <= timedelta(hours=12)
    db.execute(sa.update(SignIn).where(SignIn.id == row.id)
               .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    assert not _signed_in(browser)


def test_a_forged_or_garbled_cookie_value_signs_no_one_in(app, make_account):
    account = make_account("broker")
    browser = app.test_client()
    sign_in(browser, account)
    for value in ("x" * 43, "", 5, None, "y" * 5000):
        with browser.session_transaction() as session:
            session["sign_in"] = value
        assert not _signed_in(browser), value


@pytest.fixture
def sent(connection):
    """Every statement the app runs through SQLAlchemy on the test's connection."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_):
        seen.append(statement)

    sa.event.listen(connection.engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(connection.engine, "before_cursor_execute", record)


def test_an_api_request_on_a_bearer_token_never_reads_the_sign_ins(app, make_account, api_as,
                                                                    sent):
    account = make_account("regulator")
    browser = app.test_client()
    sign_in(browser, account)  # a cookie is sent along too, and ignored
    api = api_as(account)
    sent.clear()
    for path in ("/api/v1/me", "/api/v1/licences", "/api/v1/auth/tokens"):
        assert browser.get(path, headers=api.headers).status_code == 200, path
    assert sent and not [s for s in sent if "sign_ins" in s]
    assert _signed_in(browser) and [s for s in sent if "sign_ins" in s]
