"""Records most tests stand on, shared as a pytest plugin (see tests/conftest.py): a registered
broker, a clean licence application, the sample UN list, the authority's keys, an issued licence
and certificate, and a customs officer."""

from __future__ import annotations

import copy
from datetime import timedelta
from importlib import resources

import pytest

from broker_registry.brokers import service as brokers
from broker_registry.brokers.schemas import BrokerApplication
from broker_registry.db.columns import utcnow
from broker_registry.keys.authority import authority, key_store
from broker_registry.keys.service import ensure_keys
from broker_registry.permissions import Role
from broker_registry.revocations.publishing import publish_if_due
from broker_registry.screening import service as screening

BROKER = {
    "legal_name": "Nordlicht Handelsvermittlung GmbH", "kind": "company", "country": "DE",
    "company_number": "HRB 123456", "address": "Mühlenstraße 12\n20095 Hamburg",
    "email": "compliance@nordlicht.example", "activities": ["brokering"],
    "beneficial_owners": [{"name": "Jürgen Köhler", "nationality": "DE"}],
    "convictions_declared": False,
}

CLEAN = {
    "supplier": {"name": "Fabbrica d'Armi Esempio S.p.A.", "address": "Via Roma 1, Brescia",
                 "country": "IT"},
    "consignee": {"name": "Ghana Armed Forces Logistics Command",
                  "address": "Burma Camp, Accra", "country": "GH"},
    "end_user": {"name": "Ghana Armed Forces", "address": "Burma Camp, Accra",
                 "country": "GH", "kind": "armed_forces"},
    "transit_countries": ["FR"],
    "goods": [
        {"description": "Semi-automatic pistols, 9 mm", "category": "SALW-1",
         "quantity": 200, "unit": "piece", "unit_value": "450.00", "currency": "EUR"},
        {"description": "9 mm cartridges", "category": "AMMO", "quantity": 100000,
         "unit": "round"},
    ],
    "end_use": "Sidearms for military police units.",
    "transport": "Air cargo by Example Airlines, Milan to Accra.",
    "financing": "Letter of credit, Ghana Commercial Bank.",
}


def valid_until(days: int = 180) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


def application(broker_id: int, **overrides) -> dict:
    body = copy.deepcopy(CLEAN)
    body.update(broker_id=broker_id, valid_until=valid_until())
    body.update(overrides)
    return body


@pytest.fixture
def regulator(make_account):
    return make_account(Role.REGULATOR, name="Rana Regulator")


@pytest.fixture
def register_broker(db, make_account, regulator):
    def make(owner=None, *, status: str = "registered", **fields):
        owner = owner or make_account(Role.BROKER)
        broker = brokers.apply(db, owner=owner,
                               application=BrokerApplication.model_validate({**BROKER, **fields}))
        if status != "submitted":
            brokers.decide(db, actor=regulator, broker_id=broker.id, decision="approve",
                           reason="ok", years=3, country="XX")
        if status in {"suspended", "revoked"}:
            brokers.sanction(db, actor=regulator, broker_id=broker.id,
                             action={"suspended": "suspend", "revoked": "revoke"}[status],
                             reason="test")
        db.commit()
        return owner, broker

    return make


@pytest.fixture
def broker_api(api_as, register_broker):
    """An API client for a broker account with a registered broker (`.broker`)."""
    owner, broker = register_broker()
    api = api_as(owner)
    api.broker = broker
    return api


@pytest.fixture
def regulators(api_as, regulator, make_account):
    return api_as(regulator), api_as(make_account(Role.REGULATOR, name="Wang Li"))


@pytest.fixture
def un_list(db, make_account):
    data = resources.files("broker_registry.screening").joinpath("data/un_sample.xml")
    count = screening.import_un_list(db, actor=make_account(Role.ADMIN),
                                     data=data.read_bytes(), filename="un_sample.xml")
    db.commit()
    return count


def submit(api, **overrides) -> dict:
    response = api.post("/api/v1/licences", json=application(api.broker.id, **overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def decide(api, licence_id: int, decision: str, reason: str = "Checked.", **extra):
    return api.post(f"/api/v1/licences/{licence_id}/decision",
                    json={"decision": decision, "reason": reason, **extra})


def issue(broker_api, regulators, **overrides) -> dict:
    first, second = regulators
    licence = submit(broker_api, **overrides)
    assert decide(first, licence["id"], "approve").status_code == 200
    response = decide(second, licence["id"], "approve", "Countersigned.")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def keys(app, db):
    with app.app_context():
        return init_keys(db)


def init_keys(session):
    """The authority's keys and the first full revocation list, as `init` makes them (in an
    app context)."""
    store = key_store()
    ensure_keys(session, store, authority())
    session.commit()
    publish_if_due(session, store=store, authority=authority().code)
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
