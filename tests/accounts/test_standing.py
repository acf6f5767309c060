"""An admin deactivates and reactivates accounts (pages, API, command line) with a reason in
the audit log; every sign-in and token of a deactivated account stops at once, and
reactivating brings none of them back."""

from __future__ import annotations

import pytest
from sqlmodel import select

from broker_registry.accounts.models import Account
from broker_registry.audit.models import AuditEntry
from tests.conftest import PASSWORD, csrf_token
from tests.security.test_web import sign_in

COOKIE = "broker_registry_session"


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _entries(db, account_id: int) -> list[tuple[str, str | None]]:
    return [(e.action, e.reason) for e in db.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "account",
                                 AuditEntry.subject_id == str(account_id))
        .order_by(AuditEntry.seq))]


@pytest.fixture
def officer(app, make_account, api_as):
    """A customs officer signed in on two browsers (one a copied cookie) and with two tokens."""
    account = make_account("customs")
    browser = app.test_client()
    sign_in(browser, account)
    copy = app.test_client()
    copy.set_cookie(COOKIE, browser.get_cookie(COOKIE).value)
    tokens = [api_as(account), api_as(account)]
    assert _signed_in(browser) and _signed_in(copy)
    assert all(t.get("/api/v1/me").status_code == 200 for t in tokens)
    return account, [browser, copy], tokens


def _stopped(app, account, browsers, tokens) -> bool:
    fresh = app.test_client()
    login = fresh.post("/login", data={
        "email": account.email, "password": PASSWORD,
        "csrf_token": csrf_token(fresh.get("/login").get_data(as_text=True))})
    token = fresh.post("/api/v1/auth/token", json={"email": account.email, "password": PASSWORD})
    return (not any(_signed_in(b) for b in browsers)
            and all(t.get("/api/v1/me").status_code == 401 for t in tokens)
            and login.status_code == 401 and token.status_code == 401)


def test_deactivating_through_the_api_stops_every_session_and_token(app, db, api_as, officer):
    account, browsers, tokens = officer
    admin = api_as("admin")
    answer = admin.post(f"/api/v1/accounts/{account.id}/deactivate",
                        json={"reason": "Left the service on 30 November."})
    assert answer.status_code == 200
    assert answer.get_json()["active"] is False and answer.get_json()["id"] == account.id
    assert _stopped(app, account, browsers, tokens)
    after = db.exec(select(AuditEntry).where(AuditEntry.action == "account.deactivated")).one()
    assert after.reason == "Left the service on 30 November."
    assert after.after == {"active": False, "sign_ins_ended": 1, "tokens_revoked": 2}
    again = admin.post(f"/api/v1/accounts/{account.id}/deactivate", json={"reason": "again"})
    assert again.status_code == 409 and "already deactivated" in again.get_json()["detail"]

    back = admin.post(f"/api/v1/accounts/{account.id}/reactivate",
                      json={"reason": "Back from secondment."})
    assert back.status_code == 200 and back.get_json()["active"] is True
    # The old sessions and tokens stay ended; the password signs in afresh.
    assert not any(_signed_in(b) for b in browsers)
    assert all(t.get("/api/v1/me").status_code == 401 for t in tokens)
    assert api_as(db.get(Account, account.id)).get("/api/v1/me").status_code == 200
    assert _entries(db, account.id)[-2:] == [
        ("account.deactivated", "Left the service on 30 November."),
        ("account.reactivated", "Back from secondment.")]


def test_the_api_refuses_what_it_cannot_do_and_changes_nothing(db, api_as, make_account):
    admin = api_as("admin")
    other = make_account("regulator")
    for path, body, status in (
            (f"/api/v1/accounts/{other.id}/deactivate", {"reason": ""}, 422),
            (f"/api/v1/accounts/{other.id}/deactivate", {}, 422),
            (f"/api/v1/accounts/{other.id}/reactivate", {"reason": "x"}, 409),
            (f"/api/v1/accounts/{admin.account.id}/deactivate", {"reason": "x"}, 409),
            ("/api/v1/accounts/999999/deactivate", {"reason": "x"}, 404)):
        answer = admin.post(path, json=body)
        assert answer.status_code == status, (path, answer.get_json())
        assert answer.content_type == "application/problem+json"
    assert db.get(Account, other.id).active and db.get(Account, admin.account.id).active
    assert api_as(other).post(f"/api/v1/accounts/{admin.account.id}/deactivate",
                              json={"reason": "x"}).status_code == 403


def test_the_admin_lists_accounts_with_their_standing(api_as, make_account):
    admin = api_as("admin")
    customs = make_account("customs")
    admin.post(f"/api/v1/accounts/{customs.id}/deactivate", json={"reason": "left"})
    items = {i["id"]: i for i in admin.get("/api/v1/accounts?limit=500").get_json()["items"]}
    assert items[customs.id]["active"] is False and items[admin.account.id]["active"] is True
    assert "password_hash" not in items[customs.id]


def test_the_admin_page_deactivates_with_a_reason_and_says_so(app, db, login, make_account,
                                                              officer):
    account, browsers, tokens = officer
    pages = login(make_account("admin"))
    listing = pages.get("/admin/users").get_data(as_text=True)
    assert f'href="/admin/users/{account.id}"' in listing
    page = pages.get(f"/admin/users/{account.id}").get_data(as_text=True)
    token = csrf_token(page)
    refused = pages.post(f"/admin/users/{account.id}/deactivate",
                         data={"reason": " ", "csrf_token": token})
    assert refused.status_code == 422
    assert 'id="reason-error"' in refused.get_data(as_text=True)
    assert db.get(Account, account.id).active
    done = pages.post(f"/admin/users/{account.id}/deactivate",
                      data={"reason": "Transferred to another agency.", "csrf_token": token})
    assert done.status_code == 302
    assert _stopped(app, account, browsers, tokens)
    page = pages.get(done.headers["Location"]).get_data(as_text=True)
    assert "deactivated" in page and "Transferred to another agency." in page
    assert "Reactivate" in page


def test_the_command_line_deactivates_and_reactivates(app, db, officer):
    account, browsers, tokens = officer
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["users", "deactivate", account.email])
    assert missing.exit_code == 2 and "--reason" in missing.output
    done = runner.invoke(args=["users", "deactivate", account.email.upper(), "--reason",
                               "Retired."])
    assert done.exit_code == 0, done.output
    assert f"deactivated customs account {account.email}" in done.output
    assert _stopped(app, account, browsers, tokens)
    listed = runner.invoke(args=["users", "list"]).output
    assert f"customs\tdeactivated\t{account.email}" in listed
    twice = runner.invoke(args=["users", "deactivate", account.email, "--reason", "again"])
    assert twice.exit_code == 1 and "already deactivated" in twice.stderr
    nobody = runner.invoke(args=["users", "reactivate", "nobody@example.org", "--reason", "x"])
    assert nobody.exit_code == 1 and "no account nobody@example.org" in nobody.stderr
    back = runner.invoke(args=["users", "reactivate", account.email, "--reason", "Rehired."])
    assert back.exit_code == 0
    assert _entries(db, account.id)[-2:] == [("account.deactivated", "Retired."),
                                             ("account.reactivated", "Rehired.")]
    system = db.exec(select(AuditEntry).where(AuditEntry.action == "account.reactivated")).one()
    assert system.actor == "system"
