"""A status's tag colour, named once for every page: a status code (any case: a registration's
"registered", a certificate's "valid", a verdict's "VALID") -> tone -> the class `tag-<tone>`
that static/components.css colours. A status not listed is grey, never a wrong colour."""

from __future__ import annotations

TONES = {
    "ok": ("registered", "issued", "valid", "active"),
    "info": ("submitted",),
    "warn": ("suspended", "awaiting_countersignature", "information_requested", "not_yet_valid",
             "exhausted"),
    "bad": ("revoked", "refused", "denied", "expired", "deactivated", "unknown_signer",
            "bad_signature", "malformed"),
    "neutral": ("draft",),
}
_TONE_OF = {status: tone for tone, statuses in TONES.items() for status in statuses}


def tone(status: object) -> str:
    return _TONE_OF.get(str(status or "").lower(), "neutral")
