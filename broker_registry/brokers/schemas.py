from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, EmailStr, Field, model_validator

from ..validation import Block, Country, Input, Line, Refused, one_of
from .models import Activity, BrokerKind


class BeneficialOwner(Input):
    name: Line(200)
    nationality: Country


class BrokerApplication(Input):
    legal_name: Line(300)
    kind: one_of(BrokerKind)
    country: Country
    company_number: Line(100) | None = None
    address: Block(1000)
    email: EmailStr
    phone: Line(50) | None = None
    activities: list[one_of(Activity)] = Field(min_length=1, max_length=4)
    beneficial_owners: list[BeneficialOwner] = Field(default_factory=list, max_length=50)
    convictions_declared: bool
    convictions_details: Block(4000) | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if self.kind == BrokerKind.COMPANY and not self.company_number:
            raise Refused("missing", "company_number: "
                          + _l("a company must give its company number"))
        if self.kind == BrokerKind.COMPANY and not self.beneficial_owners:
            raise Refused("missing", "beneficial_owners: "
                          + _l("a company must name its beneficial owners"))
        if self.convictions_declared and not (self.convictions_details or "").strip():
            raise Refused("missing", "convictions_details: "
                          + _l("describe the declared convictions"))
        if len(set(self.activities)) != len(self.activities):
            raise Refused("twice", "activities: " + _l("each activity once"))
        return self


class Decision(Input):
    decision: Literal["approve", "refuse"]
    reason: Block(4000)  # sent to the applicant
    internal_note: Block(4000) | None = None  # kept for staff, never sent


class Reason(Input):
    reason: Block(4000)  # sent to the broker
    internal_note: Block(4000) | None = None  # kept for staff, never sent


class HistoryItem(BaseModel):
    action: str
    at: datetime
    by: str
    reason: str | None
    internal_note: str | None = None  # staff only


class BrokerPublic(BaseModel):
    id: int
    legal_name: str
    kind: str
    country: str
    company_number: str | None
    address: str
    email: str
    phone: str | None
    activities: list[str]
    beneficial_owners: list[dict]
    convictions_declared: bool
    convictions_details: str | None
    status: str
    registration_number: str | None
    registered_at: datetime | None
    valid_until: datetime | None
    renewal_requested_at: datetime | None
    submitted_at: datetime
    decided_at: datetime | None


class RegisterEntry(BaseModel):
    """What the public register shows: no personal data beyond a public register's."""

    registration_number: str
    legal_name: str
    country: str
    status: str
    valid_until: datetime | None
