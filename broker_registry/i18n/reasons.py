"""What a page says for a reason code and its parameters, in the reader's language: one table
for the verification's reasons and warnings (certs/reasons.py's codes) and one for the reasons
the registry records itself (audit/reasons.py's codes). A page never reads an English sentence
back: rewording certs/ or the stored English changes no page in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext

from certs.reasons import age, when
from certs.revocation_list import Reason

from .labels import REVOCATION_REASONS, STATUSES, label

Params = Mapping[str, Any]

def _revocation_words(code: object) -> str:
    """The revocation list's reason code in the reader's words (an unknown one as "code N")."""
    try:
        key = Reason(int(code)).name.lower().replace("_", " ")
    except (TypeError, ValueError):
        key = f"code {code}"
    return label(REVOCATION_REASONS, key)


def _on_the_list(status: str) -> Callable[[Params], str]:
    def sentence(p: Params) -> str:
        values = {"when": when(p["at"]), "why": _revocation_words(p["revocation_reason"])}
        note = recorded_reason(p.get("note"), p.get("note_code"), p.get("note_params"))
        if status == "revoked":
            if note:
                return gettext("The certificate was revoked on %(when)s (%(why)s): %(reason)s",
                               reason=note, **values)
            return gettext("The certificate was revoked on %(when)s (%(why)s).", **values)
        if note:
            return gettext("The certificate was suspended on %(when)s (%(why)s): %(reason)s",
                           reason=note, **values)
        return gettext("The certificate was suspended on %(when)s (%(why)s).", **values)

    return sentence


def _valid(p: Params) -> str:
    return gettext("Signature good, signer trusted, within its validity, not revoked.")


def _not_trusted(p: Params) -> str:
    return gettext("The signer %(kid)s is not on the trust list signed by the pinned root.",
                   kid=p["kid"])


def _envelope(p: Params) -> str:
    return gettext("Not a readable EUC1 certificate: its signed envelope is not in the form the "
                   "EUC1 standard requires.")


def _schema(p: Params) -> str:
    return gettext("Not a readable EUC1 certificate: what it says does not follow the end-user "
                   "certificate's schema.")


def _encoding(p: Params) -> str:
    """A defect of the CBOR encoding: of the envelope's header, or of what the payload says."""
    if p.get("part") == "protected_header":
        return _envelope(p)
    if p.get("part") == "payload":
        return _schema(p)
    return gettext("Not a readable EUC1 certificate: %(detail)s.", detail=p.get("detail", ""))


