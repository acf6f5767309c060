"""The revocation list payload's encoding rules, checked on a million entries in one pass.

The rules are those of every signed structure (strict_cbor: preferred serialization, only
integers, strings, arrays, maps, false and true, no key twice). A list cannot be decoded and
encoded again whole, as a certificate's payload is: entries are packed into ints as they are
decoded, so that a million of them never exist as a million dicts. Instead the decoder reads
from a stream whose position tells where each entry's map ends; the entries of the array lie
end to end, so each entry's own bytes are known exactly and compared with the one encoding
its decoded map may have. The seven top-level pairs are read one by one the same way.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import cbor2

from . import strict_cbor
from .errors import MalformedError, RevocationListError

PART = "the revocation list payload"
_SCAN_LIMIT = 1 << 20  # name the defect of payloads up to 1 MiB; larger ones are just refused
_KEYS = {"h": b"\x61h", "s": b"\x61s", "r": b"\x61r", "at": b"\x62at", "seq": b"\x63seq"}
_ORDER = ("h", "s", "r", "at", "seq")
_STATUS = {"active": b"\x66active", "suspended": b"\x69suspended", "revoked": b"\x67revoked"}


def uint(value: int) -> bytes:
    """The preferred encoding of an unsigned integer below 2**64."""
    if value < 24:
        return bytes((value,))
    if value < 0x100:
        return bytes((0x18, value))
    if value < 0x10000:
        return b"\x19" + value.to_bytes(2, "big")
    if value < 0x1_0000_0000:
        return b"\x1a" + value.to_bytes(4, "big")
    return b"\x1b" + value.to_bytes(8, "big")


_VALUES: dict[str, Callable[[Any], bytes]] = {
    "h": lambda h: b"\x50" + h, "s": _STATUS.__getitem__, "r": uint, "at": uint, "seq": uint,
}


def loads(payload: bytes, entry_hook: Callable[[Any, dict], Any]) -> dict[Any, Any]:
    """The payload's top-level map, entries packed by entry_hook (which has checked each
    entry's keys and types and answers a tuple for an entry); RevocationListError when any
    byte breaks the encoding rules."""
    stream = io.BytesIO(payload)
    entries = _Entries(payload, stream)

    def hook(decoder: Any, obj: dict) -> Any:
        packed = entry_hook(decoder, obj)
        if type(packed) is tuple:
            entries.check(obj)
        return packed

    decoder = cbor2.CBORDecoder(stream, object_hook=hook)
    pairs, position = _head(payload, 0, 5)
    stream.seek(position)
    top: dict[Any, Any] = {}
    for _ in range(pairs):
        key = _whole(decoder, stream, payload)
        if key in top:
            raise _refused(payload)
        if key == "entries":
            entries.start(_head(payload, stream.tell(), 4)[1])
            top[key] = decoder.decode()
        else:
            top[key] = _whole(decoder, stream, payload)
    if stream.tell() != len(payload):
        raise _refused(payload)
    return top


class _Entries:
    def __init__(self, payload: bytes, stream: io.BytesIO):
        self.payload, self.stream, self.end = payload, stream, None

    def start(self, position: int) -> None:
        self.end = position

    def check(self, entry: dict) -> None:
        if self.end is None:  # an entry-like map outside the entries array
            raise _refused(self.payload)
        end = self.stream.tell()
        if tuple(entry) == _ORDER:  # the registry's own order, written in one go
            expected = b"".join((b"\xa5\x61h\x50", entry["h"], b"\x61s", _STATUS[entry["s"]],
                                 b"\x61r", uint(entry["r"]), b"\x62at", uint(entry["at"]),
                                 b"\x63seq", uint(entry["seq"])))
        else:
            parts = [b"\xa5"]
            for key, value in entry.items():
                parts += (_KEYS[key], _VALUES[key](value))
            expected = b"".join(parts)
        if self.payload[self.end:end] != expected:
            raise _refused(self.payload)
        self.end = end


def _whole(decoder: Any, stream: io.BytesIO, payload: bytes) -> Any:
    """The next item, which must be written exactly as its value is encoded."""
    start = stream.tell()
    value = decoder.decode()
    if payload[start:stream.tell()] != strict_cbor.encode(value):
        raise _refused(payload)
    return value


def _head(payload: bytes, position: int, major: int) -> tuple[int, int]:
    """The count of the array or map (major type 4 or 5) whose head is at position, and
    where its first item starts."""
    head = payload[position] if position < len(payload) else 0
    info = head & 0x1F
    if head >> 5 != major or info > 27:
        raise _refused(payload)
    if info < 24:
        return info, position + 1
    width = 1 << (info - 24)
    count = int.from_bytes(payload[position + 1:position + 1 + width], "big")
    if count < (24 if width == 1 else 1 << (4 * width)):
        raise _refused(payload)
    return count, position + 1 + width


def _refused(payload: bytes) -> RevocationListError:
    defect = strict_cbor.first_defect(payload, PART) if len(payload) <= _SCAN_LIMIT else None
    detail = str(defect) if isinstance(defect, MalformedError) else (
        f"{PART} does not follow the CBOR encoding rules")
    return RevocationListError(f"the revocation list is malformed: {detail}")
