from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..db.columns import timestamp


class SignerKey(SQLModel, table=True):
    """A document signer certificate (DSC). The private key lives encrypted in the data folder."""

    __tablename__ = "signer_keys"

    id: int | None = Field(default=None, primary_key=True)
    kid: str = Field(max_length=16, index=True)  # hex of the 8-byte kid; kids may collide
    certificate_der: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    key_file: str = Field(max_length=200)  # name inside <data>/keys/, never the key itself
    status: str = Field(default="active", max_length=10, index=True)
    created_at: datetime = timestamp(default_now=True)
    updated_at: datetime = timestamp(default_now=True)
    revoked_reason: str | None = Field(default=None, max_length=1000)
