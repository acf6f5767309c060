import base64
from datetime import timedelta

import pytest
from sqlmodel import select

from broker_registry.audit.models import AuditEntry
from broker_registry.brokers.models import Broker
from broker_registry.db.columns import utcnow
from tests.factories import broker_application, registered_broker


def test_apply_then_approve_gives_a_number_and_three_years(api_as):
    broker, regulator = api_as("broker"), api_as("regulator")
    created = broker.post("/api/v1/brokers", json=broker_application())
    assert created.status_code == 201
    assert created.json["status"] == "submitted"
    assert created.headers["Location"] == f"/api/v1/brokers/{created.json['id']}"

    decided = regulator.post(f"/api/v1/brokers/{created.json['id']}/decision",
                             json={"decision": "approve", "reason": "Documents complete"})
    assert decided.status_code == 200
    body = decided.json
    assert body["status"] == "registered"
    year = utcnow().year
    assert body["registration_number"].startswith(f"BR-XX-{year}-")
    assert len(body["registration_number"].rsplit("-", 1)[1]) == 6
    assert body["valid_until"][:4] == str(year + 3)
    assert [h["action"] for h in body["history"]] == ["broker.applied", "broker.approved"]
    assert body["history"][1]["reason"] == "Documents complete"

    own_view = broker.get(f"/api/v1/brokers/{created.json['id']}")
    assert own_view.json["status"] == "registered"
    assert own_view.json["history"][1]["by"] == "regulator"  # brokers see the role, not the person


def test_the_approvals_audit_entry_shows_the_application_as_it_was(api_as, db):
    broker, regulator = api_as("broker"), api_as("regulator")
    created = broker.post("/api/v1/brokers", json=broker_application()).json
    decided = regulator.post(f"/api/v1/brokers/{created['id']}/decision",
                             json={"decision": "approve", "reason": "Documents complete"}).json
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "broker.approved")).one()
    assert entry.before == {"status": "submitted", "registration_number": None,
                            "valid_until": None}
    assert entry.after["status"] == "registered"
    assert entry.after["registration_number"] == decided["registration_number"]


def test_refuse_with_a_reason(api_as):
    broker, regulator = api_as("broker"), api_as("regulator")
    created = broker.post("/api/v1/brokers", json=broker_application())
    refused = regulator.post(f"/api/v1/brokers/{created.json['id']}/decision",
                             json={"decision": "refuse", "reason": "Convictions not declared"})
    assert refused.json["status"] == "refused"
    assert refused.json["registration_number"] is None
    assert broker.get(f"/api/v1/brokers/{created.json['id']}").json["history"][-1]["reason"] \
        == "Convictions not declared"


def test_suspend_reinstate_revoke(api_as):
    regulator = api_as("regulator")
    _, registration = registered_broker(api_as, regulator=regulator)
    path = f"/api/v1/brokers/{registration['id']}"
    suspended = regulator.post(f"{path}/suspend", json={"reason": "Under investigation"})
    assert suspended.json["status"] == "suspended"
    reinstated = regulator.post(f"{path}/reinstate", json={"reason": "Cleared"})
    assert reinstated.json["status"] == "registered"
    revoked = regulator.post(f"{path}/revoke", json={"reason": "False declaration"})
    assert revoked.json["status"] == "revoked"
    assert [h["action"].split(".")[1] for h in revoked.json["history"]] == [
        "applied", "approved", "suspended", "reinstated", "revoked"]


def test_a_revoked_broker_cannot_be_reinstated(api_as, db):
    regulator = api_as("regulator")
    _, registration = registered_broker(api_as, regulator=regulator)
    path = f"/api/v1/brokers/{registration['id']}"
    regulator.post(f"{path}/revoke", json={"reason": "False declaration"})
    entries_before = len(db.exec(select(AuditEntry)).all())
    response = regulator.post(f"{path}/reinstate", json={"reason": "Appeal"})
    assert response.status_code == 409
    assert "revoked" in response.json["detail"]
    assert regulator.get(path).json["status"] == "revoked"
    assert len(db.exec(select(AuditEntry)).all()) == entries_before


