"""Offline verification in process: the whole check of one EUC1 payload against the bare
ES256 verification of the same signature over the same bytes (the cryptographic floor).

Beside it, the floor of the decoding the spec requires: the same payload through our Base45
decoder, zlib and cbor2's C decoder, each alone, with no check and no glue. Added to the bare
verification, that is what no verifier written on these libraries can go under.

And an unchecked verifier: the shortest code that gets from the QR text to a verified
signature (decode each layer with cbor2, rebuild the signed structure, verify) and checks
nothing else. What verify() costs above it is the price of its checks: the one accepted
envelope, the claims' types, the content schema, signer status, revocation and validity.
"""

from __future__ import annotations

import os
import zlib

import cbor2

from certs.b45 import b45decode
from certs.cose import _ES256, decode_sign1, der_signature, sig_structure
from certs.qrtext import PREFIX, decode_qr_text
from certs.revocation_list import RevocationList, RevocationState, _pack, cti_hash
from certs.verify import Result, verify
from tests.certs.factories import NOW, issue, make_authority

from .common import interleaved, ratio

GOAL = 1.25


def unchecked(text: str, public_key) -> None:
    """Decode and verify with no check at all; a malformed text just raises."""
    message = cbor2.loads(zlib.decompress(b45decode(text[len(PREFIX):]))).value
    protected, _, payload, signature = message
    cbor2.loads(payload)
    public_key.verify(der_signature(signature), sig_structure(protected, payload), _ES256)


def revocation_state(entries: int, revoked_cti: bytes) -> RevocationState:
    packed = {os.urandom(16): _pack(2, 1, NOW - 86_400, seq) for seq in range(1, entries)}
    packed[cti_hash(revoked_cti)] = _pack(2, 1, NOW - 86_400, entries)
    state = RevocationState()
    state.apply(RevocationList("XX-NCA", entries, 0, NOW - 60, NOW + 86_400, packed,
                               frozenset(), b"\0" * 8))
    return state


def run(scale: dict) -> dict:
    authority = make_authority()
    trust = authority.trust()
    text = issue(authority)
    revoked_cti = os.urandom(16)
    revoked = issue(authority, cti=revoked_cti)
    state = revocation_state(scale["offline_entries"], revoked_cti)
    message = decode_sign1(decode_qr_text(text))
    der, to_be_signed = der_signature(message.signature), message.to_be_signed()
    public_key = trust.candidates(message.kid)[0].public_key
    base45 = text[len(PREFIX):]
    compressed = b45decode(base45)
    assert verify(text, trust=trust, revocations=state, now=NOW).result is Result.VALID
    assert verify(revoked, trust=trust, revocations=state, now=NOW).result is Result.REVOKED

    timings = interleaved({
        "bare": lambda: public_key.verify(der, to_be_signed, _ES256),
        "verify": lambda: verify(text, trust=trust, revocations=state, now=NOW),
        "base45": lambda: b45decode(base45),
        "zlib": lambda: zlib.decompress(compressed),
        "cbor": lambda: cbor2.loads(message.payload),
        "unchecked": lambda: unchecked(text, public_key),
    }, rounds=scale["rounds"], repeat=scale["repeat"])
    bare, full = timings["bare"], timings["verify"]
    decoders = {name: timings[name]["median_us"] for name in ("base45", "zlib", "cbor")}
    floor = bare["median_us"] + sum(decoders.values())
    return {
        "payload_chars": len(text),
        "revocation_entries": len(state),
        "bare_us": bare,
        "verify_us": full,
        "ratio_min": ratio(full["min_us"], bare["min_us"]),
        "ratio_median": ratio(full["median_us"], bare["median_us"]),
        "decoders_us": decoders,
        "floor_us": floor,
        "floor_ratio": ratio(floor, bare["median_us"]),
        "unchecked_us": timings["unchecked"],
        "unchecked_ratio": ratio(timings["unchecked"]["median_us"], bare["median_us"]),
        "goal": GOAL,
        "met": ratio(full["median_us"], bare["median_us"]) <= GOAL,
    }


def rows(result: dict) -> list[tuple[str, str, str]]:
    return [("offline verify / bare ES256 (median)",
             f"{result['verify_us']['median_us']:.0f} / {result['bare_us']['median_us']:.0f} µs"
             f" = {result['ratio_median']:.2f}×", f"≤ {GOAL}×"),
            ("offline floor: bare ES256 + Base45, zlib and CBOR decoding alone (median)",
             f"{result['floor_us']:.0f} / {result['bare_us']['median_us']:.0f} µs"
             f" = {result['floor_ratio']:.2f}×", "none: what bounds the line above"),
            ("offline unchecked verifier: decode every layer and verify, check nothing (median)",
             f"{result['unchecked_us']['median_us']:.0f} / {result['bare_us']['median_us']:.0f}"
             f" µs = {result['unchecked_ratio']:.2f}×", "none: verify() less its checks")]
