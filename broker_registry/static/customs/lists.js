// The lists the page verifies with, kept on the device: the trust list (checked against the
// root pinned in the page) and the revocation list, brought up to date with deltas.
import { RevocationState, TrustStore } from "../js/euc1/index.js";
import { fromBase64 } from "../js/euc1/bytes.js";
import { kv } from "./store.js";

const SKEW_WARNING = 300; // seconds between this device's clock and the registry's

export class Lists {
  constructor(config) {
    this.urls = config.urls;
    this.root = fromBase64(config.root);
    Object.assign(this, { trust: null, revocations: null, refreshedAt: null, skew: null });
  }

  get ready() {
    return this.trust !== null;
  }

  /** The lists kept on this device, if any; then a refresh when the network answers. */
  async load() {
    const kept = await kv.get("lists").catch(() => null);
    if (kept) {
      try {
        this.trust = await TrustStore.fromTrustList(kept.trust, this.root);
        this.revocations = RevocationState.fromObject(kept.revocations);
        Object.assign(this, { refreshedAt: kept.refreshedAt, skew: kept.skew ?? null });
      } catch {
        this.trust = null; // kept by another version, or another root: fetched again
      }
    }
  }

  async refresh() {
    const text = await (await ok(fetch(this.urls.trust, { cache: "no-cache" }))).text();
    const trust = await TrustStore.fromTrustList(text, this.root);
    const held = this.revocations ? RevocationState.fromObject(this.revocations.toObject()) : null;
    let state = held ?? new RevocationState();
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
    Object.assign(this, { trust, revocations: state, refreshedAt: Date.now() / 1000, skew });
    await kv.put("lists", { trust: text, revocations: state.toObject(),
      refreshedAt: this.refreshedAt, skew });
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

async function ok(pending) {
  const response = await pending;
  if (!response.ok) throw new TypeError(`HTTP ${response.status}`);
  return response;
}
