"""The migration that brought each certificate's current entry fills it from the history, as
the registry would have written it."""

import sqlalchemy as sa
from alembic import command

from broker_registry.db.migrate import alembic_config
from tests.customs.live import certificate_on, publish, revoke_another

BEFORE = "5b7e0c3d9a21"  # the revision before revocation_current


def _current(engine):
    with engine.connect() as connection:
        return sorted(connection.execute(sa.text(
            "SELECT cti_hash, status, seq, entry FROM revocation_current")).all())


def test_the_current_entries_are_filled_from_the_history(isolated_app):
    certificate, tokens, licence = certificate_on(isolated_app, quantity=50)
    revoke_another(isolated_app, tokens, licence)
    headers = {"Authorization": f"Bearer {tokens['r1']}"}
    client = isolated_app.test_client()
    for action in ("suspend", "reinstate", "suspend"):  # three entries for one certificate
        assert client.post(f"/api/v1/licences/{licence['id']}/{action}", headers=headers,
                           json={"reason": "inquiry"}).status_code == 200
    engine = isolated_app.extensions["db"].engine
    written = _current(engine)
    assert sorted(status for _, status, _, _ in written) == ["revoked", "suspended"]
    published = publish(isolated_app)

    def migrate(step, revision):
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            step(config, revision)

    migrate(command.downgrade, BEFORE)
    migrate(command.upgrade, "head")
    assert _current(engine) == written
    # the stored list has no signer recorded: the worker signs it again at once
    again = publish(isolated_app)
    assert again is not None and again.why == "another signer is active"
    assert (again.sequence, again.edition) == (published.sequence, 2)
