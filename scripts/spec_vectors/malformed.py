"""The MALFORMED vectors: one for every rule of the QR text, the zlib stream, the COSE_Sign1
envelope, the CBOR encoding rules, the claims and the content."""

from __future__ import annotations

import zlib

from .authority import Dsc
from .cases import GENUINE, Vector
from .payloads import (
    cbor_map,
    claims,
    content_map,
    content_pairs,
    cose_of,
    enc,
    envelope,
    head,
    parts,
    protected,
    qr,
    raw_text,
    signature,
    signed,
    zlib_with_dictionary,
)

_ISSUED, _EXPIRES = GENUINE["G"][2], GENUINE["G"][3]


def _m(name: str, description: str, payload: str, code: str, **params) -> Vector:
    return Vector(f"malformed-{name}", description, payload, "MALFORMED", code, params,
                  revocations=())


def text(made) -> list[Vector]:
    g = made["G"][1]
    body = g[len("EUC1:"):]
    pad = "0" * ((1 - len(body)) % 3 or 3)  # makes the Base45 length 1 more than a multiple
    return [
        _m("prefix-hc1", "The EU DCC's prefix, not EUC1.", "HC1:" + body, "not_euc1"),
        _m("prefix-lowercase", "The prefix in lower case.", "euc1:" + body, "not_euc1"),
        _m("text-too-long", "8,195 characters: above the 8,192 any verifier reads.",
           "EUC1:" + "0" * 8190, "text_too_long", limit=8192),
        _m("base45-character", "A lower-case letter, outside the Base45 alphabet.",
           "EUC1:" + body[:10] + "a" + body[11:], "base45_invalid"),
        _m("base45-length", "A Base45 text whose length leaves one character over.",
           g + pad, "base45_invalid"),
        _m("base45-triple", "A triple worth 65536 (GGW), above 65535.",
           "EUC1:GGW" + body[3:], "base45_invalid"),
    ]


def compression(made) -> list[Vector]:
    cose = cose_of(made["G"][1])
    packed = zlib.compress(cose, 9)
    return [
        _m("zlib-truncated", "The zlib stream without its last two bytes.",
           raw_text(packed[:-2]), "zlib_invalid"),
        _m("zlib-trailing", "A byte after the end of the zlib stream.",
           raw_text(packed + b"\x00"), "zlib_invalid"),
        _m("zlib-checksum", "The Adler-32 checksum off by one.",
           raw_text(packed[:-1] + bytes([packed[-1] ^ 1])), "zlib_invalid"),
        _m("zlib-dictionary", "A stream that needs a preset dictionary (FDICT).",
           zlib_with_dictionary(cose), "zlib_invalid"),
        _m("zlib-too-large", "A stream that inflates to 70,000 bytes, above 65,536.",
           raw_text(zlib.compress(b"\x00" * 70_000, 9)), "zlib_too_large", limit=65536),
    ]


def envelopes(made, dscs) -> list[Vector]:
    signer = dscs["dsc-2"]
    cose = cose_of(made["G"][1])
    header, payload, sig = parts(cose)
    only_alg = cbor_map([(enc(1), enc(-7))])
    es384 = protected(signer.kid, -35)
    twice = cbor_map([(enc(1), enc(-7)), (enc(4), enc(signer.kid)), (enc(4), enc(signer.kid))])
    return [
        _m("cose-untagged", "The COSE_Sign1 array without CBOR tag 18.", qr(cose[1:]),
           "cose_invalid"),
        _m("cose-unprotected-kid", "The kid in the unprotected header as well.",
           qr(envelope(header, cbor_map([(enc(4), enc(signer.kid))]), payload, sig)),
           "cose_invalid"),
        _m("cose-signature-63", "A 63-byte signature.", qr(envelope(header, b"\xa0", payload,
                                                                    sig[:63])), "cose_invalid"),
        _m("cose-trailing", "A byte after the COSE_Sign1.", qr(cose + b"\x00"), "cose_invalid"),
        _m("cose-payload-long-head", "The payload's length written in 4 bytes where 2 do.",
           qr(b"\xd2\x84" + head(2, len(header)) + header + b"\xa0"
              + head(2, len(payload), 4) + payload + b"\x58\x40" + sig), "cose_invalid"),
        _m("header-no-kid", "A protected header with alg alone.",
           qr(envelope(only_alg, b"\xa0", payload, signature(only_alg, payload, signer))),
           "header_invalid"),
        _m("header-es384", "alg -35 (ES384) in the protected header.",
           qr(envelope(es384, b"\xa0", payload, signature(es384, payload, signer))),
           "alg_unsupported", alg=-35),
        _m("header-duplicate-kid", "The kid twice in the protected header.",
           qr(envelope(twice, b"\xa0", payload, signature(twice, payload, signer))),
           "duplicate_key", part="protected_header", key=4),
    ]


def _payload(signer: Dsc, pairs, *, raw: bytes | None = None) -> str:
    return qr(signed(cbor_map(pairs) if raw is None else raw, signer))


def _claims(**kwargs):
    return claims(number=121, label="M", issued=_ISSUED, expires=_EXPIRES, **kwargs)


