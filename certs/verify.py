"""The one verification routine every verifier uses (docs/spec/euc-qr.md, section 9).

verify() never raises: every defect of the input becomes a Result with a reason code and its
parameters saying why (reasons.py renders them as an English sentence). It is also the hot
path of offline checks at a border post, so it leans on the fast parts of
the package (hand-parsed COSE envelope, vectorised Base45, public keys cached in the
TrustStore, one dict lookup in the revocation state) and does no schema validation beyond
hand-written type checks.
"""

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .cose import Sign1, decode_sign1, der_signature, verify_der
from .errors import MalformedError
from .euc import Claims, decode_claims
from .qrtext import MAX_TEXT_LENGTH, decode_qr_text, too_long
from .reasons import Reason, malformed
from .revocation_list import Entry, EntryStatus, RevocationState, cti_hash
from .trust_list import Signer, SignerStatus, TrustStore


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


_VALID = Reason("valid")
_NOT_CHECKED = (Reason("revocation_not_checked"),)


@dataclass(frozen=True, slots=True)
class Verification:
    result: Result
    why: Reason  # the reason code and its parameters (reasons.py)
    claims: Claims | None  # None only for MALFORMED
    kid: bytes | None = None
    cti_hash: bytes | None = None
    signer: Signer | None = None  # the DSC whose signature verified
    revocation: Entry | None = None  # the revocation-list entry, when there is one
    notices: tuple[Reason, ...] = ()  # warnings, as codes

    @property
    def code(self) -> str:
        return self.why.code

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.why.params)

    @property
    def reason(self) -> str:
        """One human sentence, for the officer (English; other languages render `why`)."""
        return self.why.sentence

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(notice.sentence for notice in self.notices)

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
        return Verification(Result.MALFORMED, malformed(exc.code, exc.params, str(exc)), None)
    message, claims, h = reading.message, reading.claims, reading.cti_hash
    kid = message.kid
    candidates = trust.candidates(kid)
    if not candidates:
        return Verification(Result.UNKNOWN_SIGNER, _unknown(trust, kid), claims, kid, h)
    der, to_be_signed = der_signature(message.signature), message.to_be_signed()
    in_time = False
    for signer in candidates:
        if signer.valid_from <= claims.iat <= signer.valid_until:
            in_time = True
            if verify_der(der, to_be_signed, signer.public_key):
                return _after_signature(claims, signer, h, revocations, now)
    if not in_time:
        why = Reason("signer_not_valid_at_iat", {"kid": kid.hex(), "iat": claims.iat})
        return Verification(Result.UNKNOWN_SIGNER, why, claims, kid, h)
    why = Reason("signature_invalid", {"kid": kid.hex()})
    return Verification(Result.BAD_SIGNATURE, why, claims, kid, h)


def _unknown(trust: TrustStore, kid: bytes) -> Reason:
    refused = trust.untrusted.get(kid)
    if refused is None:
        return Reason("signer_unknown", {"kid": kid.hex()})
    return Reason("signer_not_trusted", {"kid": kid.hex(), "why": refused})


def _as_text(text: Any) -> Any:
    if type(text) is bytes:
        if len(text) > MAX_TEXT_LENGTH:
            raise too_long()
        try:
            return text.decode("ascii")
        except UnicodeDecodeError:
            raise MalformedError("the QR text is not ASCII", "not_euc1") from None
    return text


def _after_signature(
    claims: Claims,
    signer: Signer,
    h: bytes,
    revocations: RevocationState | None,
    now: float,
) -> Verification:
    kid = signer.kid
    notices = _notices(revocations, now)
    if signer.status is SignerStatus.REVOKED or (
        revocations is not None and revocations.signer_revoked(kid)
    ):
        why = Reason("signer_revoked", {"kid": kid.hex()})
        return Verification(Result.REVOKED, why, claims, kid, h, signer, None, notices)
    status = None if revocations is None else revocations.status(h)
    if status is not None:
        entry = revocations.lookup(h)
        result = Result.REVOKED if status is EntryStatus.REVOKED else Result.SUSPENDED
        why = Reason(status.value, {"at": entry.at, "revocation_reason": int(entry.reason)})
        return Verification(result, why, claims, kid, h, signer, entry, notices)
    if now >= claims.exp:
        why = Reason("expired", {"exp": claims.exp})
        return Verification(Result.EXPIRED, why, claims, kid, h, signer, None, notices)
    if now < claims.nbf:
        why = Reason("not_yet_valid", {"nbf": claims.nbf})
        return Verification(Result.NOT_YET_VALID, why, claims, kid, h, signer, None, notices)
    return Verification(Result.VALID, _VALID, claims, kid, h, signer, None, notices)


def _notices(revocations: RevocationState | None, now: float) -> tuple[Reason, ...]:
    if revocations is None or revocations.sequence is None:
        return _NOT_CHECKED
    stale = revocations.stale_seconds(now)
    if stale:
        return (Reason("revocation_list_stale", {"seconds": stale}),)
    return ()