def test_a_second_decision_is_a_conflict(api_as):
    regulator = api_as("regulator")
    _, registration = registered_broker(api_as, regulator=regulator)
    again = regulator.post(f"/api/v1/brokers/{registration['id']}/decision",
                           json={"decision": "refuse", "reason": "changed my mind"})
    assert again.status_code == 409
    assert "registered" in again.json["detail"]
    assert regulator.get(f"/api/v1/brokers/{registration['id']}").json["status"] == "registered"


def test_a_broker_cannot_decide_its_own_application(api_as):
    broker = api_as("broker")
    created = broker.post("/api/v1/brokers", json=broker_application())
    response = broker.post(f"/api/v1/brokers/{created.json['id']}/decision",
                           json={"decision": "approve", "reason": "trust me"})
    assert response.status_code == 403
    assert broker.get(f"/api/v1/brokers/{created.json['id']}").json["status"] == "submitted"


def test_reasons_are_required_for_sanctions(api_as):
    regulator = api_as("regulator")
    _, registration = registered_broker(api_as, regulator=regulator)
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = regulator.post(f"/api/v1/brokers/{registration['id']}/suspend", json=body)
        assert response.status_code == 422, body
        assert response.json["errors"][0]["field"] == "reason"
    assert regulator.get(f"/api/v1/brokers/{registration['id']}").json["status"] == "registered"


def test_brokers_see_only_their_own(api_as):
    mine, other = api_as("broker"), api_as("broker")
    created = mine.post("/api/v1/brokers", json=broker_application())
    response = other.get(f"/api/v1/brokers/{created.json['id']}")
    assert response.status_code == 404
    assert other.get("/api/v1/brokers").json["items"] == []
    assert [b["id"] for b in mine.get("/api/v1/brokers").json["items"]] == [created.json["id"]]
    assert other.post(f"/api/v1/brokers/{created.json['id']}/renewal").status_code == 404


def test_a_brokers_own_list_is_paginated_like_the_queue(api_as):
    mine, other = api_as("broker"), api_as("broker")
    ids = [mine.post("/api/v1/brokers", json=broker_application(legal_name=f"B{n}")).json["id"]
           for n in range(3)]
    other.post("/api/v1/brokers", json=broker_application(legal_name="Not mine"))
    first = mine.get("/api/v1/brokers?limit=2")
    assert [b["id"] for b in first.json["items"]] == ids[:2]
    second = mine.get(f"/api/v1/brokers?limit=2&cursor={first.json['next_cursor']}")
    assert [b["id"] for b in second.json["items"]] == ids[2:]
    assert second.json["next_cursor"] is None
    assert mine.get("/api/v1/brokers?status=registered").json["items"] == []
    assert len(mine.get("/api/v1/brokers?status=submitted").json["items"]) == 3


def test_the_review_queue_is_oldest_first_and_paginated(api_as):
    broker, regulator = api_as("broker"), api_as("regulator")
    ids = [broker.post("/api/v1/brokers", json=broker_application(legal_name=f"B{n}")).json["id"]
           for n in range(3)]
    first = regulator.get("/api/v1/brokers?status=submitted&limit=2")
    assert [b["id"] for b in first.json["items"]] == ids[:2]
    second = regulator.get(f"/api/v1/brokers?status=submitted&limit=2"
                           f"&cursor={first.json['next_cursor']}")
    assert [b["id"] for b in second.json["items"]] == ids[2:]
    assert second.json["next_cursor"] is None


