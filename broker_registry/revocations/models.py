from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..models_base import timestamp


class RevocationEntry(SQLModel, table=True):
    """One change on the public revocation list, numbered by the list's sequence.

    A certificate change carries its cti hash; a revoked signer key carries its kid. A delta
    since B is the entries with seq > B, read through the unique index on seq.
    """

    __tablename__ = "revocation_entries"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(sa_type=sa.BigInteger, unique=True, index=True)
    cti_hash: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary(16),
                                                                      index=True))
    kid: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary(8)))
    status: str = Field(max_length=10)
    reason: int = Field(default=0)
    at: datetime = timestamp()
    expires_at: datetime | None = timestamp(nullable=True)  # the certificate's exp, for pruning

    # Every list names the revoked signers: a handful of rows among millions, found by index.
    __table_args__ = (sa.Index("ix_revocation_entries_kid", "kid",
                               postgresql_where=sa.text("kid IS NOT NULL"),
                               sqlite_where=sa.text("kid IS NOT NULL")),)


class RevocationSnapshot(SQLModel, table=True):
    """A signed full list, built once per sequence and served from here."""

    __tablename__ = "revocation_snapshots"

    sequence: int = Field(sa_type=sa.BigInteger, primary_key=True)
    body: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    issued_at: datetime = timestamp()
    next_update: datetime = timestamp()
