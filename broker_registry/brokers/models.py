from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..db.columns import json_column, timestamp, utcnow


class RegistrationStatus(StrEnum):
    SUBMITTED = "submitted"
    REGISTERED = "registered"
    REFUSED = "refused"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"


class BrokerKind(StrEnum):
    INDIVIDUAL = "individual"
    COMPANY = "company"


class Activity(StrEnum):
    BROKERING = "brokering"
    TRANSPORT = "transport"
    FINANCING = "financing"
    OTHER = "other"


class Broker(SQLModel, table=True):
    """A broker's registration: the application, and once approved, the registered broker."""

    __tablename__ = "brokers"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="accounts.id", index=True)
    legal_name: str = Field(max_length=300)
    kind: str = Field(max_length=20)
    country: str = Field(max_length=2, index=True)
    company_number: str | None = Field(default=None, max_length=100)
    address: str = Field(max_length=1000)
    email: str = Field(max_length=254)
    phone: str | None = Field(default=None, max_length=50)
    activities: list[str] = json_column()
    beneficial_owners: list[dict] = json_column()
    convictions_declared: bool = Field(default=False)
    convictions_details: str | None = Field(default=None, max_length=4000)
    status: str = Field(default=RegistrationStatus.SUBMITTED, max_length=20, index=True)
    registration_number: str | None = Field(default=None, max_length=40, unique=True)
    registered_at: datetime | None = timestamp(nullable=True)
    valid_until: datetime | None = timestamp(nullable=True, index=True)
    renewal_requested_at: datetime | None = timestamp(nullable=True)
    submitted_at: datetime = timestamp(default_now=True)
    decided_at: datetime | None = timestamp(nullable=True)
    updated_at: datetime = timestamp(default_now=True)

    # The queue reads a status in order of submission, and counts each tab (expiry is
    # valid_until, a renewal renewal_requested_at) over an index.
    __table_args__ = (sa.Index("ix_brokers_status_id", "status", "id"),
                      sa.Index("ix_brokers_registered_at", "registered_at"),
                      sa.Index("ix_brokers_status_submitted_at_id", "status", "submitted_at",
                               "id"),
                      sa.Index("ix_brokers_status_valid_until", "status", "valid_until"),
                      sa.Index("ix_brokers_status_renewal_requested_at", "status",
                               "renewal_requested_at"))

    @property
    def effective_status(self) -> RegistrationStatus:
        """Expiry is computed, so a registration past its date is expired without a job."""
        status = RegistrationStatus(self.status)
        if (status == RegistrationStatus.REGISTERED and self.valid_until is not None
                and self.valid_until <= utcnow()):
            return RegistrationStatus.EXPIRED
        return status
