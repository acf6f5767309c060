from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ..db.columns import timestamp


class Account(SQLModel, table=True):
    __tablename__ = "accounts"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(max_length=200)
    role: str = Field(max_length=20, index=True)
    password_hash: str = Field(max_length=300)
    active: bool = Field(default=True)
    locale: str | None = Field(default=None, max_length=10)
    created_at: datetime = timestamp(default_now=True)
    password_changed_at: datetime = timestamp(default_now=True)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id", index=True)
    # SHA-256 of the token: tokens are 256-bit random, so a plain hash is enough to make a
    # stolen table useless without slowing every API call with a password hash.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(default="", max_length=100)
    created_at: datetime = timestamp(default_now=True)
    expires_at: datetime = timestamp()
    revoked_at: datetime | None = timestamp(nullable=True)
    last_used_at: datetime | None = timestamp(nullable=True)


class SignIn(SQLModel, table=True):
    """A browser signed in to the pages. Its cookie carries a random id; this table keeps only
    the id's SHA-256, so that signing out, a password change or a deactivation ends it at once
    (a cookie holding the account alone stayed good until it expired)."""

    __tablename__ = "sign_ins"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = timestamp(default_now=True)
    expires_at: datetime = timestamp()
    ended_at: datetime | None = timestamp(nullable=True)


class PendingSignUp(SQLModel, table=True):
    """A sign-up waiting for its address to be confirmed. The account is made only when the
    link mailed to the address is followed and the password of this sign-up given again: a
    sign-up in someone else's name makes nothing, and the link alone confirms nothing."""

    __tablename__ = "pending_sign_ups"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=300)
    locale: str | None = Field(default=None, max_length=10)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = timestamp(default_now=True)
    expires_at: datetime = timestamp()
