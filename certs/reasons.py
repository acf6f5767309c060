"""Why a verification answered as it did: a stable code with named parameters, and the one
table that says each in English.

The codes, their parameters and the result each belongs to are part of the specification
(docs/spec/euc-qr.md, section 10), so that verifiers in other languages say the same thing in
their own words. certs/ writes no other sentence about a verification: everything else
passes a code and its parameters.

Parameters are JSON values: `kid` is 16 hex digits, times are epoch seconds, `seconds` a
whole number. Every MALFORMED code also carries `detail`, an English technical note for
logs and support (the exception's message); it is not part of the contract.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_DETAIL = 200

MALFORMED_CODES = (
    "text_too_long", "not_euc1", "base45_invalid", "zlib_invalid", "zlib_too_large",
    "cose_invalid", "cbor_invalid", "cbor_not_preferred", "cbor_item_not_allowed",
    "duplicate_key", "header_invalid", "alg_unsupported", "payload_not_a_map", "claim_missing",
    "claim_unknown",
    "claim_invalid", "validity_inverted", "content_version_unsupported", "content_invalid",
)
# Every reason code, by the result it explains (EXHAUSTED and valid_unrecorded: online only).
RESULT_CODES: dict[str, tuple[str, ...]] = {
    "VALID": ("valid", "valid_unrecorded"),
    "REVOKED": ("signer_revoked", "revoked"),
    "SUSPENDED": ("suspended",),
    "EXPIRED": ("expired",),
    "NOT_YET_VALID": ("not_yet_valid",),
    "EXHAUSTED": ("exhausted",),
    "UNKNOWN_SIGNER": ("signer_unknown", "signer_not_trusted", "signer_not_valid_at_iat",
                       "authority_unknown", "authority_mismatch"),
    "BAD_SIGNATURE": ("signature_invalid",),
    "MALFORMED": MALFORMED_CODES,
}
WARNING_CODES = ("revocation_not_checked", "revocation_list_stale", "revocation_list_age",
                 "clock_skew", "clock_unchecked", "issued_abroad")
UNCHECKED_CLOCK = ("This machine's clock was not compared with the server's at the last sync "
                   "(the server sent no readable Date header)")
_VALID = "Signature good, signer trusted, within its validity, not revoked."
_NOT_TRUSTED = "The signer {kid} is not on the trust list signed by the pinned root."


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason or warning code with its parameters; `sentence` is its English."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sentence(self) -> str:
        return ENGLISH[self.code](self.params)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


def when(epoch: int) -> str:
    try:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, ValueError, OSError):
        return f"epoch second {epoch}"


def age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


# The revocation list's reason codes ("r"), as the English sentence names them. A code this
# table does not know is said as "code N": the list may grow.
REVOCATION_REASON_WORDS = {
    0: "unspecified", 1: "licence revoked", 2: "licence suspended", 3: "registration revoked",
    4: "registration suspended", 5: "issued in error", 6: "superseded", 7: "key compromise",
    8: "diversion suspected",
}


def _on_the_list(status: str) -> Callable[[Mapping[str, Any]], str]:
    def sentence(p: Mapping[str, Any]) -> str:
        code = p["revocation_reason"]
        words = REVOCATION_REASON_WORDS.get(code, f"code {code}")
        text = f"The certificate was {status} on {when(p['at'])} ({words})."
        return f"{text[:-1]}: {p['note']}" if p.get("note") else text

    return sentence


def _malformed(p: Mapping[str, Any]) -> str:
    return f"Not a readable EUC1 certificate: {p['detail']}."


ENGLISH: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "valid": lambda p: _VALID,
    "valid_unrecorded": lambda p: _VALID + " (This registry has no record of it: ask the "
                                           "issuing authority.)",
    "signer_revoked": lambda p: (f"Its signing key {p['kid']} has been revoked; nothing it "
                                 "signed is valid."),
    "revoked": _on_the_list("revoked"),
    "suspended": _on_the_list("suspended"),
    "expired": lambda p: f"The certificate expired on {when(p['exp'])}.",
    "not_yet_valid": lambda p: f"The certificate is not valid before {when(p['nbf'])}.",
    "exhausted": lambda p: "Every goods line has been fully shipped.",
    "signer_unknown": lambda p: _NOT_TRUSTED.format(kid=p["kid"]),
    "signer_not_trusted": lambda p: _NOT_TRUSTED.format(kid=p["kid"]),
    "signer_not_valid_at_iat": lambda p: (f"The signer {p['kid']} was not valid when the "
                                          f"certificate was issued ({when(p['iat'])})."),
    "authority_unknown": lambda p: (f"The certificate names the authority {p['iss']}, "
                                    "which is not among the authorities trusted here."),
    "authority_mismatch": lambda p: (f"The certificate names the authority {p['iss']} but "
                                     f"is signed by a key of {p['signer_authority']}: refused."),
    "signature_invalid": lambda p: "The signature does not verify: the code was altered or "
                                   "forged.",
    **dict.fromkeys(MALFORMED_CODES, _malformed),
    "revocation_not_checked": lambda p: "No revocation list is held: revocation was not "
                                        "checked.",
    "revocation_list_stale": lambda p: (f"The revocation list is stale: its update was due "
                                        f"{age(p['seconds'])} ago."),
    "revocation_list_age": lambda p: (f"Revocation data is {age(p['seconds'])} old (sequence "
                                      f"{p['sequence']})."),
    "clock_skew": lambda p: (f"This machine's clock differed from the server's by "
                             f"{int(p['seconds'])} s at the last sync: fix the clock, expiry "
                             "checks depend on it."),
    "issued_abroad": lambda p: (f"Issued by {p['name']} ({p['authority']}): the quantities "
                                "left are known only to the issuing registry."),
    "clock_unchecked": lambda p: (f"{UNCHECKED_CLOCK}: make sure it is right, expiry checks "
                                  "depend on it."),
}


def malformed(code: str, params: Mapping[str, Any], detail: str) -> Reason:
    return Reason(code, {**params, "detail": detail[:MAX_DETAIL]})
