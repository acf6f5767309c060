"""How the language is chosen and remembered, and what follows it: pages, API sentences, mail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import select

from broker_registry.accounts.models import Account
from broker_registry.notifications.models import Notification
from broker_registry.permissions import Role
from tests.conftest import PASSWORD, csrf_token


def _switch(client, lang: str, referrer: str | None = "http://localhost/register?q=Nord&lang=en"):
    token = csrf_token(client.get("/").get_data(as_text=True))
    headers = {"Referer": referrer} if referrer else {}
    return client.post("/language", data={"lang": lang, "csrf_token": token}, headers=headers)


def test_the_browser_language_is_the_default(client):
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    html = page.get_data(as_text=True)
    assert 'lang="zh-Hans"' in html and "武器中介商登记系统" in html and "登录" in html


def test_lang_in_the_address_wins_for_that_page(client):
    client.set_cookie("lang", "en")
    assert "公开登记册" in client.get("/register?lang=zh").get_data(as_text=True)
    assert "Public register" in client.get("/register").get_data(as_text=True)


def test_the_switcher_sets_the_cookie_and_goes_back_without_lang(client):
    response = _switch(client, "zh")
    assert response.status_code == 302
    assert response.headers["Location"] == "/register?q=Nord"
    assert "lang=zh" in response.headers["Set-Cookie"]
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="zh-Hans"' in html


def test_the_switcher_never_sends_the_reader_to_another_site(client):
    assert _switch(client, "zh", "https://evil.example/phish").headers["Location"] == "/"
    assert _switch(client, "zh", None).headers["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    response = _switch(client, "xx")
    assert response.status_code == 302 and "Set-Cookie" not in response.headers


def test_the_switcher_needs_the_form_token(client):
    assert client.post("/language", data={"lang": "zh"}).status_code == 400


def test_a_signed_in_choice_is_stored_on_the_account(app, client, db, login, make_account):
    account = make_account(Role.BROKER)
    login(account)
    _switch(client, "zh")
    db.expire_all()
    assert db.get(Account, account.id).locale == "zh"
    other = app.test_client()  # another browser: no cookie, English Accept-Language
    token = csrf_token(other.get("/login").get_data(as_text=True))
    other.post("/login", data={"email": account.email, "password": PASSWORD,
                               "csrf_token": token})
    html = other.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "您的账户" in html and "简体中文" in html


def test_flash_messages_follow_the_language(client, login, make_account):
    login(make_account(Role.BROKER))
    client.set_cookie("lang", "zh")
    token = csrf_token(client.get("/account").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    assert "您已退出登录。" in client.get("/").get_data(as_text=True)


def test_domain_errors_on_pages_are_in_chinese(client, login, make_account):
    login(make_account(Role.BROKER))
    page = client.get("/licences/999999", headers={"Accept-Language": "zh-CN"})
    html = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "未找到 (404)" in html and "不存在编号为 999999 的许可证。" in html


def test_the_api_keeps_its_codes_and_says_its_sentences_as_asked(api_as):
    api = api_as(Role.BROKER)
    english = api.get("/api/v1/licences/999999").get_json()
    assert english["title"] == "Not found" and english["detail"] == "No licence 999999."
    chinese = api.get("/api/v1/licences/999999", headers={"Accept-Language": "zh-CN"}).get_json()
    assert chinese["title"] == "Not found" and chinese["type"] == english["type"]
    assert chinese["detail"] == "不存在编号为 999999 的许可证。"
    invalid = api.post("/api/v1/brokers", json={"kind": "company"},
                       headers={"Accept-Language": "zh"}).get_json()
    assert {"field": "legal_name", "message": "为必填项"} in invalid["errors"]


def test_the_api_ignores_the_cookie_and_the_account_choice(api_as, db):
    api = api_as(Role.BROKER)
    api.account.locale = "zh"
    db.add(api.account)
    db.commit()
    api.client.set_cookie("lang", "zh")
    assert api.get("/api/v1/licences/999999").get_json()["detail"] == "No licence 999999."


def test_notifications_and_mail_are_written_in_the_brokers_language(
        app, db, broker_api, regulators, make_account):
    from tests.records import decide, submit

    licence = submit(broker_api)
    assert decide(regulators[0], licence["id"], "deny", "不符合要求。").status_code == 200
    note = db.exec(select(Notification).where(Notification.licence_id == licence["id"])).one()
    assert note.subject == f"许可证 {licence['reference']}：已拒绝"
    assert note.body.startswith(f"您的中介交易许可证申请 {licence['reference']} 已拒绝。")
    assert "理由：不符合要求。" in note.body


def test_dates_numbers_money_and_countries_follow_the_language(app):
    env = app.jinja_env
    when = datetime(2026, 5, 1, 13, 5, tzinfo=UTC)
    template = env.from_string(
        "{{ when|datetime }}|{{ day|date }}|{{ 100000|number }}|{{ price|money('EUR') }}|"
        "{{ 'GH'|country }}|{{ 'SALW-1'|category }}|{{ 'round'|unit }}|"
        "{{ 'awaiting_countersignature'|status_label }}|{{ 'customs'|role_label }}")
    with app.test_request_context("/?lang=zh"):
        chinese = template.render(when=when, day=date(2026, 5, 1), price=Decimal("1450.5"))
    with app.test_request_context("/?lang=en"):
        english = template.render(when=when, day=date(2026, 5, 1), price=Decimal("1450.5"))
    assert chinese.split("|") == ["2026年5月1日 13:05", "2026年5月1日", "100,000",
                                  "1,450.50 欧元", "加纳", chinese.split("|")[5], "发",
                                  "待会签", "海关官员"]
    assert "手枪" in chinese.split("|")[5]
    assert english.split("|")[:4] == ["May 1, 2026 13:05", "May 1, 2026", "100,000",
                                      "1,450.50 EUR"]
    assert english.split("|")[4] == "Ghana" and english.split("|")[7] == \
        "awaiting countersignature"


def test_country_selects_are_named_and_sorted_in_the_language(client):
    html = client.get("/register?lang=zh").get_data(as_text=True)
    assert '<option value="GH" >加纳</option>' in html.replace("  ", " ")
    assert '<option value="FR" >法国</option>' in html.replace("  ", " ")


def test_the_api_documentation_page_is_a_page_like_the_others(client, login, make_account):
    account = make_account(Role.BROKER)
    login(account)
    _switch(client, "zh")
    html = client.get("/api/docs").get_data(as_text=True)
    assert 'lang="zh-Hans"' in html  # the language chosen
    assert account.display_name in html and "/login" not in html.split("<main")[0]  # signed in
