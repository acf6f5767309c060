"""Fixtures for certificates and customs: the authority's keys, an issued licence, a customs API."""

from __future__ import annotations

import pytest

from broker_registry.authority import authority, key_store
from broker_registry.keys.service import ensure_keys
from broker_registry.permissions import Role
from tests.licences.conftest import (  # noqa: F401 - fixtures shared with the licence tests
    broker_api,
    issue,
    register_broker,
    regulator,
    regulators,
)


@pytest.fixture
def keys(app, db):
    with app.app_context():
        store = key_store()
        ensure_keys(db, store, authority())
    db.commit()
    return store


@pytest.fixture
def licence(broker_api, regulators, keys):
    return issue(broker_api, regulators)


@pytest.fixture
def customs(api_as, make_account):
    return api_as(make_account(Role.CUSTOMS, name="Carlos Customs"))


def issue_certificate(regulator_api, licence_id: int, body=None) -> dict:
    response = regulator_api.post(f"/api/v1/licences/{licence_id}/certificates", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def certificate(licence, regulators):
    return issue_certificate(regulators[0], licence["id"])
