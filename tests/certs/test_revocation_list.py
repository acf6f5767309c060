import os

import cbor2
import pytest

from certs import pki
from certs.errors import RevocationListError
from certs.revocation_list import (
    Entry,
    EntryStatus,
    Reason,
    RevocationState,
    as_json,
    cti_hash,
    parse_revocation_list,
    revocation_payload,
    sign_revocation_list,
)
from certs.trust_list import Signer, SignerStatus, TrustStore
from tests.certs.factories import NOW

H1, H2, H3 = (cti_hash(bytes([n]) * 16) for n in (1, 2, 3))


def _signed(authority, *, sequence, base=0, entries=(), revoked_signers=(), old=False):
    payload = revocation_payload(
        authority="XX-NCA", sequence=sequence, base=base, issued_at=NOW,
        next_update=NOW + 3600, entries=entries, revoked_signers=revoked_signers,
    )
    return sign_revocation_list(
        payload,
        signer_key=authority.old_dsc_key if old else authority.dsc_key,
        signer_cert=authority.old_dsc if old else authority.dsc,
    )


def _entry(h, status, seq, reason=Reason.LICENCE_REVOKED):
    return Entry(h, EntryStatus(status), reason, NOW - 100, seq)


def test_cti_hash_is_the_first_16_bytes_of_sha256():
    import hashlib

    cti = os.urandom(16)
    assert cti_hash(cti) == hashlib.sha256(cti).digest()[:16]


def test_sign_parse_and_hold_a_full_list(authority):
    data = _signed(authority, sequence=2, entries=[_entry(H1, "revoked", 1),
                                                    _entry(H2, "suspended", 2, 99)])
    parsed = parse_revocation_list(data, trust=authority.trust())
    assert (parsed.sequence, parsed.base, parsed.kid) == (2, 0, pki.kid(authority.dsc))
    state = RevocationState()
    state.apply(parsed)
    assert state.status(H1) is EntryStatus.REVOKED
    assert state.lookup(H1) == _entry(H1, "revoked", 1)
    assert state.lookup(H2).reason == 99  # unknown codes are kept
    assert state.status(H3) is None and len(state) == 2


def test_the_payload_is_the_spec_map(authority):
    data = _signed(authority, sequence=1, entries=[_entry(H1, "revoked", 1)],
                   revoked_signers=[b"k" * 8])
    payload = cbor2.loads(cbor2.loads(data).value[2])
    assert payload == {
        "authority": "XX-NCA", "sequence": 1, "base": 0, "issued_at": NOW,
        "next_update": NOW + 3600, "revoked_signers": [b"k" * 8],
        "entries": [{"h": H1, "s": "revoked", "r": 1, "at": NOW - 100, "seq": 1}],
    }
    assert as_json(payload)["revoked_signers"] == ["a2tra2tra2s="]


def test_deltas_apply_on_their_base_and_active_lifts_a_suspension(authority):
    trust = authority.trust()
    state = RevocationState()
    state.apply(parse_revocation_list(
        _signed(authority, sequence=3, entries=[_entry(H1, "suspended", 3)]), trust=trust))
    delta = _signed(authority, sequence=5, base=3,
                    entries=[_entry(H1, "active", 4), _entry(H2, "revoked", 5)],
                    revoked_signers=[b"k" * 8])
    state.apply(parse_revocation_list(delta, trust=trust))
    assert state.status(H1) is None
    assert state.status(H2) is EntryStatus.REVOKED
    assert state.signer_revoked(b"k" * 8) and state.sequence == 5


def test_a_delta_on_another_base_is_refused(authority):
    trust = authority.trust()
    state = RevocationState()
    state.apply(parse_revocation_list(_signed(authority, sequence=3), trust=trust))
    with pytest.raises(RevocationListError, match="fetch a full list"):
        state.apply(parse_revocation_list(_signed(authority, sequence=6, base=4), trust=trust))


def test_an_older_full_list_cannot_roll_the_state_back(authority):
    trust = authority.trust()
    state = RevocationState()
    state.apply(parse_revocation_list(_signed(authority, sequence=5), trust=trust))
    with pytest.raises(RevocationListError, match="older"):
        state.apply(parse_revocation_list(_signed(authority, sequence=4), trust=trust))


