import copy
import os
from datetime import UTC, datetime

import cbor2
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from certs import cose, pki
from certs.b45 import ALPHABET
from certs.euc import sign_certificate
from certs.qrtext import decode_qr_text, encode_qr_text
from certs.revocation_list import (
    _STATUS_CODE,
    Entry,
    EntryStatus,
    Reason,
    RevocationList,
    RevocationState,
    _pack,
    cti_hash,
)
from certs.trust_list import (
    Authority,
    Signer,
    SignerStatus,
    TrustStore,
    build_trust_list,
    parse_trust_list,
)
from certs.verify import Result, verify
from tests.certs.factories import DAY, NOW, REALISTIC_CONTENT, issue

CTI = bytes(range(16))  # the genuine fixture's cti
NOT_VALID = {Result.BAD_SIGNATURE, Result.MALFORMED, Result.UNKNOWN_SIGNER}


def _state(*entries, revoked_signers=()):
    state = RevocationState()
    packed = {}
    for entry in entries:
        packed[entry.h] = _packed(entry)
    state.apply(RevocationList("XX-NCA", 7, 0, NOW, NOW + DAY, packed,
                               frozenset(revoked_signers), b"k" * 8))
    return state


def _packed(entry):
    return _pack(_STATUS_CODE[entry.status], entry.reason, entry.at, entry.seq)


def _entry(status):
    return Entry(cti_hash(CTI), EntryStatus(status), Reason.LICENCE_REVOKED, NOW - DAY, 3)


def test_a_genuine_certificate_is_valid_with_its_content(authority, genuine):
    result = verify(genuine, trust=authority.trust(), revocations=_state(), now=NOW)
    assert result.result is Result.VALID
    assert result.content["number"] == "EUC-XX-2026-000137"
    assert result.kid == pki.kid(authority.dsc) and result.cti_hash == cti_hash(CTI)
    assert result.warnings == ()
    assert verify(genuine.encode(), trust=authority.trust(), revocations=_state(),
                  now=NOW).result is Result.VALID


@pytest.mark.parametrize(
    ("state", "now", "expected", "words"),
    [
        (lambda: _state(_entry("revoked")), NOW, Result.REVOKED, "licence revoked"),
        (lambda: _state(_entry("suspended")), NOW, Result.SUSPENDED, "suspended on"),
        (lambda: _state(), NOW + 400 * DAY, Result.EXPIRED, "expired on"),
        (lambda: _state(), NOW - 2 * DAY, Result.NOT_YET_VALID, "not valid before"),
        # Order of checks: revocation before validity.
        (lambda: _state(_entry("revoked")), NOW + 400 * DAY, Result.REVOKED, "revoked"),
        (lambda: _state(_entry("suspended")), NOW - 2 * DAY, Result.SUSPENDED, "suspended"),
    ],
    ids=["revoked", "suspended", "expired", "not yet valid", "revoked and expired",
         "suspended and early"],
)
def test_results_after_a_good_signature(authority, genuine, state, now, expected, words):
    result = verify(genuine, trust=authority.trust(), revocations=state(), now=now)
    assert result.result is expected
    assert words in result.reason
    assert result.content["number"] == "EUC-XX-2026-000137"


def test_a_suspension_lifted_by_a_delta_is_valid_again(authority, genuine):
    state = _state(_entry("suspended"))
    lift = _entry("active")._replace(seq=8)
    state.apply(RevocationList("XX-NCA", 8, 7, NOW, NOW + DAY, {lift.h: _packed(lift)},
                               frozenset(), b"k" * 8))
    assert verify(genuine, trust=authority.trust(), revocations=state, now=NOW).result is (
        Result.VALID
    )


def test_a_certificate_from_a_retired_signer_stays_valid(authority):
    text = issue(authority, old=True)
    assert verify(text, trust=authority.trust(), revocations=_state(), now=NOW).result is (
        Result.VALID
    )


