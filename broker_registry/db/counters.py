"""Gap-free sequence numbers (registration, licence and certificate numbers, the audit chain).

The upsert takes a row lock that is held until the transaction ends, so two transactions can
never draw the same number, and a rolled-back transaction gives its number back.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel

_NEXT = sa.text(
    "INSERT INTO counters (name, value) VALUES (:name, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value"
)


class Counter(SQLModel, table=True):
    __tablename__ = "counters"

    name: str = Field(primary_key=True, max_length=80)
    value: int = Field(default=0)


def next_value(session: Session, name: str) -> int:
    return session.execute(_NEXT, {"name": name}).scalar_one()


def current_value(session: Session, name: str) -> int:
    value = session.execute(
        sa.select(Counter.value).where(Counter.name == name)
    ).scalar_one_or_none()
    return value or 0
