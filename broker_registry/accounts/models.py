from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ..models_base import timestamp


class Account(SQLModel, table=True):
    __tablename__ = "accounts"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(max_length=200)
    role: str = Field(max_length=20, index=True)
    password_hash: str = Field(max_length=300)
    active: bool = Field(default=True)
    locale: str | None = Field(default=None, max_length=10)
    # Bumped whenever the password changes: every session cookie carrying an older epoch ends.
    session_epoch: int = Field(default=0)
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