VERIFICATION: dict[str, Callable[[Params], str]] = {
    "valid": _valid,
    "valid_unrecorded": lambda p: _valid(p) + gettext(
        " (This registry has no record of it: ask the issuing authority.)"),
    "signer_revoked": lambda p: gettext(
        "Its signing key %(kid)s has been revoked; nothing it signed is valid.", kid=p["kid"]),
    "revoked": _on_the_list("revoked"),
    "suspended": _on_the_list("suspended"),
    "expired": lambda p: gettext("The certificate expired on %(when)s.", when=when(p["exp"])),
    "not_yet_valid": lambda p: gettext("The certificate is not valid before %(when)s.",
                                       when=when(p["nbf"])),
    "exhausted": lambda p: gettext("Every goods line has been fully shipped."),
    "signer_unknown": _not_trusted,
    "signer_not_trusted": _not_trusted,
    "signer_not_valid_at_iat": lambda p: gettext(
        "The signer %(kid)s was not valid when the certificate was issued (%(when)s).",
        kid=p["kid"], when=when(p["iat"])),
    "signature_invalid": lambda p: gettext(
        "The signature does not verify: the code was altered or forged."),
    # MALFORMED: the commonest ways a code is unreadable, each in one plain sentence; the API
    # and the command line keep the technical detail
    "text_too_long": lambda p: gettext(
        "Not a readable EUC1 certificate: this is not the code of an end-user certificate."),
    "not_euc1": lambda p: gettext(
        "Not a readable EUC1 certificate: this is not the code of an end-user certificate (it "
        "does not start with EUC1:)."),
    "base45_invalid": lambda p: gettext(
        "Not a readable EUC1 certificate: the code was cut short or mistyped."),
    "zlib_invalid": lambda p: gettext(
        "Not a readable EUC1 certificate: its compressed content is damaged."),
    "zlib_too_large": lambda p: gettext(
        "Not a readable EUC1 certificate: its compressed content is damaged."),
    "cose_invalid": _envelope,
    "header_invalid": _envelope,
    "alg_unsupported": _envelope,
    "cbor_invalid": _encoding,
    "cbor_not_preferred": _encoding,
    "cbor_item_not_allowed": _encoding,
    "duplicate_key": _encoding,
    "payload_not_a_map": _schema,
    "claim_missing": _schema,
    "claim_unknown": _schema,
    "claim_invalid": _schema,
    "validity_inverted": _schema,
    "content_version_unsupported": _schema,
    "content_invalid": _schema,
    # warnings
    "revocation_list_stale": lambda p: gettext(
        "The revocation list is stale: its update was due %(age)s ago.", age=age(p["seconds"])),
    "revocation_not_checked": lambda p: gettext(
        "No revocation list is held: revocation was not checked."),
    "revocation_list_age": lambda p: gettext(
        "Revocation data is %(age)s old (sequence %(sequence)s).", age=age(p["seconds"]),
        sequence=p["sequence"]),
    "clock_skew": lambda p: gettext(
        "This machine's clock differed from the server's by %(seconds)s s at the last sync: fix "
        "the clock, expiry checks depend on it.", seconds=int(p["seconds"])),
    "clock_unchecked": lambda p: gettext(
        "This machine's clock was not compared with the server's at the last sync (the server "
        "sent no readable Date header): make sure it is right, expiry checks depend on it."),
}


def verification(code: str, params: Params | None = None) -> str:
    """A verification's reason or warning in the reader's language; a code this table does not
    know (a newer certs/) is said with its technical detail, or as the code itself."""
    params = params or {}
    sentence = VERIFICATION.get(code)
    if sentence is None:
        if "detail" in params:
            return gettext("Not a readable EUC1 certificate: %(detail)s.", detail=params["detail"])
        return code
    return sentence(params)


def _short_lines(p: Params) -> str:
    return gettext("; ").join(
        gettext("line %(line)s: %(received)s received of %(shipped)s shipped", line=n["line"],
                received=n["received"], shipped=n["shipped"]) for n in p["lines"])


# The reasons the registry records itself (audit/reasons.py), around the words a regulator
# typed, which stay as typed.
RECORDED: dict[str, Callable[[Params], str]] = {
    "broker_sanctioned": lambda p: gettext(
        "Broker registration %(number)s %(what)s: %(reason)s", number=p["number"],
        what=label(STATUSES, p["what"]), reason=p["reason"]),
    "signer_revoked": lambda p: gettext("Signer key %(kid)s revoked: %(reason)s", kid=p["kid"],
                                        reason=p["reason"]),
    "first_signer": lambda p: gettext("first signer key"),
    "rotated": lambda p: gettext("rotated"),
    "rotation": lambda p: gettext("rotation"),
    "signer_ending": lambda p: gettext("the signer's certificate ends on %(ends)s UTC",
                                       ends=p["ends"]),
    "replaces_revoked": lambda p: gettext("replaces a revoked key"),
    "delivery_short": _short_lines,
    "password_changed": lambda p: gettext("password changed; every session and token ended"),
}


def recorded_reason(text: str | None, code: str | None = None,
                    params: Params | None = None) -> str | None:
    """A stored reason in the reader's language: by its code when the registry wrote it; a
    person's own words (no code) as typed."""
    sentence = RECORDED.get(code) if code else None
    return text if sentence is None else sentence(params or {})
