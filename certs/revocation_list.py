"""The revocation list (docs/spec/euc-qr.md section 8): building, signing, verifying and
holding one.

Entries are keyed by cti_hash (the first 16 bytes of SHA-256 over the certificate's cti), so
the public list does not reveal which certificate numbers exist. A verifier holds a
RevocationState: a full list, kept current with deltas. It must hold a million entries, so
each is one dict slot mapping the 16-byte hash to a single packed int (status, reason, time,
sequence) instead of an object per entry.
"""

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, NamedTuple

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from . import list_encoding, pki
from .cose import decode_sign1, der_signature, sign1, verify_der
from .errors import MalformedError, RevocationListError
from .trust_list import SignerStatus, TrustStore

HASH_LENGTH = 16
MAX_INTEGER = 2**53 - 1  # sequences: the largest integer JSON and JavaScript hold exactly
_ENTRY_KEYS = frozenset(("h", "s", "r", "at", "seq"))
_LIST_KEYS = frozenset(
    ("authority", "sequence", "base", "issued_at", "next_update", "entries", "revoked_signers")
)
_MAX_AT = 1 << 40
_CBOR_ERRORS = (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError)


class EntryStatus(StrEnum):
    ACTIVE = "active"  # only in a delta: lifts a suspension
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Reason(IntEnum):
    """Reason codes ("r"). Unknown codes are kept as plain ints: the list may grow."""

    UNSPECIFIED = 0
    LICENCE_REVOKED = 1
    LICENCE_SUSPENDED = 2
    REGISTRATION_REVOKED = 3
    REGISTRATION_SUSPENDED = 4
    ISSUED_IN_ERROR = 5
    SUPERSEDED = 6
    KEY_COMPROMISE = 7
    DIVERSION_SUSPECTED = 8


# The 2-bit status codes inside a packed entry.
_STATUS_CODE = {EntryStatus.ACTIVE: 0, EntryStatus.SUSPENDED: 1, EntryStatus.REVOKED: 2}
_STATUS_BY_CODE = (EntryStatus.ACTIVE, EntryStatus.SUSPENDED, EntryStatus.REVOKED)


class Entry(NamedTuple):
    h: bytes
    status: EntryStatus
    reason: int
    at: int
    seq: int


def cti_hash(cti: bytes) -> bytes:
    return hashlib.sha256(cti).digest()[:HASH_LENGTH]


@dataclass(frozen=True)
class RevocationList:
    authority: str
    sequence: int
    base: int  # 0 for a full list, else the sequence this delta applies on top of
    issued_at: int
    next_update: int
    entries: dict[bytes, int]  # cti hash -> packed entry, see _pack
    revoked_signers: frozenset[bytes]
    kid: bytes  # the DSC that signed it

    @property
    def is_full(self) -> bool:
        return self.base == 0

    def entry_list(self) -> list[Entry]:
        return [_unpack(h, packed) for h, packed in self.entries.items()]


def revocation_payload(
    *,
    authority: str,
    sequence: int,
    base: int,
    issued_at: int,
    next_update: int,
    entries: Iterable[Entry],
    revoked_signers: Iterable[bytes],
) -> dict[str, Any]:
    """The payload map of spec section 8 (also what ?format=json shows, via as_json)."""
    return {
        "authority": authority,
        "sequence": sequence,
        "base": base,
        "issued_at": issued_at,
        "next_update": next_update,
        "entries": [
            {"h": e.h, "s": EntryStatus(e.status).value, "r": int(e.reason), "at": e.at,
             "seq": e.seq}
            for e in entries
        ],
        "revoked_signers": list(revoked_signers),
    }


def sign_revocation_list(
    payload: dict[str, Any],
    *,
    signer_key: ec.EllipticCurvePrivateKey,
    signer_cert: x509.Certificate,
) -> bytes:
    """The COSE_Sign1 served as application/cose; the payload is checked first."""
    encoded = cbor2.dumps(payload)
    # cbor2 writes preferred serialization and a dict has no key twice: only the types and
    # the list's own rules need checking here, not the encoding.
    _decode_payload(encoded, strict=False)
    return sign1(encoded, kid=pki.kid(signer_cert), key=signer_key)


def encode_entry(entry: Entry) -> bytes:
    """One entry map exactly as every list carries it.

    A registry encodes each certificate's entry once, when its state changes, and keeps the
    bytes: a full list of a million entries is then a join (see encode_list), not a million
    encodings. The entry passes a verifier's checks before it is ever kept.
    """
    fields = {"h": entry.h, "s": EntryStatus(entry.status).value, "r": int(entry.reason),
              "at": entry.at, "seq": entry.seq}
    _entry_hook(None, fields)
    return cbor2.dumps(fields)


