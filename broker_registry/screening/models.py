from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..db.columns import json_column, timestamp


class EmbargoEntry(SQLModel, table=True):
    """An arms embargo in force; seeded from reference/data/embargoes.json, then the admin's."""

    __tablename__ = "embargoes"

    country: str = Field(primary_key=True, max_length=2)
    scope: str = Field(max_length=20)
    resolution: str = Field(max_length=40)
    since: date
    notes: str = Field(default="", max_length=2000)
    updated_at: datetime = timestamp(default_now=True)


class DeniedSource:
    UN = "un"  # imported from the UN Security Council Consolidated List
    AUTHORITY = "authority"  # the national list: parties the regulator listed on a denial


class DeniedParty(SQLModel, table=True):
    __tablename__ = "denied_parties"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=20)
    reference: str = Field(max_length=60)
    kind: str = Field(max_length=20)
    name: str = Field(max_length=500)
    aliases: list[str] = json_column()
    original_script_name: str | None = Field(default=None, max_length=500)
    countries: list[str] = json_column()
    list_type: str = Field(default="", max_length=100)
    listed_on: date | None = None
    licence_id: int | None = Field(default=None, foreign_key="licences.id")
    grounds: str = Field(default="", max_length=2000)  # why the regulator listed it (national)
    added_at: datetime = timestamp(default_now=True)

    __table_args__ = (sa.Index("ix_denied_parties_source_id", "source", "id"),
                      sa.UniqueConstraint("source", "reference", name="uq_denied_parties_ref"))