def encoding(dscs) -> list[Vector]:
    signer = dscs["dsc-2"]
    pairs = _claims()
    moment = enc(int(_time(_ISSUED)))
    lines = content_pairs(121)
    goods = dict(lines)[enc("g")]
    indefinite = b"\x9f" + goods[1:] + b"\xff"
    float_goods = goods.replace(enc(1200), b"\xfb" + _float64(1200.0), 1)
    return [
        _m("cbor-invalid-utf8", "iss is a text string that is not valid UTF-8.",
           _payload(signer, _claims(iss=b"\x66XX-NC\xff")), "cbor_invalid", part="payload"),
        _m("cbor-long-integer", "iat written in 9 bytes where 5 do.",
           _payload(signer, _claims(iat=b"\x1b" + int(_time(_ISSUED)).to_bytes(8, "big"))),
           "cbor_not_preferred", part="payload"),
        _m("cbor-indefinite-array", "The goods lines in an indefinite-length array.",
           _payload(signer, _claims(euc=cbor_map(_swap(lines, "g", indefinite)))),
           "cbor_not_preferred", part="payload"),
        _m("cbor-tag", "iat as a tag-1 date.", _payload(signer, _claims(iat=b"\xc1" + moment)),
           "cbor_item_not_allowed", part="payload"),
        _m("cbor-float", "A quantity as the float 1200.0.",
           _payload(signer, _claims(euc=cbor_map(_swap(lines, "g", float_goods)))),
           "cbor_item_not_allowed", part="payload"),
        _m("cbor-null", "transit (t) as null.",
           _payload(signer, _claims(euc=cbor_map(_swap(lines, "t", b"\xf6")))),
           "cbor_item_not_allowed", part="payload"),
        _m("duplicate-claim", "cti twice among the claims.",
           _payload(signer, [*pairs[:5], (enc(7), enc(b"\x01" * 16)), pairs[5]]),
           "duplicate_key", part="payload", key=7),
        _m("duplicate-content-key", "The certificate number (n) twice in the content.",
           _payload(signer, _claims(euc=cbor_map([*lines, (enc("n"), enc("EUC-XX-2026-"
                                                                          "999999"))]))),
           "duplicate_key", part="payload", key="n"),
    ]


def _float64(value: float) -> bytes:
    import struct

    return struct.pack(">d", value)


def _time(text: str) -> int:
    from .authority import epoch

    return epoch(text)


def _swap(pairs, key: str, value: bytes):
    return [(k, value if k == enc(key) else v) for k, v in pairs]


def schema(dscs) -> list[Vector]:
    signer = dscs["dsc-2"]
    pairs, lines = _claims(), content_pairs(121)
    content = dict(lines)
    g = content[enc("g")]
    swapped_lines = g[:1] + _goods_items(g)[1] + _goods_items(g)[0] + _goods_items(g)[2]
    return [
        _m("payload-array", "The payload is an array, not a map of claims.",
           _payload(signer, [], raw=head(4, 6) + b"".join(v for _, v in pairs)),
           "payload_not_a_map"),
        _m("claim-missing", "No exp (4).", _payload(signer, [p for p in pairs
                                                            if p[0] != enc(4)]),
           "claim_missing", claims=[4]),
        _m("claim-unknown", "A seventh claim, -70002.",
           _payload(signer, [*pairs, (enc(-70002), enc("extra"))]), "claim_unknown",
           claims=[-70002]),
        _m("claim-key-true", "iss under the key true instead of 1.",
           _payload(signer, [(b"\xf5", pairs[0][1]), *pairs[1:]]), "claim_missing",
           claims=[1]),
        _m("claim-key-true-beside-1", "A seventh key, true, beside 1: in CBOR true is not 1 "
           "(nor a duplicate of it), so it is an unknown claim, shown by its encoding.",
           _payload(signer, [*pairs, (b"\xf5", enc("XX-NCA"))]), "claim_unknown",
           claims=["f5"]),
        _m("claim-iat-text", "iat as text.", _payload(signer, _claims(iat=enc(_ISSUED))),
           "claim_invalid", claim=6),
        _m("claim-cti-15", "A 15-byte cti.", _payload(signer, _claims(cti=enc(b"\x07" * 15))),
           "claim_invalid", claim=7),
        _m("claim-exp-year-10000", "exp in the year 10000.",
           _payload(signer, _claims(exp=enc(253_402_300_800))), "claim_invalid", claim=4),
        _m("validity-inverted", "exp before nbf.",
           _payload(signer, _claims(exp=enc(_time(_ISSUED) - 1))), "validity_inverted",
           nbf=_time(_ISSUED), exp=_time(_ISSUED) - 1),
        _m("content-version-2", "Content schema version 2: not read, not shown.",
           _payload(signer, _claims(euc=cbor_map(_swap(lines, "v", enc(2))))),
           "content_version_unsupported", version=2),
        _m("content-country", "The destination as \"cn\", not an ISO 3166-1 code.",
           _payload(signer, _claims(euc=cbor_map(_swap(lines, "d", enc("cn"))))),
           "content_invalid", field="d"),
        _m("content-lines-order", "Goods lines 2, 1, 3: line numbers must increase.",
           _payload(signer, _claims(euc=cbor_map(_swap(lines, "g", swapped_lines)))),
           "content_invalid", field="g"),
        _m("content-no-undertaking", "The non-re-export undertaking (x) false.",
           _payload(signer, _claims(euc=content_map(121, _swap(lines, "x", enc(False))))),
           "content_invalid", field="x"),
    ]


def _goods_items(g: bytes) -> list[bytes]:
    """The encoded goods lines of an encoded goods array of fewer than 24 lines."""
    import cbor2

    return [cbor2.dumps(line) for line in cbor2.loads(g)]
