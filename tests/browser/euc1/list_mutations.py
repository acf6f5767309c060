"""Hypothesis strategies: signed revocation lists, full or delta, changed in their fields,
entries, encoding, signer and envelope, offered to a verifier that holds no list or the full
list of sequence 3. A case is (held, list bytes)."""

from __future__ import annotations

from hypothesis import strategies as st

from certs.revocation_list import cti_hash

from .authority import LIST_ISSUED, envelope, issuer, protected_header, signature
from .mutations import VALUES, edit, encode_map, signer_bounds, widen

SEQUENCES = [0, 1, 2, 3, 4, 5, 6, 2**53 - 1, 2**53, -1, True, "5"]
SPECIAL = {
    "authority": st.sampled_from(["XX-NCA", "", "YY-NCA", "xx-nca", 1]),
    "sequence": st.sampled_from(SEQUENCES), "base": st.sampled_from(SEQUENCES),
    "issued_at": st.sampled_from([LIST_ISSUED, -1, 0, 2**53, "0"])
    | st.deferred(lambda: st.sampled_from(signer_bounds())),
    "next_update": st.sampled_from([LIST_ISSUED + 3600, 0, -1, 2**53 - 1, 2**53]),
    "h": st.binary(min_size=15, max_size=17), "s": st.sampled_from(
        ["active", "revoked", "suspended", "expired", 1, ""]),
    "r": st.sampled_from([0, 8, 9, 255, 256, -1]), "at": st.sampled_from([0, 2**40 - 1, 2**40]),
    "seq": st.sampled_from(SEQUENCES),
}


def _entry(draw, sequence: int, base: int) -> dict:
    h = cti_hash(draw(st.sampled_from([b"R" * 16, b"S" * 16, b"N" * 16, b"M" * 16])))
    status = draw(st.sampled_from(["revoked", "suspended"] + (["active"] if base else [])))
    return {"h": h, "s": status, "r": draw(st.integers(0, 8)), "at": LIST_ISSUED - 60,
            "seq": draw(st.integers(base + 1, max(base + 1, sequence)))}


def _entries(draw, sequence: int, base: int) -> list:
    entries = {}
    for _ in range(draw(st.integers(0, 4))):
        entry = _entry(draw, sequence, base)
        entries[entry["h"]] = entry
    entries = list(entries.values())
    if entries and draw(st.booleans()):
        at = draw(st.integers(0, len(entries) - 1))
        key = draw(st.sampled_from(["h", "s", "r", "at", "seq", "x"]))
        match draw(st.sampled_from(("set", "drop", "copy"))):
            case "set":
                entries[at] = {**entries[at], key: draw(SPECIAL.get(key, VALUES))}
            case "drop":
                entries[at] = {k: v for k, v in entries[at].items() if k != key}
            case "copy":
                entries.append(dict(entries[at]))
    return entries


def _pairs(draw) -> list:
    """The seven fields of a list that fits either held state, more or less."""
    base = draw(st.sampled_from([0, 0, 3, 4]))
    sequence = draw(st.sampled_from([3, 4, 5]) | st.just(base))
    signers = [issuer().signers["compromised"].kid]
    return [("authority", "XX-NCA"), ("sequence", sequence), ("base", base),
            ("issued_at", LIST_ISSUED + 60), ("next_update", LIST_ISSUED + 3660),
            ("entries", _entries(draw, sequence, base)), ("revoked_signers", signers)]


def _field_edit(draw, pairs: list) -> list:
    at = draw(st.integers(0, len(pairs) - 1))
    key = pairs[at][0]
    match draw(st.sampled_from(("set", "set", "drop", "twice", "add", "signers"))):
        case "set":
            pairs[at] = (key, draw(SPECIAL.get(key, VALUES)))
        case "drop":
            del pairs[at]
        case "twice":
            pairs.append(pairs[at])
        case "add":
            pairs.insert(at, (draw(st.sampled_from(["h", "kid", 1, True])), draw(VALUES)))
        case "signers":
            kids = [s.kid for s in issuer().signers.values()]
            pairs[-1] = ("revoked_signers", draw(st.lists(
                st.sampled_from(kids) | st.binary(min_size=7, max_size=9), max_size=3)))
    return pairs


@st.composite
def lists(draw):
    pairs = _pairs(draw)
    if draw(st.booleans()):
        pairs = _field_edit(draw, pairs)
    payload = encode_map(pairs)
    match draw(st.sampled_from(("none", "none", "bytes", "widen"))):
        case "bytes":
            payload = edit(draw, payload)
        case "widen":
            payload = widen(draw, payload)
    name = draw(st.sampled_from(["active"] * 4 + sorted(issuer().signers)))
    signer = issuer().signers[name]
    protected = protected_header(signer.kid)
    data = envelope(protected, payload, signature(signer, protected, payload))
    if draw(st.sampled_from((False,) * 9 + (True,))):  # now and then, the envelope too
        data = edit(draw, data)
    return draw(st.sampled_from(("none", "full-3"))), data
