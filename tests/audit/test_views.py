"""/admin/audit: the log as a page, with the API's filters as a form."""

from __future__ import annotations

import re
from html import unescape

import pytest

from broker_registry.permissions import ROLE_PERMISSIONS, Permission
from tests.conftest import PASSWORD, csrf_token
from tests.factories import registered_broker

URL = "/admin/audit"


@pytest.fixture
def page_as(app, make_account):
    """`page_as(role_or_account, lang=None)`: a client of its own, signed in through /login."""

    def sign_in(who, lang: str | None = None):
        account = make_account(who) if isinstance(who, str) else who
        client = app.test_client()
        if lang:
            client.set_cookie("lang", lang)
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": account.email, "password": PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302
        client.account = account
        return client

    return sign_in


@pytest.fixture
def registration(api_as, make_account):
    regulator = api_as(make_account("regulator"))
    _, registration = registered_broker(api_as, regulator=regulator)
    return registration


def _rows(html: str) -> list[int]:
    """The entry numbers the table shows, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [int(n) for n in re.findall(r'<tr data-seq="(\d+)">', body)]


def _older(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)">Older entries</a>', html)
    return unescape(found.group(1)) if found else None


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/admin/audit")


@pytest.mark.parametrize("role", ["broker", "customs"])
def test_roles_without_audit_read_are_refused(page_as, role):
    assert page_as(role).get(URL).status_code == 403


@pytest.mark.parametrize("role", ["regulator", "admin"])
def test_regulators_and_admins_see_the_log(page_as, role):
    response = page_as(role).get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Audit log</h1>" in html
    assert '<table class="responsive history">' in html
    assert _rows(html), "the reader's own account is in the log"


@pytest.mark.parametrize("role", ["broker", "regulator", "customs", "admin"])
def test_the_nav_links_the_log_for_exactly_the_roles_that_may_read_it(page_as, role):
    html = page_as(role).get("/").get_data(as_text=True)
    may = any(Permission.AUDIT_READ in granted and str(r) == role
              for r, granted in ROLE_PERMISSIONS.items())
    assert (f'href="{URL}"' in html) is may


def test_a_workflow_shows_newest_first_linked_to_its_pages(page_as, registration):
    reader = page_as("regulator")
    response = reader.get(URL, query_string={"subject_type": "broker",
                                             "subject_id": registration["id"]})
    html = response.get_data(as_text=True)
    seqs = _rows(html)
    assert len(seqs) == 2 and seqs == sorted(seqs, reverse=True)
    body = html.split("<tbody>", 1)[1]
    assert body.index("approved") < body.index("applied")
    # The subject by its name, the change as before -> after, the people by their names.
    assert f'<a href="/brokers/{registration["id"]}">{registration["legal_name"]}' in \
        unescape(html)
    assert "Status</span>: submitted → registered" in unescape(body)
    assert "&#34;status&#34;" not in html and "&quot;status&quot;" not in html
    assert "regulator" in unescape(body) and "broker" in unescape(body)


def test_an_admin_is_not_linked_to_pages_it_may_not_open(page_as, registration):
    html = page_as("admin").get(URL, query_string={"subject_type": "broker"}) \
        .get_data(as_text=True)
    assert len(_rows(html)) == 2
    assert f'href="/brokers/{registration["id"]}"' not in html


def test_an_actor_links_to_their_own_entries(page_as, registration):
    reader = page_as("regulator")
    html = reader.get(URL).get_data(as_text=True)
    link = f'href="/admin/audit?actor={reader.account.id}"'
    assert link in html
    mine = reader.get(URL, query_string={"actor": reader.account.id}).get_data(as_text=True)
    assert len(_rows(mine)) == 1  # signing up: the reader did nothing else


def test_older_entries_walk_every_entry_once_keeping_the_filter(page_as, registration,
                                                                make_account):
    for _ in range(4):
        make_account("customs")
    reader = page_as("regulator")
    everything = _rows(reader.get(URL, query_string={"limit": 500}).get_data(as_text=True))
    accounts = _rows(reader.get(URL, query_string={"subject_type": "account", "limit": 500})
                     .get_data(as_text=True))
    assert len(accounts) >= 6 and set(accounts) < set(everything)
    seen, url = [], f"{URL}?subject_type=account&limit=2"
    while url:
        html = reader.get(url).get_data(as_text=True)
        seen += _rows(html)
        url = _older(html)
        assert url is None or "subject_type=account" in url
    assert seen == accounts


@pytest.mark.parametrize(("name", "value"), [
    ("subject_type", "brokers"), ("subject_id", "x" * 81), ("actor", "rana@example.org"),
    ("action", "broker.deleted"), ("since", "yesterday"), ("until", "2027-02-30T25:00Z"),
])
def test_a_bad_filter_value_is_said_beside_its_field(page_as, name, value):
    response = page_as("admin").get(URL, query_string={name: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<p class="error" id="{name}-error">' in html
    assert 'aria-invalid="true"' in html
    assert f'<a href="#{name}">' in html  # the summary leads to the field
    assert "<tbody>" not in html


def test_until_before_since_is_refused_on_the_page(page_as):
    response = page_as("admin").get(URL, query_string={"since": "2027-02-01",
                                                        "until": "2027-01-31"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="until-error">Enter an end date on or after the start date' in html
    assert 'value="2027-02-01"' in html and 'value="2027-01-31"' in html


def test_a_bad_cursor_is_said_not_a_500(page_as):
    response = page_as("regulator").get(URL, query_string={"cursor": "%%%"})
    assert response.status_code == 422
    assert "is not a cursor this API gave out" in response.get_data(as_text=True)


def test_the_page_in_chinese(page_as):
    reader = page_as("regulator", lang="zh")
    response = reader.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="zh-Hans"' in html and "筛选" in html and "理由" in html
    refused = reader.get(URL, query_string={"since": "yesterday"})
    assert refused.status_code == 422
    assert "请输入日期，例如 2027 1 31" in refused.get_data(as_text=True)
