"""The test vectors themselves: each QR text, the moment and lists it is checked with, and the
answer the specification requires, written out here by hand (not computed by our verifier,
which the tests then hold to them)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .authority import Dsc
from .payloads import (
    ORDER,
    cose_of,
    cti,
    enc,
    envelope,
    genuine,
    high_s,
    low_s_genuine,
    parts,
    protected,
    qr,
    signed,
)

NOW = "2026-06-15T12:00:00Z"
LATER = "2026-06-15T14:00:00Z"  # the full list of sequence 3 is 90 minutes past its update
FULL_3, DELTA, FULL_5 = "full-3", "delta-3-5", "full-5"


@dataclass
class Vector:
    name: str
    description: str
    payload: str
    result: str
    code: str
    params: dict = field(default_factory=dict)
    at: str = NOW
    trust: str = "current"
    revocations: tuple[str, ...] = (FULL_5,)
    warnings: tuple[dict, ...] = ()
    label: str | None = None  # whose cti it carries (None: MALFORMED, no content)
    number: int | None = None
    online: dict | None = None  # what the online verifier answers, where it differs


# label: (signer, certificate number, issued = nbf, exp)
GENUINE = {
    "G": ("dsc-2", 101, "2026-05-04T09:30:00Z", "2027-01-01T00:00:00Z"),
    "R": ("dsc-1", 102, "2025-11-20T10:00:00Z", "2026-11-20T10:00:00Z"),
    "A": ("dsc-2", 103, "2026-04-01T08:00:00Z", "2027-04-01T00:00:00Z"),
    "B": ("dsc-2", 104, "2026-04-15T08:00:00Z", "2027-04-15T00:00:00Z"),
    "C": ("dsc-2", 105, "2026-05-20T08:00:00Z", "2027-05-20T00:00:00Z"),
    "KR": ("dsc-revoked", 106, "2026-02-01T08:00:00Z", "2027-02-01T00:00:00Z"),
    "LATE": ("dsc-late", 107, "2026-06-01T08:00:00Z", "2027-06-01T00:00:00Z"),
    "UNLISTED": ("dsc-unlisted", 108, "2026-05-10T08:00:00Z", "2027-05-10T00:00:00Z"),
    "ROGUE": ("dsc-rogue", 109, "2026-05-10T08:00:00Z", "2027-05-10T00:00:00Z"),
    "KEY-USAGE": ("dsc-key-usage", 110, "2026-05-10T08:00:00Z", "2027-05-10T00:00:00Z"),
    "MISLISTED": ("dsc-mislisted", 111, "2026-05-10T08:00:00Z", "2027-05-10T00:00:00Z"),
}
NOT_CHECKED = ({"code": "revocation_not_checked", "params": {}},)


def cti_hash(label: str) -> bytes:
    return hashlib.sha256(cti(label)).digest()[:16]


def certificates(dscs: dict[str, Dsc]) -> dict[str, tuple[str, str]]:
    """label -> (the label whose cti it carries, QR text). G and A have low s."""
    made = {}
    for label, (signer, number, issued, expires) in GENUINE.items():
        if label in ("G", "A"):
            text = low_s_genuine(dscs[signer], label, number, issued, expires)
            carried = label if cti(label) in cose_of(text) else _low_s_label(text, label)
        else:
            text, carried = genuine(dscs[signer], label, number, issued, expires), label
        made[label] = (carried, text)
    return made


def _low_s_label(text: str, label: str) -> str:
    return next(f"{label}-{n}" for n in range(1, 64) if cti(f"{label}-{n}") in cose_of(text))


def _of(made, dscs, label) -> dict:
    """The identity a vector of this certificate must show: its cti and its number."""
    return {"label": made[label][0], "number": GENUINE[label][1]}


def results(made, dscs) -> list[Vector]:
    """Every result, the revocation channel and the identity rules."""
    g, a, b, c = (made[x][1] for x in "GABC")
    v = []
    add = v.append
    add(Vector("valid", "A genuine certificate of the active signer, every list held.", g,
               "VALID", "valid", **_of(made, dscs, "G")))
    add(Vector("valid-retired-signer", "Signed by dsc-1 before it was retired: still valid "
               "until its own exp.", made["R"][1], "VALID", "valid", **_of(made, dscs, "R")))
    add(Vector("revoked", "On the full list as revoked (reason 1, licence revoked).", a,
               "REVOKED", "revoked", {"at": _t("2026-06-10T09:00:00Z"), "revocation_reason": 1},
               **_of(made, dscs, "A")))
    add(Vector("suspended", "On the full list of sequence 3 as suspended (reason 4).", b,
               "SUSPENDED", "suspended",
               {"at": _t("2026-06-12T10:00:00Z"), "revocation_reason": 4},
               revocations=(FULL_3,), **_of(made, dscs, "B")))
    add(Vector("reinstated-by-delta", "The suspension lifted: the full list of sequence 3 and "
               "the delta from 3 to 5, whose entry for it is \"active\".", b, "VALID", "valid",
               revocations=(FULL_3, DELTA), **_of(made, dscs, "B")))
    add(Vector("reinstated-full-list", "The same lifted suspension, from the next full list "
               "alone (it no longer names the certificate).", b, "VALID", "valid",
               **_of(made, dscs, "B")))
    add(Vector("revoked-by-delta", "Not on the full list of sequence 3; revoked by the delta "
               "(reason 8, diversion suspected).", c, "REVOKED", "revoked",
               {"at": _t("2026-06-15T11:50:00Z"), "revocation_reason": 8},
               revocations=(FULL_3, DELTA), **_of(made, dscs, "C")))
    add(Vector("not-yet-revoked", "The same certificate with only the full list of sequence 3:"
               " valid, as far as that list knows.", c, "VALID", "valid",
               revocations=(FULL_3,), **_of(made, dscs, "C")))
    add(Vector("exhausted-online", "Offline it is valid; online, with every goods line "
               "shipped, the registry answers EXHAUSTED.", g, "VALID", "valid",
               online={"shipped": "all", "result": "EXHAUSTED", "code": "exhausted"},
               **_of(made, dscs, "G")))
    add(Vector("revoked-and-expired", "Revoked and past its exp: revocation is checked first.",
               a, "REVOKED", "revoked",
               {"at": _t("2026-06-10T09:00:00Z"), "revocation_reason": 1},
               at="2027-05-01T00:00:00Z",
               warnings=(_stale("2027-05-01T00:00:00Z", "2026-06-15T12:55:20Z"),),
               **_of(made, dscs, "A")))
    add(Vector("stale-list", "The only list held was due again at 12:30: still verified, with "
               "a warning saying how late.", g, "VALID", "valid", at=LATER,
               revocations=(FULL_3,), warnings=(_stale(LATER, "2026-06-15T12:30:00Z"),),
               **_of(made, dscs, "G")))
    add(Vector("no-list", "No revocation list held: verified, with a warning.", g, "VALID",
               "valid", revocations=(), warnings=NOT_CHECKED, **_of(made, dscs, "G")))
    return v


def _t(text: str) -> int:
    from .authority import epoch

    return epoch(text)


def _stale(now: str, due: str) -> dict:
    return {"code": "revocation_list_stale", "params": {"seconds": _t(now) - _t(due)}}


def times(made, dscs) -> list[Vector]:
    """The boundaries: valid from nbf included to exp excluded."""
    g = made["G"][1]
    _, _, issued, expires = GENUINE["G"]
    nbf, exp = _t(issued), _t(expires)
    cases = (("at-nbf", nbf, "VALID", "valid", {}),
             ("before-nbf", nbf - 1, "NOT_YET_VALID", "not_yet_valid", {"nbf": nbf}),
             ("before-exp", exp - 1, "VALID", "valid", {}),
             ("at-exp", exp, "EXPIRED", "expired", {"exp": exp}))
    return [Vector(f"time-{name}", f"Checked at {moment} (nbf {nbf}, exp {exp}).", g, result,
                   code, params, at=_iso(moment), revocations=(), warnings=NOT_CHECKED,
                   **_of(made, dscs, "G"))
            for name, moment, result, code, params in cases]


def _iso(moment: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signers(made, dscs) -> list[Vector]:
    """Who may sign: the trust list, the root, the signer's validity and its revocation."""
    kid = {label: dscs[GENUINE[label][0]].kid.hex() for label in GENUINE}
    return [
        Vector("signer-revoked", "Signed by dsc-revoked, whose kid the lists name in "
               "revoked_signers.", made["KR"][1], "REVOKED", "signer_revoked",
               {"kid": kid["KR"]}, **_of(made, dscs, "KR")),
        Vector("signer-revoked-by-the-list-only", "The same, with a trust list fetched before "
               "the compromise (dsc-revoked still \"retired\"): the signed list decides.",
               made["KR"][1], "REVOKED", "signer_revoked", {"kid": kid["KR"]},
               trust="before-revocation", **_of(made, dscs, "KR")),
        Vector("signer-revoked-by-the-trust-list-only", "The same, with no revocation list: the "
               "trust list's \"revoked\" can take trust away.", made["KR"][1], "REVOKED",
               "signer_revoked", {"kid": kid["KR"]}, revocations=(), warnings=NOT_CHECKED,
               **_of(made, dscs, "KR")),
        Vector("signer-unknown", "Signed by a DSC of the root that the trust list does not "
               "carry.", made["UNLISTED"][1], "UNKNOWN_SIGNER", "signer_unknown",
               {"kid": kid["UNLISTED"]}, **_of(made, dscs, "UNLISTED")),
        Vector("signer-not-signed-by-root", "Signed by a listed DSC that another root (of the "
               "same name) signed.", made["ROGUE"][1], "UNKNOWN_SIGNER", "signer_not_trusted",
               {"kid": kid["ROGUE"], "why": "not_signed_by_root"},
               online={"code": "signer_unknown", "params": {"kid": kid["ROGUE"]}},
               **_of(made, dscs, "ROGUE")),
        Vector("signer-key-usage", "Signed by a listed DSC of the root whose key usage is "
               "certificate signing, not digital signatures.", made["KEY-USAGE"][1],
               "UNKNOWN_SIGNER", "signer_not_trusted",
               {"kid": kid["KEY-USAGE"], "why": "key_usage"},
               online={"code": "signer_unknown", "params": {"kid": kid["KEY-USAGE"]}},
               **_of(made, dscs, "KEY-USAGE")),
        Vector("signer-not-valid-at-iat", "Signed by dsc-late with an iat before its validity "
               "begins.", made["LATE"][1], "UNKNOWN_SIGNER", "signer_not_valid_at_iat",
               {"kid": kid["LATE"], "iat": _t(GENUINE["LATE"][2])}, **_of(made, dscs, "LATE")),
        Vector("kid-shared-with-a-mislisted-entry", "Signed by dsc-mislisted under the kid of "
               "dsc-2, as the trust list lists it: that entry is refused, and dsc-2's key does "
               "not verify.", _header_kid(made["MISLISTED"][1], dscs["dsc-mislisted"],
                                          dscs["dsc-2"].kid), "BAD_SIGNATURE",
               "signature_invalid", {"kid": dscs["dsc-2"].kid.hex()},
               **_of(made, dscs, "MISLISTED")),
    ]


