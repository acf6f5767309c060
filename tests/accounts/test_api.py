import pytest
from sqlmodel import select

from broker_registry.accounts.models import Account, ApiToken, PendingSignUp
from tests.conftest import PASSWORD, csrf_token
from tests.mailbox import confirm_link, path_of


def test_sign_up_makes_a_broker_account_once_confirmed_and_a_token_logs_in(app, anonymous, db):
    response = anonymous.post("/api/v1/accounts", json={
        "email": "Li.Wei@Example.org", "password": "a long enough password",
        "display_name": "李伟"})
    assert response.status_code == 202
    assert response.json["email"] == "li.wei@example.org"
    assert "password_hash" not in response.json and "id" not in response.json
    link = confirm_link(db, "li.wei@example.org")
    browser = app.test_client()
    page = browser.get(path_of(link)).get_data(as_text=True)
    confirmed = browser.post("/signup/confirm", data={
        "token": link.split("token=")[1], "password": "a long enough password",
        "csrf_token": csrf_token(page)})
    assert confirmed.status_code == 302

    token = anonymous.post("/api/v1/auth/token", json={
        "email": "li.wei@example.org", "password": "a long enough password"})
    assert token.status_code == 200
    assert token.json["role"] == "broker"
    assert token.json["token"].startswith("brt_")
    me = anonymous.get("/api/v1/me", headers={"Authorization": f"Bearer {token.json['token']}"})
    assert me.json["display_name"] == "李伟"


def test_sign_up_refuses_short_passwords_and_changes_nothing(anonymous, db):
    response = anonymous.post("/api/v1/accounts", json={
        "email": "x@example.org", "password": "short", "display_name": "X"})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.json["errors"] == [
        {"field": "password", "message": "must be at least 12 characters"}]
    assert db.exec(select(Account).where(Account.email == "x@example.org")).first() is None


def test_sign_up_names_every_bad_field_at_once(anonymous, db):
    response = anonymous.post("/api/v1/accounts", json={
        "email": "bad", "password": "x", "display_name": ""})
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"email", "password", "display_name"}
    assert {"field": "password", "message": "must be at least 12 characters"} in \
        response.json["errors"]
    assert db.exec(select(Account)).all() == []


@pytest.mark.parametrize("password", [" " * 12, "a" * 20, "ab" * 10, " abc " * 4])
def test_sign_up_refuses_passwords_of_too_few_characters(anonymous, db, password):
    response = anonymous.post("/api/v1/accounts", json={
        "email": "x@example.org", "password": password, "display_name": "X"})
    assert response.status_code == 422
    assert response.json["errors"] == [{"field": "password", "message":
                                        "must use at least 4 different characters besides "
                                        "spaces"}]
    assert db.exec(select(Account).where(Account.email == "x@example.org")).first() is None


def test_a_full_width_spelling_is_the_same_address(anonymous, make_account, db):
    make_account("broker", email="admin@example.org")
    response = anonymous.post("/api/v1/accounts", json={
        "email": "ａｄｍｉｎ@example.org", "password": "another long password",
        "display_name": "Look-alike"})
    assert response.status_code == 202 and response.json["email"] == "admin@example.org"
    assert len(db.exec(select(Account)).all()) == 1
    assert db.exec(select(PendingSignUp)).all() == []  # the owner is told instead
    token = anonymous.post("/api/v1/auth/token", json={
        "email": "ＡＤＭＩＮ@example.org", "password": PASSWORD})
    assert token.status_code == 200


def test_login_does_not_reveal_whether_the_email_exists(anonymous, make_account):
    account = make_account("broker")
    wrong_password = anonymous.post("/api/v1/auth/token", json={
        "email": account.email, "password": "not the password"})
    unknown_email = anonymous.post("/api/v1/auth/token", json={
        "email": "nobody@example.org", "password": "not the password"})
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json["detail"] == unknown_email.json["detail"]


def test_tokens_are_stored_hashed_listed_and_revocable(api_as, db, anonymous):
    api = api_as("customs")
    token = api.headers["Authorization"].split()[1]
    stored = db.exec(select(ApiToken).where(ApiToken.account_id == api.account.id)).one()
    assert stored.token_hash != token and token not in stored.token_hash
    listing = api.get("/api/v1/auth/tokens")
    assert [t["id"] for t in listing.json["items"]] == [stored.id]
    assert "token_hash" not in listing.json["items"][0]
    revoked = api.post(f"/api/v1/auth/tokens/{stored.id}/revoke")
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    assert api.get("/api/v1/me").status_code == 401


def test_changing_the_password_ends_every_token(api_as):
    api = api_as("regulator")
    response = api.post("/api/v1/me/password", json={
        "current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert response.status_code == 200
    assert api.get("/api/v1/me").status_code == 401


def test_a_wrong_current_password_changes_nothing(api_as):
    api = api_as("regulator")
    response = api.post("/api/v1/me/password", json={
        "current_password": "wrong", "new_password": "a brand new passphrase"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "current_password"
    assert api.get("/api/v1/me").status_code == 200


def test_someone_elses_token_cannot_be_revoked(api_as):
    first, second = api_as("broker"), api_as("broker")
    other_id = second.get("/api/v1/auth/tokens").json["items"][0]["id"]
    assert first.post(f"/api/v1/auth/tokens/{other_id}/revoke").status_code == 404
    assert second.get("/api/v1/me").status_code == 200


def test_a_garbage_bearer_token_is_401(anonymous):
    for header in ("Bearer nonsense", "Bearer " + "x" * 5000, "Basic abc", "Bearer"):
        response = anonymous.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.json["title"] == "Authentication required"


def test_an_account_kept_before_nfkc_still_signs_in(anonymous, db):
    from broker_registry.accounts.passwords import hash_password

    legacy = Account(email="ｊｕｅｒｇｅｎ@example.org", display_name="J", role="broker",
                     password_hash=hash_password(PASSWORD))
    db.add(legacy)
    db.commit()
    token = anonymous.post("/api/v1/auth/token", json={"email": "ｊｕｅｒｇｅｎ@example.org",
                                                       "password": PASSWORD})
    assert token.status_code == 200
