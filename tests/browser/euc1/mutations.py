"""Hypothesis strategies: genuine certificates of the test authority, changed at every layer
(text, Base45, zlib, COSE and CBOR bytes, claims and content re-signed, signatures, headers,
times), each deep enough to reach the check it is aimed at. A case is (text, now, state)."""

from __future__ import annotations

import zlib

import cbor2
from hypothesis import strategies as st

from certs.b45 import ALPHABET, b45decode, b45encode
from certs.cose import decode_sign1
from certs.qrtext import decode_qr_text
from tests.certs.factories import DAY, NOW

from .authority import ORDER, envelope, issuer, protected_header, qr_text, signature

NBF, EXP = NOW - DAY, NOW + 180 * DAY  # of every genuine certificate
CHARS = [*ALPHABET, "a", "z", "\n", "\t", "é", "中", "😀", "\x00", "~"]
STRATEGIES = (zlib.Z_DEFAULT_STRATEGY, zlib.Z_FIXED, zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE)
TIMES = [NOW, NBF - 1, NBF, NBF + 0.5, EXP - 1, EXP - 0.5, EXP, EXP + 1, NOW + 10_000, 0]
INTEGERS = [0, 1, -1, 2, 3, 16, 17, 23, 24, 255, 256, 65535, 65536, 2**32, 2**53 - 1, 2**53,
            2**64 - 1, -(2**53), -(2**64), 253402300799, 253402300800, NBF, EXP, -7, -35]
TEXTS = ["", "XX", "xx", "X", "XXX", "CN", "EUR", "eur", "0", "00", "1.5", "1.1234567",
         "123456789012345", "1234567890123456", "1e5", " 1", "\ufeff", "中国", "XX-NCA", "v"]
SCALARS = st.one_of(
    st.sampled_from(INTEGERS), st.sampled_from(TEXTS), st.integers(-(2**70), 2**70),
    st.text(max_size=4), st.binary(max_size=17), st.booleans(),
    st.sampled_from([None, 1.0, float("nan"), cbor2.CBORTag(1, 0), cbor2.undefined]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(["n", "v", "g", 1, -1, "h"]), inner,
                                        max_size=3), max_leaves=5)


def times(*extra: float) -> st.SearchStrategy:
    return st.sampled_from([*TIMES, *extra]) | st.integers(0, 2**35)


def edit(draw, data: bytes, low: int = 0, high: int | None = None) -> bytes:
    """One byte-level change within [low, high): flip a bit, set, delete or insert a byte,
    cut the end or add bytes after it."""
    low = max(0, len(data) + low) if low < 0 else low
    high = len(data) if high is None else min(high, len(data))
    at = draw(st.integers(low, max(low, high - 1)))
    match draw(st.sampled_from(("flip", "set", "delete", "insert", "cut", "append"))):
        case "flip":
            return data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1:] \
                if at < len(data) else data + b"\x00"
        case "set":
            return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        case "delete":
            return data[:at] + data[at + 1:]
        case "insert":
            return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at:]
        case "cut":
            return data[:at]
    return data + draw(st.binary(min_size=1, max_size=3))


def genuine(draw) -> str:
    return issuer().genuine[draw(st.sampled_from(sorted(issuer().genuine)))]


def state(draw) -> str:
    return draw(st.sampled_from(("none", "full")))


@st.composite
def text_edits(draw):
    text = genuine(draw)
    at = draw(st.integers(0, len(text)))
    char = draw(st.sampled_from(CHARS))
    changed = draw(st.sampled_from((
        text[:at] + char + text[at + 1:], text[:at] + char + text[at:], text[:at] + text[at + 1:],
        text[:at], text.lower(), " " + text + "\n", text + text[5:], text * 8,
        (text + "0" * 8192)[:8192], (text + "0" * 8192)[:8193],
        text[:at] + "😀" * 4_500, text[:at] + "😀" * 8_200)))  # UTF-16 units, code points
    return changed, draw(times()), state(draw)


@st.composite
def base45_edits(draw):
    data = b45decode(genuine(draw)[5:])
    return "EUC1:" + b45encode(edit(draw, data)), draw(times()), state(draw)


@st.composite
def zlib_edits(draw):
    cose = decode_qr_text(genuine(draw))
    packer = zlib.compressobj(draw(st.integers(0, 9)), zlib.DEFLATED, 15, 9,
                              draw(st.sampled_from(STRATEGIES)))
    data = packer.compress(cose) + packer.flush()
    for _ in range(draw(st.integers(1, 2))):
        data = edit(draw, data, *draw(st.sampled_from(((0, 2), (2, 12), (0, None), (-6, None)))))
    return "EUC1:" + b45encode(data), draw(times()), state(draw)


