"""`broker-registry backup FILE` and `restore FILE`: a restored database holds the same records
and its audit chain still verifies; restore never overwrites a database by accident."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from broker_registry import create_app
from broker_registry.db.engine import make_engine
from tests.reliability.world import build

TABLES = ("accounts", "brokers", "licences", "certificates", "certificate_lines", "shipments",
          "revocation_entries", "audit_log")


def _counts(app) -> dict[str, int]:
    with app.extensions["db"].engine.connect() as connection:
        return {t: connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in TABLES}


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def test_backup_and_restore_into_a_fresh_database(isolated_app, engine, settings, tmp_path):
    world = build(isolated_app, certificates=1, quantity=20)
    client = isolated_app.test_client()
    number = world.numbers[0]
    assert client.post(f"/api/v1/certificates/{number}/shipments", headers=world.headers(
        "officer"), json={"border_post": "Aflao", "lines": [{"line": 1, "quantity": 4}]}) \
        .status_code == 201
    assert client.post(f"/api/v1/certificates/{number}/revoke", headers=world.headers("r1"),
                       json={"reason": "stolen"}).status_code == 200
    before = _counts(isolated_app)
    assert all(before.values()), before

    dump = tmp_path / "registry.backup"
    made = _run(isolated_app, "backup", str(dump))
    assert made.exit_code == 0, made.output
    assert dump.stat().st_size > 0

    if engine.dialect.name == "sqlite":
        target = create_app(replace(settings,
                                    database_url=f"sqlite:///{tmp_path / 'fresh.sqlite3'}"))
    else:  # the schema is lost; the restore brings it back
        target = isolated_app
        url = isolated_app.extensions["db"].engine.url
        schema = url.query["options"].split("=", 1)[1]
        isolated_app.extensions["db"].dispose()
        server = make_engine(url.render_as_string(hide_password=False),
                             poolclass=sa.pool.NullPool)
        with server.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        server.dispose()
    restored = _run(target, "restore", str(dump))
    assert restored.exit_code == 0, restored.output
    assert _counts(target) == before
    verified = _run(target, "audit", "verify")
    assert verified.exit_code == 0 and "intact" in verified.output

    # The restored registry answers as the original did.
    answer = target.test_client().post("/api/v1/verify", headers=world.headers("officer"),
                                       json={"payload": world.payloads[number]})
    assert answer.get_json()["result"] == "REVOKED"

    refused = _run(target, "restore", str(dump))
    assert refused.exit_code != 0
    assert "--force" in refused.output
    forced = _run(target, "restore", "--force", str(dump))
    assert forced.exit_code == 0, forced.output
    assert _counts(target) == before
    assert _run(target, "audit", "verify").exit_code == 0
    target.extensions["db"].dispose()
