"""A broker reaches only its own records: by id, by number, by search, by list filter, through
the API and through the pages. Anyone else's is a 404 or absent from the list, never a leak."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.records import issue, issue_certificate, submit


@pytest.fixture
def victim(broker_api, regulators, keys, customs):
    """Broker A with a registration, an issued licence, a draft-free application, a certificate
    that has shipped, and a token."""
    licence = issue(broker_api, regulators)
    pending = submit(broker_api)
    certificate = issue_certificate(regulators[0], licence["id"])
    shipped = customs.post(f"/api/v1/certificates/{certificate['number']}/shipments",
                           json={"border_post": "Aflao",
                                 "lines": [{"line": 1, "quantity": 3, "markings": ["VX-1"]}]})
    assert shipped.status_code == 201
    token_id = broker_api.get("/api/v1/auth/tokens").get_json()["items"][0]["id"]
    secrets = [certificate["qr_payload"][:40], licence["licence_number"], licence["reference"],
               pending["reference"]]
    return {"api": broker_api, "broker_id": broker_api.broker.id, "licence": licence,
            "secrets": secrets,
            "pending": pending, "number": certificate["number"], "token_id": token_id}


@pytest.fixture
def intruder(api_as, register_broker, regulators):
    """Broker B, registered, with a licence of its own: a real customer, not an outsider."""
    owner, broker = register_broker()
    api = api_as(owner)
    api.broker = broker
    issue(api, regulators)
    return api


def test_by_id_and_number_through_the_api(victim, intruder):
    number, lic, pending = victim["number"], victim["licence"]["id"], victim["pending"]["id"]
    gets = [f"/api/v1/brokers/{victim['broker_id']}", f"/api/v1/licences/{lic}",
            f"/api/v1/licences/{pending}", f"/api/v1/licences/{lic}/certificates",
            f"/api/v1/certificates/{number}", f"/api/v1/certificates/{number}/qr.png",
            f"/api/v1/certificates/{number}/qr.svg",
            f"/api/v1/certificates/{number}/certificate.pdf"]
    for path in gets:
        response = intruder.get(path)
        assert response.status_code == 404, path
        _no_secret(response, victim)
        # The owner does reach it: the 404 is about ownership, not a broken path.
        assert victim["api"].get(path).status_code == 200, path
    posts = [(f"/api/v1/brokers/{victim['broker_id']}/renewal", {}),
             (f"/api/v1/licences/{pending}/response", {"response": "mine now"}),
             (f"/api/v1/auth/tokens/{victim['token_id']}/revoke", {})]
    for path, body in posts:
        response = intruder.post(path, json=body)
        assert response.status_code == 404, (path, response.status_code)
    # Applying for a licence under someone else's registration.
    stolen = intruder.post("/api/v1/licences", json={
        **_application(victim["broker_id"])})
    assert stolen.status_code in (404, 422) and stolen.status_code != 201
    # The victim's token still works: the intruder's revoke did nothing.
    assert victim["api"].get("/api/v1/me").status_code == 200


def _no_secret(response, victim):
    body = response.get_data(as_text=True)
    for secret in victim["secrets"]:
        assert secret not in body


def _application(broker_id):
    from tests.records import application

    return application(broker_id)


def test_lists_and_filters_hold_only_the_callers_records(victim, intruder):
    number = victim["number"]
    own_broker = intruder.broker.id
    brokers = intruder.get("/api/v1/brokers").get_json()["items"]
    assert {b["id"] for b in brokers} == {own_broker}
    for query in ("", f"?broker_id={victim['broker_id']}", "?status=issued",
                  "?status=submitted", "?country=GH", "?limit=500"):
        items = intruder.get(f"/api/v1/licences{query}").get_json()["items"]
        assert all(item["broker_id"] == own_broker for item in items), query
    assert intruder.get("/api/v1/brokers?status=registered").get_json()["items"][0]["id"] \
        == own_broker
    # The public register names registered brokers (it is public) but carries no records.
    public = intruder.get(f"/api/v1/public/brokers?q={number}").get_json()["items"]
    assert public == []
    assert intruder.get("/api/v1/auth/tokens").get_json()["items"][0]["id"] != \
        victim["token_id"]


def test_by_id_and_number_through_the_pages(victim, intruder, login, client, db):
    from broker_registry.accounts.models import Account

    account = db.get(Account, intruder.account.id)
    pages = login(account)
    number, lic, pending = victim["number"], victim["licence"]["id"], victim["pending"]["id"]
    for path in (f"/brokers/{victim['broker_id']}", f"/licences/{lic}",
                 f"/licences/{pending}", f"/licences/{pending}/edit",
                 f"/certificates/{number}"):
        response = pages.get(path)
        assert response.status_code == 404, (path, response.status_code)
        _no_secret(response, victim)
    for path in ("/licences/mine", "/brokers/mine",
                 f"/licences/mine?broker_id={victim['broker_id']}"):
        html = pages.get(path).get_data(as_text=True)
        assert victim["licence"]["reference"] not in html, path
        assert victim["pending"]["reference"] not in html, path


def test_every_action_on_another_brokers_draft_is_a_404_as_reading_it_is(
        db, broker_api, regulators, api_as, register_broker, keys, login):
    """A draft is its broker's alone: a regulator asking to issue a certificate under it, or to
    decide or sanction it, learns no more than GET does (it had answered 409 "The licence is
    draft"), and nothing changes."""
    from sqlmodel import select

    from broker_registry.accounts.models import Account
    from broker_registry.audit.models import AuditEntry
    from broker_registry.licences import service as licences
    from broker_registry.licences.models import Licence

    draft = licences.save_draft(db, owner=db.get(Account, broker_api.account.id),
                                form={"broker_id": [str(broker_api.broker.id)]},
                                licence_id=None)
    db.commit()
    about_it = select(AuditEntry).where(AuditEntry.subject_type == "licence",
                                        AuditEntry.subject_id == str(draft.id))
    assert [e.action for e in db.exec(about_it)] == ["licence.drafted"]
    regulator = regulators[0]
    base = f"/api/v1/licences/{draft.id}"
    for path, body in ((f"{base}/certificates", None), (f"{base}/certificates",
                                                        {"lines": [{"line": 1, "quantity": 1}]}),
                       (f"{base}/decision", {"decision": "approve", "reason": "ok"}),
                       (f"{base}/suspend", {"reason": "x"}), (f"{base}/revoke", {"reason": "x"}),
                       (f"{base}/reinstate", {"reason": "x"})):
        answer = regulator.post(path, json=body)
        assert answer.status_code == 404, (path, answer.status_code, answer.get_json())
        assert "draft" not in answer.get_json()["detail"]
    assert regulator.get(base).status_code == 404
    intruder_owner, _ = register_broker()
    intruder = api_as(intruder_owner)
    assert intruder.post(f"{base}/response", json={"response": "x"}).status_code == 404
    pages = login(db.get(Account, regulator.account.id))
    token = csrf_token(pages.get("/account").get_data(as_text=True))
    for path, form in ((f"/licences/{draft.id}/certificates/new", {"quantity_1": "1"}),
                       (f"/licences/{draft.id}/decision", {"decision": "approve",
                                                           "reason": "ok"}),
                       (f"/licences/{draft.id}/suspend", {"reason": "x"})):
        answer = pages.post(path, data={**form, "csrf_token": token})
        assert answer.status_code == 404, (path, answer.status_code)
    assert pages.get(f"/licences/{draft.id}/certificates/new").status_code == 404
    db.expire_all()
    assert db.get(Licence, draft.id).status == "draft"
    assert [e.action for e in db.exec(about_it)] == ["licence.drafted"]
