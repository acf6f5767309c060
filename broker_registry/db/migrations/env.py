"""Alembic environment: runs on the connection (or URL) that broker_registry hands it."""

from __future__ import annotations

from alembic import context

from broker_registry.db.engine import make_engine

config = context.config
# The tables, for autogenerate: scripts/make_migration.py hands them in. Upgrading reads none,
# so the database package never imports the domains above it.
target_metadata = config.attributes.get("target_metadata")


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
