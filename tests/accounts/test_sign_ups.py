"""Sign-up tells nobody whether an address has an account: the answer is the same, and the
mail goes to the address either way. An account is made only when the link mailed is followed
and the sign-up's password given again.

Sign-up had answered 201 for a new address and 409 for a known one."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from broker_registry.accounts.models import Account, PendingSignUp
from broker_registry.db.columns import utcnow
from tests.conftest import PASSWORD, csrf_token
from tests.mailbox import confirm_link, mails_to, path_of

CHOSEN = "a long enough password"


def _sign_up(anonymous, email, password=CHOSEN, name="Li Wei"):
    return anonymous.post("/api/v1/accounts", json={"email": email, "password": password,
                                                    "display_name": name})


def _page_sign_up(app, email, password=CHOSEN):
    client = app.test_client()
    token = csrf_token(client.get("/signup").get_data(as_text=True))
    return client.post("/signup", data={"email": email, "password": password,
                                        "display_name": "Li Wei", "csrf_token": token})


def _confirm(client, link, password=CHOSEN):
    page = client.get(path_of(link))
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    token = path_of(link).split("token=")[1]
    return client.post("/signup/confirm", data={"token": token, "password": password,
                                                "csrf_token": csrf_token(html)})


def test_the_api_answers_the_same_for_a_new_and_a_known_address(anonymous, make_account, db):
    known = make_account("broker", email="known@example.org")
    new = _sign_up(anonymous, "New@Example.org")
    again = _sign_up(anonymous, "KNOWN@example.org")
    assert new.status_code == again.status_code == 202
    assert new.content_type == again.content_type == "application/json"
    assert new.get_json() == {**again.get_json(), "email": "new@example.org"}
    assert again.get_json()["email"] == "known@example.org"
    assert set(new.get_json()) == {"email", "detail"} and "Location" not in new.headers
    # The known address's owner is told, with no link that could make anything.
    [told] = mails_to(db, known.email)
    assert "already has an account" in told.body and "/login" in told.body
    assert "/signup/confirm" not in told.body
    assert db.exec(select(PendingSignUp).where(PendingSignUp.email == known.email)).all() == []
    assert len(db.exec(select(Account).where(Account.email == known.email)).all()) == 1


def test_the_page_answers_the_same_for_a_new_and_a_known_address(app, make_account):
    make_account("broker", email="known@example.org")
    new = _page_sign_up(app, "new@example.org")
    again = _page_sign_up(app, "known@example.org")
    assert new.status_code == again.status_code == 200

    def shown(response, email):
        html = response.get_data(as_text=True).replace(email, "EMAIL")
        return html.split("<main", 1)[1].split("</main>", 1)[0]

    assert shown(new, "new@example.org") == shown(again, "known@example.org")
    assert "Check your email" in shown(new, "new@example.org")


def test_nothing_is_usable_until_the_link_is_followed_with_the_password(app, anonymous, db):
    assert _sign_up(anonymous, "li.wei@example.org", name="李伟").status_code == 202
    assert db.exec(select(Account)).all() == []
    assert anonymous.post("/api/v1/auth/token", json={
        "email": "li.wei@example.org", "password": CHOSEN}).status_code == 401
    [pending] = db.exec(select(PendingSignUp)).all()
    link = confirm_link(db, "li.wei@example.org")
    token = link.split("token=")[1]
    assert token not in pending.token_hash and CHOSEN not in pending.password_hash

    browser = app.test_client()
    wrong = _confirm(browser, link, "not the password I chose")
    assert wrong.status_code == 422
    assert "is not the password chosen when signing up" in wrong.get_data(as_text=True)
    assert db.exec(select(Account)).all() == []
    done = _confirm(browser, link)
    assert done.status_code == 302 and done.headers["Location"] == "/brokers/apply"
    assert "Apply for registration" in browser.get("/brokers/apply").get_data(as_text=True)
    token_answer = anonymous.post("/api/v1/auth/token", json={"email": "li.wei@example.org",
                                                               "password": CHOSEN})
    assert token_answer.status_code == 200 and token_answer.get_json()["role"] == "broker"
    me = anonymous.get("/api/v1/me", headers={
        "Authorization": f"Bearer {token_answer.get_json()['token']}"}).get_json()
    assert me["display_name"] == "李伟"
    # The link is used: it makes nothing twice.
    assert app.test_client().get(path_of(link)).status_code == 404


def test_each_link_confirms_its_own_sign_up_and_the_first_one_followed_wins(app, anonymous, db):
    """Someone signing up in another's name chose a password the owner does not know; the
    owner's own sign-up is made with the owner's password."""
    _sign_up(anonymous, "owner@example.org", password="the squatter's password")
    squatter_link = confirm_link(db, "owner@example.org")
    _sign_up(anonymous, "owner@example.org", password=CHOSEN)
    owner_link = confirm_link(db, "owner@example.org")
    assert owner_link != squatter_link
    assert _confirm(app.test_client(), owner_link, "the squatter's password").status_code == 422
    assert _confirm(app.test_client(), owner_link).status_code == 302
    assert app.test_client().get(path_of(squatter_link)).status_code == 404
    assert anonymous.post("/api/v1/auth/token", json={
        "email": "owner@example.org", "password": "the squatter's password"}).status_code == 401


def test_an_expired_link_says_so_and_makes_nothing(app, anonymous, db):
    _sign_up(anonymous, "late@example.org")
    link = confirm_link(db, "late@example.org")
    db.execute(sa.update(PendingSignUp).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    page = app.test_client().get(path_of(link))
    assert page.status_code == 404
    assert "expired or was already used" in page.get_data(as_text=True)
    for token in ("", "x" * 43, "y" * 5000):
        assert app.test_client().get(f"/signup/confirm?token={token}").status_code == 404
    assert db.exec(select(Account)).all() == []


def test_the_mail_is_in_the_language_of_the_sign_up_and_of_the_owner(anonymous, db,
                                                                     make_account):
    owner = make_account("broker", email="owner-zh@example.org")
    owner.locale = "zh"
    db.add(owner)
    db.commit()
    anonymous.post("/api/v1/accounts?lang=zh", json={
        "email": "new-zh@example.org", "password": CHOSEN, "display_name": "李明"})
    _sign_up(anonymous, "owner-zh@example.org")
    [confirm] = mails_to(db, "new-zh@example.org")
    [told] = mails_to(db, "owner-zh@example.org")
    assert "确认" in confirm.subject and "/signup/confirm?token=" in confirm.body
    assert "已有账户" in told.body


def test_the_link_uses_the_public_address_when_one_is_set(make_app, db):
    app = make_app(public_url="https://registry.example")
    client = app.test_client()
    client.post("/api/v1/accounts", json={"email": "p@example.org", "password": CHOSEN,
                                          "display_name": "P"},
                headers={"Host": "attacker.example"})
    assert confirm_link(db, "p@example.org").startswith(
        "https://registry.example/signup/confirm?token=")


def test_staff_and_demonstration_accounts_need_no_confirmation(app, make_account, anonymous):
    account = make_account("customs")
    assert anonymous.post("/api/v1/auth/token", json={"email": account.email,
                                                      "password": PASSWORD}).status_code == 200
