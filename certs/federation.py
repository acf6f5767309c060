"""Several authorities, each trusted under its own root (docs/spec/federation.md).

Three things, pure like the rest of certs/: the federation metadata an authority publishes
(its code, name, root and endpoints) and the fingerprint a partner compares out of band;
verification of a certificate against the authority its `iss` names, and only that one; and
the shipment notice, a COSE_Sign1 one registry sends the issuing registry when goods crossed
against one of its certificates.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from . import pki, strict_cbor
from .cose import decode_sign1, der_signature, sign1, verify_der
from .errors import MalformedError
from .reasons import Reason, malformed
from .revocation_list import RevocationState
from .trust_list import TrustStore
from .verify import Reading, Result, Verification, read, verify

METADATA_PATH = "/.well-known/euc1-federation"
NOTICE_VERSION = 1
MAX_NOTICE = 64 * 1024
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
# Answers where the issuer's keys did not verify the signature: nothing says that authority
# issued the code, so the answer does not name it (no `issued_abroad`; federation.md section 3).
UNSIGNED_BY_ISSUER = frozenset({Result.MALFORMED, Result.UNKNOWN_SIGNER, Result.BAD_SIGNATURE})


class FederationError(ValueError):
    """Metadata or a notice that cannot be used; `code` says why (docs/spec/federation.md)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# --- the root's fingerprint and the metadata ----------------------------------------------


def fingerprint(root_der: bytes) -> str:
    """SHA-256 of the root's DER, 64 lower-case hexadecimal digits."""
    return hashlib.sha256(root_der).hexdigest()


def normalise_fingerprint(text: str) -> str | None:
    """A fingerprint as people write it (colons, spaces, either case) in the form above;
    None when it is not 32 bytes of hexadecimal."""
    cleaned = re.sub(r"[\s:]", "", text or "").lower()
    return cleaned if _FINGERPRINT.fullmatch(cleaned) else None


@dataclass(frozen=True)
class Metadata:
    code: str
    name: str
    country: str
    root_der: bytes
    base_url: str
    endpoints: dict[str, str]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.root_der)


