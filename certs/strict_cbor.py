"""The encoding rules every signed CBOR structure must follow (docs/spec/euc-qr.md
section 3), checked exactly.

Protected headers, CWT payloads and revocation-list payloads must be in preferred
serialization (RFC 8949 section 4.1: every argument in its shortest form, definite lengths)
and hold only integers, byte and text strings, arrays, maps, false and true, with no map key
twice. Key order is free.

`loads` is the hot path: cbor2's C decoder, then the decoded value encoded again by cbor2's
C encoder and compared with the input. Preferred serialization of that value is unique, so
equal bytes prove every rule at once but the item types (a tag or a float that cbor2 turns
into a Python object and writes back alike); the callers check those with their closed
schemas. Only when the bytes differ does the pure-Python `first_defect` walk the input to
name the first rule broken, in byte order: it is the reference for the rules, not fast.
"""

from __future__ import annotations

import io
import threading
from typing import Any

import cbor2

from .errors import MalformedError

MAX_DEPTH = 32  # no conforming structure nests deeper than 5
_CBOR_ERRORS = (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError)
_SHORTEST = {24: 24, 25: 1 << 8, 26: 1 << 16, 27: 1 << 32}  # least argument for each width
_ALLOWED_SIMPLE = (20, 21)  # false, true
_local = threading.local()


class _Sink:
    __slots__ = ("write",)


def encode(value: Any) -> bytes | None:
    """cbor2's encoding of value, with one encoder per thread; None if it cannot be encoded."""
    held = getattr(_local, "encoder", None)
    if held is None:
        parts: list[bytes] = []
        sink = _Sink()
        sink.write = parts.append
        held = _local.encoder = (cbor2.CBOREncoder(sink), parts)
    encoder, parts = held
    parts.clear()
    try:
        encoder.encode(value)
    except (cbor2.CBOREncodeError, ValueError, TypeError, OverflowError, RecursionError):
        return None
    return b"".join(parts)


def loads(data: bytes, part: str) -> Any:
    """Decode one CBOR item that fills data exactly and follows the encoding rules.

    `part` names the structure in messages ("the CWT payload", "protected header", ...).
    Raises only MalformedError.
    """
    stream = io.BytesIO(data)
    try:
        value = cbor2.CBORDecoder(stream).decode()
    except _CBOR_ERRORS as exc:
        raise first_defect(data, part) or MalformedError(
            f"{part} is not valid CBOR: {exc}", "cbor_invalid", part=_PART_CODE.get(part, part)
        ) from None
    if stream.tell() != len(data) or encode(value) != data:
        defect = first_defect(data, part)
        if defect is not None:
            raise defect
        # Every rule holds, yet cbor2 merged two keys that are distinct in CBOR (1 and true,
        # [1] and [true]): decode again keeping every key apart, for the schemas to judge.
        return decode_exact(data)
    return value


class Key(bytes):
    """A map key other than an integer or text, as its encoding: never equal to an integer
    (true is not 1 in CBOR) nor to another key of other bytes."""

    def __repr__(self) -> str:
        return self.hex()


def decode_exact(data: bytes) -> Any:
    """The value of data, which follows every rule, with keys compared as CBOR compares them."""
    value, _ = _exact(data, 0)
    return value


def _exact(data: bytes, pos: int) -> tuple[Any, int]:
    major, info = data[pos] >> 5, data[pos] & 0x1F
    if major == 7:
        return info == 21, pos + 1
    argument, pos = (info, pos + 1) if info < 24 else (
        int.from_bytes(data[pos + 1:pos + 1 + (1 << (info - 24))], "big"),
        pos + 1 + (1 << (info - 24)))
    if major < 2:
        return (argument if major == 0 else -1 - argument), pos
    if major < 4:
        raw = data[pos:pos + argument]
        return (raw.decode("utf-8") if major == 3 else raw), pos + argument
    items = []
    for _ in range(argument if major == 4 else 2 * argument):
        start = pos
        item, pos = _exact(data, pos)
        key_position = major == 5 and len(items) % 2 == 0
        items.append(Key(data[start:pos]) if key_position and type(item) not in (int, str)
                     else item)
    if major == 4:
        return items, pos
    return dict(zip(items[::2], items[1::2], strict=True)), pos


