"""The browser's trust store judges every listed signer as certs/ does (section 7): the odd
ones a root could sign, a trust list naming another root, a malformed one."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from certs import pki
from certs.errors import TrustListError
from certs.trust_list import parse_trust_list
from tests.certs.factories import make_authority
from tests.certs.odd_signers import odd_signers
from tests.certs.test_odd_signers import EXPECTED, listed

from .conftest import b64

pytestmark = pytest.mark.browser

STORE = """async ([document, root]) => {
  try {
    const store = await euc1.TrustStore.fromTrustList(document, fromBase64(root));
    return { admitted: store.signers.map((s) => s.kid),
             untrusted: Object.fromEntries(store.untrusted), rejected: store.rejected };
  } catch (error) {
    if (!(error instanceof euc1.TrustListError)) throw error;
    return { refused: error.code };
  }
}"""


@pytest.fixture(scope="module")
def odd():
    authority = make_authority()
    return authority, odd_signers(authority.root_key, authority.root_cert,
                                  pki.certificate_der(authority.dsc))


def test_every_odd_signer_is_judged_as_certs_judges_it(verifier, odd):
    authority, made = odd
    document = listed(authority, b"")
    document["signers"] = [listed(authority, der)["signers"][0] for der in made.values()]
    document["signers"] += [{"kid": "!", "certificate": "", "status": "active"}, None]
    root = b64(pki.certificate_der(authority.root_cert))
    browser = verifier.evaluate(STORE, [json.dumps(document), root])
    reference = parse_trust_list(document, root_cert=authority.root_cert)
    kids = {name: hashlib.sha256(der).digest()[:8].hex() for name, der in made.items()}
    assert browser["admitted"] == [signer.kid.hex() for signer in reference.signers] == [
        kids[name] for name, why in EXPECTED.items() if why is None]
    assert browser["untrusted"] == {k.hex(): why for k, why in reference.untrusted.items()} == {
        kids[name]: why for name, why in EXPECTED.items() if why is not None}
    refused = [{"position": at, "kid": kids[name], "why": EXPECTED[name]}
               for at, name in enumerate(made) if EXPECTED[name] is not None]
    assert browser["rejected"] == refused + [  # no kid to remember a reason by
        {"position": len(made), "kid": None, "why": None},
        {"position": len(made) + 1, "kid": None, "why": None}]


def test_a_trust_list_of_another_root_or_malformed_is_refused_whole(verifier, odd):
    authority, _ = odd
    root = b64(pki.certificate_der(authority.root_cert))
    other = make_authority()
    elsewhere = listed(other, pki.certificate_der(other.dsc))
    broken = {**listed(authority, b""), "issued_at": 20260528}
    for document, code in ((elsewhere, "other_root"), (broken, "malformed"),
                           ([], "malformed")):
        assert verifier.evaluate(STORE, [json.dumps(document), root]) == {"refused": code}
        with pytest.raises(TrustListError):
            parse_trust_list(document, root_cert=authority.root_cert)
    text = json.dumps(listed(authority, pki.certificate_der(authority.dsc)))
    assert verifier.evaluate(STORE, [text + " x", root]) == {"refused": "malformed"}
    assert base64.b64decode(root) == pki.certificate_der(authority.root_cert)
