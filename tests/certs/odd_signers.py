"""Document signer certificates that a root signed but that break the trust list's rules
(docs/spec/euc-qr.md section 7) in odd ways, made by editing a good DSC's DER and signing it
again with the root's key: what only a careless or compromised authority could publish."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

KEY_USAGE, BASIC_CONSTRAINTS = bytes.fromhex("551d0f"), bytes.fromhex("551d13")
SUBJECT_KEY_ID, AUTHORITY_KEY_ID = bytes.fromhex("551d0e"), bytes.fromhex("551d23")


def parse(data: bytes, at: int = 0) -> tuple[list, int]:
    """A DER node as [tag, children] (constructed) or [tag, content], and where it ends."""
    tag, length, start = data[at], data[at + 1], at + 2
    if length & 0x80:
        width = length & 0x7F
        length, start = int.from_bytes(data[start:start + width], "big"), start + width
    body = data[start:start + length]
    if not tag & 0x20:
        return [tag, body], start + length
    children, position = [], 0
    while position < len(body):
        child, position = parse(body, position)
        children.append(child)
    return [tag, children], start + length


def encode(node: list) -> bytes:
    tag, value = node
    body = b"".join(encode(child) for child in value) if isinstance(value, list) else value
    size = len(body)
    head = bytes([size]) if size < 0x80 else size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag]) + (head if size < 0x80 else bytes([0x80 | len(head)]) + head) + body


def _edited(good: bytes, root_key, change: Callable[[list, list], None]) -> bytes:
    certificate = copy.deepcopy(parse(good)[0])
    tbs = certificate[1][0]
    change(tbs, certificate)
    signature = root_key.sign(encode(tbs), ec.ECDSA(hashes.SHA256()))
    certificate[1][2] = [0x03, b"\x00" + signature]
    return encode(certificate)


def _extensions(tbs: list) -> list:
    return tbs[1][-1][1][0][1]  # [3] { SEQUENCE OF Extension }


def _extension(tbs: list, oid: bytes) -> list:
    return next(e for e in _extensions(tbs) if e[1][0][1] == oid)


def _value(oid: bytes, hex_value: str) -> Callable[[list, list], None]:
    return lambda tbs, _: _extension(tbs, oid)[1].__setitem__(-1, [0x04, bytes.fromhex(hex_value)])


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, content_commitment=False,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=cert_sign, crl_sign=False, encipher_only=False,
                         decipher_only=False)


def _built(root_key, root_cert, public_key, *extensions, hash_=hashes.SHA256()) -> bytes:
    start = root_cert.not_valid_before_utc
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "odd DSC")]))
               .issuer_name(root_cert.subject).public_key(public_key).serial_number(77)
               .not_valid_before(start).not_valid_after(start + timedelta(days=900)))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical)
    return builder.sign(root_key, hash_).public_bytes(serialization.Encoding.DER)


def _off_curve(tbs: list, _) -> None:
    bits = tbs[1][6][1][1]
    bits[1] = bits[1][:-1] + bytes([bits[1][-1] ^ 1])


def odd_signers(root_key, root_cert, good: bytes) -> dict[str, bytes]:
    """name -> DER, each signed by root_key; `good` is a DSC the root issued."""
    p256 = ec.derive_private_key(7, ec.SECP256R1()).public_key()
    usage = (_key_usage(cert_sign=False), True)
    edits = {
        "duplicate-extension": lambda t, _: _extensions(t).append(
            copy.deepcopy(_extension(t, KEY_USAGE))),
        "critical-false-written": lambda t, _: _extension(t, KEY_USAGE)[1].__setitem__(
            1, [0x01, b"\x00"]),
        "ca-false-written": _value(BASIC_CONSTRAINTS, "3003010100"),
        "key-usage-padding-bits": _value(KEY_USAGE, "03020181"),
        "key-usage-not-bits": _value(KEY_USAGE, "0401ff"),
        "subject-key-id-not-octets": _value(SUBJECT_KEY_ID, "0500"),
        "authority-key-id-not-sequence": _value(AUTHORITY_KEY_ID, "0500"),
        "empty-extensions": lambda t, _: t[1][-1][1][0].__setitem__(1, []),
        "version-1-written": lambda t, _: t[1][0].__setitem__(1, [[0x02, b"\x00"]]),
        "version-4": lambda t, _: t[1][0].__setitem__(1, [[0x02, b"\x03"]]),
        "serial-not-minimal": lambda t, _: t[1].__setitem__(1, [0x02, b"\x00\x05"]),
        "inner-algorithm-sha384": lambda t, _: t[1][2][1].__setitem__(
            0, [0x06, bytes.fromhex("2a8648ce3d040303")]),
        "ecdsa-with-null-parameters": lambda _, c: c[1].__setitem__(1, [0x30, [
            [0x06, bytes.fromhex("2a8648ce3d040302")], [0x05, b""]]]),
        "time-february-30": lambda t, _: t[1][4][1].__setitem__(0, [0x17, b"250230000000Z"]),
        "point-off-the-curve": _off_curve,
        "p384-named-p256-point": lambda t, _: t[1][6][1][0][1].__setitem__(
            1, [0x06, bytes.fromhex("2b81040022")]),
        "unknown-key-algorithm": lambda t, _: t[1][6][1][0][1].__setitem__(
            0, [0x06, bytes.fromhex("2a0304")]),
        "issuer-is-not-the-root": lambda t, _: t[1].__setitem__(3, copy.deepcopy(t[1][5])),
    }
    made = {name: _edited(good, root_key, change) for name, change in edits.items()}
    made |= {
        "ca": _built(root_key, root_cert, p256, (x509.BasicConstraints(True, None), True), usage),
        "no-key-usage": _built(root_key, root_cert, p256),
        "signs-certificates": _built(root_key, root_cert, p256,
                                     (_key_usage(cert_sign=True), True)),
        "p384": _built(root_key, root_cert, ec.derive_private_key(
            7, ec.SECP384R1()).public_key(), usage),
        "signed-with-sha384": _built(root_key, root_cert, p256, usage, hash_=hashes.SHA384()),
        "unknown-critical-extension": _built(root_key, root_cert, p256, usage, (
            x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.3.4"), b"\xff"), True)),
        "not-der": good + b"\x00",
    }
    return made
