"""Autogenerate a migration: upgrade a scratch SQLite database to head, then diff the models."""

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlmodel import SQLModel

import broker_registry.metadata  # noqa: F401 - registers every table on the metadata
from broker_registry.db.engine import make_engine
from broker_registry.db.migrate import alembic_config, upgrade

message = " ".join(sys.argv[1:]) or "schema change"
with tempfile.TemporaryDirectory() as scratch:
    url = f"sqlite:///{Path(scratch) / 'scratch.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    config = alembic_config(url=url)
    config.attributes["target_metadata"] = SQLModel.metadata
    command.revision(config, message=message, autogenerate=True)
