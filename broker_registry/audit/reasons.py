"""The reasons the registry records itself, as a code and its parameters, and their stored
English.

An audit entry (and a certificate's status) keeps such a reason three ways: its code, its
parameters, and the English that `english` makes of them, which the API and the command line
show and the hash chain covers. The chain also checks that the code and parameters still make
that English (audit/chain.py), so they are as tamper-evident as the text: the stored English is
part of the log's format, and a new wording is a new code. Pages say a code in the reader's
language from i18n/reasons.py and never read the English back. A reason a person typed has no
code and is kept as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .models import bounded_reason


@dataclass(frozen=True)
class Recorded:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def english(self) -> str:
        return bounded_reason(ENGLISH[self.code](self.params))


def _lines(p: Mapping[str, Any]) -> str:
    return "; ".join(f"line {n['line']}: {n['received']} received of {n['shipped']} shipped"
                     for n in p["lines"])


# `what` is a sanction's past tense as a status code: suspended, revoked.
ENGLISH: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "broker_sanctioned": lambda p: f"Broker registration {p['number']} {p['what']}: {p['reason']}",
    "signer_revoked": lambda p: f"Signer key {p['kid']} revoked: {p['reason']}",
    "first_signer": lambda p: "first signer key",
    "rotated": lambda p: "rotated",
    "rotation": lambda p: "rotation",
    "signer_ending": lambda p: f"the signer's certificate ends on {p['ends']} UTC",
    "replaces_revoked": lambda p: "replaces a revoked key",
    "delivery_short": _lines,
    "password_changed": lambda p: "password changed; every session and token ended",
}


def broker_sanctioned(number, what: str, reason: str) -> Recorded:
    return Recorded("broker_sanctioned", {"number": str(number), "what": what, "reason": reason})


def signer_revoked(kid_hex: str, reason: str) -> Recorded:
    return Recorded("signer_revoked", {"kid": kid_hex, "reason": reason})


def delivery_short(lines: list[tuple[int, int, int]]) -> Recorded | None:
    """(line, received, shipped) of each line received short; None when none was."""
    if not lines:
        return None
    return Recorded("delivery_short", {"lines": [
        {"line": line, "received": received, "shipped": shipped}
        for line, received, shipped in lines]})


def stored(reason: str | Recorded | None) -> tuple[str | None, str | None, dict | None]:
    """(text, code, params) as an entry or a certificate stores a reason."""
    if isinstance(reason, Recorded):
        return reason.english, reason.code, dict(reason.params)
    return bounded_reason(reason), None, None


def agrees(text: str | None, code: str | None, params: Mapping[str, Any] | None) -> bool:
    """Whether a stored code and parameters make the stored text (none: nothing to check)."""
    if code is None:
        return params is None
    if code not in ENGLISH:
        return False
    try:
        return Recorded(code, params or {}).english == text
    except (KeyError, TypeError):
        return False
