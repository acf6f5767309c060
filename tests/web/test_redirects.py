"""Going back after sign-in or a language choice: only to a page of this site."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_token

ELSEWHERE = ["https://evil.example/phish", "//evil.example/", "/\\evil.example/",
             "http://[::1", "http://[::1/x", "javascript:alert(1)", "register",
             "/x\r\nSet-Cookie: a=b", "/" + "a" * 5000]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_language_switcher_goes_home_instead(client, target):
    token = csrf_token(client.get("/").get_data(as_text=True))
    response = client.post("/language", data={"lang": "zh", "csrf_token": token,
                                              "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_sign_in_goes_to_its_own_desk_instead(client, make_account, target):
    account = make_account("regulator")
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", query_string={"next": target},
                           data={"email": account.email, "password": PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/regulator/licences"  # the regulator's queue


def test_a_page_of_this_site_is_where_both_go_back_to(client, make_account):
    token = csrf_token(client.get("/").get_data(as_text=True))
    switched = client.post("/language", data={"lang": "zh", "csrf_token": token,
                                              "next": "http://localhost/register?q=Nord&lang=en"})
    assert switched.headers["Location"] == "/register?q=Nord"
    account = make_account()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    signed_in = client.post("/login", query_string={"next": "/account?tab=keys"},
                            data={"email": account.email, "password": PASSWORD,
                                  "csrf_token": token})
    assert signed_in.headers["Location"] == "/account?tab=keys"


def test_switching_language_on_a_refused_forms_answer_goes_to_a_page(client, make_account,
                                                                     login):
    # A refused decision answers on /brokers/1/decision, which only takes POST: going "back"
    # there was a 405.
    token = csrf_token(client.get("/").get_data(as_text=True))
    for referrer, expected in (("http://localhost/brokers/1/decision", "/"),
                               ("http://localhost/brokers/1/renewal", "/"),
                               ("http://localhost/register?q=x", "/register?q=x"),
                               ("http://localhost/no/such/page", "/")):
        response = client.post("/language", data={"lang": "zh", "csrf_token": token},
                               headers={"Referer": referrer})
        assert response.headers["Location"] == expected, referrer
