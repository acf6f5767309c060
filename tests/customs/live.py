"""A registry with committed data on its own database, for tests that need real commits."""

from broker_registry.accounts import service as accounts
from broker_registry.brokers import service as brokers
from broker_registry.brokers.schemas import BrokerApplication
from broker_registry.permissions import Role
from tests.records import BROKER, application, init_keys


def certificate_on(app, quantity: int = 100):
    """Accounts, a registered broker, an issued licence and a certificate for `quantity`
    of line 1; returns (certificate, tokens by name, test client)."""
    with app.app_context():
        from broker_registry import db

        session = db.session()
        init_keys(session)
        owner, first, second, officer = (
            accounts.create_account(session, email=f"{name}@example.org",
                                    password="correct horse battery staple",
                                    display_name=name, role=role)
            for name, role in (("owner", Role.BROKER), ("r1", Role.REGULATOR),
                               ("r2", Role.REGULATOR), ("officer", Role.CUSTOMS)))
        broker = brokers.apply(session, owner=owner,
                               application=BrokerApplication.model_validate(BROKER))
        brokers.decide(session, actor=first, broker_id=broker.id, decision="approve",
                       reason="ok", years=3, country="XX")
        tokens = {name: accounts.issue_token(session, account)[0]
                  for name, account in (("owner", owner), ("r1", first), ("r2", second),
                                        ("officer", officer))}
        session.commit()
        broker_id = broker.id
    client = app.test_client()

    def call(who, path, body=None):
        return client.post(path, json=body, headers={"Authorization": f"Bearer {tokens[who]}"})

    licence = call("owner", "/api/v1/licences", application(broker_id)).get_json()
    for who in ("r1", "r2"):
        assert call(who, f"/api/v1/licences/{licence['id']}/decision",
                    {"decision": "approve", "reason": "ok"}).status_code == 200
    certificate = call("r1", f"/api/v1/licences/{licence['id']}/certificates",
                       {"lines": [{"line": 1, "quantity": quantity}]}).get_json()
    return certificate, tokens, licence


def publish(app):
    """What the worker does within a second of a change: sign the full list if one is due."""
    with app.app_context():
        from broker_registry import db
        from broker_registry.keys.authority import authority, key_store
        from broker_registry.revocations.publishing import publish_if_due

        return publish_if_due(db.session(), store=key_store(), authority=authority().code)


def revoke_another(app, tokens, licence) -> dict:
    """A second certificate under the licence, revoked: the list moves past sequence 0."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {tokens['r1']}"}
    other = client.post(f"/api/v1/licences/{licence['id']}/certificates", headers=headers,
                        json={"lines": [{"line": 1, "quantity": 1}]}).get_json()
    assert client.post(f"/api/v1/certificates/{other['number']}/revoke", headers=headers,
                       json={"reason": "issued in error"}).status_code == 200
    return other
