"""What a page says for a reason the registry records itself (audit/reasons.py's codes), in
the reader's language; a verification's reasons and warnings are said from i18n/verdicts.py,
the table the customs page's own verifier reads too. A page never reads an English sentence
back: rewording certs/ or the stored English changes no page in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext

from .labels import STATUSES, label

Params = Mapping[str, Any]

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
