"""Who may not do what: unregistered and suspended brokers, strangers, the wrong roles."""

from __future__ import annotations

import pytest

from tests.records import application, decide, submit


@pytest.mark.parametrize("status", ["submitted", "suspended", "revoked"])
def test_a_broker_not_registered_cannot_apply(api_as, register_broker, status):
    owner, broker = register_broker(status=status)
    response = api_as(owner).post("/api/v1/licences", json=application(broker.id))
    assert response.status_code == 409
    assert f"is {status}" in response.get_json()["detail"]
    assert api_as(owner).get("/api/v1/licences").get_json()["items"] == []


def test_applying_under_another_brokers_registration_is_404(api_as, broker_api, register_broker):
    stranger, _ = register_broker()
    response = api_as(stranger).post("/api/v1/licences",
                                     json=application(broker_api.broker.id))
    assert response.status_code == 404


def test_another_broker_reading_or_answering_gets_404(broker_api, register_broker, api_as):
    licence = submit(broker_api)
    stranger, _ = register_broker()
    other = api_as(stranger)
    for response in (other.get(f"/api/v1/licences/{licence['id']}"),
                     other.post(f"/api/v1/licences/{licence['id']}/response",
                                json={"response": "x"})):
        assert response.status_code == 404
        assert "Nordlicht" not in response.get_data(as_text=True)
    assert other.get("/api/v1/licences").get_json()["items"] == []


def test_brokers_cannot_decide_and_anonymous_cannot_read(broker_api, anonymous, api_as):
    licence = submit(broker_api)
    assert decide(broker_api, licence["id"], "approve").status_code == 403
    assert anonymous.get(f"/api/v1/licences/{licence['id']}").status_code == 401
    customs = api_as("customs")
    assert customs.get(f"/api/v1/licences/{licence['id']}").status_code == 403
    assert broker_api.get(f"/api/v1/licences/{licence['id']}").get_json()["status"] == \
        "submitted"


def test_pending_applications_of_a_suspended_broker_cannot_be_approved(
        db, broker_api, regulators, regulator):
    from broker_registry.brokers import service as brokers

    licence = submit(broker_api)
    brokers.sanction(db, actor=regulator, broker_id=broker_api.broker.id, action="suspend",
                     reason="Investigation.")
    db.commit()
    first, _ = regulators
    response = decide(first, licence["id"], "approve")
    assert response.status_code == 409 and "is suspended" in response.get_json()["detail"]


def test_a_draft_is_its_brokers_alone(app, broker_api, regulators, customs):
    from tests.licences.test_pages import post_form, sign_in

    pages = sign_in(app, broker_api.account)
    saved = post_form(pages, "/licences/apply", {"broker_id": str(broker_api.broker.id),
                                                 "supplier_name": "Fabbrica",
                                                 "action": "draft"})
    assert saved.status_code == 302
    draft_id = int(saved.headers["Location"].split("/")[2])
    for staff in (regulators[0], customs):
        listed = staff.get("/api/v1/licences?status=draft")
        assert listed.status_code in (200, 403)
        if listed.status_code == 200:
            assert listed.get_json()["items"] == []
        assert staff.get(f"/api/v1/licences/{draft_id}/certificates").status_code == 404
    assert broker_api.get(f"/api/v1/licences/{draft_id}/certificates").get_json()["items"] == []
    mine = broker_api.get("/api/v1/licences?status=draft").get_json()["items"]
    assert [item["id"] for item in mine] == [draft_id]