def test_a_full_list_with_an_active_entry_is_refused(authority):
    with pytest.raises(RevocationListError, match="active"):
        _signed(authority, sequence=1, entries=[_entry(H1, "active", 1)])


def test_a_list_signed_by_a_retired_signer_is_accepted(authority):
    """A signer retired by a key rotation still vouches for what it signed: its list parses,
    names it as the signer, and a verifier's state takes it in."""
    trust = authority.trust()
    (retired,) = trust.candidates(pki.kid(authority.old_dsc))
    assert retired.status is SignerStatus.RETIRED
    parsed = parse_revocation_list(_signed(authority, sequence=1, old=True,
                                           entries=[_entry(H1, "revoked", 1)]), trust=trust)
    assert (parsed.sequence, parsed.kid) == (1, pki.kid(authority.old_dsc))
    state = RevocationState()
    state.apply(parsed)
    assert state.sequence == 1 and state.status(H1) is EntryStatus.REVOKED


def test_a_list_from_an_unknown_signer_is_refused(authority):
    only_old = TrustStore([Signer.from_certificate(authority.old_dsc, SignerStatus.ACTIVE)])
    with pytest.raises(RevocationListError, match="unknown signer"):
        parse_revocation_list(_signed(authority, sequence=1), trust=only_old)


def test_a_list_from_a_revoked_signer_is_refused(authority):
    with pytest.raises(RevocationListError, match="revoked signer"):
        parse_revocation_list(_signed(authority, sequence=1, old=True),
                              trust=authority.trust(old_status="revoked"))


def test_a_list_with_a_bad_signature_or_broken_bytes_is_refused(authority):
    data = _signed(authority, sequence=1)
    with pytest.raises(RevocationListError, match="does not verify"):
        parse_revocation_list(data[:-1] + bytes([data[-1] ^ 1]), trust=authority.trust())
    with pytest.raises(RevocationListError, match="malformed"):
        parse_revocation_list(data[:20], trust=authority.trust())


def test_stale_seconds(authority):
    state = RevocationState()
    state.apply(parse_revocation_list(_signed(authority, sequence=1), trust=authority.trust()))
    assert state.stale_seconds(NOW) == 0
    assert state.stale_seconds(NOW + 3600 + 90) == 90


def test_a_full_list_never_un_revokes_a_signer(authority):
    """revoked_signers is the whole set in every list; one that drops a kid changes nothing."""
    trust = authority.trust()
    state = RevocationState()
    state.apply(parse_revocation_list(_signed(authority, sequence=3,
                                              revoked_signers=[b"k" * 8]), trust=trust))
    state.apply(parse_revocation_list(_signed(authority, sequence=4), trust=trust))
    assert state.signer_revoked(b"k" * 8)


def test_a_list_signed_by_a_signer_the_state_holds_revoked_is_refused(authority):
    trust = authority.trust()
    state = RevocationState()
    state.apply(parse_revocation_list(_signed(authority, sequence=3,
                                              revoked_signers=[pki.kid(authority.old_dsc)]),
                                      trust=trust))
    with pytest.raises(RevocationListError, match="revoked signer"):
        state.apply(parse_revocation_list(_signed(authority, sequence=5, old=True),
                                          trust=trust))
    with pytest.raises(RevocationListError, match="revoked signer"):  # naming itself
        parse_revocation_list(_signed(authority, sequence=5, old=True,
                                      revoked_signers=[pki.kid(authority.old_dsc)]),
                              trust=trust)


def test_the_strict_check_costs_nothing_in_what_it_accepts(authority):
    """The list our registry signs is exactly what the strict decoder accepts, entries and
    all, with sequences and times of every width."""
    entries = [_entry(cti_hash(n.to_bytes(4, "big")), "revoked", n) for n in range(1, 300)]
    entries += [Entry(cti_hash(b"big"), EntryStatus.SUSPENDED, 255, 2**39, 2**40)]
    parsed = parse_revocation_list(_signed(authority, sequence=2**40, entries=entries),
                                   trust=authority.trust())
    assert len(parsed.entries) == 300
