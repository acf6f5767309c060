from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..db.columns import timestamp


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


class ListedCertificate(SQLModel, table=True):
    """Each certificate's latest entry on the list, kept encoded in the transaction of the
    change that wrote it: the full list is a scan of these rows (never a pass over the whole
    history), and its entries a join of their bytes."""

    __tablename__ = "revocation_current"

    cti_hash: bytes = Field(sa_column=sa.Column(sa.LargeBinary(16), primary_key=True))
    status: str = Field(max_length=10)
    seq: int = Field(sa_type=sa.BigInteger)
    expires_at: datetime | None = timestamp(nullable=True)  # pruned from full lists after this
    entry: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))  # encode_entry


class RevocationSnapshot(SQLModel, table=True):
    """A signed full list, one row per sequence; signed again at the same sequence (an
    edition) when it nears its next_update or the active signer changed. Only the newest
    keeps its body: requests serve it, and older ones are never asked for."""

    __tablename__ = "revocation_snapshots"

    sequence: int = Field(sa_type=sa.BigInteger, primary_key=True)
    body: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary))
    kid: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary(8)))
    edition: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    issued_at: datetime = timestamp()
    next_update: datetime = timestamp()