def test_expiry_is_computed_and_renewal_extends(api_as, db):
    broker, regulator = api_as("broker"), api_as("regulator")
    _, registration = registered_broker(api_as, broker=broker, regulator=regulator)
    path = f"/api/v1/brokers/{registration['id']}"
    too_early = broker.post(f"{path}/renewal")
    assert too_early.status_code == 409 and "90 days" in too_early.json["detail"]

    record = db.get(Broker, registration["id"])
    record.valid_until = utcnow() + timedelta(days=30)
    db.add(record)
    db.commit()
    requested = broker.post(f"{path}/renewal")
    assert requested.status_code == 200 and requested.json["renewal_requested_at"]
    assert registration["id"] in [b["id"] for b in
                                  regulator.get("/api/v1/brokers?status=renewal").json["items"]]
    renewed = regulator.post(f"{path}/decision", json={"decision": "approve", "reason": "ok"})
    assert renewed.json["valid_until"][:4] == str((utcnow() + timedelta(days=30 + 3 * 365)).year)
    assert renewed.json["renewal_requested_at"] is None

    db.refresh(record)
    record.valid_until = utcnow() - timedelta(seconds=1)
    db.add(record)
    db.commit()
    assert broker.get(path).json["status"] == "expired"
    late = broker.post(f"{path}/renewal")
    assert late.status_code == 409 and "apply for a new registration" in late.json["detail"]
    # ...which the expired one no longer stands in the way of
    again = broker.post("/api/v1/brokers", json=broker_application(
        legal_name=registration["legal_name"], country=registration["country"]))
    assert again.status_code == 201, again.json


def test_a_renewal_asked_in_time_is_decided_after_expiry(api_as, db):
    broker, regulator = api_as("broker"), api_as("regulator")
    _, registration = registered_broker(api_as, broker=broker, regulator=regulator)
    path = f"/api/v1/brokers/{registration['id']}"
    record = db.get(Broker, registration["id"])
    record.valid_until = utcnow() + timedelta(days=10)
    db.add(record)
    db.commit()
    assert broker.post(f"{path}/renewal").status_code == 200
    db.refresh(record)
    lapsed = record.valid_until = utcnow() - timedelta(days=2)  # the regulator was slow
    db.add(record)
    db.commit()
    assert broker.get(path).json["status"] == "expired"
    refused_anew = broker.post("/api/v1/brokers", json=broker_application(
        legal_name=registration["legal_name"], country=registration["country"]))
    assert refused_anew.status_code == 409  # the renewal pending on it is the way
    renewed = regulator.post(f"{path}/decision", json={"decision": "approve", "reason": "ok"})
    assert renewed.status_code == 200, renewed.json
    assert renewed.json["status"] == "registered"
    assert renewed.json["valid_until"][:10] == \
        f"{lapsed + timedelta(days=3 * 365):%Y-%m-%d}"  # from the old end: no gap
    assert registration["id"] not in [
        b["id"] for b in regulator.get("/api/v1/brokers?status=renewal").json["items"]]


def test_public_register_shows_only_public_fields_and_searches(api_as, anonymous):
    _, registered = registered_broker(api_as, legal_name="北方工业贸易有限公司", country="CN")
    api_as("broker").post("/api/v1/brokers", json=broker_application(legal_name="Pending Ltd"))
    listing = anonymous.get("/api/v1/public/brokers")
    assert listing.status_code == 200
    names = [b["legal_name"] for b in listing.json["items"]]
    assert "北方工业贸易有限公司" in names and "Pending Ltd" not in names
    entry = listing.json["items"][names.index("北方工业贸易有限公司")]
    assert set(entry) == {"registration_number", "legal_name", "country", "status", "valid_until"}
    assert anonymous.get("/api/v1/public/brokers?q=北方工业").json["items"][0]["legal_name"] \
        == "北方工业贸易有限公司"
    number = registered["registration_number"]
    assert [b["registration_number"] for b in
            anonymous.get(f"/api/v1/public/brokers?q={number}").json["items"]] == [number]
    assert anonymous.get("/api/v1/public/brokers?country=DE").json["items"] == []
    assert anonymous.get("/api/v1/public/brokers?q=%25").status_code == 200
    assert anonymous.get("/api/v1/public/brokers?country=XY").status_code == 422


@pytest.mark.parametrize("script", ["Ибрагимов Торговля ООО", "شركة النور للتجارة",
                                    "Ñandú Comércio Ltda", "株式会社山田"])
