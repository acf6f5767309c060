// The lists the page verifies with, kept on the device: the trust list (checked against the
// root pinned in the page) and the revocation list, brought up to date with deltas; and each
// partner authority's lists from the registry's bundle (/customs/trust.json), each verified
// against that partner's own root whenever they are read (docs/spec/federation.md).
import { Federation, RevocationState, TrustStore } from "../js/euc1/index.js";
import { fromBase64 } from "../js/euc1/bytes.js";
import { kv } from "./store.js";

const SKEW_WARNING = 300; // seconds between this device's clock and the registry's

export class Lists {
  constructor(config) {
    this.urls = config.urls;
    this.root = fromBase64(config.root);
    Object.assign(this, { trust: null, revocations: null, refreshedAt: null, skew: null,
      partners: [], federation: null });
  }

  get ready() {
    return this.federation !== null;
  }

  /** The lists kept on this device, if any; then a refresh when the network answers. */
  async load() {
    const kept = await kv.get("lists").catch(() => null);
    if (kept) {
      try {
        const trust = await TrustStore.fromTrustList(kept.trust, this.root);
        const revocations = RevocationState.fromObject(kept.revocations);
        Object.assign(this, { trust, revocations, refreshedAt: kept.refreshedAt,
          skew: kept.skew ?? null, ...(await held(trust, revocations, kept.partners ?? [])) });
      } catch {
        // kept by another version, or another root: fetched again
      }
    }
  }

  /** The partners' lists as the registry holds them now; offline, those held stay. */
  async partnersNow() {
    try {
      const answer = await ok(fetch(this.urls.bundle, { cache: "no-cache",
        credentials: "same-origin", headers: { Accept: "application/json" } }));
      return (await answer.json()).authorities;
    } catch {
      return this.partners; // not answered: the partners' lists held stay, as our own do
    }
  }

  async refresh() {
    const text = await (await ok(fetch(this.urls.trust, { cache: "no-cache" }))).text();
    const trust = await TrustStore.fromTrustList(text, this.root);
    const before = this.revocations ? RevocationState.fromObject(this.revocations.toObject())
      : null;
    let state = before ?? new RevocationState();
    let answer = await fetch(`${this.urls.revocations}?since=${state.sequence ?? 0}`,
      { cache: "no-cache" });
    try {
      await state.apply(new Uint8Array(await (await ok(answer)).arrayBuffer()), trust);
    } catch (error) {
      if (error instanceof TypeError) throw error; // the network: keep what is held
      state = new RevocationState(); // a delta this state cannot take: the full list
      answer = await ok(fetch(this.urls.revocations, { cache: "no-cache" }));
      await state.apply(new Uint8Array(await answer.arrayBuffer()), trust);
    }
    const date = Date.parse(answer.headers.get("Date") ?? "");
    const skew = Number.isNaN(date) ? null : Math.round(Date.now() / 1000 - date / 1000);
    // all at once: a scan meanwhile verifies with the lists held until now
    Object.assign(this, { trust, revocations: state, refreshedAt: Date.now() / 1000, skew,
      ...(await held(trust, state, await this.partnersNow())) });
    await kv.put("lists", { trust: text, revocations: state.toObject(),
      refreshedAt: this.refreshedAt, skew, partners: this.partners });
  }

  ageSeconds(now) {
    return this.refreshedAt === null ? null : Math.max(0, Math.round(now - this.refreshedAt));
  }

  /** The page's own warnings about the lists and the clock (euc-qr.md section 10). */
  warnings(now) {
    const found = [];
    const seconds = this.ageSeconds(now);
    if (seconds !== null && seconds >= 3600) {
      found.push({ code: "revocation_list_age",
        params: { seconds, sequence: this.revocations.sequence } });
    }
    if (this.skew !== null && Math.abs(this.skew) > SKEW_WARNING) {
      found.push({ code: "clock_skew", params: { seconds: this.skew } });
    }
    return found;
  }
}

/**
 * Every authority the page verifies with: ours, from its own lists, and each partner of the
 * bundle whose lists verify under its root (one that does not is left out: its certificates
 * answer UNKNOWN_SIGNER, as an authority not trusted here).
 */
async function held(trust, revocations, partners) {
  const home = trust.authority;
  const others = partners.filter((item) => !item.home && item.code !== home.code);
  const federation = await Federation.fromBundle({ authorities: others }, fromBase64);
  federation.authorities.set(home.code, { code: home.code, name: home.name, home: true, trust,
    revocations });
  return { partners: others, federation };
}

async function ok(pending) {
  const response = await pending;
  if (!response.ok) throw new TypeError(`HTTP ${response.status}`);
  return response;
}