@st.composite
def near_the_limit(draw):
    """A genuine COSE_Sign1 padded to inflate to about 65,536 bytes, intact or damaged late."""
    cose = decode_qr_text(genuine(draw))
    size = draw(st.integers(65_530, 65_545))
    packer = zlib.compressobj(draw(st.integers(1, 9)), zlib.DEFLATED, 15, 9,
                              draw(st.sampled_from(STRATEGIES[:2])))
    data = packer.compress(cose + bytes(size - len(cose))) + packer.flush()
    if draw(st.booleans()):
        data = edit(draw, data, len(data) - 8)
    return "EUC1:" + b45encode(data), NOW, state(draw)


@st.composite
def cose_edits(draw):
    cose = decode_qr_text(genuine(draw))
    region = draw(st.sampled_from(((0, 20), (len(cose) - 70, None), (0, None))))
    changed = edit(draw, cose, max(0, region[0]), region[1])
    return qr_text(changed, draw(st.integers(0, 9))), draw(times()), state(draw)


def _signed(draw, protected: bytes, payload: bytes, signer_name: str | None = None) -> str:
    signers = issuer().signers
    signer = signers[signer_name or draw(st.sampled_from(sorted(signers)))]
    return qr_text(envelope(protected, payload, signature(signer, protected, payload)),
                   draw(st.sampled_from((1, 6, 9))), draw(st.sampled_from(STRATEGIES)))


def _parts(draw):
    """A genuine certificate's protected header, payload and the name of its signer."""
    name = draw(st.sampled_from(sorted(issuer().genuine)))
    message = decode_sign1(decode_qr_text(issuer().genuine[name]))
    signers = issuer().signers
    signer = next(n for n, s in signers.items() if s.kid == message.kid)
    return message.protected, message.payload, signer