def test_names_in_any_script_are_kept_exactly(api_as, script):
    broker = api_as("broker")
    decomposed = script.replace("ñ", "n\u0303")  # NFD input comes back as NFC
    created = broker.post("/api/v1/brokers", json=broker_application(legal_name=decomposed))
    assert created.status_code == 201
    assert broker.get(f"/api/v1/brokers/{created.json['id']}").json["legal_name"] == script


def test_bad_input_is_refused_and_changes_nothing(api_as, db):
    broker = api_as("broker")
    cases = [
        ({"country": "ZZ"}, "country"),
        ({"country": "fr"}, "country"),
        ({"kind": "cartel"}, "kind"),
        ({"activities": ["smuggling"]}, "activities.0"),
        ({"activities": []}, "activities"),
        ({"convictions_declared": "no"}, "convictions_declared"),
        ({"legal_name": "A\x00B"}, "legal_name"),
        ({"legal_name": "Evil\u202eCorp"}, "legal_name"),
        ({"legal_name": "x" * 301}, "legal_name"),
        ({"legal_name": 42}, "legal_name"),
        ({"email": "not-an-email"}, "email"),
        ({"unexpected": 1}, "unexpected"),
        ({"company_number": None}, "company_number"),
        ({"beneficial_owners": [{"name": "A", "nationality": "QQ"}]},
         "beneficial_owners.0.nationality"),
        ({"convictions_declared": True}, "convictions_details"),
    ]
    for overrides, field in cases:
        response = broker.post("/api/v1/brokers", json=broker_application(**overrides))
        assert response.status_code == 422, (overrides, response.json)
        assert response.content_type == "application/problem+json"
        assert field in [e["field"] for e in response.json["errors"]], (overrides, response.json)
    missing = broker_application()
    del missing["address"]
    response = broker.post("/api/v1/brokers", json=missing)
    assert response.json["errors"] == [{"field": "address", "message": "is required"}]
    assert db.exec(select(Broker)).all() == []


def test_unreadable_and_huge_bodies(api_as, db):
    broker = api_as("broker")
    not_json = broker.post("/api/v1/brokers", data="{not json",
                           headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and not_json.json["status"] == 400
    empty = broker.post("/api/v1/brokers", data="")
    assert empty.status_code == 400
    array = broker.post("/api/v1/brokers", json=[1, 2])
    assert array.status_code == 400
    assert array.json["detail"] == "The request body must be a JSON object."
    huge = broker.post("/api/v1/brokers", data="{" + " " * (300 * 1024) + "}",
                       headers={"Content-Type": "application/json"})
    assert huge.status_code == 413 and huge.content_type == "application/problem+json"
    deep = broker.post("/api/v1/brokers", data="[" * 100000 + "]" * 100000,
                       headers={"Content-Type": "application/json"})
    assert deep.status_code in (400, 413)
    assert db.exec(select(Broker)).all() == []


def test_unknown_ids_and_methods(api_as):
    regulator = api_as("regulator")
    assert regulator.get("/api/v1/brokers/999999").status_code == 404
    assert regulator.post("/api/v1/brokers/999999/suspend", json={"reason": "x"}).status_code == 404
    assert regulator.get("/api/v1/nothing-here").json["status"] == 404
    assert regulator.delete("/api/v1/brokers/1").status_code == 405
    assert regulator.get("/api/v1/brokers?limit=0").status_code == 422
    assert regulator.get("/api/v1/brokers?limit=abc").status_code == 422
    assert regulator.get("/api/v1/brokers?cursor=!!!").status_code == 422
    huge = base64.urlsafe_b64encode(str(10**30).encode()).decode()
    assert regulator.get(f"/api/v1/brokers?cursor={huge}").status_code == 422
    assert regulator.get("/api/v1/brokers?status=bogus").status_code == 422


def test_a_choice_error_names_the_choices_in_any_language(api_as):
    broker = api_as("broker")
    for language, words in (("en", "must be one of individual, company"),
                            ("zh", "individual, company")):
        response = broker.post("/api/v1/brokers", json=broker_application(kind="militia"),
                               headers={"Accept-Language": language})
        [error] = [e for e in response.json["errors"] if e["field"] == "kind"]
        assert words in error["message"] and " or " not in error["message"], error
