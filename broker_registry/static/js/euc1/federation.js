// Several authorities, each trusted under its own root (docs/spec/federation.md): a
// certificate is verified against the authority its `iss` names, and only that one.
import { toHex } from "./bytes.js";
import { Malformed, TrustListError } from "./errors.js";
import { RevocationState } from "./revocation.js";
import { TrustStore } from "./trust.js";
import { read, verify } from "./verify.js";

export class Federation {
  constructor() {
    this.authorities = new Map(); // code -> {code, name, home, trust, revocations}
  }

  /**
   * Hold one authority: its trust list (JSON text or object) under its root (DER bytes).
   * TrustListError when the list is not that root's or names another authority's code.
   */
  async add(code, rootDer, trustList, { name = null, home = false } = {}) {
    const trust = await TrustStore.fromTrustList(trustList, rootDer);
    if (trust.authority.code !== code) {
      throw new TrustListError("other_authority", `the trust list is not ${code}'s`);
    }
    this.authorities.set(code, { code, name: name ?? trust.authority.name, home, trust,
      revocations: null });
    return trust;
  }

  /** Apply one signed revocation list (bytes) to an authority's state; ListRefused else. */
  async applyRevocations(code, bytes) {
    const held = this.authorities.get(code);
    if (!held) throw new TrustListError("unknown_authority", `${code} is not held`);
    const state = held.revocations ?? new RevocationState();
    const applied = await state.apply(bytes, held.trust);
    held.revocations = state;
    return applied;
  }

  /** The code of another held authority with a signer of this kid, or null. */
  signerAuthority(kid, except) {
    for (const [code, held] of this.authorities) {
      if (code !== except && held.trust.candidates(kid).length) return code;
    }
    return null;
  }

  /**
   * Every authority of GET /api/v1/federation/trust ({authorities: [...]}); `fromBase64`
   * turns its base64 into bytes. An authority whose lists are refused is left out, and
   * said in `refused` (code -> the error's code).
   */
  static async fromBundle(bundle, fromBase64) {
    const federation = new Federation();
    federation.refused = new Map();
    for (const item of bundle.authorities) {
      try {
        if (item.trust_list === null) throw new TrustListError("no_list", "no list held yet");
        await federation.add(item.code, fromBase64(item.root), item.trust_list,
          { name: item.name, home: item.home });
        for (const list of item.revocations) {
          await federation.applyRevocations(item.code, fromBase64(list));
        }
      } catch (error) {
        federation.authorities.delete(item.code);
        federation.refused.set(item.code, error.code ?? String(error));
      }
    }
    return federation;
  }
}

const NO_SIGNERS = new TrustStore({ authority: null, issuedAt: null, signers: [],
  untrusted: new Map(), rejected: [] });

function refusal(code, params) {
  return { code, params };
}

// Answers where the partner's keys did not verify the signature: nothing says the partner
// issued it, so no issued_abroad (docs/spec/federation.md section 3).
const UNSIGNED_BY_ISSUER = ["MALFORMED", "UNKNOWN_SIGNER", "BAD_SIGNATURE"];

/**
 * verify() against the authority the certificate's iss names. Answers as verify() does; a
 * partner's certificate (not the home authority's) whose signature verified under that
 * partner's keys carries the warning issued_abroad.
 */
export async function verifyFederated(text, federation, { now = Date.now() / 1000 } = {}) {
  let reading;
  try {
    reading = read(text);
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return verify(text, { trust: NO_SIGNERS, now }); // the same MALFORMED answer
  }
  const { iss } = reading.claims;
  const kid = toHex(reading.message.kid);
  const held = federation.authorities.get(iss);
  let stop = null;
  if (!held || !held.trust.candidates(kid).length) {
    const other = federation.signerAuthority(kid, iss);
    if (other !== null) {
      stop = refusal("authority_mismatch", { iss, kid, signer_authority: other });
    } else if (!held) {
      stop = refusal("authority_unknown", { iss, kid });
    }
  }
  if (stop) {
    const answer = await verify(text, { trust: NO_SIGNERS, now }); // content and claims
    return { ...answer, result: "UNKNOWN_SIGNER", reasonCode: stop.code,
      reasonParams: stop.params, warnings: [] };
  }
  const answer = await verify(text, { trust: held.trust, revocations: held.revocations, now });
  if (!held.home && !UNSIGNED_BY_ISSUER.includes(answer.result)) {
    answer.warnings = [...answer.warnings,
      { code: "issued_abroad", params: { authority: held.code, name: held.name } }];
  }
  return answer;
}
