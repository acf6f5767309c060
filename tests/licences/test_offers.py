"""Offer what the state allows and say why otherwise: no licence form before the broker's
registration is approved; no certificate form under a licence that is not issued."""

from __future__ import annotations

from sqlmodel import select

from broker_registry.certificates.models import Certificate
from broker_registry.licences.models import Licence
from broker_registry.permissions import Role
from tests.records import application, decide, submit


def test_no_licence_form_before_the_registration_is_approved(db, login, make_account,
                                                              register_broker):
    owner = make_account(Role.BROKER)
    register_broker(owner, status="submitted")
    client = login(owner)
    page = client.get("/licences/apply")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="broker_id"' not in html and "Record" not in html
    assert "once the regulator approves your broker registration" in html
    assert "submitted" in html
    mine = client.get("/licences/mine").get_data(as_text=True)
    assert 'href="/licences/apply"' not in mine
    assert "once the regulator approves your broker registration" in mine


def test_no_licence_form_without_any_registration(login, make_account):
    html = login(make_account(Role.BROKER)).get("/licences/apply").get_data(as_text=True)
    assert 'name="broker_id"' not in html
    assert "Register as a broker first" in html and 'href="/brokers/apply"' in html


def test_the_form_offers_only_registered_brokers(login, make_account, register_broker):
    owner = make_account(Role.BROKER)
    _, registered = register_broker(owner)
    _, suspended = register_broker(owner, status="suspended", legal_name="Zweite Vermittlung AG")
    html = login(owner).get("/licences/apply").get_data(as_text=True)
    assert f'<option value="{registered.id}"' in html
    assert f'<option value="{suspended.id}"' not in html


def test_the_api_says_why_it_refuses_an_application(db, api_as, make_account, register_broker):
    owner = make_account(Role.BROKER)
    _, broker = register_broker(owner, status="submitted")
    refused = api_as(owner).post("/api/v1/licences", json=application(broker.id))
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"
    assert "submitted" in refused.get_json()["detail"]
    assert "registered broker" in refused.get_json()["detail"]
    assert db.exec(select(Licence)).all() == []


def test_no_certificate_form_under_a_licence_not_issued(db, login, broker_api, regulator, keys):
    licence = submit(broker_api)
    page = login(regulator).get(f"/licences/{licence['id']}/certificates/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "None" not in html and "Sign and issue" not in html
    assert "The licence is submitted" in html
    assert f'href="/licences/{licence["id"]}"' in html


def test_the_api_refuses_a_certificate_under_a_denied_licence(db, broker_api, regulators,
                                                              keys):
    licence = submit(broker_api)
    decide(regulators[0], licence["id"], "deny", "No.")
    refused = regulators[0].post(f"/api/v1/licences/{licence['id']}/certificates")
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"
    assert "The licence is denied" in refused.get_json()["detail"]
    assert db.exec(select(Certificate)).all() == []
