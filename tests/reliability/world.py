"""Committed records on a database of its own, built through the API as people would:
accounts with tokens, a registered broker, an issued licence, and certificates under it."""

from __future__ import annotations

from dataclasses import dataclass, field

from broker_registry.accounts import service as accounts
from broker_registry.permissions import Role
from tests.factories import broker_application
from tests.records import application, init_keys

PASSWORD = "correct horse battery staple"
PEOPLE = (("owner", Role.BROKER), ("r1", Role.REGULATOR), ("r2", Role.REGULATOR),
          ("officer", Role.CUSTOMS), ("officer2", Role.CUSTOMS))


@dataclass
class World:
    tokens: dict[str, str]
    broker_id: int
    licence_id: int
    numbers: list[str] = field(default_factory=list)
    payloads: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def accounts_and_keys(app, prefix: str = "") -> dict[str, str]:
    """The people of PEOPLE with a token each, and the authority's keys."""
    with app.app_context():
        from broker_registry import db

        session = db.session()
        init_keys(session)
        tokens = {}
        for name, role in PEOPLE:
            account = accounts.create_account(session, email=f"{prefix}{name}@example.org",
                                              password=PASSWORD, display_name=name, role=role)
            tokens[name] = accounts.issue_token(session, account)[0]
        session.commit()
    return tokens


def build(app, *, certificates: int = 1, quantity: int = 100, call=None) -> World:
    """`call(method, path, json, headers)` defaults to the app's test client."""
    client = app.test_client()

    def default(method, path, json=None, headers=None):
        response = client.open(path, method=method, json=json, headers=headers)
        return response.status_code, response.get_json()

    call = call or default
    tokens = accounts_and_keys(app)
    world = World(tokens, 0, 0)
    status, broker = call("POST", "/api/v1/brokers", broker_application(), world.headers("owner"))
    assert status == 201, broker
    world.broker_id = broker["id"]
    status, _ = call("POST", f"/api/v1/brokers/{broker['id']}/decision",
                     {"decision": "approve", "reason": "ok"}, world.headers("r1"))
    assert status == 200
    body = application(broker["id"])
    body["goods"][0]["quantity"] = quantity * certificates
    status, licence = call("POST", "/api/v1/licences", body, world.headers("owner"))
    assert status == 201, licence
    world.licence_id = licence["id"]
    for who in ("r1", "r2"):
        status, answer = call("POST", f"/api/v1/licences/{licence['id']}/decision",
                              {"decision": "approve", "reason": "ok"}, world.headers(who))
        assert status == 200, answer
    for _ in range(certificates):
        status, certificate = call("POST", f"/api/v1/licences/{licence['id']}/certificates",
                                   {"lines": [{"line": 1, "quantity": quantity}]},
                                   world.headers("r1"))
        assert status == 201, certificate
        world.numbers.append(certificate["number"])
        world.payloads[certificate["number"]] = certificate["qr_payload"]
    return world


def initialised(data_dir, database_url: str, *, certificates: int, quantity: int):
    """A data folder and database set up by the command line (`init`) as an operator would,
    and a world built on them; answers (environment to serve it with, app, world). The app's
    pool is emptied, so the server started next holds the only connections."""
    from dataclasses import replace

    from broker_registry import create_app
    from broker_registry.settings import settings_from_env
    from tests.reliability.gunicorn import app_env, cli

    env = app_env(data_dir, database_url, RATELIMIT_ENABLED="false")
    cli(env, "init")
    app = create_app(replace(settings_from_env(env), testing=True))
    world = build(app, certificates=certificates, quantity=quantity)
    app.extensions["db"].dispose()
    return env, app, world
