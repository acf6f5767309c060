"""The test vectors' authority: keys derived from fixed labels, its certificates, trust lists
and signed revocation lists, all at fixed times.

No private key is stored anywhere: each is SHA-256 of its label, reduced into the P-256
scalar range, so running the script again gives the same keys, and deterministic ECDSA
(RFC 6979) the same signatures, byte for byte. These keys are public by construction: they
sign test vectors and nothing else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from certs import pki
from certs.revocation_list import Entry, EntryStatus, revocation_payload, sign_revocation_list
from certs.trust_list import Authority, build_trust_list

AUTHORITY = Authority(code="XX-NCA", name="National Control Authority (test vectors)",
                      country="XX")
_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256's n


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def epoch(text: str) -> int:
    return int(at(text).timestamp())


def key(label: str) -> ec.EllipticCurvePrivateKey:
    digest = hashlib.sha256(f"broker-registry spec vectors: {label}".encode()).digest()
    return ec.derive_private_key(int.from_bytes(digest, "big") % (_ORDER - 1) + 1,
                                 ec.SECP256R1())


def serial(label: str) -> int:
    return int.from_bytes(hashlib.sha256(f"serial: {label}".encode()).digest()[:16], "big") >> 1


@dataclass(frozen=True)
class Dsc:
    label: str
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def kid(self) -> bytes:
        return pki.kid(self.certificate)


# label: (issuer, valid from, what a verifier must make of it)
DSCS = {
    "dsc-1": ("root", "2025-01-01T00:00:00Z", "retired on 2026-01-01: what it signed stays valid"),
    "dsc-2": ("root", "2026-01-01T00:00:00Z", "the active signer; signs every list"),
    "dsc-revoked": ("root", "2025-06-01T00:00:00Z", "revoked (key compromise) at sequence 3"),
    "dsc-late": ("root", "2027-01-01T00:00:00Z", "valid only from 2027-01-01"),
    "dsc-unlisted": ("root", "2026-01-01T00:00:00Z", "signed by the root, not on the list"),
    "dsc-rogue": ("rogue-root", "2026-01-01T00:00:00Z", "listed, but not signed by the root"),
    "dsc-key-usage": ("root", "2026-01-01T00:00:00Z", "listed, but its key usage is "
                                                       "certificate signing"),
    "dsc-mislisted": ("root", "2026-01-01T00:00:00Z", "listed under dsc-2's kid"),
}
_CA_USAGE = x509.KeyUsage(digital_signature=False, content_commitment=False,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          key_cert_sign=True, crl_sign=True, encipher_only=False,
                          decipher_only=False)


def roots() -> dict[str, tuple[ec.EllipticCurvePrivateKey, x509.Certificate]]:
    made = {}
    for label in ("root", "rogue-root"):  # the rogue root has the real one's very name
        root_key = key(label)
        made[label] = (root_key, pki.make_root(
            root_key, common_name="XX-NCA Root CA", country="XX",
            organization=AUTHORITY.name, not_before=at("2025-01-01T00:00:00Z"),
            serial_number=serial(label)))
    return made


def signers(made_roots) -> dict[str, Dsc]:
    made = {}
    for label, (issuer, start, _what) in DSCS.items():
        root_key, root_cert = made_roots[issuer]
        signer_key = key(label)
        certificate = pki.make_dsc(
            root_key, root_cert, signer_key.public_key(), common_name=f"XX-NCA {label}",
            not_before=at(start), validity=timedelta(days=5 * 365), serial_number=serial(label),
            key_usage=_CA_USAGE if label == "dsc-key-usage" else None)
        made[label] = Dsc(label, signer_key, certificate)
    return made


# The trust list as the registry publishes it after the key compromise, and the one a
# verifier fetched before (dsc-revoked still "retired"). The mislisted entry comes first,
# under dsc-2's kid: a verifier must refuse it and still find dsc-2.
_LISTED = (("dsc-mislisted", "active"), ("dsc-2", "active"), ("dsc-1", "retired"),
           ("dsc-revoked", "revoked"), ("dsc-late", "active"), ("dsc-rogue", "active"),
           ("dsc-key-usage", "active"))


def trust_list(root_cert, dscs: dict[str, Dsc], *, before_revocation: bool = False) -> dict:
    statuses = [(label, "retired" if before_revocation and label == "dsc-revoked" else status)
                for label, status in _LISTED]
    issued = "2026-06-14T07:00:00Z" if before_revocation else "2026-06-14T08:00:00Z"
    document = build_trust_list(authority=AUTHORITY, root_cert=root_cert,
                                signers=[(dscs[label].certificate, status)
                                         for label, status in statuses],
                                issued_at=at(issued))
    document["signers"][0]["kid"] = document["signers"][1]["kid"]  # the mislisted entry
    return document


def signed_list(signer: Dsc, *, sequence: int, base: int, issued: str,
                entries: list[Entry], revoked_signers: list[bytes]) -> bytes:
    """A revocation list as the registry signs one: next_update one hour after issued_at."""
    issued_at = epoch(issued)
    payload = revocation_payload(authority=AUTHORITY.code, sequence=sequence, base=base,
                                 issued_at=issued_at, next_update=issued_at + 3600,
                                 entries=entries, revoked_signers=revoked_signers)
    return sign_revocation_list(payload, signer_key=signer.key, signer_cert=signer.certificate)


def entry(h: bytes, status: str, reason: int, when: str, seq: int) -> Entry:
    return Entry(h, EntryStatus(status), reason, epoch(when), seq)
