"""The QR text: "EUC1:" + Base45(zlib(COSE_Sign1)), and back."""

import zlib

from .b45 import b45decode, b45encode
from .errors import MalformedError

PREFIX = "EUC1:"
# A real certificate is under 1.5 KiB of QR text; the caps only stop abuse. The text cap
# bounds Base45 work, the COSE cap bounds what a zlib bomb can make us allocate.
MAX_TEXT_LENGTH = 8 * 1024
MAX_COSE_LENGTH = 64 * 1024


def encode_qr_text(cose: bytes, level: int = 9) -> str:
    return PREFIX + b45encode(zlib.compress(cose, level))


def decode_qr_text(text: str) -> bytes:
    """The COSE bytes inside a QR text; MalformedError for any defect."""
    if type(text) is not str:
        raise MalformedError("the QR text must be a string", "not_euc1")
    if len(text) > MAX_TEXT_LENGTH:
        raise too_long()
    if not text.startswith(PREFIX):
        raise MalformedError(f"the QR text does not start with {PREFIX}", "not_euc1")
    return inflate(b45decode(text[len(PREFIX) :]))


def too_long() -> MalformedError:
    return MalformedError(f"the QR text is longer than {MAX_TEXT_LENGTH} characters",
                          "text_too_long", limit=MAX_TEXT_LENGTH)


def inflate(data: bytes) -> bytes:
    """zlib-decompress one complete stream, refusing output above MAX_COSE_LENGTH."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_COSE_LENGTH + 1)
    except zlib.error as exc:
        raise MalformedError(f"the zlib data is corrupt: {exc}", "zlib_invalid") from exc
    if len(out) > MAX_COSE_LENGTH:
        raise MalformedError(f"the zlib data inflates beyond {MAX_COSE_LENGTH} bytes",
                             "zlib_too_large", limit=MAX_COSE_LENGTH)
    if not inflater.eof:
        raise MalformedError("the zlib data is truncated", "zlib_invalid")
    if inflater.unused_data:
        raise MalformedError("the zlib data has trailing bytes", "zlib_invalid")
    return out
