from __future__ import annotations

from pydantic import Field

from ..customs.schemas import MAX_PAYLOAD, ShipmentLine
from ..validation import Block, Input, Line


class AuthorityRequest(Input):
    """By URL alone (the rest from the partner's metadata), or by hand with the root."""

    base_url: Line(500)
    fingerprint: Line(200) | None = None  # absent: a preview, nothing is added
    code: Line(40) | None = None
    name: Line(200) | None = None
    root: Block(20_000) | None = None  # PEM, or base64 DER


class ReasonRequest(Input):
    reason: Block(1000)


class AbroadShipmentRequest(Input):
    payload: str = Field(max_length=MAX_PAYLOAD)
    border_post: Line(200)
    lines: list[ShipmentLine] = Field(min_length=1, max_length=200)
