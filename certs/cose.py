"""COSE_Sign1 (RFC 9052) with ES256, the only form this project signs or accepts.

Signing goes through cbor2. Decoding parses the envelope by hand: it is on the verification
hot path, and being exact about every header byte means the unsigned parts (tag, array,
unprotected header, signature wrapper) have exactly one accepted encoding, so nobody can
derive a second "valid" QR code from a genuine one.

Decision: the CBOR tag 18 is required. The spec fixes it, our issuer always writes it, and
accepting untagged messages would only widen what counts as the same certificate.

Signatures are deterministic (RFC 6979): the same key and bytes always give the same
signature, so nothing depends on a random nonce and the published test vectors can be made
again byte for byte. Verification accepts either of the two valid s values (s and n - s):
WebCrypto and OpenSSL accept both, and a certificate's identity is its cti, not its bytes.
"""

from dataclasses import dataclass

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.hashes import SHA256

from . import strict_cbor
from .errors import MalformedError

TAG_SIGN1 = 18
HEADER_ALG = 1
HEADER_KID = 4
ALG_ES256 = -7
KID_LENGTH = 8
SIGNATURE_LENGTH = 64

_ES256 = ec.ECDSA(SHA256())
_ES256_DETERMINISTIC = ec.ECDSA(SHA256(), deterministic_signing=True)
_TAGGED_ARRAY4 = b"\xd2\x84"
_EMPTY_MAP = 0xA0
_SIGNATURE_HEAD = b"\x58\x40"
# cbor2.dumps({1: -7, 4: <8-byte kid>}) starts with exactly these bytes.
_PROTECTED_PREFIX = b"\xa2\x01\x26\x04\x48"
_SIG_STRUCTURE_HEAD = b"\x84\x6aSignature1"


@dataclass(frozen=True, slots=True)
class Sign1:
    protected: bytes
    kid: bytes
    payload: bytes
    signature: bytes

    def to_be_signed(self) -> bytes:
        return sig_structure(self.protected, self.payload)


def protected_header(kid: bytes) -> bytes:
    return cbor2.dumps({HEADER_ALG: ALG_ES256, HEADER_KID: kid})


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """CBOR of ["Signature1", protected, b"", payload], written directly (hot path)."""
    return b"".join(
        (_SIG_STRUCTURE_HEAD, _bstr_head(len(protected)), protected, b"\x40",
         _bstr_head(len(payload)), payload)
    )


def sign1(payload: bytes, *, kid: bytes, key: ec.EllipticCurvePrivateKey) -> bytes:
    """A tagged COSE_Sign1 over payload, signed ES256 with key."""
    protected = protected_header(kid)
    der = key.sign(sig_structure(protected, payload), _ES256_DETERMINISTIC)
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return cbor2.dumps(cbor2.CBORTag(TAG_SIGN1, [protected, {}, payload, signature]))


def verify_signature(message: Sign1, public_key: ec.EllipticCurvePublicKey) -> bool:
    return verify_der(der_signature(message.signature), message.to_be_signed(), public_key)


def verify_der(der: bytes, to_be_signed: bytes, public_key: ec.EllipticCurvePublicKey) -> bool:
    try:
        public_key.verify(der, to_be_signed, _ES256)
    except InvalidSignature:
        return False
    return True


def der_signature(signature: bytes) -> bytes:
    """The DER form cryptography wants, from the 64-byte COSE r || s."""
    return encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )


def decode_sign1(data: bytes) -> Sign1:
    """Parse a tagged COSE_Sign1; anything but the one accepted layout is MalformedError."""
    if type(data) is not bytes:
        raise _envelope("COSE_Sign1 must be bytes")
    if data[:2] != _TAGGED_ARRAY4:
        if data[:1] == b"\x84":
            raise _envelope("COSE_Sign1 is untagged; CBOR tag 18 is required")
        raise _envelope("not a COSE_Sign1 (CBOR tag 18 around an array of 4)")
    protected, offset = _read_bstr(data, 2, "protected header")
    if offset >= len(data) or data[offset] != _EMPTY_MAP:
        raise _envelope("the unprotected header must be an empty map")
    payload, offset = _read_bstr(data, offset + 1, "payload")
    if data[offset : offset + 2] != _SIGNATURE_HEAD:
        raise _envelope("the signature must be a 64-byte string")
    signature = data[offset + 2 :]
    if len(signature) != SIGNATURE_LENGTH:
        raise _envelope("the signature must be 64 bytes with nothing after it")
    return Sign1(protected, _kid_from_protected(protected), payload, signature)


def _envelope(message: str) -> MalformedError:
    return MalformedError(message, "cose_invalid")


def _kid_from_protected(protected: bytes) -> bytes:
    """The kid of a protected header {1: -7, 4: kid}: 13 bytes, in either key order."""
    if len(protected) == 13 and protected.startswith(_PROTECTED_PREFIX):
        return protected[5:]
    header = strict_cbor.loads(protected, "protected header")
    try:
        return _header_kid(header)
    except MalformedError as error:  # as in euc.decode_claims: the encoding rules come first
        raise strict_cbor.first_defect(protected, "protected header") or error from None


def _header_kid(header) -> bytes:
    if type(header) is not dict:
        raise MalformedError("the protected header is not a map", "header_invalid")
    if header.keys() != {HEADER_ALG, HEADER_KID} or set(map(type, header)) != {int}:
        raise MalformedError("the protected header must hold exactly alg (1) and kid (4)",
                             "header_invalid")
    alg = header[HEADER_ALG]
    if alg != ALG_ES256 or type(alg) is not int:
        # an integer or text as it is, anything else as the hexadecimal of its encoding as it
        # stands in the header, map keys in their order (strict_cbor.loads has shown that the
        # decoded value encodes back to the header's own bytes)
        shown = alg if type(alg) in (int, str) else strict_cbor.encode(alg).hex()
        raise MalformedError(f"alg {alg!r} is not ES256 (-7)", "alg_unsupported", alg=shown)
    kid = header[HEADER_KID]
    if type(kid) is not bytes or len(kid) != KID_LENGTH:
        raise MalformedError("kid must be 8 bytes", "header_invalid")
    return kid


def _bstr_head(length: int) -> bytes:
    if length < 24:
        return bytes((0x40 | length,))
    if length < 0x100:
        return bytes((0x58, length))
    if length < 0x10000:
        return b"\x59" + length.to_bytes(2, "big")
    return b"\x5a" + length.to_bytes(4, "big")


def _read_bstr(data: bytes, offset: int, what: str) -> tuple[bytes, int]:
    """A definite-length byte string in its shortest head, as cbor2 writes it."""
    head = data[offset] if offset < len(data) else None
    if head is None or head >> 5 != 2:
        raise _envelope(f"the {what} is not a byte string")
    info = head & 0x1F
    if info < 24:
        length, start = info, offset + 1
    elif 24 <= info <= 26:
        width = 1 << (info - 24)
        length = int.from_bytes(data[offset + 1 : offset + 1 + width], "big")
        start = offset + 1 + width
        if length < (24 if width == 1 else 1 << (4 * width)):
            raise _envelope(f"the {what} length is not in its shortest form")
    else:
        raise _envelope(f"the {what} has an unsupported length form")
    end = start + length
    if end > len(data):
        raise _envelope(f"the {what} runs past the end of the message")
    return data[start:end], end
