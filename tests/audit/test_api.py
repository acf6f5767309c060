"""GET /api/v1/audit: who may read the log, what an entry says, filters, pages, bad values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from broker_registry.accounts.models import Account, ApiToken
from broker_registry.audit.models import AuditAction, AuditEntry
from broker_registry.audit.service import record
from broker_registry.db.columns import utcnow
from tests.factories import registered_broker

URL = "/api/v1/audit"


@pytest.fixture
def regulator_api(api_as, make_account):
    return api_as(make_account("regulator", name="Rana Regulator"))


@pytest.fixture
def workflow(api_as, regulator_api):
    """A broker applies, a regulator approves and suspends: (broker api, registration)."""
    broker, registration = registered_broker(api_as, regulator=regulator_api)
    suspended = regulator_api.post(f"/api/v1/brokers/{registration['id']}/suspend",
                                   json={"reason": "inspection pending"})
    assert suspended.status_code == 200, suspended.get_json()
    return broker, registration


def _all(api, **query) -> list[dict]:
    response = api.get(URL, query_string={**query, "limit": 500})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["next_cursor"] is None
    return response.get_json()["items"]


@pytest.mark.parametrize("role", ["broker", "customs"])
def test_roles_without_audit_read_are_refused(api_as, role):
    response = api_as(role).get(URL)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_no_token_is_a_401(anonymous):
    response = anonymous.get(URL)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("role", ["regulator", "admin"])
def test_regulators_and_admins_read_the_log(api_as, role):
    response = api_as(role).get(URL)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items", "next_cursor"}
    assert body["items"], "creating the reader's own account and token is logged"


def test_a_workflow_appears_newest_first_with_actor_action_and_subject(workflow,
                                                                      regulator_api):
    broker, registration = workflow
    items = _all(regulator_api, subject_type="broker", subject_id=registration["id"])
    assert [i["action"] for i in items] == ["broker.suspended", "broker.approved",
                                           "broker.applied"]
    assert [i["seq"] for i in items] == sorted((i["seq"] for i in items), reverse=True)
    suspended, approved, applied = items
    assert suspended["actor"] == {"id": regulator_api.account.id,
                                  "email": regulator_api.account.email,
                                  "display_name": "Rana Regulator", "role": "regulator"}
    assert suspended["actor_label"] == f"regulator:{regulator_api.account.email}"
    assert suspended["reason"] == "inspection pending"
    assert suspended["before"]["status"] == "registered"
    assert suspended["after"]["status"] == "suspended"
    assert approved["after"]["registration_number"] == registration["registration_number"]
    assert applied["actor"]["id"] == broker.account.id
    assert applied["actor"]["role"] == "broker"
    assert applied["before"] is None
    assert {i["subject_type"] for i in items} == {"broker"}
    assert {i["subject_id"] for i in items} == {str(registration["id"])}
    assert suspended["at"].endswith("Z")
    assert abs(utcnow() - _moment(suspended)) < timedelta(minutes=5)


def test_the_system_is_a_null_actor(db, regulator_api):
    record(db, actor=None, action=AuditAction.SIGNER_CREATED, subject_type="signer",
           subject_id="ab12", reason="first start", after={"status": "active"})
    db.commit()
    [item] = _all(regulator_api, subject_type="signer")
    assert item["actor"] is None
    assert item["actor_label"] == "system"
    assert item["after"] == {"status": "active"}


def test_filters_narrow_to_what_they_name(workflow, regulator_api, api_as):
    broker, registration = workflow
    everything = _all(regulator_api)
    mine = _all(regulator_api, actor=regulator_api.account.id)
    assert mine and {i["actor"]["id"] for i in mine} == {regulator_api.account.id}
    assert len(mine) == sum(1 for i in everything
                            if (i["actor"] or {}).get("id") == regulator_api.account.id)
    applied = _all(regulator_api, action="broker.applied")
    assert [(i["subject_id"], i["actor"]["id"]) for i in applied] == \
        [(str(registration["id"]), broker.account.id)]
    tokens = _all(regulator_api, subject_type="token")
    assert tokens and {i["action"] for i in tokens} == {"token.created"}
    combined = _all(regulator_api, subject_type="broker", action="broker.suspended",
                    actor=regulator_api.account.id)
    assert [i["reason"] for i in combined] == ["inspection pending"]
    assert _all(regulator_api, actor=2**31 - 1) == []
    assert _all(regulator_api, subject_type="licence") == []


def test_since_and_until_bound_the_time(workflow, regulator_api):
    now = utcnow()
    everything = _all(regulator_api)
    # the days the entries fall on, not the clock's: the workflow may straddle midnight
    first, last = everything[-1]["at"][:10], everything[0]["at"][:10]
    assert _all(regulator_api, since=first, until=last) == everything
    hour_ago = (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _all(regulator_api, since=hour_ago) == everything
    assert _all(regulator_api, until=hour_ago) == []
    tomorrow = (now + timedelta(days=1)).date().isoformat()
    assert _all(regulator_api, since=tomorrow) == []
    middle = everything[len(everything) // 2]
    later = _all(regulator_api, since=middle["at"])
    earlier = _all(regulator_api, until=middle["at"])
    assert middle in later and middle in earlier
    assert all(_moment(i) >= _moment(middle) for i in later)
    assert all(_moment(i) <= _moment(middle) for i in earlier)
    assert len(later) < len(everything) and len(earlier) < len(everything)
    in_cairo = _moment(middle).astimezone(timezone(timedelta(hours=2))).isoformat()
    assert _all(regulator_api, since=in_cairo) == later


def _moment(item: dict) -> datetime:
    return datetime.fromisoformat(item["at"].replace("Z", "+00:00"))


def test_pages_give_every_entry_exactly_once(workflow, regulator_api, make_account):
    for _ in range(4):
        make_account("customs")
    everything = _all(regulator_api)
    assert len(everything) > 9
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = regulator_api.get(URL, query_string=query)
        assert response.status_code == 200
        body = response.get_json()
        assert len(body["items"]) <= 3
        seen += [i["seq"] for i in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [i["seq"] for i in everything]
    assert len(set(seen)) == len(seen) and pages == -(-len(seen) // 3)


def test_pages_keep_their_filter(workflow, regulator_api, make_account):
    for _ in range(5):
        make_account("customs")
    accounts = _all(regulator_api, subject_type="account")
    response = regulator_api.get(URL, query_string={"subject_type": "account", "limit": 2})
    first = response.get_json()
    second = regulator_api.get(URL, query_string={"subject_type": "account", "limit": 50,
                                                  "cursor": first["next_cursor"]}).get_json()
    assert [i["seq"] for i in first["items"] + second["items"]] == \
        [i["seq"] for i in accounts]


def test_no_secret_is_answered(workflow, regulator_api, db):
    body = regulator_api.get(URL, query_string={"limit": 500}).get_data(as_text=True)
    for account in db.exec(select(Account)):
        assert account.password_hash not in body
    hashes = [t.token_hash for t in db.exec(select(ApiToken))]
    assert hashes and not any(h in body for h in hashes)
    # a writer that slipped one into an entry's content still does not show it
    record(db, actor=None, action=AuditAction.TOKEN_CREATED, subject_type="token",
           subject_id="999", after={"name": "ci", "token_hash": "f" * 64,
                                    "nested": {"password": "hunter2"}})
    db.commit()
    [item] = _all(regulator_api, subject_type="token", subject_id="999")
    assert item["after"] == {"name": "ci", "nested": {}}
    entry = db.exec(select(AuditEntry).where(AuditEntry.subject_id == "999")).one()
    assert entry.after["token_hash"] == "f" * 64  # stored as written: the chain still holds


@pytest.mark.parametrize(("query", "field"), [
    ({"subject_type": "brokers"}, "subject_type"),
    ({"subject_id": "x" * 81}, "subject_id"),
    ({"subject_id": "12\x07"}, "subject_id"),
    ({"actor": "rana@example.org"}, "actor"),
    ({"actor": "0"}, "actor"),
    ({"actor": str(2**31)}, "actor"),
    ({"actor": "１２"}, "actor"),
    ({"action": "broker.deleted"}, "action"),
    ({"since": "yesterday"}, "since"),
    ({"since": "2027-01-31T12:00:00"}, "since"),
    ({"until": "2027-02-30"}, "until"),
    ({"until": "0001-01-01T00:00:00+14:00"}, "until"),
    ({"until": "9" * 100}, "until"),
    ({"since": "2027-02-01", "until": "2027-01-31"}, "until"),
    ({"limit": "0"}, "limit"),
    ({"limit": "501"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"),
])
def test_a_bad_value_is_a_422_naming_its_field(regulator_api, query, field):
    response = regulator_api.get(URL, query_string=query)
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["errors"][0]["message"]


def test_every_bad_value_is_named_at_once(regulator_api):
    response = regulator_api.get(URL, query_string={
        "subject_type": "x", "actor": "me", "action": "y", "since": "z", "limit": "-1"})
    assert response.status_code == 422
    fields = [e["field"] for e in response.get_json()["errors"]]
    assert fields == ["subject_type", "actor", "action", "since", "limit"]


def test_the_operation_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/audit"]["get"]
    assert operation["x-permission"] == "audit:log:read"
    assert operation["x-roles"] == ["admin", "regulator"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {"subject_type", "subject_id", "actor", "action", "since", "until",
                     "limit", "cursor"}
    action = next(p for p in operation["parameters"] if p["name"] == "action")
    assert set(action["schema"]["enum"]) == {str(a) for a in AuditAction}


def test_an_entry_at_a_moment_is_found_by_that_moment(db, regulator_api):
    entry = record(db, actor=None, action=AuditAction.EMBARGO_SET, subject_type="embargo",
                   subject_id="KP")
    db.commit()
    at = entry.at.astimezone(UTC).isoformat()
    assert [i["seq"] for i in _all(regulator_api, since=at, until=at)] == [entry.seq]
