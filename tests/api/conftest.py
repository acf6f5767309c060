"""A small world for the API tests: a registered broker with an issued licence and certificate,
two regulators, a customs officer and an admin, each with a bearer token."""

from __future__ import annotations

import pytest

from broker_registry.permissions import Role


@pytest.fixture
def world(broker_api, regulators, customs, certificate, licence, api_as):
    """API clients by role name, and the ids of records that exist."""
    number = certificate["number"]
    shipped = customs.post(f"/api/v1/certificates/{number}/shipments",
                           json={"border_post": "Aflao", "lines": [
                               {"line": 1, "quantity": 5, "markings": ["PX-1"]}]})
    assert shipped.status_code == 201, shipped.get_json()
    return {
        "clients": {"broker": broker_api, "regulator": regulators[0], "customs": customs,
                    "admin": api_as(Role.ADMIN)},
        "known": {"broker_id": broker_api.broker.id, "licence_id": licence["id"],
                  "number": number, "marking": "PX-1",
                  "token_id": 1},
        "payload": certificate["qr_payload"],
    }
