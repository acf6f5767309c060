"""Small builders of valid request bodies and records; tests override what they care about."""

from __future__ import annotations


def broker_application(**overrides) -> dict:
    body = {
        "legal_name": "Société Générale d'Armement SARL", "kind": "company", "country": "FR",
        "company_number": "RCS Paris 123 456 789", "address": "12 rue de l'Arsenal\n75004 Paris",
        "email": "contact@sga.example", "activities": ["brokering", "transport", "financing"],
        "beneficial_owners": [{"name": "Élodie Marchand", "nationality": "FR"}],
        "convictions_declared": False,
    }
    body.update(overrides)
    return body


def registered_broker(api_as, broker=None, regulator=None, **overrides):
    """A broker account with an approved registration: returns (broker_api, registration)."""
    broker = broker or api_as("broker")
    regulator = regulator or api_as("regulator")
    created = broker.post("/api/v1/brokers", json=broker_application(**overrides))
    assert created.status_code == 201, created.json
    approved = regulator.post(f"/api/v1/brokers/{created.json['id']}/decision",
                              json={"decision": "approve", "reason": "complete"})
    assert approved.status_code == 200, approved.json
    return broker, approved.json