def test_a_revoked_signer_revokes_what_it_signed(authority):
    text = issue(authority, old=True)
    by_status = verify(text, trust=authority.trust(old_status="revoked"), revocations=_state(),
                       now=NOW + 400 * DAY)
    by_list = verify(text, trust=authority.trust(),
                     revocations=_state(revoked_signers=[pki.kid(authority.old_dsc)]), now=NOW)
    assert by_status.result is by_list.result is Result.REVOKED
    assert "signing key" in by_list.reason


def test_an_unknown_kid_is_an_unknown_signer(authority, genuine):
    only_old = TrustStore([Signer.from_certificate(authority.old_dsc, SignerStatus.ACTIVE)])
    result = verify(genuine, trust=only_old, now=NOW)
    assert result.result is Result.UNKNOWN_SIGNER
    assert result.content is not None


def test_a_dsc_the_pinned_root_did_not_sign_is_an_unknown_signer(authority):
    rogue_key = pki.generate_key()
    rogue_root = pki.make_root(rogue_key, common_name="XX-NCA Root", country="XX")
    signer_key = pki.generate_key()
    rogue_dsc = pki.make_dsc(rogue_key, rogue_root, signer_key.public_key(), common_name="DSC")
    doc = build_trust_list(authority=Authority("XX-NCA", "NCA", "XX"),
                           root_cert=authority.root_cert, signers=[(rogue_dsc, "active")],
                           issued_at=datetime.now(UTC))
    trust = parse_trust_list(doc, root_cert=authority.root_cert)
    text = sign_certificate(iss="XX-NCA", iat=NOW, nbf=NOW, exp=NOW + DAY, cti=os.urandom(16),
                            content=copy.deepcopy(REALISTIC_CONTENT), signer_key=signer_key,
                            signer_cert=rogue_dsc)
    assert verify(text, trust=trust, now=NOW).result is Result.UNKNOWN_SIGNER


def test_every_signer_sharing_a_kid_is_tried(authority, genuine):
    kid = pki.kid(authority.dsc)
    impostor = Signer(kid, authority.old_dsc, authority.old_dsc.public_key(), SignerStatus.ACTIVE)
    real = Signer(kid, authority.dsc, authority.dsc.public_key(), SignerStatus.ACTIVE)
    for order in ([impostor, real], [real, impostor]):
        result = verify(genuine, trust=TrustStore(order), revocations=_state(), now=NOW)
        assert result.result is Result.VALID and result.signer is real
    assert verify(genuine, trust=TrustStore([impostor]), now=NOW).result is Result.BAD_SIGNATURE


def test_without_a_list_or_with_a_stale_one_the_verifier_says_so(authority, genuine):
    assert "not checked" in verify(genuine, trust=authority.trust(), now=NOW).warnings[0]
    stale = verify(genuine, trust=authority.trust(), revocations=_state(), now=NOW + 3 * DAY)
    assert stale.result is Result.VALID
    assert stale.warnings == ("The revocation list is stale: its update was due 2 days ago.",)


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_flipping_any_bit_of_the_cose_bytes_is_never_valid(authority, genuine):
    cose = decode_qr_text(genuine)
    trust, state = authority.trust(), _state()
    for position in range(len(cose)):
        for bit in (0x01, 0x80):
            tampered = bytearray(cose)
            tampered[position] ^= bit
            result = verify(encode_qr_text(bytes(tampered)), trust=trust, revocations=state,
                            now=NOW)
            assert result.result in NOT_VALID, (position, bit, result)


def test_changing_any_character_of_the_qr_text_is_never_valid(authority, genuine):
    trust, state = authority.trust(), _state()
    for position in range(len(genuine)):
        replacement = "0" if genuine[position] != "0" else "1"
        tampered = genuine[:position] + replacement + genuine[position + 1 :]
        result = verify(tampered, trust=trust, revocations=state, now=NOW)
        assert result.result in NOT_VALID, (position, result)


