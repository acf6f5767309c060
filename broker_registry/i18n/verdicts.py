"""What a verification says to an officer, from its codes: the one table of the pages.

certs/ answers with a result, a reason code and parameters (docs/spec/euc-qr.md section 10).
The server's pages render them here, and the customs page's own verifier, running in the
browser, renders them from the same table, sent into the page by `lane_table()` in the
page's language: the officer reads the same words whichever side checked the code.

Messages use %(name)s placeholders. Times are epoch seconds, shown as "YYYY-MM-DD HH:MM UTC"
(`when`); `why` is the revocation list's reason code, shown by its label; `age` is seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from certs.reasons import MALFORMED_CODES, REVOCATION_REASON_WORDS, when

from .labels import REVOCATION_REASONS, VERDICTS, label
from .reasons import recorded_reason

_UNREADABLE = _l("Not a readable EUC1 certificate: this is not the code of an end-user "
                 "certificate.")
_ENVELOPE = _l("Not a readable EUC1 certificate: its signed envelope is not in the form the "
               "EUC1 standard requires.")
_SCHEMA = _l("Not a readable EUC1 certificate: what it says does not follow the end-user "
             "certificate's schema.")
_NOT_TRUSTED = _l("The signer %(kid)s is not on the trust list signed by the pinned root.")
_VALID = _l("Signature good, signer trusted, within its validity, not revoked.")

# Why, by reason code. A revocation's `note` (the reason the registry recorded) is added after
# a colon by reason_text.
REASONS: dict[str, Any] = {
    "valid": _VALID,
    "valid_unrecorded": _l("Signature good, signer trusted, within its validity, not revoked. "
                           "This registry has no record of it: ask the issuing authority."),
    "signer_revoked": _l("Its signing key %(kid)s has been revoked; nothing it signed is "
                         "valid."),
    "revoked": _l("The certificate was revoked on %(when)s (%(why)s)."),
    "suspended": _l("The certificate was suspended on %(when)s (%(why)s)."),
    "expired": _l("The certificate expired on %(when)s."),
    "not_yet_valid": _l("The certificate is not valid before %(when)s."),
    "exhausted": _l("Every goods line has been fully shipped."),
    "signer_unknown": _NOT_TRUSTED,
    "signer_not_trusted": _NOT_TRUSTED,
    "signer_not_valid_at_iat": _l("The signer %(kid)s was not valid when the certificate was "
                                  "issued (%(when)s)."),
    "signature_invalid": _l("The signature does not verify: the code was altered or forged."),
    "authority_unknown": _l("The certificate names the authority %(iss)s, which is not among the "
                            "authorities trusted here."),
    "authority_mismatch": _l("The certificate names the authority %(iss)s but is signed by a key "
                             "of %(signer_authority)s: refused."),
    "issued_abroad": _l("Issued by %(name)s (%(authority)s): the quantities left are known only "
                        "to the issuing registry."),
    **dict.fromkeys(MALFORMED_CODES, _SCHEMA),
    "text_too_long": _UNREADABLE,
    "not_euc1": _l("Not a readable EUC1 certificate: this is not the code of an end-user "
                   "certificate (it does not start with EUC1:)."),
    "base45_invalid": _l("Not a readable EUC1 certificate: the code was cut short or "
                         "mistyped."),
    "zlib_invalid": _l("Not a readable EUC1 certificate: its compressed content is damaged."),
    "zlib_too_large": _l("Not a readable EUC1 certificate: its compressed content is "
                         "damaged."),
    **dict.fromkeys(("cose_invalid", "cbor_invalid", "cbor_not_preferred",
                     "cbor_item_not_allowed", "duplicate_key", "header_invalid",
                     "alg_unsupported"), _ENVELOPE),
    "revocation_not_checked": _l("No revocation list is held: revocation was not checked."),
    "revocation_list_stale": _l("The revocation list is stale: its update was due %(age)s "
                                "ago."),
    "revocation_list_age": _l("Revocation data is %(age)s old (sequence %(sequence)s)."),
    "clock_skew": _l("This device's clock differed from the registry's by %(seconds)s s: fix "
                     "the clock, expiry checks depend on it."),
    "clock_unchecked": _l("This device's clock could not be compared with the registry's: "
                          "make sure it is right, expiry checks depend on it."),
}

# What to do, in plain words, for every result but VALID.
ACTIONS: dict[str, Any] = {
    "REVOKED": _l("Do not let the goods cross. Hold the goods and call the authority on "
                  "%(phone)s: this certificate has been revoked."),
    "SUSPENDED": _l("Do not let the goods cross. Hold the goods and call the authority on "
                    "%(phone)s: this certificate is suspended."),
    "EXPIRED": _l("Do not let the goods cross on this certificate. Hold the goods and call "
                  "the authority on %(phone)s."),
    "NOT_YET_VALID": _l("Do not let the goods cross yet. Hold the goods and call the authority "
                        "on %(phone)s."),
    "EXHAUSTED": _l("Nothing is left to ship on this certificate. Hold the goods and call the "
                    "authority on %(phone)s."),
    "UNKNOWN_SIGNER": _l("This code may be forged. Hold the goods and the papers, and call "
                         "the authority on %(phone)s."),
    "BAD_SIGNATURE": _l("This code has been altered or forged. Hold the goods and the papers, "
                        "and call the authority on %(phone)s."),
    "MALFORMED": _l("Scan the code again. If it still cannot be read, hold the goods and call "
                    "the authority on %(phone)s."),
}
UNTRUSTED_RESULTS = ("BAD_SIGNATURE", "UNKNOWN_SIGNER", "MALFORMED")
_AGES = {"min": _l("%(n)s min"), "h": _l("%(n)s h"), "days": _l("%(n)s days")}


def age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 3600:
        return str(_AGES["min"]) % {"n": seconds // 60}
    if seconds < 2 * 86400:
        return str(_AGES["h"]) % {"n": seconds // 3600}
    return str(_AGES["days"]) % {"n": seconds // 86400}


def revocation_reason(code: object) -> str:
    words = REVOCATION_REASON_WORDS.get(code) if isinstance(code, int) else None
    return label(REVOCATION_REASONS, words) if words else str(code)


def reason_text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """A reason or warning code and its parameters, in the reader's language."""
    p = dict(params or {})
    message = REASONS.get(code)
    if message is None:
        return code
    moment = next((p[k] for k in ("at", "exp", "nbf", "iat") if isinstance(p.get(k), int)), None)
    values = {name: p.get(name, "") for name in ("iss", "signer_authority", "authority", "name")}
    values |= {"kid": p.get("kid", ""), "sequence": p.get("sequence", ""),
              "seconds": p.get("seconds", ""), "why": revocation_reason(p.get("revocation_reason")),
              "when": when(moment) if moment is not None else "",
              "age": age(p.get("seconds") or 0)}
    text = str(message) % values
    if p.get("note"):
        note = recorded_reason(str(p["note"]), p.get("note_code"), p.get("note_params"))
        text = f"{text[:-1]}: {note}"
    return text


def verification(code: str, params: Mapping[str, Any] | None = None) -> str:
    """reason_text, and a code this table does not know (a newer certs/) said with its
    technical detail when it has one."""
    if code not in REASONS and "detail" in (params or {}):
        return gettext("Not a readable EUC1 certificate: %(detail)s.", detail=params["detail"])
    return reason_text(code, params)


def action_text(result: str, phone: str) -> str | None:
    message = ACTIONS.get(result)
    return str(message) % {"phone": phone} if message is not None else None


def lane_table() -> dict[str, Any]:
    """The table above in the page's language, for the customs page's verifier."""
    return {"verdicts": {code: str(text) for code, text in VERDICTS.items()},
            "reasons": {code: str(text) for code, text in REASONS.items()},
            "actions": {code: str(text) for code, text in ACTIONS.items()},
            "ages": {unit: str(text) for unit, text in _AGES.items()},
            "revocation_reasons": {str(code): revocation_reason(code)
                                   for code in REVOCATION_REASON_WORDS}}
