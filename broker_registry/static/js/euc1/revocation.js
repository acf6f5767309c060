// The revocation state a verifier holds (docs/spec/euc-qr.md section 8): a full list and the
// deltas applied since, each accepted only under the spec's rules; refused, nothing changes.
import { fromHex, toHex } from "./bytes.js";
import { decodeStrict } from "./cbor.js";
import { decodeSign1, toBeSigned } from "./cose.js";
import { ListRefused } from "./errors.js";

export const ENTRY_STATUSES = ["active", "suspended", "revoked"];
// Why a list was refused (ours: the spec only says refused).
export const LIST_REFUSALS = ["envelope_invalid", "signer_unknown", "signature_invalid",
  "payload_invalid", "signer_revoked", "signed_outside_validity", "other_authority",
  "older_full_list", "delta_base_mismatch"];
export const STATE_FORMAT = "euc1-revocation-state/1";
const LIST_KEYS = ["authority", "sequence", "base", "issued_at", "next_update", "entries",
  "revoked_signers"];
const ENTRY_KEYS = ["h", "s", "r", "at", "seq"];
const MAX_AT = 2 ** 40 - 1;

function refuse(code, detail) {
  return new ListRefused(code, `the revocation list is refused: ${detail}`);
}

function count(value, high = Number.MAX_SAFE_INTEGER) {
  return Number.isInteger(value) && value >= 0 && value <= high;
}

function bytesOf(value, length) {
  return value instanceof Uint8Array && value.length === length;
}

function hasExactly(map, keys) {
  return map instanceof Map && map.size === keys.length && keys.every((key) => map.has(key));
}

function entryOf(map) {
  if (!hasExactly(map, ENTRY_KEYS)) throw refuse("payload_invalid", "an entry has other keys");
  const [h, status, reason, at, seq] = ENTRY_KEYS.map((key) => map.get(key));
  if (!bytesOf(h, 16) || !ENTRY_STATUSES.includes(status) || !count(reason, 255) ||
      !count(at, MAX_AT) || !count(seq)) throw refuse("payload_invalid", "an entry is ill-typed");
  return [toHex(h), Object.freeze({ status, reason, at, seq })];
}

/** The payload's fields, every rule of section 8, step 3 and 5 checked. */
function listOf(payload) {
  let map;
  try {
    map = decodeStrict(payload, "revocation_list");
  } catch (error) {
    throw refuse("payload_invalid", error.message);
  }
  if (!hasExactly(map, LIST_KEYS)) throw refuse("payload_invalid", "not the seven keys");
  const [authority, sequence, base, issuedAt, nextUpdate, entries, signers] =
    LIST_KEYS.map((key) => map.get(key));
  const numbers = [sequence, base, issuedAt, nextUpdate];
  if (typeof authority !== "string" || !numbers.every((n) => count(n)) ||
      base > sequence || !Array.isArray(entries) || !Array.isArray(signers) ||
      !signers.every((kid) => bytesOf(kid, 8))) throw refuse("payload_invalid", "ill-typed fields");
  const byHash = new Map(entries.map(entryOf));
  if (byHash.size !== entries.length) throw refuse("payload_invalid", "two entries have one hash");
  for (const entry of byHash.values()) {
    if (entry.seq > sequence || (base > 0 && entry.seq <= base) ||
        (base === 0 && entry.status === "active")) {
      throw refuse("payload_invalid", "an entry's seq or status");
    }
  }
  return { authority, sequence, base, issuedAt, nextUpdate, entries: byHash,
    revokedSigners: signers.map(toHex) };
}

/** A signed list checked against the trust store (section 8, steps 1 to 5). */
async function readList(bytes, trust) {
  let message;
  try {
    message = decodeSign1(new Uint8Array(bytes));
  } catch (error) {
    throw refuse("envelope_invalid", error.message);
  }
  const candidates = trust.candidates(toHex(message.kid));
  if (!candidates.length) throw refuse("signer_unknown", "its signer is not trusted");
  const signed = toBeSigned(message);
  let signer = null;
  for (const candidate of candidates) {
    const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, candidate.key,
      message.signature, signed);
    if (ok) {
      signer = candidate;
      break;
    }
  }
  if (!signer) throw refuse("signature_invalid", "its signature does not verify");
  const list = listOf(message.payload);
  if (signer.status === "revoked" || list.revokedSigners.includes(signer.kid)) {
    throw refuse("signer_revoked", "its signer is revoked");
  }
  if (list.issuedAt < signer.validFrom || list.issuedAt > signer.validUntil) {
    throw refuse("signed_outside_validity", "it was signed outside its signer's validity");
  }
  if (list.authority !== trust.authority.code) throw refuse("other_authority", "another authority");
  return { ...list, kid: signer.kid };
}

