"""The trust list (docs/spec/euc-qr.md section 7): building the public JSON and parsing it
into a TrustStore.

The document itself is plain JSON, not signed: what makes a signer trusted is that the root
the verifier pinned out of band signed its certificate (and pki.dsc_problem finds nothing
else amiss). A signer that fails is left out of the store, so certificates it signed answer
UNKNOWN_SIGNER; the store remembers why, by kid, for the reason code.

A signer's `status` here is unsigned. It can take trust away ("revoked" counts, beside the
signed revocation list's revoked_signers) but never give it: "active" and "retired" change
nothing in verification.
"""

import base64
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from . import pki
from .errors import TrustListError


class SignerStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"  # no longer signs; what it signed stays valid until it expires
    REVOKED = "revoked"  # key compromise: everything it signed fails


_FOREVER = 1 << 62


@dataclass(frozen=True, slots=True)
class Signer:
    kid: bytes
    certificate: x509.Certificate
    public_key: ec.EllipticCurvePublicKey
    status: SignerStatus
    # The certificate's validity, epoch seconds, both ends included: a certificate it signed
    # must have its iat within them.
    valid_from: int = 0
    valid_until: int = _FOREVER

    @classmethod
    def from_certificate(cls, cert: x509.Certificate, status: SignerStatus) -> "Signer":
        return cls(pki.kid(cert), cert, cert.public_key(), SignerStatus(status),
                   int(cert.not_valid_before_utc.timestamp()),
                   int(cert.not_valid_after_utc.timestamp()))

    def signs_at(self, moment: int) -> bool:
        return self.valid_from <= moment <= self.valid_until


@dataclass(frozen=True)
class Authority:
    code: str
    name: str
    country: str


@dataclass
class TrustStore:
    """Signers by kid. Several may share a kid; a verifier tries each of them."""

    signers: Iterable[Signer] = ()
    authority: Authority | None = None
    issued_at: datetime | None = None
    rejected: list[str] = field(default_factory=list)  # why listed signers were left out
    untrusted: dict[bytes, str] = field(default_factory=dict)  # kid -> why, as rejected

    def __post_init__(self) -> None:
        by_kid: dict[bytes, tuple[Signer, ...]] = {}
        for signer in self.signers:
            by_kid[signer.kid] = (*by_kid.get(signer.kid, ()), signer)
        self.signers = tuple(self.signers)
        self._by_kid = by_kid

    def candidates(self, kid: bytes) -> tuple[Signer, ...]:
        return self._by_kid.get(kid, ())


def build_trust_list(
    *,
    authority: Authority,
    root_cert: x509.Certificate,
    signers: Iterable[tuple[x509.Certificate, SignerStatus | str]],
    issued_at: datetime,
) -> dict[str, Any]:
    """The public trust list document, ready for json.dumps."""
    return {
        "authority": {"code": authority.code, "name": authority.name, "country": authority.country},
        "root": _b64(pki.certificate_der(root_cert)),
        "signers": [
            {
                "kid": _b64(pki.kid(cert)),
                "certificate": _b64(pki.certificate_der(cert)),
                "status": SignerStatus(status).value,
            }
            for cert, status in signers
        ],
        "issued_at": issued_at.astimezone(UTC).isoformat(timespec="seconds").replace(
            "+00:00", "Z"
        ),
    }


def parse_trust_list(
    document: dict[str, Any] | str | bytes, *, root_cert: x509.Certificate
) -> TrustStore:
    """A TrustStore of the listed signers that root_cert signed.

    Raises TrustListError when the document is malformed or names another root.
    """
    try:
        doc = json.loads(document) if isinstance(document, str | bytes) else document
        authority = Authority(**_fields(doc["authority"], ("code", "name", "country")))
        root_der = _unb64(doc["root"])
        issued_at = _rfc3339(doc["issued_at"])
        entries = list(doc["signers"])
    except (ValueError, KeyError, TypeError) as exc:
        raise TrustListError(f"the trust list is malformed: {exc}") from exc
    if root_der != pki.certificate_der(root_cert):
        raise TrustListError("the trust list names a root other than the pinned one")
    signers, rejected, untrusted = [], [], {}
    for position, entry in enumerate(entries):
        try:
            signers.append(_signer(entry, root_cert))
        except _Refused as refused:
            rejected.append(f"signer {position}: {refused.message}")
            untrusted.update(dict.fromkeys(refused.kids, refused.why))
        except (ValueError, KeyError, TypeError) as exc:
            rejected.append(f"signer {position}: {exc}")
    return TrustStore(signers, authority=authority, issued_at=issued_at, rejected=rejected,
                      untrusted=untrusted)


_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.ASCII)


class _Refused(Exception):
    def __init__(self, why: str, message: str, kids: tuple[bytes, ...]):
        super().__init__(message)
        self.why, self.message, self.kids = why, message, kids


_REFUSALS = {
    "not_signed_by_root": "certificate not signed by the pinned root",
    "unreadable": "certificate extensions cannot be read",
    "critical_extension": "certificate has a critical extension a verifier does not read",
    "ca_certificate": "certificate is a CA certificate, not a document signer",
    "key_usage": "certificate's key usage is not digital signatures only",
    "not_p256": "certificate key is not P-256",
}


def _signer(entry: dict[str, Any], root_cert: x509.Certificate) -> Signer:
    listed_kid = _unb64(entry["kid"])
    der = _unb64(entry["certificate"])
    try:
        cert = x509.load_der_x509_certificate(der)
    except (ValueError, x509.InvalidVersion):
        raise _Refused("unreadable", "certificate is not DER X.509", (listed_kid,)) from None
    kid = pki.kid(cert)
    if kid != listed_kid:
        raise _Refused("kid_mismatch", "kid does not match the certificate", (listed_kid,))
    why = pki.dsc_problem(cert, root_cert)
    if why is not None:
        raise _Refused(why, _REFUSALS[why], (kid,))
    if entry.get("status") not in SignerStatus._value2member_map_:
        raise _Refused("status_unknown", f"status {entry.get('status')!r} is not one of "
                       "active, retired, revoked", (kid,))
    return Signer.from_certificate(cert, SignerStatus(entry["status"]))


def _fields(obj: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    values = {name: obj[name] for name in names}
    if not all(isinstance(value, str) for value in values.values()):
        raise TypeError("authority fields must be text")
    return values


def _rfc3339(text: Any) -> datetime:
    """An RFC 3339 date-time with its offset (section 5.6): what fromisoformat alone would
    also take (a bare date, no offset, a space for the T) is refused."""
    if not isinstance(text, str) or not _RFC3339.fullmatch(text):
        raise ValueError(f"issued_at {text!r} is not an RFC 3339 date-time")
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise TypeError("expected base64 text")
    return base64.b64decode(text, validate=True)  # binascii.Error is a ValueError
