from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from certs.revocation_list import Reason

from ..db.columns import json_column, timestamp, utcnow

# The reason codes a regulator may give when revoking one certificate, by the name the API and
# the form use; the others are written by the sanctions and key revocations that cause them.
REVOKE_CODES = {"unspecified": Reason.UNSPECIFIED, "issued_in_error": Reason.ISSUED_IN_ERROR,
                "superseded": Reason.SUPERSEDED,
                "diversion_suspected": Reason.DIVERSION_SUSPECTED}

class CertificateStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"  # computed from valid_until, never stored


class Certificate(SQLModel, table=True):
    """A signed end-user certificate (最终用户证书) issued under one brokering licence."""

    __tablename__ = "certificates"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True)
    licence_id: int = Field(foreign_key="licences.id", index=True)
    signer_id: int = Field(foreign_key="signer_keys.id", index=True)
    cti: bytes = Field(sa_column=sa.Column(sa.LargeBinary(16), nullable=False, unique=True))
    # SHA-256(cti)[:16], the certificate's name on the public revocation list.
    cti_hash: bytes = Field(sa_column=sa.Column(sa.LargeBinary(16), nullable=False, unique=True))
    status: str = Field(default=CertificateStatus.VALID, max_length=12)
    # Suspended because its licence or broker was: lifted when that is reinstated.
    suspended_by: str | None = Field(default=None, max_length=20)
    status_reason: str | None = Field(default=None, max_length=4000)
    # when the registry wrote that reason itself: its code and parameters (audit/reasons.py)
    status_reason_code: str | None = Field(default=None, max_length=40)
    status_reason_params: dict[str, Any] | None = Field(default=None,
                                                        sa_column=sa.Column(sa.JSON))
    # the revocation list's reason code for its status (certs.revocation_list.Reason), so that
    # online verification names what the list names
    status_code: int = Field(default=0, sa_type=sa.SmallInteger,
                             sa_column_kwargs={"server_default": "0"})
    issued_by: int = Field(foreign_key="accounts.id")
    issued_at: datetime = timestamp(default_now=True, index=True)
    not_before: datetime = timestamp()
    valid_until: datetime = timestamp()
    content: dict[str, Any] = json_column(default_factory=dict)
    qr_payload: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    dvc_required: bool = Field(default=True)
    last_shipment_at: datetime | None = timestamp(nullable=True, index=True)  # overdue deliveries
    delivered_at: datetime | None = timestamp(nullable=True)
    updated_at: datetime = timestamp(default_now=True)

    @property
    def effective_status(self) -> CertificateStatus:
        return effective_status(self.status, self.valid_until)


def effective_status(status: str, valid_until: datetime) -> CertificateStatus:
    """Expiry is computed from valid_until, never stored: no job has to run for it."""
    status = CertificateStatus(status)
    if status == CertificateStatus.VALID and valid_until <= utcnow():
        return CertificateStatus.EXPIRED
    return status


class CertificateLine(SQLModel, table=True):
    """One goods line of a certificate: how much it licenses, and how much has crossed."""

    __tablename__ = "certificate_lines"

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificates.id")
    licence_line_id: int = Field(foreign_key="licence_lines.id", index=True)
    line_no: int
    quantity: int = Field(sa_type=sa.BigInteger)
    shipped: int = Field(default=0, sa_type=sa.BigInteger)

    __table_args__ = (
        sa.UniqueConstraint("certificate_id", "line_no", name="uq_certificate_lines_line"),
        sa.CheckConstraint("shipped >= 0 AND shipped <= quantity",
                           name="ck_certificate_lines_within_quantity"),
    )

    @property
    def left(self) -> int:
        return self.quantity - self.shipped


class Rendering(SQLModel, table=True):
    """A certificate's QR image or PDF, rendered once and served from here afterwards."""

    __tablename__ = "certificate_renderings"

    certificate_id: int = Field(foreign_key="certificates.id", primary_key=True)
    kind: str = Field(max_length=10, primary_key=True)  # png, svg, pdf
    body: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    created_at: datetime = timestamp(default_now=True)
