"""Codes for the lane's tests: a genuine one with its content changed and not re-signed."""

from __future__ import annotations

import cbor2

from certs.qrtext import decode_qr_text, encode_qr_text


def forged(payload: str, quantity: int = 1000) -> str:
    """The code with goods line 1's quantity changed, its signature kept: BAD_SIGNATURE."""
    message = cbor2.loads(decode_qr_text(payload))
    protected, unprotected, body, signature = message.value
    claims = cbor2.loads(body)
    content_key = next(k for k, v in claims.items() if isinstance(v, dict) and "g" in v)
    claims[content_key]["g"][0][2] = quantity
    body = cbor2.dumps(claims, canonical=True)
    forged_message = cbor2.CBORTag(18, [protected, unprotected, body, signature])
    return encode_qr_text(cbor2.dumps(forged_message, canonical=True))
