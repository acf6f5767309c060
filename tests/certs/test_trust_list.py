import base64
import json
from datetime import UTC, datetime

import pytest

from certs import pki
from certs.errors import TrustListError
from certs.trust_list import Authority, SignerStatus, build_trust_list, parse_trust_list

AUTHORITY = Authority(code="XX-NCA", name="National Control Authority", country="XX")
ISSUED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _document(authority, extra=()):
    return build_trust_list(
        authority=AUTHORITY,
        root_cert=authority.root_cert,
        signers=[(authority.dsc, "active"), (authority.old_dsc, SignerStatus.RETIRED), *extra],
        issued_at=ISSUED,
    )


def test_the_document_has_exactly_the_spec_fields(authority):
    doc = json.loads(json.dumps(_document(authority)))
    assert set(doc) == {"authority", "root", "signers", "issued_at"}
    assert doc["authority"] == {"code": "XX-NCA", "name": "National Control Authority",
                                "country": "XX"}
    assert base64.b64decode(doc["root"], validate=True) == pki.certificate_der(authority.root_cert)
    first = doc["signers"][0]
    assert set(first) == {"kid", "certificate", "status"}
    assert base64.b64decode(first["kid"]) == pki.kid(authority.dsc)
    assert first["status"] == "active"
    assert doc["issued_at"] == "2026-05-01T12:00:00Z"


def test_parsing_gives_a_store_of_signers_by_kid(authority):
    store = parse_trust_list(json.dumps(_document(authority)), root_cert=authority.root_cert)
    (signer,) = store.candidates(pki.kid(authority.old_dsc))
    assert signer.status is SignerStatus.RETIRED
    assert signer.public_key.public_numbers() == authority.old_dsc.public_key().public_numbers()
    assert store.authority == AUTHORITY and store.issued_at == ISSUED
    assert store.candidates(b"\x00" * 8) == ()


def test_a_dsc_not_signed_by_the_pinned_root_is_left_out(authority):
    other_key = pki.generate_key()
    other_root = pki.make_root(other_key, common_name="Other", country="XX")
    foreign = pki.make_dsc(other_key, other_root, pki.generate_key().public_key(),
                           common_name="foreign")
    store = parse_trust_list(_document(authority, [(foreign, "active")]),
                             root_cert=authority.root_cert)
    assert store.candidates(pki.kid(foreign)) == ()
    assert len(store.rejected) == 1 and "pinned root" in store.rejected[0]


def test_a_listed_kid_that_does_not_match_its_certificate_is_left_out(authority):
    doc = _document(authority)
    doc["signers"][0]["kid"] = base64.b64encode(b"\x01" * 8).decode()
    store = parse_trust_list(doc, root_cert=authority.root_cert)
    assert store.candidates(pki.kid(authority.dsc)) == ()


def test_a_list_for_another_root_is_refused(authority):
    other_root = pki.make_root(pki.generate_key(), common_name="Other", country="XX")
    with pytest.raises(TrustListError, match="pinned"):
        parse_trust_list(_document(authority), root_cert=other_root)


@pytest.mark.parametrize("doc", ["not json", "[]", json.dumps({"authority": {}}), b"{}"])
def test_a_malformed_list_is_refused(authority, doc):
    with pytest.raises(TrustListError):
        parse_trust_list(doc, root_cert=authority.root_cert)


@pytest.mark.parametrize("issued_at", ["2026-05-28", "2026-05-28T10:00:00", "2026-05-28 10:00:00Z",
                                       "20260528T100000Z", 20260528, None])
def test_issued_at_must_be_an_rfc_3339_date_time_with_its_offset(authority, issued_at):
    with pytest.raises(TrustListError, match="malformed"):
        parse_trust_list({**_document(authority), "issued_at": issued_at},
                         root_cert=authority.root_cert)


def test_issued_at_in_z_or_an_offset_is_read(authority):
    for text in ("2026-05-28T10:00:00Z", "2026-05-28T12:00:00.5+02:00"):
        store = parse_trust_list({**_document(authority), "issued_at": text},
                                 root_cert=authority.root_cert)
        assert store.issued_at.utcoffset() is not None
