"""Foreign authorities, what crossed against their certificates here, and what partners
reported of ours."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..db.columns import json_column, timestamp


class AuthorityStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # its certificates answer UNKNOWN_SIGNER, its notices are refused


class ForeignAuthority(SQLModel, table=True):
    """Another state's issuing authority, trusted under the root an admin confirmed by its
    fingerprint; its trust list and revocation lists as the worker last fetched them."""

    __tablename__ = "foreign_authorities"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    base_url: str = Field(max_length=500)
    root_der: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    fingerprint: str = Field(max_length=64)
    status: str = Field(default=AuthorityStatus.ACTIVE, max_length=10)
    added_at: datetime = timestamp(default_now=True)
    updated_at: datetime = timestamp(default_now=True)
    # The lists, as the partner served and signed them: verified again whenever they are read.
    trust_list: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary))
    trust_list_etag: str | None = Field(default=None, max_length=200)
    revocations_full: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary))
    revocations_deltas: list[str] = json_column()  # base64 of each delta since the full list
    refreshed_at: datetime | None = timestamp(nullable=True)  # the last refresh that worked
    stale_since: datetime | None = timestamp(nullable=True)  # the first failure since then
    last_error: str | None = Field(default=None, max_length=500)


class OutgoingNotice(SQLModel, table=True):
    """A shipment recorded here against a foreign certificate, and the signed notice that
    tells its issuer; the worker sends it until the issuer acknowledges it."""

    __tablename__ = "outgoing_notices"

    id: int | None = Field(default=None, primary_key=True)
    notice_id: str = Field(max_length=32, unique=True)  # hex of the notice's 16-byte id
    authority_id: int = Field(foreign_key="foreign_authorities.id", index=True)
    certificate_number: str = Field(max_length=100, index=True)
    cti_hash: bytes = Field(sa_column=sa.Column(sa.LargeBinary(16), nullable=False))
    border_post: str = Field(max_length=200)
    lines: list[dict[str, Any]] = json_column()  # with their markings
    recorded_by: int = Field(foreign_key="accounts.id")
    recorded_at: datetime = timestamp(default_now=True)
    body: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))  # the COSE_Sign1
    attempts: int = 0
    next_attempt_at: datetime = timestamp(default_now=True, index=True)
    acknowledged_at: datetime | None = timestamp(nullable=True)
    last_error: str | None = Field(default=None, max_length=500)
    # A retry with the same key and body (the lane's queue) is answered as the first time.
    idempotency_key: str | None = Field(default=None, max_length=200)
    request_hash: str | None = Field(default=None, max_length=64)

    __table_args__ = (sa.UniqueConstraint("recorded_by", "idempotency_key",
                                          name="uq_outgoing_notices_idempotency"),)


class ReceivedNotice(SQLModel, table=True):
    """A partner's report that goods crossed its border against one of our certificates."""

    __tablename__ = "received_notices"

    id: int | None = Field(default=None, primary_key=True)
    notice_id: str = Field(max_length=32, unique=True)
    body_sha256: str = Field(max_length=64)  # a replay must be these bytes, else "altered"
    authority_code: str = Field(max_length=40, index=True)
    certificate_id: int = Field(foreign_key="certificates.id", index=True)
    border_post: str = Field(max_length=200)
    crossed_at: datetime = timestamp()
    received_at: datetime = timestamp(default_now=True)
    lines: list[dict[str, Any]] = json_column()
    over_draw: bool = False  # flagged to the regulators


class ReceivedMarking(SQLModel, table=True):
    """A serial number a partner reported, for tracing."""

    __tablename__ = "received_markings"

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="received_notices.id", index=True)
    line_no: int
    marking: str = Field(max_length=100, index=True)
