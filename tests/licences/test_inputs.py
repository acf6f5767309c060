"""Bad applications get a clear 4xx naming each field, and change nothing."""

from __future__ import annotations

import pytest

from tests.records import application

LINE = {"description": "Rifles", "category": "SALW-2", "quantity": 10, "unit": "piece"}


def fields(response) -> set[str]:
    return {error["field"] for error in response.get_json()["errors"]}


def post(api, body, **kwargs):
    return api.post("/api/v1/licences", json=body, **kwargs)


def test_each_bad_field_is_named(broker_api):
    body = application(broker_api.broker.id, goods=[
        {**LINE, "category": "TANKS"},
        {**LINE, "quantity": 0},
        {**LINE, "quantity": -5},
        {**LINE, "quantity": 10_000_001},
        {**LINE, "unit_value": "12.50", "currency": "EURO"},
        {**LINE, "unit_value": "12.505", "currency": "EUR"},
        {**LINE, "unit": "crate"},
    ])
    body["end_user"] = {**body["end_user"], "country": "ZZ", "kind": "militia"}
    body["transit_countries"] = ["FR", "XQ"]
    response = post(broker_api, body)
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert fields(response) >= {
        "goods.0.category", "goods.1.quantity", "goods.2.quantity", "goods.3.quantity",
        "goods.4.currency", "goods.6.unit", "end_user.country", "end_user.kind",
        "transit_countries.1"}
    assert broker_api.get("/api/v1/licences").get_json()["items"] == []


def test_money_rules(broker_api):
    body = application(broker_api.broker.id, goods=[{**LINE, "unit_value": "12.505",
                                                     "currency": "EUR"}])
    response = post(broker_api, body)
    assert response.status_code == 422 and "2 decimal places" in str(response.get_json())
    body["goods"] = [{**LINE, "unit_value": 1500, "currency": "JPY"},
                     {**LINE, "unit_value": 12.5, "currency": "USD"}]
    created = post(broker_api, body).get_json()
    assert [g["unit_value"] for g in created["goods"]] == ["1500", "12.50"]
    body["goods"] = [{**LINE, "unit_value": "10"}]
    assert fields(post(broker_api, body)) == {"goods.0.unit_value"}


def test_a_price_in_other_digits_or_too_large_for_a_certificate_is_refused(
        broker_api, regulators, keys):
    from tests.records import issue_certificate

    body = application(broker_api.broker.id, goods=[{**LINE, "unit_value": "١٢",
                                                     "currency": "EUR"}])
    assert fields(post(broker_api, body)) == {"goods.0.unit_value"}
    body["goods"] = [{**LINE, "quantity": 2_000_000, "unit_value": "500000000.00",
                      "currency": "EUR"}]
    refused = post(broker_api, body)
    assert fields(refused) == {"goods.0.unit_value"}
    assert "under 10^15" in str(refused.get_json())
    assert broker_api.get("/api/v1/licences").get_json()["items"] == []
    # the largest that fits can be licensed, and certified in full
    body["goods"] = [{**LINE, "quantity": 2_000_000, "unit_value": "499999999.99",
                      "currency": "EUR"}]
    licence = post(broker_api, body).get_json()
    first, second = regulators
    for regulator in (first, second):
        regulator.post(f"/api/v1/licences/{licence['id']}/decision",
                       json={"decision": "approve", "reason": "Checked."})
    certificate = issue_certificate(first, licence["id"])
    assert certificate["content"]["goods"][0]["value"] == "999999999980000"


@pytest.mark.parametrize("valid_until, message", [
    ("2001-01-01", "future"), ("2999-01-01", "two years"), ("tomorrow", "RFC 3339"),
    ("2027-01-01T10:00:00", "offset"), ("2027-02-30", "date"),
])
def test_valid_until(broker_api, valid_until, message):
    response = post(broker_api, application(broker_api.broker.id, valid_until=valid_until))
    assert response.status_code == 422
    assert fields(response) == {"valid_until"} and message in str(response.get_json())


def test_unknown_fields_wrong_types_and_limits(broker_api):
    base = application(broker_api.broker.id)
    assert fields(post(broker_api, {**base, "priority": "high"})) == {"priority"}
    assert fields(post(broker_api, {**base, "broker_id": str(broker_api.broker.id)})) == \
        {"broker_id"}
    assert fields(post(broker_api, {**base, "goods": [{**LINE, "quantity": "10"}]})) == \
        {"goods.0.quantity"}
    assert fields(post(broker_api, {**base, "goods": []})) == {"goods"}
    assert fields(post(broker_api, {**base, "goods": [LINE] * 51})) == {"goods"}
    assert "goods.0.quantity" in fields(post(broker_api, {**base, "goods": [
        {**LINE, "quantity": 1.5}]}))
    assert fields(post(broker_api, {**base, "supplier": "Acme"})) == {"supplier"}
    missing = {k: v for k, v in base.items() if k != "end_use"}
    assert fields(post(broker_api, missing)) == {"end_use"}


def test_not_json_is_400(broker_api):
    response = broker_api.post("/api/v1/licences", data="broker_id=1",
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["detail"] == "The request body is not valid JSON."
    assert broker_api.post("/api/v1/licences", json=[1, 2]).status_code == 400
    assert broker_api.post("/api/v1/licences").status_code == 400


def test_bad_decision_bodies(broker_api, regulators):
    licence = post(broker_api, application(broker_api.broker.id)).get_json()
    first, _ = regulators
    url = f"/api/v1/licences/{licence['id']}/decision"
    assert fields(first.post(url, json={"decision": "maybe", "reason": "x"})) == {"decision"}
    assert fields(first.post(url, json={"decision": "deny"})) == {"reason"}
    assert fields(first.post(url, json={"decision": "deny", "reason": ""})) == {"reason"}
    assert first.post("/api/v1/licences/999999/decision",
                      json={"decision": "deny", "reason": "x"}).status_code == 404
    assert broker_api.get(f"/api/v1/licences/{licence['id']}").get_json()["status"] == \
        "submitted"


def test_categories_are_public(anonymous):
    english = anonymous.get("/api/v1/categories").get_json()
    assert english["next_cursor"] is None and len(english["items"]) == 16
    assert {"code": "AMMO", "name": "Ammunition"} in english["items"]
    assert english["items"][0] == {"code": "SALW-1",
                                   "name": "Revolvers and self-loading pistols"}
    chinese = anonymous.get("/api/v1/categories?lang=zh").get_json()["items"]
    assert [c["code"] for c in chinese] == [c["code"] for c in english["items"]]
    assert any(c["name"] != e["name"] for c, e in zip(chinese, english["items"], strict=True))


def test_out_of_range_numbers_are_4xx_not_500(broker_api, regulators):
    huge = 10**20
    base = application(broker_api.broker.id)
    assert fields(post(broker_api, {**base, "broker_id": huge})) == {"broker_id"}
    assert fields(post(broker_api, {**base, "valid_until": "9999-12-31T23:59:59-23:59"})) == \
        {"valid_until"}
    first, _ = regulators
    assert first.get(f"/api/v1/licences/{huge}").status_code == 404
    assert first.post(f"/api/v1/licences/{huge}/revoke", json={"reason": "x"}).status_code == 404
    assert first.get(f"/api/v1/licences?broker_id={huge}").status_code == 422
