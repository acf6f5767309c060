"""The one verification routine every verifier uses (spec section 4).

verify() never raises: every defect of the input becomes a Result with a sentence saying why.
It is also the hot path of offline checks at a border post, so it leans on the fast parts of
the package (hand-parsed COSE envelope, vectorised Base45, public keys cached in the
TrustStore, one dict lookup in the revocation state) and does no schema validation beyond
hand-written type checks.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from .cose import Sign1, decode_sign1, der_signature, verify_der
from .errors import MalformedError
from .euc import Claims, decode_claims
from .qrtext import MAX_TEXT_LENGTH, decode_qr_text
from .revocation_list import Entry, EntryStatus, RevocationState, cti_hash
from .trust_list import Signer, SignerStatus, TrustStore

_MAX_REASON_DETAIL = 200


class Result(StrEnum):
    VALID = "VALID"
    REVOKED = "REVOKED"
    SUSPENDED = "SUSPENDED"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    EXHAUSTED = "EXHAUSTED"  # decided by the online app from shipments, never here
    UNKNOWN_SIGNER = "UNKNOWN_SIGNER"
    BAD_SIGNATURE = "BAD_SIGNATURE"
    MALFORMED = "MALFORMED"


@dataclass(frozen=True, slots=True)
class Verification:
    result: Result
    reason: str  # one human sentence, for the officer
    claims: Claims | None  # None only for MALFORMED
    kid: bytes | None = None
    cti_hash: bytes | None = None
    signer: Signer | None = None  # the DSC whose signature verified
    revocation: Entry | None = None  # the revocation-list entry, when there is one
    warnings: tuple[str, ...] = ()

    @property
    def content(self) -> dict[str, Any] | None:
        return None if self.claims is None else self.claims.content


@dataclass(frozen=True, slots=True)
class Reading:
    """A QR text decoded and its claims type-checked, nothing more: not yet trusted."""

    message: Sign1
    claims: Claims
    cti_hash: bytes


def read(text: Any) -> Reading:
    """Decode one QR text without checking it; MalformedError for any defect.

    For a caller that needs the certificate's identity before the check (to look up its
    record together with something else); verify() accepts the Reading in place of the text.
    """
    message = decode_sign1(decode_qr_text(_as_text(text)))
    claims = decode_claims(message.payload)
    return Reading(message, claims, cti_hash(claims.cti))


def verify(
    text: Any,
    *,
    trust: TrustStore,
    revocations: RevocationState | None = None,
    now: float | None = None,
) -> Verification:
    """Check one QR text (or its Reading) offline: format, signer, signature, revocation,
    validity."""
    if now is None:
        now = time.time()
    try:
        reading = text if type(text) is Reading else read(text)
    except MalformedError as exc:
        detail = str(exc)[:_MAX_REASON_DETAIL]
        return Verification(Result.MALFORMED, f"Not a readable EUC1 certificate: {detail}.", None)
    message, claims, h = reading.message, reading.claims, reading.cti_hash
    kid = message.kid
    candidates = trust.candidates(kid)
    if not candidates:
        return Verification(
            Result.UNKNOWN_SIGNER,
            f"The signer {kid.hex()} is not on the trust list signed by the pinned root.",
            claims, kid, h,
        )
    der, to_be_signed = der_signature(message.signature), message.to_be_signed()
    for signer in candidates:
        if verify_der(der, to_be_signed, signer.public_key):
            return _after_signature(claims, signer, h, revocations, now)
    return Verification(
        Result.BAD_SIGNATURE,
        "The signature does not verify: the code was altered or forged.",
        claims, kid, h,
    )


def _as_text(text: Any) -> Any:
    if type(text) is bytes:
        if len(text) > MAX_TEXT_LENGTH:
            raise MalformedError(f"the QR text is longer than {MAX_TEXT_LENGTH} characters")
        try:
            return text.decode("ascii")
        except UnicodeDecodeError:
            raise MalformedError("the QR text is not ASCII") from None
    return text


def _after_signature(
    claims: Claims,
    signer: Signer,
    h: bytes,
    revocations: RevocationState | None,
    now: float,
) -> Verification:
    kid = signer.kid
    warnings = _warnings(revocations, now)
    if signer.status is SignerStatus.REVOKED or (
        revocations is not None and revocations.signer_revoked(kid)
    ):
        sentence = f"Its signing key {kid.hex()} has been revoked; nothing it signed is valid."
        return Verification(Result.REVOKED, sentence, claims, kid, h, signer, None, warnings)
    status = None if revocations is None else revocations.status(h)
    if status is not None:
        entry = revocations.lookup(h)
        result = Result.REVOKED if status is EntryStatus.REVOKED else Result.SUSPENDED
        sentence = f"The certificate was {status.value} on {_when(entry.at)} ({_reason(entry)})."
        return Verification(result, sentence, claims, kid, h, signer, entry, warnings)
    if now >= claims.exp:
        sentence = f"The certificate expired on {_when(claims.exp)}."
        return Verification(Result.EXPIRED, sentence, claims, kid, h, signer, None, warnings)
    if now < claims.nbf:
        sentence = f"The certificate is not valid before {_when(claims.nbf)}."
        return Verification(Result.NOT_YET_VALID, sentence, claims, kid, h, signer, None, warnings)
    sentence = "Signature good, signer trusted, within its validity, not revoked."
    return Verification(Result.VALID, sentence, claims, kid, h, signer, None, warnings)


def _warnings(revocations: RevocationState | None, now: float) -> tuple[str, ...]:
    if revocations is None or revocations.sequence is None:
        return ("No revocation list is held: revocation was not checked.",)
    stale = revocations.stale_seconds(now)
    if stale:
        return (f"The revocation list is stale: its update was due {_age(stale)} ago.",)
    return ()


def _reason(entry: Entry) -> str:
    reason = entry.reason
    return reason.name.lower().replace("_", " ") if hasattr(reason, "name") else f"code {reason}"


def _when(epoch: int) -> str:
    try:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, ValueError, OSError):
        return f"epoch second {epoch}"


def _age(seconds: int) -> str:
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"
