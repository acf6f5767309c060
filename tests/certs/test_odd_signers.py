"""A document signer the root signed that breaks a rule of section 7 is left out of the trust
store with the spec's reason, whatever is odd about it: parse_trust_list never raises for it."""

from __future__ import annotations

import base64
import hashlib

import pytest

from certs import pki
from certs.trust_list import Authority, build_trust_list, parse_trust_list

from .factories import make_authority
from .odd_signers import odd_signers

# None: admitted (the spec names no rule it breaks).
EXPECTED = {
    "duplicate-extension": "unreadable", "critical-false-written": "unreadable",
    "ca-false-written": "unreadable", "key-usage-padding-bits": "unreadable",
    "key-usage-not-bits": "unreadable", "subject-key-id-not-octets": "unreadable",
    "authority-key-id-not-sequence": "unreadable", "empty-extensions": "key_usage",
    "version-1-written": "unreadable", "version-4": "unreadable",
    "serial-not-minimal": "unreadable", "inner-algorithm-sha384": "not_signed_by_root",
    "ecdsa-with-null-parameters": "unreadable", "time-february-30": "unreadable",
    "point-off-the-curve": "not_p256", "p384-named-p256-point": "not_p256",
    "unknown-key-algorithm": "not_p256", "issuer-is-not-the-root": "not_signed_by_root",
    "ca": "ca_certificate", "no-key-usage": "key_usage", "signs-certificates": "key_usage",
    "p384": "not_p256", "signed-with-sha384": None,
    "unknown-critical-extension": "critical_extension",
    "not-der": "unreadable",
}


@pytest.fixture(scope="module")
def odd():
    authority = make_authority()
    return authority, odd_signers(authority.root_key, authority.root_cert,
                                  pki.certificate_der(authority.dsc))


def listed(authority, der: bytes) -> dict:
    document = build_trust_list(authority=Authority("XX-NCA", "Authority", "XX"),
                                root_cert=authority.root_cert, signers=[],
                                issued_at=authority.root_cert.not_valid_before_utc)
    kid = base64.b64encode(hashlib.sha256(der).digest()[:8]).decode()
    return {**document, "signers": [{"kid": kid, "certificate": base64.b64encode(der).decode(),
                                     "status": "active"}]}


def test_every_odd_signer_is_judged(odd):
    assert set(odd[1]) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_odd_signer_is_left_out_with_the_spec_s_reason(odd, name):
    authority, made = odd
    store = parse_trust_list(listed(authority, made[name]), root_cert=authority.root_cert)
    kid = hashlib.sha256(made[name]).digest()[:8]
    if EXPECTED[name] is None:
        assert [signer.kid for signer in store.signers] == [kid]
    else:
        assert (store.signers, store.untrusted) == ((), {kid: EXPECTED[name]})
