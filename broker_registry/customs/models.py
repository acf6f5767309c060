from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..db.columns import json_column, timestamp


class Shipment(SQLModel, table=True):
    """What crossed a border against a certificate, recorded by a customs officer."""

    __tablename__ = "shipments"

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificates.id", index=True)
    border_post: str = Field(max_length=200)
    recorded_by: int = Field(foreign_key="accounts.id")
    recorded_at: datetime = timestamp(default_now=True)
    # A retry with the same key and body is answered as the first time, and counted once.
    idempotency_key: str | None = Field(default=None, max_length=200)
    request_hash: str | None = Field(default=None, max_length=64)
    lines: list[dict[str, Any]] = json_column()

    __table_args__ = (sa.Index("ix_shipments_recorded_at", "recorded_at", "border_post"),
                      sa.UniqueConstraint("recorded_by", "idempotency_key",
                                          name="uq_shipments_idempotency"),)


class Marking(SQLModel, table=True):
    """A serial number (marking) of an item that crossed, for tracing."""

    __tablename__ = "markings"

    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipments.id", index=True)
    line_no: int
    marking: str = Field(max_length=100, index=True)
    # It had crossed before under another certificate: a flag for the regulator.
    crossed_before: bool = Field(default=False)


class Delivery(SQLModel, table=True):
    """The delivery verification: the importing state's customs confirm what arrived."""

    __tablename__ = "deliveries"

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificates.id", unique=True)
    received_at: datetime = timestamp()
    lines: list[dict[str, Any]] = json_column()
    remarks: str | None = Field(default=None, max_length=4000)
    recorded_by: int = Field(foreign_key="accounts.id")
    recorded_at: datetime = timestamp(default_now=True)


class RefusedShipment(SQLModel, table=True):
    """A shipment an officer recorded on a device while offline, that the registry refused
    when it arrived (drawn meanwhile by another post, the certificate revoked meanwhile):
    kept, audited and shown on the certificate's page for regulators to act on."""

    __tablename__ = "refused_shipments"

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificates.id", index=True)
    recorded_by: int = Field(foreign_key="accounts.id")
    queued_at: datetime = timestamp()
    refused_at: datetime = timestamp(default_now=True)
    border_post: str = Field(max_length=200)
    lines: list[dict[str, Any]] = json_column()
    idempotency_key: str = Field(max_length=200)
    reason: str = Field(max_length=1000)

    __table_args__ = (sa.UniqueConstraint("recorded_by", "idempotency_key",
                                          name="uq_refused_shipments_key"),)