export class RevocationState {
  constructor() {
    this.authority = null;
    this.sequence = null; // null until a full list is applied
    this.issuedAt = 0;
    this.nextUpdate = 0;
    this.entries = new Map(); // SHA-256(cti)[0:16] in hex -> {status, reason, at, seq}
    this.revokedSigners = new Set(); // kids in hex; a signer is never un-revoked
  }

  get size() {
    return this.entries.size;
  }

  /**
   * Take in a signed list (the bytes of its COSE_Sign1), full or delta, checked against the
   * trust store; ListRefused (with a code) leaves the state as it was.
   */
  async apply(bytes, trust) {
    const list = await readList(bytes, trust);
    if (this.authority !== null && list.authority !== this.authority) {
      throw refuse("other_authority", "another authority than the lists held");
    }
    if (this.revokedSigners.has(list.kid)) throw refuse("signer_revoked", "its signer is revoked");
    let entries = list.entries;
    if (list.base === 0 && this.sequence !== null && list.sequence < this.sequence) {
      throw refuse("older_full_list", `sequence ${list.sequence} is older than ${this.sequence}`);
    }
    if (list.base !== 0) {
      if (list.base !== this.sequence) {
        throw refuse("delta_base_mismatch",
          `base ${list.base} is not ${this.sequence}: fetch a full list`);
      }
      entries = new Map(this.entries);
      for (const [h, entry] of list.entries) {
        if (entry.status === "active") entries.delete(h);
        else entries.set(h, entry);
      }
    }
    Object.assign(this, { authority: list.authority, sequence: list.sequence, entries,
      issuedAt: list.issuedAt, nextUpdate: list.nextUpdate,
      revokedSigners: new Set([...this.revokedSigners, ...list.revokedSigners]) });
    return { sequence: list.sequence, base: list.base, entries: list.entries.size };
  }

  /** The entry for a cti hash (hex), or null. */
  lookup(h) {
    return this.entries.get(h) ?? null;
  }

  signerRevoked(kid) {
    return this.revokedSigners.has(kid);
  }

  /** How many whole seconds past next_update the list held is; 0 while it is current. */
  staleSeconds(now) {
    return Math.max(0, Math.trunc(now) - this.nextUpdate);
  }

  /** A plain object (structured-clone and JSON safe) to keep, e.g. in IndexedDB. */
  toObject() {
    return { format: STATE_FORMAT, authority: this.authority, sequence: this.sequence,
      issuedAt: this.issuedAt, nextUpdate: this.nextUpdate,
      revokedSigners: [...this.revokedSigners],
      entries: [...this.entries].map(([h, e]) => [h, e.status, e.reason, e.at, e.seq]) };
  }

  /** The state toObject() kept; TypeError for anything else. */
  static fromObject(object) {
    const state = new RevocationState();
    const kept = object ?? {};
    const hex = (text, length) => typeof text === "string" && fromHex(text).length === length;
    if (kept.format !== STATE_FORMAT || !Array.isArray(kept.entries) ||
        !Array.isArray(kept.revokedSigners) || !kept.revokedSigners.every((kid) => hex(kid, 8)) ||
        (kept.sequence !== null && !(typeof kept.authority === "string" && count(kept.sequence) &&
          count(kept.issuedAt) && count(kept.nextUpdate)))) {
      throw new TypeError("not a revocation state kept by toObject()");
    }
    for (const [h, status, reason, at, seq] of kept.entries) {
      if (!hex(h, 16) || status === "active" || !ENTRY_STATUSES.includes(status) ||
          !count(reason, 255) || !count(at, MAX_AT) || !count(seq)) {
        throw new TypeError("not a revocation state entry");
      }
      state.entries.set(h, Object.freeze({ status, reason, at, seq }));
    }
    Object.assign(state, { authority: kept.authority, sequence: kept.sequence,
      issuedAt: kept.issuedAt, nextUpdate: kept.nextUpdate,
      revokedSigners: new Set(kept.revokedSigners) });
    return state;
  }
}
