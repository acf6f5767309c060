"""The browser verifier and certs.verify, given the same mutated certificates, the same trust
list, revocation state and time, give the same answer: result, reason code and parameters,
warnings, kid, cti hash and the whole readable content. Hypothesis makes the mutations
(mutations.py); each example is a batch checked in one call into the page."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certs import pki
from certs.errors import RevocationListError
from certs.revocation_list import RevocationState, parse_revocation_list
from certs.verify import verify
from tests.spec.vectors import answer

from .authority import issuer
from .conftest import b64
from .list_mutations import lists
from .mutations import CASES

pytestmark = pytest.mark.browser

BATCH = 40
SETUP = """async ([trustList, root, full]) => {
  const trust = await euc1.TrustStore.fromTrustList(trustList, fromBase64(root));
  const held = new euc1.RevocationState();
  await held.apply(fromBase64(full), trust);
  window.differential = { trust, states: { none: null, full: held } };
}"""
CHECK = """async (cases) => {
  const { trust, states } = window.differential;
  const out = [];
  for (const [text, now, state] of cases) {
    try {
      out.push(answer(await euc1.verify(text, { trust, revocations: states[state], now })));
    } catch (error) {
      out.push({ error: String(error && error.stack || error) });
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def page(verifier):
    made = issuer()
    verifier.evaluate(SETUP, [json.dumps(made.trust_list), b64(pki.certificate_der(made.root)),
                              b64(made.full_list)])
    return verifier


@pytest.fixture(scope="module")
def reference():
    made = issuer()
    return made.trust(), {"none": None, "full": made.state("full")}


def python_answer(reference, text: str, now: float, state: str) -> dict:
    trust, states = reference
    checked = verify(text, trust=trust, revocations=states[state], now=now)
    return {**answer(checked), "kid": None if checked.claims is None else checked.kid.hex(),
            "content": checked.content}


def _same(python: dict, browser: dict) -> bool:
    return python == browser


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(st.lists(CASES, min_size=BATCH, max_size=BATCH))
def test_the_browser_and_certs_verify_agree_on_mutated_certificates(page, reference, cases):
    browser = page.evaluate(CHECK, [list(case) for case in cases])
    differ = [(case, python, js) for case, js in zip(cases, browser, strict=True)
              if not _same(python := python_answer(reference, *case), js)]
    assert not differ, differ[0]


APPLY = """async (cases) => {
  const { trust, states } = window.differential;
  const out = [];
  for (const [held, list] of cases) {
    const state = euc1.RevocationState.fromObject(held === "none"
      ? new euc1.RevocationState().toObject() : states.full.toObject());
    try {
      await state.apply(fromBase64(list), trust);
      out.push({ outcome: "accepted", state: state.toObject() });
    } catch (error) {
      out.push(error instanceof euc1.ListRefused ? { outcome: "refused" }
                                                 : { error: String(error && error.stack) });
    }
  }
  return out;
}"""


def python_outcome(held: str, data: bytes) -> dict:
    made = issuer()
    state = made.state("full") if held == "full-3" else RevocationState()
    try:
        state.apply(parse_revocation_list(data, trust=made.trust()))
    except RevocationListError:
        return {"outcome": "refused"}
    entries = [state.lookup(h) for h in state._entries]  # noqa: SLF001 - every entry held
    return {"outcome": "accepted", "state": {
        "format": "euc1-revocation-state/1", "authority": state.authority,
        "sequence": state.sequence, "issuedAt": state.issued_at, "nextUpdate": state.next_update,
        "revokedSigners": sorted(kid.hex() for kid in state._revoked_signers),  # noqa: SLF001
        "entries": sorted([e.h.hex(), str(e.status), int(e.reason), e.at, e.seq]
                          for e in entries)}}


def _sorted(outcome: dict) -> dict:
    if "state" not in outcome:
        return outcome
    held = outcome["state"]
    return {**outcome, "state": {**held, "revokedSigners": sorted(held["revokedSigners"]),
                                 "entries": sorted(held["entries"])}}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(st.lists(lists(), min_size=BATCH, max_size=BATCH))
def test_the_browser_and_certs_accept_and_refuse_the_same_revocation_lists(page, cases):
    browser = page.evaluate(APPLY, [[held, b64(data)] for held, data in cases])
    differ = [(held, data.hex(), python, js) for (held, data), js in zip(cases, browser,
                                                                           strict=True)
              if (python := python_outcome(held, data)) != _sorted(js)]
    assert not differ, differ[0]
