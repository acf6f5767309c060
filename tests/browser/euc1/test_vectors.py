"""Every published test vector (docs/spec/vectors/), fetched from the registry by the page and
answered by the browser verifier in Chromium exactly as the index expects."""

from __future__ import annotations

import pytest

from certs import content, reasons
from certs.revocation_list import Reason
from certs.trust_list import _REFUSALS
from certs.verify import verify
from tests.spec import vectors as published

pytestmark = pytest.mark.browser

# In the page: the index, the root, both trust lists and the lists, as a stranger fetches them.
LOAD = """async () => {
  const base = "/api/v1/spec/vectors";
  const get = (file) => fetch(`${base}/${file}`);
  const index = await (await fetch(base)).json();
  const root = new Uint8Array(await (await get(index.root)).arrayBuffer());
  const trusts = {};
  for (const [name, file] of Object.entries(index.trust_lists)) {
    trusts[name] = await euc1.TrustStore.fromTrustList(await (await get(file)).text(), root);
  }
  const lists = {};
  for (const file of [...Object.values(index.revocation_lists),
                      ...index.list_vectors.map((c) => c.list)]) {
    lists[file] = new Uint8Array(await (await get(file)).arrayBuffer());
  }
  const held = async (names, trust) => {
    if (!names.length) return null;
    const state = new euc1.RevocationState();
    for (const name of names) await state.apply(lists[index.revocation_lists[name]], trust);
    return state;
  };
  window.published = { index, trusts, lists, held };
}"""

PAYLOADS = """async () => {
  const { index, trusts, held } = window.published;
  const answers = {};
  for (const v of index.vectors) {
    const trust = trusts[v.trust_list];
    const revocations = await held(v.revocation_lists, trust);
    answers[v.name] = answer(await euc1.verify(v.payload, { trust, revocations, now: v.at }));
  }
  return answers;
}"""

LISTS = """async () => {
  const { index, trusts, lists, held } = window.published;
  const outcomes = {};
  for (const c of index.list_vectors) {
    const state = (await held(c.held, trusts.current)) ?? new euc1.RevocationState();
    const before = JSON.stringify(state.toObject());
    try {
      await state.apply(lists[c.list], trusts.current);
      outcomes[c.name] = { outcome: "accepted" };
    } catch (error) {
      if (!(error instanceof euc1.ListRefused)) throw error;
      outcomes[c.name] = { outcome: "refused", code: error.code,
                           unchanged: JSON.stringify(state.toObject()) === before };
    }
  }
  return outcomes;
}"""

VECTORS = published.vectors()
SHOWN = [v for v in VECTORS if v["expected"]["content_number"]]


@pytest.fixture(scope="module")
def page(verifier):
    verifier.evaluate(LOAD)
    return verifier


def _expected_only(answers: dict) -> dict:
    keys = ("result", "reason_code", "reason_params", "warnings", "content_number", "cti_hash")
    return {name: {key: answer[key] for key in keys} for name, answer in answers.items()}


def test_every_payload_vector_is_answered_as_published(page):
    answers = page.evaluate(PAYLOADS)
    assert _expected_only(answers) == {v["name"]: v["expected"] for v in VECTORS}
    assert page.errors == []


def test_the_content_shown_is_the_registry_s_readable_form(page):
    """Beyond the number: every field, goods line and quantity, as certs.content.readable."""
    answers = page.evaluate(PAYLOADS)
    for vector in SHOWN:
        trust = published.trust(vector["trust_list"])
        state = published.state(vector["revocation_lists"], trust)
        checked = verify(vector["payload"], trust=trust, revocations=state, now=vector["at"])
        assert answers[vector["name"]]["content"] == checked.content, vector["name"]
        assert answers[vector["name"]]["kid"] == checked.kid.hex()
    assert len(SHOWN) > 30


