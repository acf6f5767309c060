"""A NUL character anywhere in a request is a 400, on every backend: PostgreSQL refuses it in
any string, so one reaching a query was a 500 there (found by a review sweep)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from broker_registry.accounts.models import Account

API_PATHS = ["/api/v1/certificates/EUC%00", "/api/v1/certificates/EUC%00/qr.png",
             "/api/v1/markings/a%00b", "/api/v1/public/brokers?q=a%00b",
             "/api/v1/licences?status=%00", "/api/v1/revocations?since=1&x%00=1"]
PAGES = ["/customs/trace?marking=a%00b", "/register?q=a%00b", "/certificates/E%00"]


@pytest.mark.parametrize("path", API_PATHS)
def test_an_address_with_a_nul_is_a_400_problem(api_as, path):
    response = api_as("customs").get(path)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.content_type == "application/problem+json"
    assert "NUL" in response.get_json()["detail"]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_address_with_a_nul_is_a_400_page(login, make_account, path):
    response = login(make_account("customs")).get(path)
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


def test_json_and_form_fields_with_a_nul_change_nothing(client, anonymous, db):
    # In JSON, the field itself refuses it, by name
    token = anonymous.post("/api/v1/auth/token", json={"email": "a\u0000@b.org",
                                                       "password": "x" * 12})
    assert token.status_code == 422
    assert token.get_json()["errors"][0] == {"field": "email",
                                             "message": "contains a control character"}
    signup = anonymous.post("/api/v1/accounts", json={
        "email": "nul@example.org", "password": "a long enough password",
        "display_name": "Nul\u0000Name"})
    assert signup.status_code == 422
    assert signup.get_json()["errors"][0]["field"] == "display_name"
    page = client.post("/signup", data={"email": "nul@example.org", "display_name": "N\x00",
                                        "password": "a long enough password"})
    assert page.status_code == 400
    assert db.exec(select(Account).where(Account.email == "nul@example.org")).first() is None


def test_the_refusal_is_said_in_the_readers_language(client):
    response = client.get("/register?q=a%00b", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 400
    assert "地址中含有 NUL 字符" in response.get_data(as_text=True)
    english = client.get("/register?q=a%00b", headers={"Accept-Language": "en"})
    assert "The address holds a NUL character (%00)" in english.get_data(as_text=True)
