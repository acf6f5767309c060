"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import broker_registry.metadata  # noqa: F401


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_the_status_code_is_filled_from_the_revocation_list(isolated_app):
    """A registry migrated from before certificates kept their code gets it from the list."""
    import sqlalchemy as sa
    from alembic import command

    from broker_registry.db.migrate import alembic_config
    from tests.customs.live import certificate_on

    certificate, tokens, _ = certificate_on(isolated_app)
    revoked = isolated_app.test_client().post(
        f"/api/v1/certificates/{certificate['number']}/revoke",
        json={"reason": "Diverted", "reason_code": "diversion_suspected"},
        headers={"Authorization": f"Bearer {tokens['r1']}"})
    assert revoked.status_code == 200
    engine = isolated_app.extensions["db"].engine

    def migrate(step, revision):
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            step(config, revision)

    migrate(command.downgrade, "3f1c2a9d7e55")
    migrate(command.upgrade, "head")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT number, status_code FROM certificates")).all()
    assert dict(rows) == {certificate["number"]: 8}
