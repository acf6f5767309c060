"""A full list joined from entries encoded one by one is the list encoded whole."""

import os

import cbor2
import pytest

from certs.errors import RevocationListError
from certs.revocation_list import (
    Entry,
    EntryStatus,
    encode_entry,
    encode_list,
    parse_revocation_list,
    revocation_payload,
    sign_encoded,
)
from tests.certs.factories import NOW


def _entries(n):
    return [Entry(os.urandom(16), EntryStatus.REVOKED if i % 3 else EntryStatus.SUSPENDED,
                  i % 9, NOW - i, 10 ** (i % 12) + i) for i in range(n)]


@pytest.mark.parametrize("n", [0, 1, 23, 24, 255, 256,
                               pytest.param(70_000, marks=pytest.mark.slow)])
def test_joined_entries_make_the_same_bytes_as_the_whole_payload(n):
    entries = _entries(n)
    fields = dict(authority="XX-NCA", sequence=70_001, base=0, issued_at=NOW,
                  next_update=NOW + 3600, revoked_signers=[b"\x01" * 8, b"\x02" * 8])
    whole = cbor2.dumps(revocation_payload(entries=entries, **fields))
    joined = encode_list(entries=b"".join(encode_entry(e) for e in entries), count=n, **fields)
    assert joined == whole


def test_a_joined_list_signs_and_parses(authority):
    entries = _entries(5)
    # Every entry's seq is at most the list's sequence (the spec's rule for every list).
    sequence = max(entry.seq for entry in entries)
    payload = encode_list(authority="XX-NCA", sequence=sequence, base=0, issued_at=NOW,
                          next_update=NOW + 3600, count=5, revoked_signers=[],
                          entries=b"".join(encode_entry(e) for e in entries))
    signed = sign_encoded(payload, signer_key=authority.dsc_key, signer_cert=authority.dsc)
    parsed = parse_revocation_list(signed, trust=authority.trust())
    assert parsed.sequence == sequence and set(parsed.entry_list()) == set(entries)


@pytest.mark.parametrize("bad", [
    Entry(b"short", EntryStatus.REVOKED, 1, NOW, 1),
    Entry(os.urandom(16), EntryStatus.REVOKED, 256, NOW, 1),
    Entry(os.urandom(16), EntryStatus.REVOKED, 1, -1, 1),
    Entry(os.urandom(16), EntryStatus.REVOKED, 1, NOW, -5),
])
def test_an_entry_a_verifier_would_refuse_is_never_encoded(bad):
    with pytest.raises(RevocationListError):
        encode_entry(bad)


def test_a_count_that_does_not_match_is_refused():
    entry = encode_entry(_entries(1)[0])
    with pytest.raises(RevocationListError):
        encode_list(authority="XX-NCA", sequence=1, base=0, issued_at=NOW, next_update=NOW,
                    entries=entry, count=0, revoked_signers=[])
    with pytest.raises(RevocationListError):
        encode_list(authority="XX-NCA", sequence=-1, base=0, issued_at=NOW, next_update=NOW,
                    entries=b"", count=0, revoked_signers=[])
