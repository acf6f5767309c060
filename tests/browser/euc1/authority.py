"""A test authority for the differential tests: keys derived from fixed labels (so a failing
example replays with the same bytes), its trust list, genuine certificates and a signed full
revocation list, and helpers that sign any bytes as a COSE_Sign1 the way an issuer would."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256

from certs import pki
from certs.b45 import b45encode
from certs.cose import sig_structure
from certs.revocation_list import (
    Entry,
    RevocationState,
    cti_hash,
    parse_revocation_list,
    revocation_payload,
    sign_revocation_list,
)
from certs.trust_list import Authority, build_trust_list, parse_trust_list
from tests.certs.factories import DAY, NOW, REALISTIC_CONTENT, issue

ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256's n
START = datetime(2025, 1, 1, tzinfo=UTC)
AUTHORITY = Authority("XX-NCA", "National Control Authority", "XX")
LIST_ISSUED = NOW - 600


def key(label: str) -> ec.EllipticCurvePrivateKey:
    secret = int.from_bytes(hashlib.sha256(label.encode()).digest(), "big") % (ORDER - 1) + 1
    return ec.derive_private_key(secret, ec.SECP256R1())


@dataclass
class Signer:
    key: ec.EllipticCurvePrivateKey
    cert: object

    @property
    def kid(self) -> bytes:
        return pki.kid(self.cert)


@dataclass
class Issuer:
    root: object
    signers: dict[str, Signer]
    trust_list: dict
    full_list: bytes
    genuine: dict[str, str] = field(default_factory=dict)
    revoked_cti: bytes = b"R" * 16
    suspended_cti: bytes = b"S" * 16

    def trust(self):
        return parse_trust_list(self.trust_list, root_cert=self.root)

    def state(self, name: str) -> RevocationState | None:
        """The states the cases choose from: none held, or the full list applied."""
        if name == "none":
            return None
        held = RevocationState()
        held.apply(parse_revocation_list(self.full_list, trust=self.trust()))
        return held


def _dsc(root_key, root, label: str, serial: int, days: int, **kwargs) -> Signer:
    signer_key = key(label)
    cert = pki.make_dsc(root_key, root, signer_key.public_key(), common_name=f"XX-NCA {label}",
                        not_before=START + timedelta(days=days), serial_number=serial, **kwargs)
    return Signer(signer_key, cert)


def _signs_certificates() -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, content_commitment=False,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=True, crl_sign=False, encipher_only=False,
                         decipher_only=False)


@cache
def issuer() -> Issuer:
    root_key = key("root")
    root = pki.make_root(root_key, common_name="XX-NCA Root", country="XX",
                         organization="National Control Authority", not_before=START,
                         serial_number=1)
    signers = {"active": _dsc(root_key, root, "dsc-2", 2, 300),
               "retired": _dsc(root_key, root, "dsc-1", 3, 0),
               "revoked": _dsc(root_key, root, "dsc-revoked", 4, 0),  # marked in the trust list
               "compromised": _dsc(root_key, root, "dsc-compromised", 5, 0),  # in the list
               "unlisted": _dsc(root_key, root, "dsc-unlisted", 6, 0),
               "key-usage": _dsc(root_key, root, "dsc-key-usage", 7, 0,
                                 key_usage=_signs_certificates())}
    other_root = pki.make_root(key("other root"), common_name="XX-NCA Root", country="XX",
                               organization="National Control Authority", not_before=START)
    signers["rogue"] = _dsc(key("other root"), other_root, "dsc-rogue", 8, 0)
    statuses = {"active": "active", "retired": "retired", "revoked": "revoked",
                "compromised": "active", "key-usage": "active", "rogue": "active"}
    trust_list = build_trust_list(
        authority=AUTHORITY, root_cert=root, issued_at=datetime(2026, 5, 28, tzinfo=UTC),
        signers=[(signers[name].cert, status) for name, status in statuses.items()])
    made = Issuer(root, signers, trust_list, b"")
    made.full_list = signed_list(made, entries=[
        Entry(cti_hash(made.revoked_cti), "revoked", 1, NOW - DAY, 1),
        Entry(cti_hash(made.suspended_cti), "suspended", 4, NOW - DAY, 2)])
    made.genuine = _genuine(made)
    return made


def signed_list(authority: Issuer, *, entries, sequence: int = 3) -> bytes:
    payload = revocation_payload(
        authority=AUTHORITY.code, sequence=sequence, base=0, issued_at=LIST_ISSUED,
        next_update=LIST_ISSUED + 3600, entries=entries,
        revoked_signers=[authority.signers["compromised"].kid])
    active = authority.signers["active"]
    return sign_revocation_list(payload, signer_key=active.key, signer_cert=active.cert)


def _genuine(authority: Issuer) -> dict[str, str]:
    from tests.certs.factories import Authority as Made

    def made(signer: str, **kwargs) -> str:
        chosen = authority.signers[signer]
        holder = Made(None, authority.root, chosen.key, chosen.cert, chosen.key, chosen.cert)
        return issue(holder, cti=kwargs.pop("cti", hashlib.sha256(signer.encode()).digest()[:16]),
                     **kwargs)

    one_line = {**REALISTIC_CONTENT, "goods": REALISTIC_CONTENT["goods"][:1], "transit": [],
                "dvc_required": False}
    return {"valid": made("active"), "retired": made("retired"),
            "revoked": made("active", cti=authority.revoked_cti),
            "suspended": made("active", cti=authority.suspended_cti),
            "signer-revoked": made("revoked"), "signer-compromised": made("compromised"),
            "unlisted": made("unlisted"), "key-usage": made("key-usage"), "rogue": made("rogue"),
            "one-line": made("active", content=one_line,
                                                            cti=b"1" * 16)}


def signature(signer: Signer, protected: bytes, payload: bytes) -> bytes:
    der = signer.key.sign(sig_structure(protected, payload), ec.ECDSA(SHA256()))
    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def envelope(protected: bytes, payload: bytes, signature_bytes: bytes) -> bytes:
    """A tagged COSE_Sign1 in the one accepted layout."""
    return b"\xd2\x84" + cbor2.dumps(protected) + b"\xa0" + cbor2.dumps(payload) + (
        b"\x58\x40" + signature_bytes)


def protected_header(kid: bytes) -> bytes:
    return b"\xa2\x01\x26\x04\x48" + kid


def qr_text(cose: bytes, level: int = 9, strategy: int = zlib.Z_DEFAULT_STRATEGY) -> str:
    packer = zlib.compressobj(level, zlib.DEFLATED, 15, 9, strategy)
    return "EUC1:" + b45encode(packer.compress(cose) + packer.flush())
