"""The main pages in Chinese: no text a reader sees is left in English.

Each page is fetched with the `lang=zh` cookie; its visible text (tags, scripts and styles
stripped; alt, placeholder, aria-label and title attributes kept) may hold English only where
it is data this test typed, a code (EUC1:, BR-XX-..., country codes) or a name listed below.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlmodel import select

from broker_registry.permissions import Role
from broker_registry.reference.categories import CATEGORIES
from broker_registry.screening.models import EmbargoEntry
from tests.mailbox import confirm_link, path_of
from tests.records import BROKER, CLEAN

# Names, formats and abbreviations that stay as they are in a Chinese page.
ALLOWED_WORDS = {
    "API", "PDF", "PNG", "SVG", "JPEG", "XML", "CSV", "Excel", "JSON", "OpenAPI", "ISO",
    "RFC", "UTC", "Ctrl", "Cmd", "Esc", "EUC1", "English", "POST", "MiB",
    *(category.code for category in CATEGORIES),
}
CODE = re.compile(r"^(?:[A-Z]{2,4}-[A-Z0-9-]+|[A-Z]{2}|S/RES/\d+|[0-9a-f]{16}|v\d+)$")
VISIBLE_ATTRIBUTES = {"alt", "placeholder", "aria-label", "title"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self._hidden += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(data.strip())


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def english_left(html: str, typed: list[str]) -> list[str]:
    """Visible words of two or more Latin letters that are neither typed data nor codes."""
    parser = _Text()
    parser.feed(html)
    left = []
    for chunk in parser.chunks:
        chunk = re.sub(r"/api/\S+", " ", chunk)
        for value in sorted(typed, key=len, reverse=True):
            chunk = re.sub(r"(?<!\w)" + re.escape(value) + r"(?!\w)", " ", chunk)
        for word in re.findall(r"[A-Za-z][A-Za-z0-9/_.:-]*[A-Za-z0-9]", chunk):
            word = word.strip(".:")
            if word in ALLOWED_WORDS or CODE.match(word) or not re.search(r"[a-z]{2}|[A-Z]{3}",
                                                                         word):
                continue
            left.append(f"{word!r} in {chunk[:80]!r}")
    return left


@pytest.fixture
def world(app, db, certificate, licence, broker_api, regulators, customs, make_account,
          signed_in):
    """Every role signed in with the `lang=zh` cookie, around one issued certificate."""
    admin = make_account(Role.ADMIN, name="Ada Admin")
    accounts = [broker_api.account, regulators[0].account, regulators[1].account,
                customs.account, admin]
    typed = [*_strings(BROKER), *_strings(CLEAN), certificate["qr_payload"],
             certificate["number"], licence["licence_number"], licence["reference"],
             "Checked.", "Countersigned.", "ok", "Rana Regulator", "Wang Li", "Carlos Customs",
             "Test User", "Ada Admin", *[a.email for a in accounts],
             app.config["SETTINGS"].authority_name,
             # the admin's own notes on each embargo: data, kept as written
             *[e.notes for e in db.exec(select(EmbargoEntry)) if e.notes]]
    return {
        "typed": typed, "licence": licence, "certificate": certificate,
        "broker": broker_api.broker,
        "anonymous": signed_in(None), "broker_pages": signed_in(broker_api.account),
        "regulator": signed_in(regulators[0].account), "customs": signed_in(customs.account),
        "admin": signed_in(admin), "customs_account": customs.account,
    }


PAGES = [
    ("anonymous", "/"), ("anonymous", "/login"), ("anonymous", "/signup"),
    ("anonymous", "/register"),
    ("broker_pages", "/brokers/apply"), ("broker_pages", "/brokers/mine"),
    ("broker_pages", "/brokers/{broker}"), ("broker_pages", "/licences/apply"),
    ("broker_pages", "/licences/mine"), ("broker_pages", "/licences/{licence}"),
    ("broker_pages", "/certificates/{number}"), ("broker_pages", "/account"),
    ("broker_pages", "/notifications"), ("broker_pages", "/licences/999999"),
    ("regulator", "/regulator/brokers?status=all"), ("regulator", "/regulator/licences?status=all"),
    ("regulator", "/brokers/{broker}"), ("regulator", "/licences/{licence}"),
    ("regulator", "/licences/{licence}/certificates/new"),
    ("regulator", "/certificates/{number}"),
    ("customs", "/customs/verify?payload={payload}"), ("customs", "/customs/trace?marking=X"),
    ("admin", "/admin/users"), ("admin", "/admin/users/{account}"), ("admin", "/admin/embargoes"),
    ("admin", "/admin/denied-parties"),
]


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_the_main_pages_have_no_english_left(world):
    from urllib.parse import quote

    values = {"broker": world["broker"].id, "licence": world["licence"]["id"],
              "number": world["certificate"]["number"],
              "payload": quote(world["certificate"]["qr_payload"]),
              "account": world["customs_account"].id}
    problems = []
    for who, path in PAGES:
        response = world[who].get(path.format(**values))
        html = response.get_data(as_text=True)
        assert 'lang="zh-Hans"' in html, path
        problems += [f"{path}: {found}" for found in english_left(html, world["typed"])]
    assert problems == [], "\n".join(problems)


def test_the_verification_page_says_valid_in_chinese(world):
    from urllib.parse import quote

    page = world["customs"].get("/customs/verify?payload="
                                + quote(world["certificate"]["qr_payload"]))
    html = page.get_data(as_text=True)
    assert 'class="verdict verdict-VALID"' in html
    assert "有效" in html and "签名有效，签署方可信，在有效期内，未被吊销。" in html
    assert "加纳" in html  # the end user's country, named in Chinese
    assert "记录发运" in html


def test_form_errors_and_flash_messages_are_in_chinese(world, signed_in, db):
    client = signed_in(None)
    from tests.conftest import csrf_token

    token = csrf_token(client.get("/signup").get_data(as_text=True))
    response = client.post("/signup", data={"display_name": "", "email": "not-an-email",
                                            "password": "short", "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "出现问题" in html and "请按正确格式输入电子邮件地址" in html
    assert english_left(html, ["not-an-email"]) == []
    token = csrf_token(html)
    response = client.post("/signup", data={"display_name": "李明", "email": "li@example.org",
                                            "password": "correct horse battery staple",
                                            "csrf_token": token})
    assert "请查收电子邮件" in response.get_data(as_text=True)
    link = confirm_link(db, "li@example.org")
    page = client.get(path_of(link)).get_data(as_text=True)
    assert "确认您的电子邮件地址" in page and english_left(page, ["li@example.org", "李明"]) == []
    response = client.post("/signup/confirm", data={
        "token": link.split("token=")[1], "password": "correct horse battery staple",
        "csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "您的账户已创建。请在下方申请登记为中介商。" in response.get_data(as_text=True)
