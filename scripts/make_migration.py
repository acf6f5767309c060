"""Autogenerate a migration: upgrade a scratch SQLite database to head, then diff the models."""

import sys
import tempfile
from pathlib import Path

from alembic import command

from broker_registry.db import make_engine
from broker_registry.migrate import alembic_config, upgrade

message = " ".join(sys.argv[1:]) or "schema change"
with tempfile.TemporaryDirectory() as scratch:
    url = f"sqlite:///{Path(scratch) / 'scratch.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    command.revision(alembic_config(url=url), message=message, autogenerate=True)
