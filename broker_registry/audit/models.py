from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..db.columns import timestamp

REASON_LENGTH = 4000  # a reason as typed is at most this; one quoted in another is cut to it


def bounded_reason(reason: str | None) -> str | None:
    """A reason that fits its column: one that quotes another ("Broker registration ...
    revoked: <the regulator's 4,000 characters>") loses its tail, marked, not the request."""
    if reason is None or len(reason) <= REASON_LENGTH:
        return reason
    return reason[:REASON_LENGTH - 1] + "…"


class AuditAction(StrEnum):
    ACCOUNT_CREATED = "account.created"
    ACCOUNT_PASSWORD_CHANGED = "account.password_changed"
    ACCOUNT_DEACTIVATED = "account.deactivated"
    ACCOUNT_REACTIVATED = "account.reactivated"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    BROKER_APPLIED = "broker.applied"
    BROKER_APPROVED = "broker.approved"
    BROKER_REFUSED = "broker.refused"
    BROKER_SUSPENDED = "broker.suspended"
    BROKER_REINSTATED = "broker.reinstated"
    BROKER_REVOKED = "broker.revoked"
    BROKER_RENEWAL_REQUESTED = "broker.renewal_requested"
    BROKER_RENEWED = "broker.renewed"
    LICENCE_DRAFTED = "licence.drafted"
    LICENCE_SUBMITTED = "licence.submitted"
    LICENCE_INFORMATION_REQUESTED = "licence.information_requested"
    LICENCE_RESPONDED = "licence.responded"
    LICENCE_APPROVED = "licence.approved"
    LICENCE_ISSUED = "licence.issued"
    LICENCE_DENIED = "licence.denied"
    LICENCE_FINDINGS_ACKNOWLEDGED = "licence.findings_acknowledged"
    LICENCE_SUSPENDED = "licence.suspended"
    LICENCE_REINSTATED = "licence.reinstated"
    LICENCE_REVOKED = "licence.revoked"
    EMBARGO_SET = "screening.embargo_set"
    EMBARGO_REMOVED = "screening.embargo_removed"
    DENIED_LIST_IMPORTED = "screening.denied_list_imported"
    DENIED_PARTIES_ADDED = "screening.denied_parties_added"
    DENIED_PARTY_EDITED = "screening.denied_party_edited"
    DENIED_PARTY_REMOVED = "screening.denied_party_removed"
    SIGNER_CREATED = "signer.created"
    SIGNER_RETIRED = "signer.retired"
    SIGNER_REVOKED = "signer.revoked"
    CERTIFICATE_ISSUED = "certificate.issued"
    CERTIFICATE_REVOKED = "certificate.revoked"
    CERTIFICATE_SUSPENDED = "certificate.suspended"
    CERTIFICATE_REINSTATED = "certificate.reinstated"
    SHIPMENT_RECORDED = "shipment.recorded"
    SHIPMENT_REFUSED_ON_ARRIVAL = "shipment.refused_on_arrival"
    DELIVERY_CONFIRMED = "delivery.confirmed"
    AUTHORITY_ADDED = "authority.added"
    AUTHORITY_SUSPENDED = "authority.suspended"
    AUTHORITY_REINSTATED = "authority.reinstated"
    AUTHORITY_REMOVED = "authority.removed"
    NOTICE_RECEIVED = "notice.received"


class AuditEntry(SQLModel, table=True):
    """One link of the append-only, hash-chained audit log."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True, index=True)
    at: datetime = timestamp()
    actor_id: int | None = Field(default=None, foreign_key="accounts.id", index=True)
    actor: str = Field(max_length=300)
    action: str = Field(max_length=60, index=True)
    subject_type: str = Field(max_length=40)
    subject_id: str = Field(max_length=80)
    reason: str | None = Field(default=None, max_length=REASON_LENGTH)
    # a reason the registry wrote itself: its code and parameters (audit/reasons.py), which
    # make `reason`; none for a reason a person typed
    reason_code: str | None = Field(default=None, max_length=40)
    reason_params: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON))
    before: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)

    # The dashboard counts decisions per month by action: (action, at) keeps that a range scan.
    __table_args__ = (sa.Index("ix_audit_subject", "subject_type", "subject_id", "seq"),
                      sa.Index("ix_audit_action_at", "action", "at"))