def encode_list(*, authority: str, sequence: int, base: int, issued_at: int, next_update: int,
                entries: bytes, count: int, revoked_signers: Iterable[bytes]) -> bytes:
    """The payload of revocation_payload, byte for byte, from `count` entry maps already
    encoded by encode_entry and joined in `entries`."""
    head = {"authority": authority, "sequence": sequence, "base": base, "issued_at": issued_at,
            "next_update": next_update}
    signers = list(revoked_signers)
    _check_list({**head, "entries": [], "revoked_signers": signers})
    if count < 0 or (count == 0) != (entries == b""):
        raise RevocationListError("the entries do not match their count")
    parts = [b"\xa7"]  # a map of seven keys, in revocation_payload's order
    for key, value in head.items():
        parts += (cbor2.dumps(key), cbor2.dumps(value))
    parts += (cbor2.dumps("entries"), _array_head(count), entries,
              cbor2.dumps("revoked_signers"), cbor2.dumps(signers))
    return b"".join(parts)


def _array_head(count: int) -> bytes:
    # An array's head is its length encoded as an unsigned integer (major type 0) with the
    # major type bits set to 4.
    length = cbor2.dumps(count)
    return bytes([0x80 | length[0]]) + length[1:]


def sign_encoded(payload: bytes, *, signer_key: ec.EllipticCurvePrivateKey,
                 signer_cert: x509.Certificate) -> bytes:
    """The COSE_Sign1 of a payload made by encode_list."""
    return sign1(payload, kid=pki.kid(signer_cert), key=signer_key)


