// The CWT claims of a certificate (docs/spec/euc-qr.md section 5), checked in the spec's order.
import { decodeStrict, isInteger, shownKey } from "./cbor.js";
import { validateContent } from "./content.js";
import { Malformed } from "./errors.js";

export const CLAIM = { iss: 1, exp: 4, nbf: 5, iat: 6, cti: 7, euc: -70001 };
const KEYS = [1, 4, 5, 6, 7, -70001];
const LAST_SECOND = 253402300799; // 9999-12-31T23:59:59Z
const CTI_LENGTH = 16;

function invalid(claim, detail) {
  return new Malformed("claim_invalid", detail, { claim });
}

/** Integers ascending, then texts in code point order (hexadecimal keys are texts). */
function byClaimOrder(a, b) {
  const aText = typeof a === "string";
  if (aText !== (typeof b === "string")) return aText ? 1 : -1;
  if (!aText) return a < b ? -1 : a > b ? 1 : 0;
  const [x, y] = [[...a], [...b]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const diff = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (diff) return diff;
  }
  return x.length - y.length;
}

function checkKeys(claims) {
  const shown = new Set([...claims.keys()].map(shownKey));
  const missing = KEYS.filter((key) => !shown.has(key));
  if (missing.length) {
    throw new Malformed("claim_missing", `the CWT payload lacks claims ${missing}`,
      { claims: missing.sort((a, b) => a - b) });
  }
  const unknown = [...shown].filter((key) => !KEYS.includes(key));
  if (unknown.length) {
    throw new Malformed("claim_unknown", "the CWT payload has claims this version does not know",
      { claims: unknown.sort(byClaimOrder) });
  }
}

function checkTimes(claims) {
  const times = [CLAIM.iat, CLAIM.nbf, CLAIM.exp].map((claim) => [claim, claims.get(claim)]);
  for (const [claim, value] of times) {
    if (!isInteger(value)) throw invalid(claim, "iat, nbf and exp must be integers");
  }
  for (const [claim, value] of times) {
    if (value < 0 || value > LAST_SECOND) {
      throw invalid(claim, "iat, nbf and exp must be epoch seconds from 1970 to 9999");
    }
  }
}

/** The claims of a payload: {iss, iat, nbf, exp, cti, euc}; Malformed otherwise. */
export function decodeClaims(payload) {
  const claims = decodeStrict(payload, "payload");
  if (!(claims instanceof Map)) {
    throw new Malformed("payload_not_a_map", "the CWT payload is not a map");
  }
  checkKeys(claims);
  const iss = claims.get(CLAIM.iss);
  if (typeof iss !== "string" || !iss) throw invalid(CLAIM.iss, "iss must be non-empty text");
  checkTimes(claims);
  const cti = claims.get(CLAIM.cti);
  if (!(cti instanceof Uint8Array) || cti.length !== CTI_LENGTH) {
    throw invalid(CLAIM.cti, `cti must be ${CTI_LENGTH} bytes`);
  }
  const [iat, nbf, exp] = [6, 5, 4].map((key) => Number(claims.get(key)));
  if (exp < nbf) throw new Malformed("validity_inverted", "exp is before nbf", { nbf, exp });
  const euc = claims.get(CLAIM.euc);
  validateContent(euc);
  return { iss, iat, nbf, exp, cti, euc };
}
