"""Suspend, revoke and deny go through a confirmation page that states what they will do,
counted from the records, before they act (GOV.UK's confirmation pattern), in both
languages."""

from __future__ import annotations

from sqlmodel import select

from broker_registry.audit.models import AuditEntry
from broker_registry.brokers.models import Broker
from broker_registry.screening.models import DeniedParty
from tests.conftest import csrf_token
from tests.records import issue, issue_certificate, submit


def entries(db, action: str) -> int:
    return len(db.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def two_licences_three_certificates(broker_api, regulators):
    one, two = issue(broker_api, regulators), issue(broker_api, regulators)
    half = {"lines": [{"line": 1, "quantity": 100}]}
    issue_certificate(regulators[0], one["id"], half)
    issue_certificate(regulators[0], one["id"], half)
    issue_certificate(regulators[0], two["id"])
    return one, two


def ask(client, page: str, action_url: str, data: dict):
    token = csrf_token(client.get(page).text)
    return client.post(action_url, data={**data, "csrf_token": token})


def test_suspending_a_broker_states_the_reach_first(db, login, regulator, broker_api,
                                                    regulators, keys):
    two_licences_three_certificates(broker_api, regulators)
    client = login(regulator)
    page = f"/brokers/{broker_api.broker.id}"
    asked = ask(client, page, f"{page}/suspend", {"reason": "Audit pending.",
                                                  "internal_note": "Tip-off."})
    assert asked.status_code == 200
    html = asked.text
    assert "This suspends 2 licences and 3 certificates." in html
    assert "Audit pending." in html and 'name="confirmed" value="yes"' in html
    assert f'href="{page}"' in html  # cancel goes back to the case
    db.expire_all()
    assert db.get(Broker, broker_api.broker.id).status == "registered"
    assert entries(db, "broker.suspended") == entries(db, "certificate.suspended") == 0
    done = client.post(f"{page}/suspend", data={
        "reason": "Audit pending.", "internal_note": "Tip-off.", "confirmed": "yes",
        "csrf_token": csrf_token(html)})
    assert done.status_code == 302
    db.expire_all()
    assert db.get(Broker, broker_api.broker.id).status == "suspended"
    assert entries(db, "licence.suspended") == 2 and entries(db, "certificate.suspended") == 3


def test_a_refused_reason_is_said_on_the_case_not_confirmed(db, login, regulator, broker_api):
    client = login(regulator)
    page = f"/brokers/{broker_api.broker.id}"
    asked = ask(client, page, f"{page}/revoke", {"reason": ""})
    assert asked.status_code == 422 and 'name="confirmed"' not in asked.text


def test_revoking_a_licence_states_its_certificates(db, login, regulator, broker_api,
                                                    regulators, keys):
    one, _ = two_licences_three_certificates(broker_api, regulators)
    client = login(regulator)
    page = f"/licences/{one['id']}"
    html = ask(client, page, f"{page}/revoke", {"reason": "Diverted."}).text
    assert "This revokes 1 licence and 2 certificates." in html
    assert entries(db, "licence.revoked") == 0


def test_denying_states_the_parties_listed(db, login, regulator, broker_api):
    licence = submit(broker_api)
    client = login(regulator)
    page = f"/licences/{licence['id']}"
    html = ask(client, page, f"{page}/decision", {
        "decision": "deny", "reason": "No.", "list_parties": ["end_user", "consignee"],
        "listing_grounds": "Front companies."}).text
    assert "This denies 1 licence application" in html
    assert "puts 2 parties on the national denied-parties list" in html
    assert 'name="list_parties" value="consignee"' in html  # carried to the confirmation
    assert db.exec(select(DeniedParty)).all() == []
    assert entries(db, "licence.denied") == 0


def test_the_confirmation_in_chinese(db, login, regulator, broker_api, regulators, keys):
    two_licences_three_certificates(broker_api, regulators)
    client = login(regulator)
    client.set_cookie("lang", "zh")
    page = f"/brokers/{broker_api.broker.id}"
    html = ask(client, page, f"{page}/revoke", {"reason": "x"}).text
    assert "吊销 2 份许可证和 3 份证书" in html and 'lang="zh-Hans"' in html