def as_json(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with byte strings as standard base64, for people."""
    b64 = lambda data: base64.b64encode(data).decode("ascii")  # noqa: E731
    return {
        **payload,
        "entries": [{**entry, "h": b64(entry["h"])} for entry in payload["entries"]],
        "revoked_signers": [b64(kid) for kid in payload["revoked_signers"]],
    }


def parse_revocation_list(data: bytes, *, trust: TrustStore) -> RevocationList:
    """Verify a signed revocation list against trust and decode it.

    Raises RevocationListError for malformed data, an unknown or revoked signer (marked so
    in the trust list, or named in the list's own revoked_signers), a bad signature, a list
    signed outside its signer's validity or for another authority. A retired signer is still
    accepted: lists it signed just before a rotation are genuine.
    """
    try:
        message = decode_sign1(data)
    except MalformedError as exc:
        raise RevocationListError(f"the revocation list is malformed: {exc}") from exc
    candidates = trust.candidates(message.kid)
    if not candidates:
        raise RevocationListError("the revocation list is signed by an unknown signer")
    der, to_be_signed = der_signature(message.signature), message.to_be_signed()
    signer = next((s for s in candidates if verify_der(der, to_be_signed, s.public_key)), None)
    if signer is None:
        raise RevocationListError("the revocation list signature does not verify")
    fields = _decode_payload(message.payload)
    if signer.status is SignerStatus.REVOKED or signer.kid in fields["revoked_signers"]:
        raise RevocationListError("the revocation list is signed by a revoked signer")
    if not signer.signs_at(fields["issued_at"]):
        raise RevocationListError("the revocation list was signed outside its signer's "
                                  "validity")
    if trust.authority is not None and fields["authority"] != trust.authority.code:
        raise RevocationListError("the revocation list is from another authority")
    return RevocationList(**fields, kid=signer.kid)


def _decode_payload(payload: bytes, *, strict: bool = True) -> dict[str, Any]:
    try:
        # The hook packs each entry map as soon as it is decoded, so a million-entry list
        # never exists as a million dicts at once.
        if strict:
            obj = list_encoding.loads(payload, _entry_hook)
        else:
            obj = cbor2.loads(payload, object_hook=_entry_hook)
        return _check_list(obj)
    except RevocationListError:
        raise
    except _CBOR_ERRORS as exc:
        raise RevocationListError(f"the revocation list payload is malformed: {exc}") from exc


def _entry_hook(_decoder: Any, obj: dict[Any, Any]) -> Any:
    if "h" not in obj:
        return obj
    if obj.keys() != _ENTRY_KEYS:
        raise RevocationListError(f"an entry has keys {sorted(map(str, obj))}")
    h, status, reason, at, seq = obj["h"], obj["s"], obj["r"], obj["at"], obj["seq"]
    if type(h) is not bytes or len(h) != HASH_LENGTH:
        raise RevocationListError("an entry hash is not 16 bytes")
    if type(status) is not str or status not in _STATUS_CODE:
        raise RevocationListError(f"an entry has unknown status {status!r}")
    for name, value, limit in (("r", reason, 256), ("at", at, _MAX_AT)):
        if type(value) is not int or not 0 <= value < limit:
            raise RevocationListError(f"an entry has a bad {name} {value!r}")
    if type(seq) is not int or not 0 <= seq <= MAX_INTEGER:
        raise RevocationListError(f"an entry has a bad seq {seq!r}")
    return (h, _pack(_STATUS_CODE[status], reason, at, seq))


def _check_list(obj: Any) -> dict[str, Any]:
    if type(obj) is not dict or obj.keys() != _LIST_KEYS:
        raise RevocationListError("the revocation list payload does not have the listed keys")
    if type(obj["authority"]) is not str:
        raise RevocationListError("authority must be text")
    for name in ("sequence", "base", "issued_at", "next_update"):
        if type(obj[name]) is not int or not 0 <= obj[name] <= MAX_INTEGER:
            raise RevocationListError(f"{name} must be a non-negative integer")
    if obj["base"] > obj["sequence"]:
        raise RevocationListError("base is after sequence")
    entries, signers = obj["entries"], obj["revoked_signers"]
    if type(entries) is not list or not all(type(item) is tuple for item in entries):
        raise RevocationListError("entries must be an array of entry maps")
    if type(signers) is not list or not all(type(k) is bytes and len(k) == 8 for k in signers):
        raise RevocationListError("revoked_signers must be an array of 8-byte kids")
    packed = dict(entries)
    if len(packed) != len(entries):
        raise RevocationListError("two entries have the same hash")
    if obj["base"] == 0 and any(p & 3 == 0 for p in packed.values()):
        raise RevocationListError("a full list cannot hold 'active' entries")
    if packed:
        first, last = min(packed.values()) >> 50, max(packed.values()) >> 50  # seq is on top
        if last > obj["sequence"] or (obj["base"] > 0 and first <= obj["base"]):
            raise RevocationListError("an entry's seq is outside the list's base and sequence")
    return {**obj, "entries": packed, "revoked_signers": frozenset(signers)}


class RevocationState:
    """What a verifier holds: the latest full list plus every delta applied since."""

    def __init__(self) -> None:
        self.authority: str | None = None
        self.sequence: int | None = None  # None until a full list is applied
        self.issued_at = 0
        self.next_update = 0
        self._entries: dict[bytes, int] = {}
        self._revoked_signers: set[bytes] = set()

    def __len__(self) -> int:
        return len(self._entries)

    def apply(self, revocations: RevocationList) -> None:
        """Take in a full list or a delta; raise RevocationListError when it does not fit.

        A full list's entries dict is adopted, not copied (a million entries): do not reuse
        the RevocationList afterwards.
        """
        if self.authority is not None and revocations.authority != self.authority:
            raise RevocationListError("the revocation list is from another authority")
        if revocations.kid in self._revoked_signers:
            raise RevocationListError("the revocation list is signed by a revoked signer")
        if revocations.is_full:
            self._apply_full(revocations)
        else:
            self._apply_delta(revocations)
        self.authority = revocations.authority
        self.sequence = revocations.sequence
        self.issued_at = revocations.issued_at
        self.next_update = revocations.next_update

    def lookup(self, h: bytes) -> Entry | None:
        packed = self._entries.get(h)
        return None if packed is None else _unpack(h, packed)

    def status(self, h: bytes) -> EntryStatus | None:
        packed = self._entries.get(h)
        return None if packed is None else _STATUS_BY_CODE[packed & 3]

    def signer_revoked(self, kid: bytes) -> bool:
        return kid in self._revoked_signers

    def stale_seconds(self, now: float) -> int:
        """How long past next_update the held list is; 0 while it is current."""
        return max(0, int(now) - self.next_update)

    def _apply_full(self, revocations: RevocationList) -> None:
        # A replayed older full list would silently lift revocations.
        if self.sequence is not None and revocations.sequence < self.sequence:
            raise RevocationListError(
                f"full list sequence {revocations.sequence} is older than the held "
                f"{self.sequence}"
            )
        self._entries = revocations.entries
        # A signer is never un-revoked: a full list adds to what was held, as a delta does.
        self._revoked_signers |= revocations.revoked_signers

    def _apply_delta(self, revocations: RevocationList) -> None:
        if revocations.base != self.sequence:
            raise RevocationListError(
                f"delta base {revocations.base} does not match the held sequence "
                f"{self.sequence}: fetch a full list"
            )
        for h, packed in revocations.entries.items():
            if packed & 3 == 0:
                self._entries.pop(h, None)
            else:
                self._entries[h] = packed
        # A signer is never un-revoked, so a delta's list only adds.
        self._revoked_signers |= revocations.revoked_signers


def _pack(status_code: int, reason: int, at: int, seq: int) -> int:
    return (((seq << 40 | at) << 8 | reason) << 2) | status_code


def reason_of(code: int) -> Reason | int:
    """A reason code as its name when this version knows it; otherwise kept as the int."""
    return Reason(code) if code in Reason._value2member_map_ else code


def _unpack(h: bytes, packed: int) -> Entry:
    return Entry(
        h,
        _STATUS_BY_CODE[packed & 3],
        reason_of(packed >> 2 & 0xFF),
        packed >> 10 & (_MAX_AT - 1),
        packed >> 50,
    )
