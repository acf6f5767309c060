from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BaseModel, Field, model_validator

from ..db.columns import utcnow
from ..reference.categories import is_category
from ..reference.currencies import minor_units
from ..reference.units import Unit
from ..validation import (
    Block,
    Country,
    Currency,
    Input,
    Line,
    Refused,
    one_of,
    parse_rfc3339,
)
from .models import EndUserKind

MAX_QUANTITY = 10_000_000
MAX_LINES = 50
MAX_VALIDITY = timedelta(days=2 * 366)
MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL
_DECIMAL = re.compile(r"[0-9]{1,13}(\.[0-9]+)?")  # ASCII digits: "١٢" is not a price here
MAX_LINE_VALUE = 10**15  # a certificate carries each line's total in at most 15 digits


def _category(code: str) -> str:
    if not is_category(code):
        raise Refused("choice", _l("'%(code)s' is not a goods category "
                                   "(see GET /api/v1/categories)", code=code))
    return code


def _valid_until(value: str) -> datetime:
    """An RFC 3339 date (valid to the end of that day, UTC) or date-time with an offset."""
    moment = parse_rfc3339(value)
    if moment <= utcnow():
        raise Refused("past", _l("must be in the future"))
    if moment > utcnow() + MAX_VALIDITY:
        raise Refused("too_far", _l("may be at most two years ahead"))
    return moment


Category = Annotated[Line(40), AfterValidator(_category)]
ValidUntil = Annotated[str, Field(max_length=40), AfterValidator(_valid_until)]


class Party(Input):
    name: Line(300)
    address: Block(1000) = Field(min_length=1)
    country: Country


class EndUser(Party):
    kind: one_of(EndUserKind)


def _decimal_text(value: str | int | float) -> str:
    # JSON numbers arrive as int or float; str() of a float is its shortest exact spelling.
    text = str(value)
    if isinstance(value, bool) or not _DECIMAL.fullmatch(text):
        raise Refused("decimal", _l('a decimal number of at least 0 with at most 13 digits '
                                    'before the point, like "1250.00"'))
    return text


UnitValue = Annotated[str | int | float, AfterValidator(_decimal_text)]


class GoodsLine(Input):
    description: Line(500)
    category: Category
    quantity: int = Field(gt=0, le=MAX_QUANTITY)
    unit: one_of(Unit)
    unit_value: UnitValue | None = None
    currency: Currency | None = None

    @model_validator(mode="after")
    def _money(self):
        if (self.unit_value is None) != (self.currency is None):
            raise Refused("money_pair", "unit_value: "
                          + _l("give unit_value and currency together, or neither"))
        if self.unit_value is None:
            return self
        places = len(self.unit_value.partition(".")[2])
        allowed = minor_units(self.currency)
        if places > allowed:
            raise ValueError("unit_value: " + _l("%(currency)s has %(n)s decimal places",
                                                  currency=self.currency, n=allowed))
        exact = Decimal(self.unit_value).quantize(Decimal(1).scaleb(-allowed))
        if exact * self.quantity >= MAX_LINE_VALUE:
            raise ValueError("unit_value: " + _l("the line's value (quantity × unit value) must "
                                                  "be under 10^15, what a certificate can carry"))
        object.__setattr__(self, "unit_value", str(exact))
        return self


class LicenceApplication(Input):
    broker_id: int = Field(gt=0, le=MAX_ID)
    supplier: Party
    consignee: Party
    end_user: EndUser
    destination_country: Country | None = None
    transit_countries: list[Country] = Field(default_factory=list, max_length=20)
    goods: list[GoodsLine] = Field(min_length=1, max_length=MAX_LINES)
    end_use: Block(4000) = Field(min_length=1)
    transport: Block(2000) = Field(min_length=1)
    financing: Block(2000) = Field(min_length=1)
    valid_until: ValidUntil

    @model_validator(mode="after")
    def _destination(self):
        if self.destination_country is None:
            object.__setattr__(self, "destination_country", self.end_user.country)
        if len(set(self.transit_countries)) != len(self.transit_countries):
            raise Refused("twice", "transit_countries: " + _l("each country once"))
        return self


class LicenceDecision(Input):
    decision: Literal["approve", "deny", "request_information"]
    reason: Block(4000) = Field(min_length=1)  # sent to the broker
    internal_note: Block(4000) | None = None  # kept for staff, never sent
    acknowledge_findings: bool = False
    # On a denial, the parties the regulator puts on the national list (none unless named).
    list_parties: list[Literal["supplier", "consignee", "end_user"]] = Field(
        default_factory=list, max_length=3)
    listing_grounds: Block(2000) | None = None

    @model_validator(mode="after")
    def _listing(self):
        if self.list_parties and self.decision != "deny":
            raise ValueError("list_parties: " + _l("parties go on the national list only when "
                                                  "you deny the application"))
        if len(set(self.list_parties)) != len(self.list_parties):
            raise ValueError("list_parties: " + _l("name each party once"))
        if self.list_parties and self.listing_grounds is None:
            raise ValueError("listing_grounds: " + _l("give the grounds for listing the "
                                                     "parties"))
        return self


class BrokerResponse(Input):
    response: Block(4000) = Field(min_length=1)


class Reason(Input):
    reason: Block(4000) = Field(min_length=1)  # sent to the broker
    internal_note: Block(4000) | None = None  # kept for staff, never sent


class FindingPublic(BaseModel):
    id: int
    rule: str
    party_role: str
    matched: str
    evidence: dict
    blocking: bool
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    screened_at: datetime


class LinePublic(BaseModel):
    line_no: int
    description: str
    category: str
    quantity: int
    unit: str
    unit_value: str | None
    currency: str | None


class LicencePublic(BaseModel):
    id: int
    reference: str
    broker_id: int
    licence_number: str | None
    supplier: dict
    consignee: dict
    end_user: dict
    destination_country: str | None
    transit_countries: list[str]
    end_use: str
    transport: str
    financing: str
    valid_until: datetime | None
    information_request: str | None
    response: str | None
    submitted_at: datetime | None
    decided_at: datetime | None
    issued_at: datetime | None
