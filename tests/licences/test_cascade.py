"""A broker's suspension or revocation reaches its licences in the same transaction."""

from __future__ import annotations

from broker_registry.audit.service import history
from tests.records import issue, submit


def test_broker_suspension_suspends_its_issued_licences(db, api_as, broker_api, regulators):
    first, _ = regulators
    one = issue(broker_api, regulators)
    two = issue(broker_api, regulators)
    pending = submit(broker_api)
    url = f"/api/v1/brokers/{broker_api.broker.id}/suspend"
    assert first.post(url, json={"reason": "Failed audit."}).status_code == 200
    statuses = {lic["id"]: lic["status"] for lic in
                first.get("/api/v1/licences").get_json()["items"]}
    assert statuses == {one["id"]: "suspended", two["id"]: "suspended",
                        pending["id"]: "submitted"}
    entry = history(db, "licence", one["id"])[-1]
    assert entry.action == "licence.suspended"
    assert entry.reason.startswith(f"Broker registration {broker_api.broker.registration_number}"
                                   " suspended: Failed audit.")
    assert entry.after["cause"] == "broker.suspend"
    # reinstating the broker does not bring the licences back by itself
    first.post(f"/api/v1/brokers/{broker_api.broker.id}/reinstate", json={"reason": "Fixed."})
    assert first.get(f"/api/v1/licences/{one['id']}").get_json()["status"] == "suspended"


def test_broker_revocation_revokes_issued_and_suspended_licences(db, broker_api, regulators):
    first, _ = regulators
    one = issue(broker_api, regulators)
    two = issue(broker_api, regulators)
    first.post(f"/api/v1/licences/{two['id']}/suspend", json={"reason": "Check."})
    first.post(f"/api/v1/brokers/{broker_api.broker.id}/revoke", json={"reason": "Convicted."})
    for licence in (one, two):
        body = first.get(f"/api/v1/licences/{licence['id']}").get_json()
        assert body["status"] == "revoked"
        assert body["history"][-1]["reason"].endswith("revoked: Convicted.")
    assert first.post(f"/api/v1/licences/{one['id']}/reinstate",
                      json={"reason": "x"}).status_code == 409


def test_follow_licence_is_called_for_each_cascaded_licence(monkeypatch, broker_api, regulators):
    from broker_registry.sanctions import service as sanctions

    calls = []
    monkeypatch.setattr(sanctions, "follow_licence",
                        lambda session, **kw: calls.append((kw["licence"].id, kw["reach"].action)))
    first, _ = regulators
    licence = issue(broker_api, regulators)
    first.post(f"/api/v1/brokers/{broker_api.broker.id}/suspend", json={"reason": "x"})
    assert calls == [(licence["id"], "suspend")]
