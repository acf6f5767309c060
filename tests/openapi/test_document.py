"""The OpenAPI document describes every route of the API, and /api/docs shows it to people."""

from __future__ import annotations

import re

from broker_registry.openapi.document import api_rules, operation_keys
from broker_registry.openapi.operations import OPERATIONS

PROBLEM_STATUSES = {"400", "404", "409", "413", "422", "429"}


def _document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_every_api_route_is_documented(app, client):
    spec = _document(client)
    assert spec["openapi"].startswith("3.1")
    missing = []
    for rule, method in api_rules(app):
        for path, key, _ in operation_keys(rule):
            operation = spec["paths"].get(path, {}).get(method.lower())
            if operation is None or key not in OPERATIONS or operation.get("x-undocumented"):
                missing.append(f"{method} {rule.rule} ({key})")
    assert missing == [], "routes without a row in broker_registry/openapi/operations.py"
    documented = {key for rule, _ in api_rules(app) for _, key, _ in operation_keys(rule)}
    assert set(OPERATIONS) - documented == set(), "rows for routes that do not exist"


def test_every_operation_states_access_bodies_and_problems(app, client):
    spec = _document(client)
    schemas = spec["components"]["schemas"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    problem = schemas["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    assert "errors" in problem["properties"]
    views = {f"/api/v1/{r.rule.removeprefix('/api/v1/')}": app.view_functions[r.endpoint]
             for r, _ in api_rules(app)}
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation["summary"], (method, path)
            for status in PROBLEM_STATUSES:
                content = operation["responses"][status]["content"]
                assert content["application/problem+json"]["schema"]["$ref"].endswith("Problem")
            if operation["x-permission"] is None:
                assert operation["security"] == []
            else:
                assert operation["security"] == [{"bearer": []}]
                assert {"401", "403"} <= set(operation["responses"])
            for name in re.findall(r"{(\w+)}", path):
                assert any(p["name"] == name and p["in"] == "path"
                           for p in operation["parameters"]), (path, name)
    # The permission shown is the one the view checks.
    apply = spec["paths"]["/api/v1/licences"]["post"]
    assert apply["x-permission"] == "licences:application:apply"
    assert apply["x-roles"] == ["broker"]
    body = apply["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/LicenceApplication")
    assert "goods" in schemas["LicenceApplication"]["properties"]
    assert views  # every documented path came from the URL map


def test_request_schemas_come_from_the_views_pydantic_models(client):
    from broker_registry.customs.schemas import ShipmentRequest

    spec = _document(client)
    shipments = spec["paths"]["/api/v1/certificates/{number}/shipments"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in shipments["parameters"]}
    generated = ShipmentRequest.model_json_schema()
    assert spec["components"]["schemas"]["ShipmentRequest"]["required"] == generated["required"]
    created = shipments["responses"]["201"]
    assert "Location" in created["headers"]


def test_the_docs_page_lists_every_operation_with_who_may_call_it(client):
    spec = _document(client)
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert f"{method.upper()} {path}" in html
            if operation["x-permission"]:
                assert operation["x-permission"] in html
    assert "<script" not in html
    # Request fields and an example of a request body.
    assert "<code>goods[].quantity</code>" in html
    assert "&#34;border_post&#34;" in html or "&quot;border_post&quot;" in html
    assert "anyone (public)" in html
