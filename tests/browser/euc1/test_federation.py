"""The browser verifier holding several authorities (static/js/euc1/federation.js), in a real
Chromium: each certificate is checked under the root its iss names, and only that one, as
certs/federation.py checks it."""

from __future__ import annotations

import pytest

from certs.federation import Held, verify_issued
from certs.revocation_list import RevocationState, parse_revocation_list
from certs.trust_list import parse_trust_list
from tests.browser.euc1.conftest import b64
from tests.certs.factories import NOW
from tests.certs.federated import issuer

pytestmark = pytest.mark.browser

RUN = """async ({ bundle, texts, now }) => {
  const federation = await euc1.Federation.fromBundle(bundle, fromBase64);
  const out = [];
  for (const text of texts) {
    const r = await euc1.verifyFederated(text, federation, { now });
    out.push({ result: r.result, code: r.reasonCode, params: r.reasonParams,
               warnings: r.warnings.map((w) => w.code), number: r.content && r.content.number });
  }
  return { out, held: [...federation.authorities.keys()], refused: [...federation.refused] };
}"""


def _python(texts, a, b, revoked_list):
    trust_a = parse_trust_list(a.trust_list(), root_cert=a.keys.root_cert)
    state = RevocationState()
    state.apply(parse_revocation_list(revoked_list, trust=trust_a))
    held = {"AA-NCA": Held(trust_a, state),
            "BB-NCA": Held(parse_trust_list(b.trust_list(), root_cert=b.keys.root_cert))}
    return [(v.result.value, v.code) for v in
            (verify_issued(text, authorities=held, now=NOW) for text in texts)]


def test_several_roots_each_for_its_own_certificates(verifier):
    a, b, c = issuer("AA-NCA"), issuer("BB-NCA"), issuer("CC-NCA")
    revoked = a.certificate()
    revocations = a.revocations(revoked=(revoked,))
    bundle = {"authorities": [
        {"code": "BB-NCA", "name": "Home", "home": True, "root": b64(b.root_der),
         "trust_list": b.trust_list().decode(), "revocations": [], "stale_since": None},
        {"code": "AA-NCA", "name": "Partner A", "home": False, "root": b64(a.root_der),
         "trust_list": a.trust_list().decode(), "revocations": [b64(revocations)],
         "stale_since": None},
        # a list that is not its root's: left out, and said
        {"code": "CC-NCA", "name": "C", "home": False, "root": b64(a.root_der),
         "trust_list": c.trust_list().decode(), "revocations": [], "stale_since": None},
    ]}
    texts = [a.certificate(), b.certificate(), c.certificate(), a.certificate(signed_by=b),
             a.certificate(signed_by=c), revoked, "EUC1:nonsense"]
    answer = verifier.evaluate(RUN, {"bundle": bundle, "texts": texts, "now": NOW})
    assert answer["held"] == ["BB-NCA", "AA-NCA"]
    assert answer["refused"] == [["CC-NCA", "other_root"]]
    got = [(r["result"], r["code"]) for r in answer["out"]]
    assert got == [("VALID", "valid"), ("VALID", "valid"),
                   ("UNKNOWN_SIGNER", "authority_unknown"),
                   ("UNKNOWN_SIGNER", "authority_mismatch"),
                   ("UNKNOWN_SIGNER", "signer_unknown"),
                   ("REVOKED", "revoked"), ("MALFORMED", "base45_invalid")]
    assert got[:-1] == _python(texts[:-1], a, b, revocations)
    assert "issued_abroad" in answer["out"][0]["warnings"]
    assert "issued_abroad" not in answer["out"][1]["warnings"]
    # claiming A but not signed by A's keys: not said to be issued by A; revoked by A: it is
    assert ["issued_abroad" in r["warnings"] for r in answer["out"][3:6]] == [False, False, True]
    assert answer["out"][3]["params"]["signer_authority"] == "BB-NCA"
    assert answer["out"][2]["number"]  # what it claims is still shown
    assert verifier.errors == []
