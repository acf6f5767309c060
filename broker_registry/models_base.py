"""Column helpers shared by every domain's models."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from .db import UTCDateTime, utcnow


def timestamp(*, nullable: bool = False, index: bool = False, default_now: bool = False):
    kwargs = {"default_factory": utcnow} if default_now else {"default": None}
    return Field(sa_column=sa.Column(UTCDateTime(), nullable=nullable, index=index), **kwargs)


def json_column(*, default_factory=list):
    return Field(default_factory=default_factory, sa_column=sa.Column(sa.JSON, nullable=False))


__all__ = ["timestamp", "json_column", "datetime"]
