"""certs/federation.py: a certificate verifies only under the authority its iss names;
metadata, the signed partner list and shipment notices refuse what is not genuine."""

from __future__ import annotations

import os

import pytest

from certs import pki
from certs.federation import (
    FederationError,
    Held,
    Notice,
    Partner,
    build_metadata,
    fingerprint,
    normalise_fingerprint,
    parse_metadata,
    parse_partner_list,
    sign_notice,
    sign_partner_list,
    verify_issued,
    verify_notice,
)
from certs.revocation_list import RevocationState, parse_revocation_list
from certs.trust_list import parse_trust_list
from certs.verify import Result
from tests.certs.factories import NOW
from tests.certs.federated import issuer


@pytest.fixture(scope="module")
def authorities():
    return {code: issuer(code) for code in ("AA-NCA", "BB-NCA", "CC-NCA")}


def _held(one, revocations=None) -> Held:
    trust = parse_trust_list(one.trust_list(), root_cert=one.keys.root_cert)
    state = None
    if revocations is not None:
        state = RevocationState()
        state.apply(parse_revocation_list(revocations, trust=trust))
    return Held(trust, state)


def test_each_certificate_verifies_under_the_authority_its_iss_names(authorities):
    a, b, c = authorities.values()
    held = {"AA-NCA": _held(a, a.revocations()), "BB-NCA": _held(b, b.revocations())}
    assert verify_issued(a.certificate(), authorities=held, now=NOW).result == Result.VALID
    assert verify_issued(b.certificate(), authorities=held, now=NOW).result == Result.VALID
    third = verify_issued(c.certificate(), authorities=held, now=NOW)
    assert (third.result, third.code, third.params["iss"]) == (
        Result.UNKNOWN_SIGNER, "authority_unknown", "CC-NCA")
    assert third.content["number"]  # the officer still sees what it claims


def test_a_claim_of_one_authority_signed_under_another_is_refused(authorities):
    a, b, c = authorities.values()
    held = {"AA-NCA": _held(a), "BB-NCA": _held(b)}
    under_b = verify_issued(a.certificate(signed_by=b), authorities=held, now=NOW)
    assert (under_b.result, under_b.code) == (Result.UNKNOWN_SIGNER, "authority_mismatch")
    assert under_b.params["signer_authority"] == "BB-NCA"
    under_c = verify_issued(a.certificate(signed_by=c), authorities=held, now=NOW)
    assert (under_c.result, under_c.code) == (Result.UNKNOWN_SIGNER, "signer_unknown")
    claims_c = verify_issued(c.certificate(signed_by=a), authorities=held, now=NOW)
    assert (claims_c.result, claims_c.code) == (Result.UNKNOWN_SIGNER, "authority_mismatch")


def test_a_revocation_reaches_only_its_own_authority_s_certificates(authorities):
    a, b, _ = authorities.values()
    revoked = a.certificate()
    held = {"AA-NCA": _held(a, a.revocations(revoked=(revoked,))), "BB-NCA": _held(b)}
    answer = verify_issued(revoked, authorities=held, now=NOW)
    assert (answer.result, answer.code) == (Result.REVOKED, "revoked")
    assert verify_issued(a.certificate(), authorities=held, now=NOW).result == Result.VALID


def test_a_partner_s_list_signed_by_another_authority_is_refused(authorities):
    a, b, _ = authorities.values()
    trust = parse_trust_list(a.trust_list(), root_cert=a.keys.root_cert)
    with pytest.raises(ValueError, match="unknown signer"):
        parse_revocation_list(a.revocations(signed_by=b), trust=trust)
    with pytest.raises(ValueError, match="other than the pinned"):
        parse_trust_list(a.trust_list(), root_cert=b.keys.root_cert)


def test_metadata_round_trips_and_its_fingerprint_is_checked(authorities):
    a = authorities["AA-NCA"]
    document = build_metadata(code="AA-NCA", name="A", country="AA", root_der=a.root_der,
                              base_url="https://a.example/")
    parsed = parse_metadata(document)
    assert (parsed.code, parsed.base_url, parsed.fingerprint) == (
        "AA-NCA", "https://a.example", fingerprint(a.root_der))
    assert document["endpoints"]["shipment_notices"] == \
        "https://a.example/api/v1/federation/notices"
    wrong = {**document, "root": {**document["root"], "sha256": "0" * 64}}
    with pytest.raises(FederationError, match="sha256"):
        parse_metadata(wrong)
    with pytest.raises(FederationError):
        parse_metadata({"federation": 1})
    spaced = ":".join(fingerprint(a.root_der)[i:i + 2] for i in range(0, 64, 2)).upper()
    assert normalise_fingerprint(spaced) == fingerprint(a.root_der)
    assert normalise_fingerprint("abc") is None


def _notice(sender="BB-NCA", issuer_code="AA-NCA") -> Notice:
    return Notice(os.urandom(16), sender, issuer_code, os.urandom(16), "EUC-1", "Bridge",
                  NOW, ({"line": 1, "quantity": 3, "markings": ["SN-1"]},))


def test_a_notice_verifies_only_under_its_sender_s_root(authorities):
    a, b, _ = authorities.values()
    sent = sign_notice(_notice(), kid=pki.kid(b.keys.dsc), key=b.keys.dsc_key)
    b_trust = parse_trust_list(b.trust_list(), root_cert=b.keys.root_cert)
    a_trust = parse_trust_list(a.trust_list(), root_cert=a.keys.root_cert)
    notice = verify_notice(sent, sender=b_trust)
    assert (notice.sender, notice.border_post, notice.lines[0]["markings"]) == (
        "BB-NCA", "Bridge", ["SN-1"])
    with pytest.raises(FederationError) as refused:
        verify_notice(sent, sender=a_trust)
    assert refused.value.code == "signer_unknown"
    altered = sent[:-1] + bytes([sent[-1] ^ 1])
    with pytest.raises(FederationError) as refused:
        verify_notice(altered, sender=b_trust)
    assert refused.value.code == "signature_invalid"
    with pytest.raises(FederationError) as refused:
        verify_notice(b"\xd2\x84garbage", sender=b_trust)
    assert refused.value.code == "notice_invalid"


def test_the_partner_list_is_believed_only_under_the_home_root(authorities):
    a, b, _ = authorities.values()
    body = sign_partner_list(authority="BB-NCA", issued_at=NOW,
                             partners=[Partner("AA-NCA", "A", "https://a.example", a.root_der)],
                             kid=pki.kid(b.keys.dsc), key=b.keys.dsc_key)
    b_trust = parse_trust_list(b.trust_list(), root_cert=b.keys.root_cert)
    assert parse_partner_list(body, trust=b_trust) == [
        Partner("AA-NCA", "A", "https://a.example", a.root_der)]
    a_trust = parse_trust_list(a.trust_list(), root_cert=a.keys.root_cert)
    with pytest.raises(FederationError):
        parse_partner_list(body, trust=a_trust)