def _header_kid(text: str, signer: Dsc, kid: bytes) -> str:
    header, payload, _ = parts(cose_of(text))
    header = protected(kid)
    return qr(signed(payload, signer, header))


def identity(made, dscs) -> list[Vector]:
    """A certificate is its cti: other bytes for the same signed content verify the same."""
    g_cose, a_cose = cose_of(made["G"][1]), cose_of(made["A"][1])
    header, payload, sig = parts(g_cose)
    tampered = payload.replace(enc(1200), enc(1300), 1)
    return [
        Vector("high-s", "The genuine code with s replaced by n - s (the high one): WebCrypto "
               "and OpenSSL accept it, and so must every verifier.", qr(high_s(g_cose)),
               "VALID", "valid", **_of(made, dscs, "G")),
        Vector("high-s-revoked", "The revoked certificate with its high-s twin signature: "
               "still the same cti, still revoked.", qr(high_s(a_cose)), "REVOKED", "revoked",
               {"at": _t("2026-06-10T09:00:00Z"), "revocation_reason": 1},
               **_of(made, dscs, "A")),
        Vector("recompressed-level-1", "The same COSE_Sign1 compressed at zlib level 1.",
               qr(g_cose, 1), "VALID", "valid", **_of(made, dscs, "G")),
        Vector("recompressed-stored", "The same COSE_Sign1 in stored (uncompressed) zlib "
               "blocks.", qr(g_cose, 0), "VALID", "valid", **_of(made, dscs, "G")),
        Vector("bad-signature-altered-content", "A quantity changed after signing (1200 to "
               "1300).", qr(envelope(header, b"\xa0", tampered, sig)), "BAD_SIGNATURE",
               "signature_invalid", {"kid": dscs["dsc-2"].kid.hex()},
               **_of(made, dscs, "G")),
        Vector("bad-signature-s-zero", "The signature with s = 0, outside 1..n-1.",
               qr(g_cose[:-32] + bytes(32)), "BAD_SIGNATURE", "signature_invalid",
               {"kid": dscs["dsc-2"].kid.hex()}, **_of(made, dscs, "G")),
        Vector("bad-signature-s-n", "The signature with s = n, outside 1..n-1.",
               qr(g_cose[:-32] + ORDER.to_bytes(32, "big")), "BAD_SIGNATURE",
               "signature_invalid", {"kid": dscs["dsc-2"].kid.hex()},
               **_of(made, dscs, "G")),
    ]