def first_defect(data: bytes, part: str) -> MalformedError | None:
    """The first place data departs from the encoding rules, or None if it follows them."""
    scanner = _Scanner(data, part)
    try:
        end = scanner.item(0, 0)
    except MalformedError as defect:
        return defect
    if end != len(data):
        return scanner.bad("cbor_invalid", "has trailing bytes after its CBOR item")
    return None


# The `part` parameter of the reason codes, by the words the messages use.
_PART_CODE = {"protected header": "protected_header", "the CWT payload": "payload",
              "the revocation list payload": "revocation_list"}


class _Scanner:
    def __init__(self, data: bytes, part: str):
        self.data, self.part = data, part

    def bad(self, code: str, what: str, **params: Any) -> MalformedError:
        return MalformedError(f"{self.part} {what}", code,
                              part=_PART_CODE.get(self.part, self.part), **params)

    def item(self, pos: int, depth: int) -> int:
        """Check the item at pos; answer where it ends."""
        data = self.data
        if pos >= len(data):
            raise self.bad("cbor_invalid", "is not valid CBOR: it ends inside an item")
        major, info = data[pos] >> 5, data[pos] & 0x1F
        if major == 7:
            return self._simple(pos, info)
        if major == 6:
            raise self.bad("cbor_item_not_allowed", "holds a tag (CBOR major type 6)")
        if info == 31:
            if major < 2:
                raise self.bad("cbor_invalid", "is not valid CBOR: an integer with "
                                               "indefinite length")
            raise self.bad("cbor_not_preferred", "holds an indefinite-length item")
        value, pos = self._argument(pos, info)
        if major < 2:
            return pos
        if major < 4:
            end = pos + value
            if end > len(data):
                raise self.bad("cbor_invalid", "is not valid CBOR: a string runs past its end")
            if major == 3:
                try:
                    data[pos:end].decode("utf-8")
                except UnicodeDecodeError:
                    raise self.bad("cbor_invalid", "holds a text string that is not valid "
                                                   "UTF-8") from None
            return end
        if depth >= MAX_DEPTH:
            raise self.bad("cbor_invalid", f"nests deeper than {MAX_DEPTH} levels")
        if major == 4:
            for _ in range(value):
                pos = self.item(pos, depth + 1)
            return pos
        return self._map(pos, value, depth)

    def _map(self, pos: int, pairs: int, depth: int) -> int:
        seen: set[bytes] = set()
        for _ in range(pairs):
            start, pos = pos, self.item(pos, depth + 1)
            key = self.data[start:pos]
            if key in seen:
                shown = _key(key)
                raise self.bad("duplicate_key", f"has a duplicate map key {shown!r}", key=shown)
            seen.add(key)
            pos = self.item(pos, depth + 1)
        return pos

    def _argument(self, pos: int, info: int) -> tuple[int, int]:
        if info < 24:
            return info, pos + 1
        if info > 27:
            raise self.bad("cbor_invalid", "is not valid CBOR: reserved additional "
                                           f"information {info}")
        width = 1 << (info - 24)
        if pos + 1 + width > len(self.data):
            raise self.bad("cbor_invalid", "is not valid CBOR: it ends inside an item")
        value = int.from_bytes(self.data[pos + 1 : pos + 1 + width], "big")
        if value < _SHORTEST[info]:
            raise self.bad("cbor_not_preferred", f"writes the value {value} in {width + 1} "
                                                 "bytes, not in its shortest form")
        return value, pos + 1 + width

    def _simple(self, pos: int, info: int) -> int:
        if info in _ALLOWED_SIMPLE:
            return pos + 1
        if info == 31:
            raise self.bad("cbor_invalid", "is not valid CBOR: a break outside an "
                                           "indefinite-length item")
        if 28 <= info <= 30:
            raise self.bad("cbor_invalid", "is not valid CBOR: reserved additional "
                                           f"information {info}")
        kind = {22: "null", 23: "undefined", 25: "a float", 26: "a float", 27: "a float"}
        raise self.bad("cbor_item_not_allowed",
                       f"holds {kind.get(info, 'a simple value')}: only false and true are "
                       "allowed")


def _key(encoded: bytes) -> int | str:
    """A duplicate key as the reason's parameter: its value when an integer or text."""
    try:
        value = cbor2.loads(encoded)
    except _CBOR_ERRORS:
        value = None
    if type(value) in (int, str):
        return value
    return encoded.hex()
