from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, EmailStr, StringConstraints, field_validator

from ..validation import Block, Input, Line
from .passwords import MAX_LENGTH, password_problem

Password = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LENGTH)]


def _strong_enough(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    return password


# A password being chosen: its rules checked with every other field, so that one answer names
# every mistake (the service checks again, for the callers that build no schema).
NewPassword = Annotated[Password, AfterValidator(_strong_enough)]


class SignUp(Input):
    email: EmailStr
    password: NewPassword
    display_name: Line(200)


class Credentials(Input):
    email: Line(254)  # refuses control characters, NUL above all, before any query
    password: Password


class TokenRequest(Credentials):
    name: Line(100) | None = None


class PasswordChange(Input):
    current_password: Password
    new_password: NewPassword


class StandingChange(Input):
    """Why an account is deactivated or reactivated, for the audit log."""

    reason: Block(4000)


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


class AccountAdmin(AccountPublic):
    """An account as an admin sees it in the list of accounts."""

    active: bool


class TokenPublic(BaseModel):
    id: int
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
