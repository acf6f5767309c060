"""Answer shapes that no domain schema names, written down once for the OpenAPI document.

Views build these answers as dicts; the models here only describe them. Extra fields are
allowed, so a view may add a field before the model learns of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..accounts.schemas import AccountAdmin, TokenPublic
from ..brokers.schemas import BrokerPublic, HistoryItem, RegisterEntry
from ..certificates.schemas import CertificatePublic, RemainingLine
from ..history.reading import AuditEntryPublic
from ..licences.schemas import FindingPublic, LicencePublic, LinePublic


class Problem(BaseModel):
    """RFC 9457 problem details; `errors` names each bad field of a 422."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


class FieldProblem(BaseModel):
    field: str
    message: str


class TokenIssued(BaseModel):
    token: str
    expires_at: datetime
    role: Literal["broker", "regulator", "customs", "admin"]
    id: int


class TokenPage(BaseModel):
    items: list[TokenPublic]
    next_cursor: str | None


class SignUpAccepted(BaseModel):
    """The same answer whether or not the address has an account: the link to confirm the
    sign-up, or a word to the account's owner, goes to the address by email."""

    email: str
    detail: str


class AccountPage(BaseModel):
    items: list[AccountAdmin]
    next_cursor: str | None


class BrokerDetail(BrokerPublic):
    history: list[HistoryItem]


class BrokerPage(BaseModel):
    items: list[BrokerPublic]
    next_cursor: str | None


class RegisterPage(BaseModel):
    items: list[RegisterEntry]
    next_cursor: str | None


class AuditPage(BaseModel):
    items: list[AuditEntryPublic]
    next_cursor: str | None


class Category(BaseModel):
    code: str
    name: str


class CategoryPage(BaseModel):
    items: list[Category]
    next_cursor: str | None


class LicenceSummary(LicencePublic):
    status: str


class LicenceBroker(BaseModel):
    id: int
    legal_name: str
    registration_number: str | None
    status: str


class LicenceDetail(LicenceSummary):
    broker: LicenceBroker
    goods: list[LinePublic]
    screening: list[FindingPublic]
    history: list[dict[str, Any]]


class LicencePage(BaseModel):
    items: list[LicenceSummary]
    next_cursor: str | None


class CertificateDetail(CertificatePublic):
    licence_number: str | None
    remaining: list[RemainingLine]


class CertificatePage(BaseModel):
    items: list[CertificateDetail]
    next_cursor: str | None


class Notice(BaseModel):
    code: str
    params: dict[str, Any]


class VerificationAnswer(BaseModel):
    result: Literal["VALID", "REVOKED", "SUSPENDED", "EXPIRED", "NOT_YET_VALID", "EXHAUSTED",
                    "UNKNOWN_SIGNER", "BAD_SIGNATURE", "MALFORMED"]
    reason: str
    certificate: dict[str, Any] | None = Field(description=(
        "The content as signed (the readable form of the euc claim), with `issuer`, "
        "`issued_at`, `valid_from` and `valid_until` (RFC 3339, from the claims iat, nbf and "
        "exp) and, when this registry holds the certificate, its `status`; null only for "
        "MALFORMED."))
    remaining: list[RemainingLine]
    checked_at: datetime
    warnings: list[str]
    reason_code: str = Field(description=(
        "Why, as a stable code of the specification (docs/spec/euc-qr.md, section 10); "
        "`reason` is its English sentence."))
    reason_params: dict[str, Any] = Field(description="The reason code's named parameters.")
    warning_codes: list[Notice] = Field(description="`warnings` as codes, in the same order.")


class MarkingWarning(BaseModel):
    """A marking of the shipment that had already crossed under another certificate."""

    code: Literal["marking_crossed_before"]
    marking: str
    line: int
    certificates: list[str]


class ShipmentRecorded(BaseModel):
    shipment_id: int
    certificate: str
    border_post: str
    lines: list[dict[str, Any]]
    recorded_at: datetime
    remaining: list[RemainingLine]
    warnings: list[MarkingWarning]


class DeliveryRecorded(BaseModel):
    certificate: str
    received_at: datetime
    lines: list[dict[str, Any]]
    remarks: str | None


class TraceItem(BaseModel):
    marking: str
    line: int
    shipment_id: int
    border_post: str
    recorded_at: datetime
    certificate: str
    licence: str | None
    broker: str
    broker_registration: str | None
    crossed_before: bool  # it had crossed before under another certificate: flagged


class TracePage(BaseModel):
    items: list[TraceItem]
    next_cursor: str | None


class OverdueItem(BaseModel):
    number: str
    last_shipment_at: datetime


class OverduePage(BaseModel):
    items: list[OverdueItem]
    next_cursor: str | None


class AuthorityInfo(BaseModel):
    code: str
    name: str
    country: str


class TrustedSigner(BaseModel):
    kid: str
    certificate: str
    status: Literal["active", "retired", "revoked"]


class TrustList(BaseModel):
    authority: AuthorityInfo
    root: str
    signers: list[TrustedSigner]
    issued_at: datetime


class RevocationEntry(BaseModel):
    h: str
    s: Literal["revoked", "suspended", "active"]
    r: int
    at: int
    seq: int


class RevocationListJson(BaseModel):
    """The signed list's payload, for people (`?format=json`); machines take the COSE form."""

    authority: str
    sequence: int
    base: int
    issued_at: int
    next_update: int
    entries: list[RevocationEntry]
    revoked_signers: list[str]


Problem.model_rebuild()


class DeniedPartyEntry(BaseModel):
    id: int
    source: Literal["un", "authority"]
    reference: str
    kind: str
    name: str
    aliases: list[str]
    original_script_name: str | None
    countries: list[str]
    list_type: str
    listed_on: str | None
    licence_id: int | None
    grounds: str


class DeniedPartyPage(BaseModel):
    items: list[DeniedPartyEntry]
    next_cursor: str | None


class DeniedPartyRemoved(BaseModel):
    id: int
    removed: Literal[True]