def test_every_list_vector_is_accepted_or_refused_and_a_refusal_changes_nothing(page):
    outcomes = page.evaluate(LISTS)
    cases = published.index()["list_vectors"]
    assert {name: o["outcome"] for name, o in outcomes.items()} == {
        c["name"]: c["expected"] for c in cases}
    assert all(o["unchanged"] for o in outcomes.values() if o["outcome"] == "refused")
    assert outcomes["older-full-list"]["code"] == "older_full_list"
    assert outcomes["delta-on-another-base"]["code"] == "delta_base_mismatch"
    assert outcomes["bad-signed-by-revoked-signer"]["code"] == "signer_revoked"
    assert outcomes["bad-other-authority"]["code"] == "other_authority"


def test_the_trust_store_admits_and_refuses_the_signers_as_the_reference_does(page):
    stores = page.evaluate("""() => Object.fromEntries(Object.entries(published.trusts).map(
      ([name, t]) => [name, { admitted: t.signers.map((s) => [s.kid, s.status, s.validFrom,
                                                               s.validUntil]),
                              untrusted: Object.fromEntries(t.untrusted),
                              authority: t.authority }]))""")
    for name in published.index()["trust_lists"]:
        reference = published.trust(name)
        assert stores[name]["admitted"] == [
            [s.kid.hex(), str(s.status), s.valid_from, s.valid_until] for s in reference.signers]
        assert stores[name]["untrusted"] == {k.hex(): why for k, why in reference.untrusted.items()}
        assert stores[name]["authority"] == published.index()["authority"]


def test_a_state_kept_in_indexeddb_answers_as_the_state_it_was_made_from(page):
    answers = page.evaluate("""async () => {
      const { index, trusts, held } = window.published;
      const live = await held(["full-3", "delta-3-5"], trusts.current);
      const db = await new Promise((done, fail) => {
        const opening = indexedDB.open("euc1-test", 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore("state");
        opening.onsuccess = () => done(opening.result);
        opening.onerror = () => fail(opening.error);
      });
      const store = (mode) => db.transaction("state", mode).objectStore("state");
      await new Promise((done) => {
        store("readwrite").put(live.toObject(), "held").onsuccess = done;
      });
      const kept = await new Promise((done) => {
        const reading = store("readonly").get("held");
        reading.onsuccess = () => done(reading.result);
      });
      const restored = euc1.RevocationState.fromObject(kept);
      const fromJson = euc1.RevocationState.fromObject(JSON.parse(JSON.stringify(live.toObject())));
      const out = { size: restored.size, sequence: restored.sequence, live: [], restored: [],
                    json: [] };
      for (const v of index.vectors) {
        const check = async (revocations) => answer(await euc1.verify(v.payload,
          { trust: trusts[v.trust_list], now: v.at, revocations }));
        out.live.push(await check(live));
        out.restored.push(await check(restored));
        out.json.push(await check(fromJson));
      }
      let refused = null;
      try { euc1.RevocationState.fromObject({ ...kept, entries: [["00", "revoked", 0, 0, 0]] }); }
      catch (error) { refused = error.name; }
      return { ...out, refused };
    }""")
    assert (answers["size"], answers["sequence"]) == (2, 5)  # A revoked, C revoked; B lifted
    assert answers["restored"] == answers["live"] == answers["json"]
    assert {a["reason_code"] for a in answers["live"]} >= {"revoked", "valid", "signer_revoked"}
    assert answers["refused"] == "TypeError"


def test_the_codes_the_pages_must_render_are_the_specification_s(page):
    codes = page.evaluate("""() => ({ results: euc1.RESULT_CODES, malformed: euc1.MALFORMED_CODES,
      warnings: euc1.WARNING_CODES, reasons: euc1.REVOCATION_REASONS, why: euc1.SIGNER_REFUSALS,
      categories: euc1.CATEGORIES, kinds: euc1.END_USER_KINDS })""")
    assert codes["results"] == {result: list(c) for result, c in reasons.RESULT_CODES.items()}
    assert codes["malformed"] == list(reasons.MALFORMED_CODES)
    assert codes["warnings"] == list(reasons.WARNING_CODES)
    assert codes["reasons"] == [reason.name.lower() for reason in Reason]
    assert set(codes["why"]) == {*_REFUSALS, "kid_mismatch", "status_unknown"}
    assert codes["categories"] == list(content.CATEGORIES)
    assert codes["kinds"] == list(content.END_USER_KINDS)
