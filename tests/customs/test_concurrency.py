"""Eight border posts drawing at the same moment never ship more than the certificate holds."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from broker_registry.accounts import service as accounts
from broker_registry.authority import authority, key_store
from broker_registry.brokers import service as brokers
from broker_registry.brokers.schemas import BrokerApplication
from broker_registry.keys.service import ensure_keys
from broker_registry.permissions import Role
from tests.licences.conftest import BROKER, application


def _setup(app):
    with app.app_context():
        from broker_registry import db

        session = db.session()
        ensure_keys(session, key_store(), authority())
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
                       {"lines": [{"line": 1, "quantity": 100}]}).get_json()
    return certificate["number"], tokens["officer"]


def test_eight_concurrent_draws_never_overdraw(isolated_app):
    number, token = _setup(isolated_app)
    asks = [30, 25, 20, 15, 10, 40, 35, 5]  # 180 asked of 100
    barrier = Barrier(len(asks))

    def draw(quantity):
        client = isolated_app.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/certificates/{number}/shipments",
                               json={"border_post": f"post {quantity}",
                                     "lines": [{"line": 1, "quantity": quantity}]},
                               headers={"Authorization": f"Bearer {token}"})
        return quantity, response.status_code

    with ThreadPoolExecutor(len(asks)) as pool:
        results = list(pool.map(draw, asks))
    shipped = sum(q for q, status in results if status == 201)
    statuses = {status for _, status in results}
    assert statuses <= {201, 409}
    assert shipped <= 100
    final = isolated_app.test_client().get(f"/api/v1/certificates/{number}",
                                           headers={"Authorization": f"Bearer {token}"})
    line = final.get_json()["remaining"][0]
    assert line["shipped"] == shipped and line["left"] == 100 - shipped
    # Every refused draw was refused because it no longer fit.
    assert all(q > 100 - shipped for q, status in results if status == 409)
