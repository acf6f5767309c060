from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, Field, field_validator

from ..validation import Block, Input, parse_rfc3339
from .models import REVOKE_CODES


class LineRequest(Input):
    line: int = Field(ge=1, le=1000)
    quantity: int = Field(ge=1, le=10_000_000)


class IssueRequest(Input):
    lines: list[LineRequest] | None = Field(default=None, min_length=1, max_length=200)
    valid_until: datetime | None = None

    model_config = {**Input.model_config, "strict": False}

    @field_validator("lines", mode="before")
    @classmethod
    def _strict_list(cls, value):
        if value is not None and not isinstance(value, list):
            raise ValueError(_l("must be a list of {line, quantity}"))
        for item in value or []:
            if isinstance(item, dict) and any(type(v) is not int for v in item.values()):
                raise ValueError(_l("line and quantity must be whole numbers"))
        return value

    @field_validator("valid_until", mode="before")
    @classmethod
    def _date_or_datetime(cls, value):
        return None if value is None else parse_rfc3339(value)


class Reason(Input):
    reason: Block(4000)


class Revocation(Reason):
    reason_code: Literal[tuple(REVOKE_CODES)] = Field(  # type: ignore[valid-type]
        "unspecified", description="The reason code the revocation list carries for it "
        "(`r`: 0 unspecified, 5 issued in error, 6 superseded, 8 diversion suspected).")


class RemainingLine(BaseModel):
    line: int
    licensed: int
    shipped: int
    left: int


class CertificatePublic(BaseModel):
    number: str
    status: str
    qr_payload: str
    issued_at: datetime
    not_before: datetime
    valid_until: datetime
    content: dict
    status_reason: str | None
    delivered_at: datetime | None
    last_shipment_at: datetime | None
