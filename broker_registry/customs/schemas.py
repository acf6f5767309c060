from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from pydantic import Field, field_validator

from ..validation import Block, Input, Line


class VerifyRequest(Input):
    payload: str = Field(max_length=8192)


class ShipmentLine(Input):
    line: int = Field(ge=1, le=1000)
    quantity: int = Field(ge=1, le=10_000_000)
    markings: list[Line(100)] | None = Field(default=None, max_length=10_000)


class ShipmentRequest(Input):
    border_post: Line(200)
    lines: list[ShipmentLine] = Field(min_length=1, max_length=200)


class DeliveryLine(Input):
    line: int = Field(ge=1, le=1000)
    quantity: int = Field(ge=0, le=10_000_000)


class DeliveryRequest(Input):
    received_at: datetime
    lines: list[DeliveryLine] = Field(min_length=1, max_length=200)
    remarks: Block(4000) | None = None

    @field_validator("received_at", mode="before")
    @classmethod
    def _rfc3339(cls, value):
        if not isinstance(value, str):
            raise ValueError(_l("must be an RFC 3339 date-time"))
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(_l("must be an RFC 3339 date-time")) from None
        if parsed.tzinfo is None:
            raise ValueError(_l("needs a time zone (Z or +hh:mm)"))
        if parsed > datetime.now(UTC):
            raise ValueError(_l("is in the future"))
        return parsed.astimezone(UTC)
