from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from pydantic import Field, field_validator

from ..validation import Block, Input, Line, parse_rfc3339

MAX_PAYLOAD = 8192  # characters: a version 40 QR code holds at most 4,296


class VerifyRequest(Input):
    # Any text is a payload to verify: one too long for a certificate is MALFORMED, as every
    # verifier answers it (docs/spec/euc-qr.md section 9); the body limit bounds what is read
    # at all.
    payload: str


class ShipmentLine(Input):
    line: int = Field(ge=1, le=1000)
    quantity: int = Field(ge=1, le=10_000_000)
    markings: list[Line(100)] | None = Field(default=None, max_length=10_000)


class ShipmentRequest(Input):
    border_post: Line(200)
    lines: list[ShipmentLine] = Field(min_length=1, max_length=200)


class LaneShipmentRequest(ShipmentRequest):
    """The lane's: with the scanned code when it is a partner's certificate (federation)."""

    payload: str | None = Field(default=None, max_length=MAX_PAYLOAD)


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
        moment = parse_rfc3339(value, dates=False)
        if moment > datetime.now(UTC):
            raise ValueError(_l("is in the future"))
        return moment
