"""The test vectors' QR texts: genuine certificates signed through certs.euc, the issuer's own
code, and variants built byte by byte, each breaking one rule of the specification.

A variant inside the signed payload is signed again with the genuine signer's key, so that
only the rule it breaks can make it anything but valid.
"""

from __future__ import annotations

import copy
import hashlib
import zlib

import cbor2

from certs import content as euc_content
from certs.cose import ALG_ES256, sig_structure, sign1
from certs.euc import sign_certificate
from certs.qrtext import PREFIX, encode_qr_text

from .authority import AUTHORITY, Dsc, epoch

ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

CONTENT = {
    "schema": 1, "number": "EUC-XX-2026-000000", "licence_number": "BL-XX-2026-0042",
    "authority": {"name": "National Control Authority", "country": "XX"},
    "broker": {"name": "Meridian Defence Brokerage Ltd", "registration_number": "BR-XX-0193",
               "country": "XX"},
    "supplier": {"name": "Nordwerk Präzisionstechnik GmbH",
                 "address": "Industriestraße 41, 78532 Tuttlingen", "country": "DE"},
    "consignees": [{"name": "Xinshidai Import and Export Corporation",
                    "address": "北京市海淀区复兴路甲1号 100036", "country": "CN"}],
    "end_user": {"name": "Ministry of Public Security 公安部装备财务局",
                 "address": "北京市朝阳区东长安街14号 100741", "country": "CN",
                 "kind": "police"},
    "destination": "CN", "transit": ["SG"],
    "goods": [
        {"line": 1, "description": "NP-9 pistol, 9x19 mm, with two magazines",
         "category": "SALW-1", "quantity": 1200, "unit": "pcs", "value": "540000.00",
         "currency": "EUR"},
        {"line": 2, "description": "9x19 mm FMJ ammunition, 124 gr", "category": "AMMO",
         "quantity": 600000, "unit": "rds", "value": "162000.00", "currency": "EUR"},
        {"line": 3, "description": "Spare magazines, 15 rounds, for NP-9",
         "category": "PARTS", "quantity": 2400, "unit": "pcs"},
    ],
    "end_use": "Service sidearms for municipal police units.",
    "no_reexport": True, "dvc_required": True,
}


def cti(label: str) -> bytes:
    return hashlib.sha256(f"cti: {label}".encode()).digest()[:16]


def readable(number: int) -> dict:
    made = copy.deepcopy(CONTENT)
    made["number"] = f"EUC-XX-2026-{number:06d}"
    return made


def genuine(signer: Dsc, label: str, number: int, issued: str, expires: str) -> str:
    """A certificate as the registry issues one: iat = nbf = the moment of issue."""
    moment = epoch(issued)
    return sign_certificate(iss=AUTHORITY.code, iat=moment, nbf=moment, exp=epoch(expires),
                            cti=cti(label), content=readable(number), signer_key=signer.key,
                            signer_cert=signer.certificate)


def low_s_genuine(signer: Dsc, label: str, number: int, issued: str, expires: str) -> str:
    """A genuine certificate whose signature has the low s, so that its variant with n - s
    is the high one: the first of label, label-1, label-2 ... that has it."""
    for attempt in range(64):
        name = label if attempt == 0 else f"{label}-{attempt}"
        text = genuine(signer, name, number, issued, expires)
        if int.from_bytes(cose_of(text)[-32:], "big") <= ORDER // 2:
            return text
    raise AssertionError("no low-s signature in 64 tries")


def cose_of(text: str) -> bytes:
    from certs.qrtext import decode_qr_text

    return decode_qr_text(text)


def qr(cose: bytes, level: int = 9) -> str:
    return encode_qr_text(cose, level)


# CBOR written by hand, for the variants cbor2 would never write.
def head(major: int, value: int, width: int | None = None) -> bytes:
    if width is None:
        width = 0 if value < 24 else 1 if value < 256 else 2 if value < 65536 else \
            4 if value < 2**32 else 8
    if width == 0:
        return bytes((major << 5 | value,))
    info = {1: 24, 2: 25, 4: 26, 8: 27}[width]
    return bytes((major << 5 | info,)) + value.to_bytes(width, "big")


def cbor_map(pairs: list[tuple[bytes, bytes]]) -> bytes:
    return head(5, len(pairs)) + b"".join(k + v for k, v in pairs)


def enc(value) -> bytes:
    return cbor2.dumps(value)


def claims(*, number: int, label: str, issued: str, expires: str,
           euc: bytes | None = None, **replace: bytes) -> list[tuple[bytes, bytes]]:
    """The claim pairs in the registry's order, each encoded; `replace` swaps the encoded
    value of iss, iat, nbf, exp or cti."""
    moment, until = epoch(issued), epoch(expires)
    values = {"iss": enc(AUTHORITY.code), "iat": enc(moment), "nbf": enc(moment),
              "exp": enc(until), "cti": enc(cti(label))}
    values.update(replace)
    keys = {"iss": 1, "iat": 6, "nbf": 5, "exp": 4, "cti": 7}
    pairs = [(enc(keys[name]), values[name]) for name in ("iss", "iat", "nbf", "exp", "cti")]
    return [*pairs, (enc(-70001), euc if euc is not None else content_map(number))]


def content_pairs(number: int) -> list[tuple[bytes, bytes]]:
    compact = euc_content.to_cbor_obj(readable(number))
    return [(enc(key), enc(value)) for key, value in compact.items()]


def content_map(number: int, pairs: list[tuple[bytes, bytes]] | None = None) -> bytes:
    return cbor_map(content_pairs(number) if pairs is None else pairs)


def protected(kid: bytes, alg: int = ALG_ES256) -> bytes:
    return cbor_map([(enc(1), enc(alg)), (enc(4), enc(kid))])


def signed(payload: bytes, signer: Dsc, header: bytes | None = None) -> bytes:
    """A COSE_Sign1 over payload (bytes as given), signed by signer."""
    if header is None:
        return sign1(payload, kid=signer.kid, key=signer.key)
    return envelope(header, b"\xa0", payload, signature(header, payload, signer))


def signature(header: bytes, payload: bytes, signer: Dsc) -> bytes:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    from cryptography.hazmat.primitives.hashes import SHA256

    der = signer.key.sign(sig_structure(header, payload),
                          ec.ECDSA(SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def envelope(header: bytes, unprotected: bytes, payload: bytes, sig: bytes) -> bytes:
    return (b"\xd2\x84" + head(2, len(header)) + header + unprotected
            + head(2, len(payload)) + payload + head(2, len(sig)) + sig)


def parts(cose: bytes) -> tuple[bytes, bytes, bytes]:
    """(protected, payload, signature) of one of our COSE_Sign1."""
    message = cbor2.loads(cose).value
    return message[0], message[2], message[3]


def high_s(cose: bytes) -> bytes:
    s = int.from_bytes(cose[-32:], "big")
    return cose[:-32] + (ORDER - s).to_bytes(32, "big")


def zlib_with_dictionary(cose: bytes) -> str:
    packer = zlib.compressobj(9, zdict=b"EUC1 preset dictionary")
    return PREFIX + _b45(packer.compress(cose) + packer.flush())


def raw_text(compressed: bytes) -> str:
    return PREFIX + _b45(compressed)


def _b45(data: bytes) -> str:
    from certs.b45 import b45encode

    return b45encode(data)
