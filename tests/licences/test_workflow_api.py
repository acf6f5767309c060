"""Every transition of a licence through the API, and the refusals the state forbids."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from broker_registry.audit.service import history
from broker_registry.db.columns import utcnow
from broker_registry.licences.models import Licence
from broker_registry.notifications.models import Notification, OutboxMessage
from tests.records import application, decide, issue, submit


def test_apply_submits_and_screens(broker_api):
    response = broker_api.post("/api/v1/licences", json=application(broker_api.broker.id))
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/licences/{body['id']}"
    assert body["status"] == "submitted" and body["screening"] == []
    assert body["destination_country"] == "GH"  # defaults to the end user's country
    assert [(g["line_no"], g["quantity"], g["unit_value"]) for g in body["goods"]] == [
        (1, 200, "450.00"), (2, 100000, None)]
    assert body["valid_until"].endswith("T23:59:59Z")
    assert [h["action"] for h in body["history"]] == ["licence.submitted"]


def test_approve_then_countersign_issues_a_numbered_licence(db, broker_api, regulators):
    first, second = regulators
    licence = submit(broker_api)
    approved = decide(first, licence["id"], "approve").get_json()
    assert approved["status"] == "awaiting_countersignature"
    assert approved["licence_number"] is None
    issued = decide(second, licence["id"], "approve", "Countersigned.").get_json()
    assert issued["status"] == "issued"
    year = utcnow().year
    assert re.fullmatch(rf"BL-XX-{year}-\d{{6}}", issued["licence_number"])
    assert issued["valid_until"] == licence["valid_until"]
    actions = [e.action for e in history(db, "licence", licence["id"])]
    assert actions == ["licence.submitted", "licence.approved", "licence.issued"]
    second_one = issue(broker_api, regulators)
    assert int(second_one["licence_number"][-6:]) == int(issued["licence_number"][-6:]) + 1


def test_the_approver_cannot_countersign(broker_api, regulators):
    first, _ = regulators
    licence = submit(broker_api)
    decide(first, licence["id"], "approve")
    response = decide(first, licence["id"], "approve")
    assert response.status_code == 409
    assert "different regulator must countersign" in response.get_json()["detail"]
    assert "awaiting countersignature" in response.get_json()["detail"]  # the state it is in
    assert broker_api.get(f"/api/v1/licences/{licence['id']}").get_json()["status"] == \
        "awaiting_countersignature"


def test_deny_from_submitted_and_from_awaiting(broker_api, regulators):
    first, second = regulators
    one = submit(broker_api)
    denied = decide(first, one["id"], "deny", "End-use statement not credible.").get_json()
    assert denied["status"] == "denied" and denied["decided_at"]
    two = submit(broker_api, end_user={**application(0)["end_user"], "name": "Other Forces"})
    decide(first, two["id"], "approve")
    assert decide(second, two["id"], "deny", "Four eyes disagree.").get_json()["status"] == \
        "denied"


def test_deciding_a_decided_case_is_409_naming_the_state(broker_api, regulators):
    first, second = regulators
    licence = issue(broker_api, regulators)
    for decision in ("approve", "deny", "request_information"):
        response = decide(first, licence["id"], decision)
        assert response.status_code == 409
        assert "is issued" in response.get_json()["detail"]
    denied = submit(broker_api, end_user={**application(0)["end_user"], "name": "X Police"})
    decide(first, denied["id"], "deny", "No.")
    response = decide(second, denied["id"], "approve")
    assert response.status_code == 409 and "is denied" in response.get_json()["detail"]


def test_information_request_and_response_return_the_case_to_the_queue(broker_api, regulators):
    first, second = regulators
    licence = submit(broker_api)
    decide(first, licence["id"], "approve")
    asked = decide(second, licence["id"], "request_information", "Send the end-user statement.")
    assert asked.get_json()["status"] == "information_requested"
    assert asked.get_json()["information_request"] == "Send the end-user statement."
    queue = first.get("/api/v1/licences?status=information_requested").get_json()["items"]
    assert [item["id"] for item in queue] == [licence["id"]]
    answered = broker_api.post(f"/api/v1/licences/{licence['id']}/response",
                               json={"response": "Statement attached, signed by the MoD."})
    assert answered.status_code == 200
    assert answered.get_json()["status"] == "submitted"
    assert answered.get_json()["response"] == "Statement attached, signed by the MoD."
    # the earlier approval no longer counts: two approvals again, and the first may approve
    assert decide(second, licence["id"], "approve").get_json()["status"] == \
        "awaiting_countersignature"
    assert decide(first, licence["id"], "approve").get_json()["status"] == "issued"


def test_respond_only_when_asked(broker_api):
    licence = submit(broker_api)
    response = broker_api.post(f"/api/v1/licences/{licence['id']}/response",
                               json={"response": "unsolicited"})
    assert response.status_code == 409 and "is submitted" in response.get_json()["detail"]


def test_suspend_reinstate_revoke(db, broker_api, regulators):
    first, _ = regulators
    licence = issue(broker_api, regulators)
    url = f"/api/v1/licences/{licence['id']}"
    assert first.post(url + "/suspend", json={"reason": "Diversion alleged."}).get_json()[
        "status"] == "suspended"
    assert first.post(url + "/reinstate", json={"reason": "Cleared."}).get_json()[
        "status"] == "issued"
    assert first.post(url + "/revoke", json={"reason": "Diversion proven."}).get_json()[
        "status"] == "revoked"
    again = first.post(url + "/reinstate", json={"reason": "Please."})
    assert again.status_code == 409 and "is revoked" in again.get_json()["detail"]
    assert first.post(url + "/suspend", json={"reason": "x"}).status_code == 409
    missing = first.post(url + "/revoke", json={})
    assert missing.status_code == 422
    assert missing.get_json()["errors"][0]["field"] == "reason"
    actions = [e.action for e in history(db, "licence", licence["id"])][-3:]
    assert actions == ["licence.suspended", "licence.reinstated", "licence.revoked"]


def test_expiry_is_computed(db, broker_api, regulators):
    licence = issue(broker_api, regulators)
    row = db.get(Licence, licence["id"])
    row.valid_until = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()
    body = broker_api.get(f"/api/v1/licences/{licence['id']}").get_json()
    assert body["status"] == "expired"
    first, _ = regulators
    assert first.post(f"/api/v1/licences/{licence['id']}/suspend",
                      json={"reason": "x"}).status_code == 409
    listed = first.get("/api/v1/licences?status=expired").get_json()["items"]
    assert [item["id"] for item in listed] == [licence["id"]]
    assert first.get("/api/v1/licences?status=issued").get_json()["items"] == []


def test_every_decision_notifies_the_broker(db, broker_api, regulators):
    first, _ = regulators
    licence = issue(broker_api, regulators)
    first.post(f"/api/v1/licences/{licence['id']}/suspend", json={"reason": "Audit pending."})
    notes = list(db.exec(select(Notification).where(
        Notification.account_id == broker_api.account.id,
        Notification.licence_id.is_not(None)).order_by(Notification.id)))
    assert [n.subject.split(": ")[-1] for n in notes] == [
        "approved (awaiting countersignature)", "issued", "suspended"]
    assert "Reason: Audit pending." in notes[-1].body
    assert licence["licence_number"] in notes[1].body
    # no SMTP_URL in the test settings: nothing is queued for mail
    assert list(db.exec(select(OutboxMessage))) == []


def test_lists_are_paginated_and_scoped(broker_api, regulators, register_broker, api_as):
    first, _ = regulators
    ids = [submit(broker_api)["id"] for _ in range(3)]
    other_owner, other = register_broker()
    other_api = api_as(other_owner)
    other_api.broker = other
    foreign = submit(other_api)["id"]
    page1 = first.get("/api/v1/licences?status=submitted&limit=2").get_json()
    page2 = first.get(f"/api/v1/licences?status=submitted&limit=2&cursor="
                      f"{page1['next_cursor']}").get_json()
    assert [i["id"] for i in page1["items"] + page2["items"]] == [*ids, foreign]
    assert page2["next_cursor"] is None
    own = broker_api.get("/api/v1/licences").get_json()["items"]
    assert [i["id"] for i in own] == ids
    by_broker = first.get(f"/api/v1/licences?broker_id={other.id}").get_json()["items"]
    assert [i["id"] for i in by_broker] == [foreign]
    assert first.get("/api/v1/licences?country=GH").get_json()["items"][0]["id"] == ids[0]
    assert first.get("/api/v1/licences?status=bogus").status_code == 422
    assert first.get("/api/v1/licences?country=ZZ").status_code == 422
