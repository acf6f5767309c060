from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, EmailStr, StringConstraints, field_validator

from ..validation import Input, Line
from .passwords import MAX_LENGTH

Password = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LENGTH)]


class SignUp(Input):
    email: EmailStr
    password: Password
    display_name: Line(200)


class Credentials(Input):
    email: Line(254)  # refuses control characters, NUL above all, before any query
    password: Password


class TokenRequest(Credentials):
    name: Line(100) | None = None


class PasswordChange(Input):
    current_password: Password
    new_password: Password


class AccountPublic(BaseModel):
    id: int
    email: str
    display_name: str
    role: str
    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value):
        return value


class TokenPublic(BaseModel):
    id: int
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