def build_metadata(*, code: str, name: str, country: str, root_der: bytes,
                   base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")
    return {
        "federation": 1,
        "authority": {"code": code, "name": name, "country": country},
        "root": {"certificate": base64.b64encode(root_der).decode("ascii"),
                 "sha256": fingerprint(root_der)},
        "base_url": base,
        "endpoints": {
            "trust_list": f"{base}/api/v1/trust-list",
            "revocations": f"{base}/api/v1/revocations",
            "shipment_notices": f"{base}/api/v1/federation/notices",
        },
    }


def parse_metadata(doc: Any) -> Metadata:
    """The metadata document; FederationError(`metadata_invalid`) when it is not one."""
    try:
        authority, root = doc["authority"], doc["root"]
        code, name, country = authority["code"], authority["name"], authority["country"]
        root_der = base64.b64decode(root["certificate"], validate=True)
        endpoints = dict(doc["endpoints"])
        base_url = doc["base_url"]
        texts = [code, name, country, base_url, *endpoints.values()]
        if doc.get("federation") != 1 or not all(isinstance(t, str) and t for t in texts):
            raise TypeError("fields of the wrong type")
        pki.load_certificate(root_der)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FederationError("metadata_invalid", f"not federation metadata: {exc}") from None
    if root.get("sha256") != fingerprint(root_der):
        raise FederationError("metadata_invalid", "the metadata's sha256 is not that of its "
                                                  "root")
    return Metadata(code, name, country, root_der, base_url.rstrip("/"), endpoints)


def load_root(data: bytes) -> x509.Certificate:
    """A root certificate, PEM or DER, that is a CA; FederationError(`root_invalid`)."""
    try:
        root = pki.load_certificate(data)
        is_ca = root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except (ValueError, x509.ExtensionNotFound):
        is_ca = False
    if not is_ca:
        raise FederationError("root_invalid", "not a CA certificate (PEM or DER)")
    return root


# --- verification by the authority iss names ----------------------------------------------


@dataclass(frozen=True)
class Held:
    """What a verifier holds of one authority: its trust store (signers chained to its root)
    and its revocation state (None: no list held)."""

    trust: TrustStore
    revocations: Any = None  # RevocationState, or anything that answers as one


def verify_issued(text: Any, *, authorities: Mapping[str, Held],
                  now: float | None = None) -> Verification:
    """verify() against the authority the certificate's `iss` names, and only that one.

    An iss that names no authority held is UNKNOWN_SIGNER `authority_unknown`; a signer that
    belongs to another authority held than the one iss names is `authority_mismatch`: the
    claim of one authority signed under another's root is refused, never verified.
    """
    try:
        reading = text if type(text) is Reading else read(text)
    except MalformedError as exc:
        return Verification(Result.MALFORMED, malformed(exc.code, exc.params, str(exc)), None)
    iss, kid = reading.claims.iss, reading.message.kid
    held = authorities.get(iss)
    if held is None or not held.trust.candidates(kid):
        other = next((code for code, h in authorities.items()
                      if code != iss and h.trust.candidates(kid)), None)
        if other is not None:
            why = Reason("authority_mismatch", {"iss": iss, "kid": kid.hex(),
                                                "signer_authority": other})
            return Verification(Result.UNKNOWN_SIGNER, why, reading.claims, kid,
                                reading.cti_hash)
        if held is None:
            why = Reason("authority_unknown", {"iss": iss, "kid": kid.hex()})
            return Verification(Result.UNKNOWN_SIGNER, why, reading.claims, kid,
                                reading.cti_hash)
    return verify(reading, trust=held.trust, revocations=held.revocations, now=now)


# --- the shipment notice ------------------------------------------------------------------

_NOTICE_KEYS = {"v", "id", "from", "to", "h", "number", "post", "at", "lines"}
_LINE_KEYS = {"line", "quantity", "markings"}


@dataclass(frozen=True)
class Notice:
    notice_id: bytes  # 16 random bytes, chosen by the sender: the issuer's idempotency key
    sender: str  # the reporting authority's code
    issuer: str  # the certificate's iss
    cti_hash: bytes  # SHA-256(cti)[0:16]: the certificate's identity
    number: str  # the certificate number, for people
    border_post: str
    crossed_at: int  # epoch seconds
    lines: tuple[dict[str, Any], ...]  # {"line", "quantity", "markings": [text]}
    kid: bytes = b""  # the sender's signer, once verified

    def payload(self) -> dict[str, Any]:
        return {"v": NOTICE_VERSION, "id": self.notice_id, "from": self.sender,
                "to": self.issuer, "h": self.cti_hash, "number": self.number,
                "post": self.border_post, "at": self.crossed_at,
                "lines": [{"line": line["line"], "quantity": line["quantity"],
                           "markings": list(line.get("markings") or [])}
                          for line in self.lines]}


def sign_notice(notice: Notice, *, kid: bytes, key) -> bytes:
    payload = strict_cbor.encode(notice.payload())
    if payload is None:
        raise FederationError("notice_invalid", "the notice cannot be encoded")
    return sign1(payload, kid=kid, key=key)


def read_notice(data: bytes) -> Notice:
    """The notice's fields, not yet trusted: to learn who claims to have sent it."""
    if type(data) is not bytes or len(data) > MAX_NOTICE:
        raise FederationError("notice_invalid", "a notice is at most 64 KiB of COSE_Sign1")
    try:
        message = decode_sign1(data)
        fields = strict_cbor.loads(message.payload, "notice")
    except MalformedError as exc:
        raise FederationError("notice_invalid", f"not a signed notice: {exc}") from None
    return _notice(fields, message.kid)


def verify_notice(data: bytes, *, sender: TrustStore) -> Notice:
    """The notice, verified under the sender's trust store (its signers chained to the
    sender's root, not revoked); FederationError `notice_invalid`, `signer_unknown`,
    `signature_invalid`."""
    notice = read_notice(data)
    message = decode_sign1(data)
    candidates = [s for s in sender.candidates(message.kid) if s.status != "revoked"]
    if not candidates:
        raise FederationError("signer_unknown", "the notice's signer is not one of the "
                                                "sender's trusted signers")
    der, to_be_signed = der_signature(message.signature), message.to_be_signed()
    if not any(verify_der(der, to_be_signed, s.public_key) for s in candidates):
        raise FederationError("signature_invalid", "the notice's signature does not verify")
    if sender.authority is not None and notice.sender != sender.authority.code:
        raise FederationError("signer_unknown", "the notice names another sender")
    return notice


def _notice(fields: Any, kid: bytes) -> Notice:
    def refuse(why: str) -> FederationError:
        return FederationError("notice_invalid", f"the notice {why}")

    if not isinstance(fields, dict) or set(fields) != _NOTICE_KEYS:
        raise refuse(f"must hold exactly the keys {sorted(_NOTICE_KEYS)}")
    if fields["v"] != NOTICE_VERSION:
        raise refuse("has an unsupported version")
    for key, size in (("id", 16), ("h", 16)):
        if not isinstance(fields[key], bytes) or len(fields[key]) != size:
            raise refuse(f"field {key} must be {size} bytes")
    for key in ("from", "to", "number", "post"):
        if not isinstance(fields[key], str) or not fields[key] or len(fields[key]) > 200:
            raise refuse(f"field {key} must be text of 1 to 200 characters")
    if not _whole(fields["at"], 253402300799):
        raise refuse("field at must be epoch seconds")
    lines = fields["lines"]
    if not isinstance(lines, list) or not lines:
        raise refuse("must name at least one line")
    for line in lines:
        if not isinstance(line, dict) or set(line) != _LINE_KEYS \
                or not _whole(line["line"], 2**53 - 1) or not _whole(line["quantity"], 2**53 - 1) \
                or line["quantity"] < 1 or not isinstance(line["markings"], list) \
                or not all(isinstance(m, str) and 0 < len(m) <= 100 for m in line["markings"]):
            raise refuse("has a line that is not {line, quantity >= 1, markings: [text]}")
    if len({line["line"] for line in lines}) != len(lines):
        raise refuse("names a line twice")
    return Notice(fields["id"], fields["from"], fields["to"], fields["h"], fields["number"],
                  fields["post"], fields["at"], tuple(lines), kid)


def _whole(value: Any, top: int) -> bool:
    return type(value) is int and 0 <= value <= top


__all__ = ["METADATA_PATH", "FederationError", "Held", "Metadata", "Notice", "RevocationState",
           "build_metadata", "fingerprint", "load_root", "normalise_fingerprint",
           "parse_metadata", "read_notice", "sign_notice", "verify_issued", "verify_notice"]


# --- the signed list of partners, for offline verifiers ----------------------------------


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    base_url: str
    root_der: bytes


def sign_partner_list(*, authority: str, issued_at: int, partners: list[Partner], kid: bytes,
                      key) -> bytes:
    """The authorities this registry trusts, signed by its document signer: an offline
    verifier that pinned our root learns the partners' roots from it, not from anyone else."""
    payload = strict_cbor.encode({
        "authority": authority, "issued_at": issued_at,
        "partners": [{"code": p.code, "name": p.name, "base_url": p.base_url,
                      "root": p.root_der} for p in partners]})
    return sign1(payload, kid=kid, key=key)


def parse_partner_list(data: bytes, *, trust: TrustStore) -> list[Partner]:
    """The partners, verified under the home trust store; FederationError otherwise."""
    try:
        message = decode_sign1(data)
        fields = strict_cbor.loads(message.payload, "partner list")
    except MalformedError as exc:
        raise FederationError("list_invalid", f"the partner list is malformed: {exc}") from None
    signers = [s for s in trust.candidates(message.kid) if s.status != "revoked"]
    der, to_be_signed = der_signature(message.signature), message.to_be_signed()
    if not any(verify_der(der, to_be_signed, s.public_key) for s in signers):
        raise FederationError("list_invalid", "the partner list is not signed by a trusted "
                                              "signer of the pinned root")
    try:
        if trust.authority is not None and fields["authority"] != trust.authority.code:
            raise ValueError("another authority's list")
        partners = [Partner(p["code"], p["name"], p["base_url"], p["root"])
                    for p in fields["partners"]]
        if not all(isinstance(p.code, str) and isinstance(p.root_der, bytes) for p in partners):
            raise TypeError("fields of the wrong type")
    except (KeyError, TypeError, ValueError) as exc:
        raise FederationError("list_invalid", f"the partner list is malformed: {exc}") from None
    return partners