def test_the_reasons_name_the_defect(authority, genuine):
    trust = authority.trust()
    assert "EUC1:" in verify("HC1:ABC", trust=trust).reason
    assert "Base45" in verify("EUC1:abc", trust=trust).reason
    assert verify(None, trust=trust).claims is None
    assert verify(b"\xff\xfe", trust=trust).result is Result.MALFORMED
    assert verify("EUC1:" + "0" * 100_000, trust=trust).result is Result.MALFORMED


_FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow  # seconds: make test runs it, make check does not
@_FUZZ
@given(st.one_of(st.text(max_size=3000), st.binary(max_size=3000),
                 st.text(alphabet=ALPHABET, max_size=3000).map("EUC1:".__add__)))
@example("EUC1:")
@example("")
def test_random_input_never_raises_and_is_never_valid(authority, data):
    assert verify(data, trust=authority.trust(), revocations=_state(), now=NOW).result in (
        NOT_VALID
    )


@pytest.mark.slow  # seconds: make test runs it, make check does not
@_FUZZ
@given(st.data())
def test_mutated_genuine_payloads_never_raise_and_are_valid_only_if_unchanged(
    authority, genuine, data
):
    cose = bytearray(decode_qr_text(genuine))
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["flip", "insert", "delete", "set"]))
        position = data.draw(st.integers(0, len(cose) - 1))
        if kind == "flip":
            cose[position] ^= data.draw(st.integers(1, 255))
        elif kind == "insert":
            cose.insert(position, data.draw(st.integers(0, 255)))
        elif kind == "delete":
            del cose[position]
        else:
            cose[position] = data.draw(st.integers(0, 255))
    result = verify(encode_qr_text(bytes(cose)), trust=authority.trust(), now=NOW)
    if bytes(cose) != decode_qr_text(genuine):
        assert result.result in NOT_VALID


_cbor_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=20)
    | st.binary(max_size=20) | st.floats(),
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.integers(-70002, 8) | st.text(max_size=2), inner, max_size=6),
    max_leaves=30,
)


@pytest.mark.slow  # seconds: make test runs it, make check does not
@_FUZZ
@given(_cbor_values, st.sampled_from(["payload", "content"]))
def test_signed_garbage_never_raises_and_is_never_valid(authority, garbage, where):
    """Even a genuine signature over a wrong structure answers MALFORMED, not an exception."""
    if where == "payload":
        payload = garbage
    else:
        payload = {1: "XX-NCA", 6: NOW, 5: NOW, 4: NOW + DAY, 7: CTI, -70001: garbage}
    signed = cose.sign1(cbor2.dumps(payload), kid=pki.kid(authority.dsc), key=authority.dsc_key)
    result = verify(encode_qr_text(signed), trust=authority.trust(), now=NOW)
    assert result.result is Result.MALFORMED


@pytest.mark.parametrize(("times", "code", "words"), [
    # the first second of the year 10000
    ({6: NOW, 5: NOW, 4: 253_402_300_800}, "claim_invalid", "between the years 1970 and 9999"),
    ({6: -1, 5: NOW, 4: NOW + DAY}, "claim_invalid", "between the years 1970 and 9999"),
    # beyond 64 bits cbor2 writes a bignum: a tag, refused by the encoding rules first
    ({6: NOW, 5: NOW, 4: 2**70}, "cbor_item_not_allowed", "holds a tag"),
])
def test_times_no_verifier_can_write_as_a_date_are_malformed(authority, times, code, words):
    from certs.content import to_cbor_obj

    payload = {1: "XX-NCA", **times, 7: CTI, -70001: to_cbor_obj(REALISTIC_CONTENT)}
    signed = cose.sign1(cbor2.dumps(payload), kid=pki.kid(authority.dsc), key=authority.dsc_key)
    result = verify(encode_qr_text(signed), trust=authority.trust(), now=NOW)
    assert result.result is Result.MALFORMED and result.code == code
    assert words in result.reason


def test_the_last_second_of_9999_is_a_time(authority):
    text = issue(authority, exp=253_402_300_799)
    assert verify(text, trust=authority.trust(), now=NOW).result is Result.VALID