def items(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of every item inside a well-formed CBOR item of definite lengths (as
    cbor2 writes them: tags and floats included)."""
    found = []

    def walk(at: int) -> int:
        major, info = data[at] >> 5, data[at] & 0x1F
        width = 0 if info < 24 else 1 << (info - 24)
        argument = int.from_bytes(data[at + 1:at + 1 + width], "big") if width else info
        end = at + 1 + width + (argument if major in (2, 3) else 0)
        if major == 6:  # a tag: the item it wraps follows
            end = walk(end)
        for _ in range(argument * (2 if major == 5 else 1) if major in (4, 5) else 0):
            end = walk(end)
        found.append((at, end))
        return end

    walk(0)
    return found


def widen(draw, data: bytes) -> bytes:
    """One item written in a longer form than it needs: a head in the next width, or an
    array, map or string of indefinite length."""
    start, end = draw(st.sampled_from(items(data)))
    major, info = data[start] >> 5, data[start] & 0x1F
    if draw(st.booleans()) and major in (2, 3, 4, 5) and info < 24:
        if major in (2, 3):  # one chunk of definite length inside an indefinite string
            return data[:start] + bytes([major << 5 | 31]) + data[start:end] + b"\xff" + data[end:]
        return data[:start] + bytes([major << 5 | 31]) + data[start + 1:end] + b"\xff" + data[end:]
    if info < 24 and major != 7:
        return data[:start] + bytes([major << 5 | 24, info]) + data[start + 1:]
    if 24 <= info < 27:
        width = 1 << (info - 24)
        value = data[start + 1:start + 1 + width]
        return data[:start] + bytes([data[start] + 1]) + bytes(width) + value + data[
            start + 1 + width:]
    return data


@st.composite
def payload_edits(draw):
    """Payload bytes changed, or one item written longer than it needs, then signed again by
    the kid's own key: past the signature."""
    protected, payload, signer = _parts(draw)
    changed = widen(draw, payload) if draw(st.booleans()) else edit(draw, payload)
    return _signed(draw, protected, changed, signer), draw(times()), state(draw)


def encode_map(pairs) -> bytes:
    """A CBOR map of the pairs as they are: keys may repeat, `true` may stand beside 1."""
    count = len(pairs)
    head = bytes([0xA0 | count]) if count < 24 else bytes([0xB8, count])
    return head + b"".join(cbor2.dumps(key) + cbor2.dumps(value) for key, value in pairs)


def _content_edit(draw, node):
    """The content with one leaf or element set, removed or added, anywhere in it."""
    if isinstance(node, dict) and node and draw(st.integers(0, 3)):
        key = draw(st.sampled_from(sorted(node, key=repr)))
        if draw(st.integers(0, 4)) == 0:
            return {k: v for k, v in node.items() if k != key}
        return {**node, key: _content_edit(draw, node[key])}
    if isinstance(node, list) and node and draw(st.integers(0, 3)):
        at = draw(st.integers(0, len(node) - 1))
        match draw(st.sampled_from(("into", "into", "drop", "copy", "swap"))):
            case "into":
                return node[:at] + [_content_edit(draw, node[at])] + node[at + 1:]
            case "drop":
                return node[:at] + node[at + 1:]
            case "copy":
                return node + [node[at]]
        return node[::-1]
    if isinstance(node, dict) and draw(st.booleans()):
        key = draw(st.sampled_from(["t", "r", "z", "v", "v", "x", 1]))
        return {**node, key: draw(st.sampled_from([2, 0, 2**64, "1", True]) | VALUES)}
    return draw(VALUES)


@st.composite
def claims_edits(draw):
    """Claims or content changed as values (types, ranges, keys, times), then re-signed."""
    protected, payload, signer = _parts(draw)
    pairs = list(cbor2.loads(payload).items())
    at = draw(st.integers(0, len(pairs) - 1))
    key, value = pairs[at]
    match draw(st.sampled_from(("content", "content", "content", "value", "time", "drop", "add",
                                "twice", "whole", "version"))):
        case "content":
            at = next(i for i, (k, _) in enumerate(pairs) if k == -70001)
            pairs[at] = (-70001, _content_edit(draw, pairs[at][1]))
        case "value":
            pairs[at] = (key, draw(VALUES))
        case "time":
            key = draw(st.sampled_from((6, 5, 4)))  # iat, nbf, exp
            at = next(i for i, (k, _) in enumerate(pairs) if k == key)
            pairs[at] = (key, draw(st.sampled_from(INTEGERS + signer_bounds())
                                   | st.integers(NBF - 5, NBF + 5)))
        case "drop":
            del pairs[at]
        case "add":
            pairs.insert(at, (draw(st.sampled_from([True, 8, -70002, "iss", 0, 2**64, -2**64])),
                              draw(VALUES)))
        case "twice":
            pairs.append((key, draw(VALUES) if draw(st.booleans()) else value))
        case "version":  # another version, whatever else the content holds
            at = next(i for i, (k, _) in enumerate(pairs) if k == -70001)
            content = _content_edit(draw, pairs[at][1]) if draw(st.booleans()) else pairs[at][1]
            version = draw(st.sampled_from([2, 0, -1, 2**53, 2**64, True, "1", 1]))
            pairs[at] = (-70001, {**content, "v": version} if isinstance(content, dict)
                         else content)
        case "whole":
            return _signed(draw, protected, cbor2.dumps(draw(VALUES)), signer), NOW, "full"
    return _signed(draw, protected, encode_map(pairs), signer), draw(times()), state(draw)


def signer_bounds() -> list[int]:
    """The first and last second of every signer's validity, and the seconds beside them."""
    bounds = []
    for signer in issuer().signers.values():
        for moment in (signer.cert.not_valid_before_utc, signer.cert.not_valid_after_utc):
            second = int(moment.timestamp())
            bounds += [second - 1, second, second + 1]
    return bounds


@st.composite
def signature_edits(draw):
    """The other s (a twin), r or s of 0 or at least n, or any other 64 bytes."""
    cose = decode_qr_text(genuine(draw))
    r, s = int.from_bytes(cose[-64:-32], "big"), int.from_bytes(cose[-32:], "big")
    r, s = draw(st.sampled_from(((r, ORDER - s), (0, s), (r, 0), (ORDER, s), (r, ORDER),
                                 (r, ORDER + 1), (r, s ^ 1), (s, r))))
    signed = r.to_bytes(32, "big") + (s % 2**256).to_bytes(32, "big")
    if draw(st.integers(0, 5)) == 0:
        signed = draw(st.binary(min_size=64, max_size=64))
    return qr_text(cose[:-64] + signed, draw(st.integers(0, 9))), draw(times()), state(draw)


@st.composite
def header_edits(draw):
    """Another protected header (kid, alg, keys, encoding), signed by any of the signers."""
    _, payload, _ = _parts(draw)
    kid = draw(st.sampled_from([s.kid for s in issuer().signers.values()]
                               + [b"\x00" * 8]))
    protected = draw(st.sampled_from([
        protected_header(kid), b"\xa2\x04\x48" + kid + b"\x01\x26",
        b"\xa2\x01\x38\x06\x04\x48" + kid, b"\xbf\x01\x26\x04\x48" + kid + b"\xff",
        b"\xa2\x01\x26\x01\x26", b"\xa3\x01\x26\x04\x48" + kid + b"\x05\x00",
        b"\xa2\xf5\x26\x04\x48" + kid, b"\xa1\x01\x26", b"\x82\x01\x26", b"\xa0", b"",
        cbor2.dumps({1: draw(VALUES), 4: kid}), cbor2.dumps({1: -7, 4: draw(VALUES)})]))
    return _signed(draw, protected, payload), draw(times()), state(draw)


@st.composite
def untouched(draw):
    return genuine(draw), draw(times()), state(draw)


CASES = st.one_of(text_edits(), base45_edits(), zlib_edits(), near_the_limit(), cose_edits(),
                  payload_edits(), claims_edits(), claims_edits(), signature_edits(),
                  header_edits(), untouched())
