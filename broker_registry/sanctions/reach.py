"""What a sanction reaches, as data: for each sanction, which records it reaches (by their
status), what happens to each, and the reason code the revocation list gives."""

from __future__ import annotations

from dataclasses import dataclass

from certs.revocation_list import Reason

from ..certificates.models import CertificateStatus
from ..licences.models import LicenceStatus

CS, LS = CertificateStatus, LicenceStatus


@dataclass(frozen=True)
class Reach:
    action: str  # the action each record reached takes, through its own domain's table
    statuses: frozenset[str]  # the records reached: those in these statuses
    code: Reason = Reason.UNSPECIFIED  # a certificate's reason code on the revocation list
    cause: str | None = None  # recorded on what it reaches: which sanction reached it
    listed: bool = True  # each certificate gets its own entry on the revocation list
    caused_only: bool = False  # only those a sanction (not a regulator) put in that status


# A broker's suspension or revocation reaches its licences (their certificates follow, as
# a licence's sanction's do, under the registration's reason codes). Its reinstatement
# reaches none: a suspended licence comes back only when a regulator reinstates it.
BROKER_LICENCES = {
    "suspend": Reach("suspend", frozenset({LS.ISSUED}), cause="broker.suspend"),
    "revoke": Reach("revoke", frozenset({LS.ISSUED, LS.SUSPENDED}), cause="broker.revoke"),
}

# A licence's suspension, revocation or reinstatement reaches its certificates: the licence
# is always the cause recorded on them, and the reason code says whether its broker's
# registration started it. A reinstatement lifts only what a sanction suspended.
LICENCE_CERTIFICATES = {
    "suspend": Reach("suspend", frozenset({CS.VALID}), Reason.LICENCE_SUSPENDED, "licence"),
    "revoke": Reach("revoke", frozenset({CS.VALID, CS.SUSPENDED}), Reason.LICENCE_REVOKED,
                    "licence"),
    "reinstate": Reach("reinstate", frozenset({CS.SUSPENDED}), Reason.UNSPECIFIED,
                       caused_only=True),
}
BROKER_CERTIFICATES = {
    "suspend": Reach("suspend", frozenset({CS.VALID}), Reason.REGISTRATION_SUSPENDED, "licence"),
    "revoke": Reach("revoke", frozenset({CS.VALID, CS.SUSPENDED}), Reason.REGISTRATION_REVOKED,
                    "licence"),
}

# A signer key's revocation (key compromise) reaches every certificate it signed. The
# revocation list names the key once, which covers them all: they get no entry each.
SIGNER_CERTIFICATES = Reach("revoke", frozenset({CS.VALID, CS.SUSPENDED}),
                            Reason.KEY_COMPROMISE, "signer", listed=False)
