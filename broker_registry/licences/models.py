from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..db.columns import json_column, timestamp, utcnow


class LicenceStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INFORMATION_REQUESTED = "information_requested"
    AWAITING_COUNTERSIGNATURE = "awaiting_countersignature"
    ISSUED = "issued"
    DENIED = "denied"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"


class EndUserKind(StrEnum):
    GOVERNMENT = "government"
    ARMED_FORCES = "armed_forces"
    POLICE = "police"
    COMMERCIAL = "commercial"
    OTHER = "other"


class Licence(SQLModel, table=True):
    """A brokering licence: the broker's application for one deal and, once issued, the licence.

    A draft keeps the page form as typed (`draft_form`); the columns are filled on submission.
    """

    __tablename__ = "licences"

    id: int | None = Field(default=None, primary_key=True)
    broker_id: int = Field(foreign_key="brokers.id")
    owner_id: int = Field(foreign_key="accounts.id")
    status: str = Field(default=LicenceStatus.SUBMITTED, max_length=30)
    licence_number: str | None = Field(default=None, max_length=40, unique=True)
    supplier: dict[str, Any] = json_column(default_factory=dict)
    consignee: dict[str, Any] = json_column(default_factory=dict)
    end_user: dict[str, Any] = json_column(default_factory=dict)
    destination_country: str | None = Field(default=None, max_length=2)
    transit_countries: list[str] = json_column()
    end_use: str = Field(default="", max_length=4000)
    transport: str = Field(default="", max_length=2000)
    financing: str = Field(default="", max_length=2000)
    valid_until: datetime | None = timestamp(nullable=True)
    draft_form: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON))
    information_request: str | None = Field(default=None, max_length=4000)
    response: str | None = Field(default=None, max_length=4000)
    first_approved_by: int | None = Field(default=None, foreign_key="accounts.id")
    first_approved_at: datetime | None = timestamp(nullable=True)
    created_at: datetime = timestamp(default_now=True)
    submitted_at: datetime | None = timestamp(nullable=True)
    decided_at: datetime | None = timestamp(nullable=True)
    issued_at: datetime | None = timestamp(nullable=True)
    updated_at: datetime = timestamp(default_now=True)

    # The API's queue reads (status, id) and (destination, status, id) ranges in id order:
    # keyset pages over an index, however many licences there are. The page's queue reads a
    # status in order of submission, and counts each tab (expiry is valid_until) over an index.
    __table_args__ = (
        sa.Index("ix_licences_status_id", "status", "id"),
        sa.Index("ix_licences_status_submitted_at_id", "status", "submitted_at", "id"),
        sa.Index("ix_licences_status_valid_until", "status", "valid_until"),
        sa.Index("ix_licences_destination_status_id", "destination_country", "status", "id"),
        sa.Index("ix_licences_broker_id_id", "broker_id", "id"),
        sa.Index("ix_licences_owner_id_id", "owner_id", "id"),
    )

    @property
    def reference(self) -> str:
        """The application's reference, known before (and whether or not) it is issued."""
        return f"LA-{self.id:06d}"

    @property
    def effective_status(self) -> LicenceStatus:
        """Expiry is computed from valid_until, so no job has to run for it."""
        status = LicenceStatus(self.status)
        if (status in (LicenceStatus.ISSUED, LicenceStatus.SUSPENDED)
                and self.valid_until is not None and self.valid_until <= utcnow()):
            return LicenceStatus.EXPIRED
        return status


class LicenceLine(SQLModel, table=True):
    """One goods line. Line numbers are stable (1..n); quantities cap later certificates."""

    __tablename__ = "licence_lines"

    id: int | None = Field(default=None, primary_key=True)
    licence_id: int = Field(foreign_key="licences.id")
    line_no: int
    description: str = Field(max_length=500)
    category: str = Field(max_length=40)
    quantity: int = Field(sa_type=sa.BigInteger)
    unit: str = Field(max_length=10)
    unit_value: str | None = Field(default=None, max_length=24)  # a decimal string, never float
    currency: str | None = Field(default=None, max_length=3)

    __table_args__ = (sa.UniqueConstraint("licence_id", "line_no",
                                          name="uq_licence_lines_licence_line"),)


class FindingRule(StrEnum):
    EMBARGO_FULL = "embargo_full"
    EMBARGO_PARTIAL = "embargo_partial"
    DENIED_PARTY = "denied_party"  # a match on the UN Consolidated List
    NATIONAL_LIST = "national_list"  # a match on this authority's national list


class LicenceFinding(SQLModel, table=True):
    """One screening finding; kept with its acknowledgement while later screenings repeat it."""

    __tablename__ = "licence_findings"

    id: int | None = Field(default=None, primary_key=True)
    licence_id: int = Field(foreign_key="licences.id", index=True)
    rule: str = Field(max_length=30)
    party_role: str = Field(max_length=20)
    matched: str = Field(max_length=500)
    key: str = Field(max_length=200)  # what makes two screenings' findings the same finding
    evidence: dict[str, Any] = json_column(default_factory=dict)
    blocking: bool = Field(default=False)
    acknowledged_by: int | None = Field(default=None, foreign_key="accounts.id")
    acknowledged_at: datetime | None = timestamp(nullable=True)
    screened_at: datetime = timestamp(default_now=True)
