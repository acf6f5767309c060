"""Signing an end-user certificate into its QR text, and decoding the CWT claims back."""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from . import content as euc_content
from . import pki, qr, strict_cbor
from .cose import sign1
from .errors import MalformedError
from .qrtext import encode_qr_text

CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_NBF = 5
CLAIM_IAT = 6
CLAIM_CTI = 7
CLAIM_EUC = -70001
CTI_LENGTH = 16
# A time is a moment every verifier can write as a date: from 1970 to the end of 9999.
LAST_SECOND = 253_402_300_800
# The claims, exactly: an unknown claim is MALFORMED rather than ignored, so that a claim a
# later issuer adds to narrow a certificate can never be skipped by a verifier that predates it.
_CLAIMS = frozenset((CLAIM_ISS, CLAIM_IAT, CLAIM_NBF, CLAIM_EXP, CLAIM_CTI, CLAIM_EUC))


@dataclass(frozen=True)
class Claims:
    iss: str
    iat: int
    nbf: int
    exp: int
    cti: bytes
    euc: dict[str, Any]  # the compact content map, already validated

    @cached_property
    def content(self) -> dict[str, Any]:
        """The readable content (see content.py), built on first use: verification does
        not need it, the officer's screen does."""
        return euc_content.readable(self.euc)


def sign_certificate(
    *,
    iss: str,
    iat: int,
    nbf: int,
    exp: int,
    cti: bytes,
    content: dict[str, Any],
    signer_key: ec.EllipticCurvePrivateKey,
    signer_cert: x509.Certificate,
) -> str:
    """The EUC1 QR text of a signed certificate.

    Raises MalformedError for bad claims or content, PayloadTooLarge when the QR code would
    exceed version 30.
    """
    claims = {
        CLAIM_ISS: iss,
        CLAIM_IAT: iat,
        CLAIM_NBF: nbf,
        CLAIM_EXP: exp,
        CLAIM_CTI: cti,
        CLAIM_EUC: euc_content.to_cbor_obj(content),
    }
    payload = cbor2.dumps(claims)
    decode_claims(payload)  # the issuer refuses anything its own verifier would call MALFORMED
    text = encode_qr_text(sign1(payload, kid=pki.kid(signer_cert), key=signer_key))
    qr.check_fits(text)
    return text


def decode_claims(payload: bytes) -> Claims:
    """The CWT claims of a payload, strictly encoded and typed; MalformedError otherwise."""
    claims = strict_cbor.loads(payload, "the CWT payload")
    try:
        return _typed(claims)
    except MalformedError as error:
        # A float, null or tag that cbor2 writes back as it read it passes the encoding check
        # and fails the types here; the encoding rules come first, so say that.
        raise strict_cbor.first_defect(payload, "the CWT payload") or error from None


def _typed(claims) -> Claims:
    if type(claims) is not dict:
        raise MalformedError("the CWT payload is not a map", "payload_not_a_map")
    if claims.keys() != _CLAIMS or set(map(type, claims)) != {int}:
        _wrong_claims(claims.keys())
    iss, iat, nbf, exp, cti = claims[1], claims[6], claims[5], claims[4], claims[7]
    if type(iss) is not str or not iss:
        raise MalformedError("iss (1) must be non-empty text", "claim_invalid", claim=CLAIM_ISS)
    if type(iat) is not int or type(nbf) is not int or type(exp) is not int or not (
            0 <= iat < LAST_SECOND and 0 <= nbf < LAST_SECOND and 0 <= exp < LAST_SECOND):
        _wrong_time(((CLAIM_IAT, iat), (CLAIM_NBF, nbf), (CLAIM_EXP, exp)))
    if type(cti) is not bytes or len(cti) != CTI_LENGTH:
        raise MalformedError(f"cti (7) must be {CTI_LENGTH} bytes", "claim_invalid",
                             claim=CLAIM_CTI)
    if exp < nbf:
        raise MalformedError("exp (4) is before nbf (5)", "validity_inverted", nbf=nbf, exp=exp)
    euc = claims[CLAIM_EUC]
    euc_content.validate(euc)
    return Claims(iss, iat, nbf, exp, cti, euc)


def _wrong_time(times) -> None:
    for claim, value in times:
        if type(value) is not int:
            raise MalformedError("iat (6), nbf (5) and exp (4) must be integers",
                                 "claim_invalid", claim=claim)
    for claim, value in times:
        if not 0 <= value < LAST_SECOND:
            raise MalformedError("iat (6), nbf (5) and exp (4) must be epoch seconds between "
                                 "the years 1970 and 9999", "claim_invalid", claim=claim)


def _shown(key) -> str:
    """A key neither integer nor text, as the hexadecimal of its encoding (true: "f5")."""
    if isinstance(key, strict_cbor.Key):
        return key.hex()
    encoded = strict_cbor.encode(key)
    return encoded.hex() if encoded is not None else repr(key)


def _wrong_claims(keys) -> None:
    # true (1) and floats (1.0) equal integers in Python: only the integers are claims' keys
    keys = {k if type(k) in (int, str) else _shown(k) for k in keys}
    missing = sorted(_CLAIMS - keys)
    if missing:
        raise MalformedError(f"the CWT payload lacks claims {missing}", "claim_missing",
                             claims=missing)
    shown = sorted(keys - _CLAIMS, key=lambda k: (0, k, "") if type(k) is int else (1, 0, k))
    raise MalformedError(f"the CWT payload has claims this version does not know {shown}",
                         "claim_unknown", claims=shown)
