"""The test vectors' revocation lists: the history a verifier follows (a full list, a delta, the
next full list) and lists it must refuse, each breaking one rule."""

from __future__ import annotations

from certs.revocation_list import revocation_payload

from .authority import AUTHORITY, Dsc, entry, epoch, signed_list
from .cases import cti_hash
from .payloads import cbor_map, enc, head, signed

# The registry's history: sequence 1 revokes A, 2 suspends B, 3 revokes the signer key
# dsc-revoked, 4 lifts B's suspension, 5 revokes C.
T1, T2, T4, T5 = ("2026-06-10T09:00:00Z", "2026-06-12T10:00:00Z", "2026-06-15T11:45:00Z",
                  "2026-06-15T11:50:00Z")


def history(dscs: dict[str, Dsc], made) -> dict[str, bytes]:
    a, b, c = (cti_hash(made[x][0]) for x in "ABC")
    revoked = [dscs["dsc-revoked"].kid]
    signer = dscs["dsc-2"]
    return {
        "full-3": signed_list(signer, sequence=3, base=0, issued="2026-06-15T11:30:00Z",
                              entries=[entry(a, "revoked", 1, T1, 1),
                                       entry(b, "suspended", 4, T2, 2)],
                              revoked_signers=revoked),
        "delta-3-5": signed_list(signer, sequence=5, base=3, issued="2026-06-15T11:55:00Z",
                                 entries=[entry(b, "active", 0, T4, 4),
                                          entry(c, "revoked", 8, T5, 5)],
                                 revoked_signers=revoked),
        "full-5": signed_list(signer, sequence=5, base=0, issued="2026-06-15T11:55:20Z",
                              entries=[entry(a, "revoked", 1, T1, 1),
                                       entry(c, "revoked", 8, T5, 5)],
                              revoked_signers=revoked),
    }


def _pairs(dscs, made, **changes) -> list[tuple[bytes, bytes]]:
    """The full list of sequence 3 as encoded pairs, with values replaced as given."""
    a, b = cti_hash(made["A"][0]), cti_hash(made["B"][0])
    issued = epoch("2026-06-15T11:30:00Z")
    payload = revocation_payload(
        authority=AUTHORITY.code, sequence=3, base=0, issued_at=issued,
        next_update=issued + 3600, entries=[entry(a, "revoked", 1, T1, 1),
                                            entry(b, "suspended", 4, T2, 2)],
        revoked_signers=[dscs["dsc-revoked"].kid])
    return [(enc(key), changes.get(key, enc(value))) for key, value in payload.items()]


def refused(dscs: dict[str, Dsc], made) -> dict[str, tuple[bytes, str]]:
    """name -> (signed list, the rule it breaks)."""
    signer = dscs["dsc-2"]
    pairs = _pairs(dscs, made)
    a = cti_hash(made["A"][0])
    entries = dict(pairs)[enc("entries")]
    first = enc({"h": a, "s": "revoked", "r": 1, "at": epoch(T1), "seq": 1})
    twice_r = cbor_map([(enc("h"), enc(a)), (enc("s"), enc("revoked")), (enc("r"), enc(1)),
                        (enc("at"), enc(epoch(T1))), (enc("seq"), enc(1)),
                        (enc("r"), enc(0))])
    lists = {
        "bad-duplicate-key": ([*pairs, (enc("sequence"), enc(9))], "a top-level key twice"),
        "bad-duplicate-entry-key": (_with_entries(pairs, [twice_r]), "a key twice in an entry"),
        "bad-same-hash-twice": (_with_entries(pairs, [first, first]), "two entries for one "
                                                                        "hash"),
        "bad-long-integer": (_changed(pairs, "sequence", b"\x1b" + (3).to_bytes(8, "big")),
                             "an integer not in its shortest form"),
        "bad-indefinite-entries": (_changed(pairs, "entries", b"\x9f" + entries[1:] + b"\xff"),
                                   "an indefinite-length array"),
        "bad-full-list-active": (_with_entries(pairs, [enc({"h": a, "s": "active", "r": 0,
                                                             "at": epoch(T1), "seq": 1})]),
                                 "an \"active\" entry in a full list"),
        "bad-other-authority": (_changed(pairs, "authority", enc("YY-NCA")),
                                "another authority than the trust list's"),
        "bad-entry-after-sequence": (_changed(pairs, "sequence", enc(1)),
                                     "an entry whose seq is after the list's sequence"),
    }
    made_lists = {name: (signed(cbor_map(p), signer), rule) for name, (p, rule) in lists.items()}
    made_lists["bad-signed-by-revoked-signer"] = (
        signed(cbor_map(pairs), dscs["dsc-revoked"]),
        "signed by a signer the list itself names in revoked_signers")
    return made_lists


def _changed(pairs, key: str, value: bytes):
    return [(k, value if k == enc(key) else v) for k, v in pairs]


def _with_entries(pairs, encoded_entries: list[bytes]):
    return _changed(pairs, "entries", head(4, len(encoded_entries)) + b"".join(encoded_entries))
