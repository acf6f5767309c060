// Verification of one EUC1 text, in the ordered steps of docs/spec/euc-qr.md section 9.
// It answers every input with a result and a reason code; it never throws for bad input.
import { decodeBase45 } from "./base45.js";
import { toHex } from "./bytes.js";
import { decodeClaims } from "./claims.js";
import { readable } from "./content.js";
import { decodeSign1, toBeSigned } from "./cose.js";
import { Malformed } from "./errors.js";
import { inflate } from "./inflate.js";
import { sha256Sync } from "./sha256.js";

export const PREFIX = "EUC1:";
export const MAX_TEXT_LENGTH = 8192;
const ES256 = { name: "ECDSA", hash: "SHA-256" };

/** The text's length in code points, counted only as far as needed to compare with limit. */
function longerThan(text, limit) {
  if (text.length <= limit) return false;
  let points = 0;
  for (const _ of text) if (++points > limit) return true;
  return false;
}

/** Steps 1 to 5: the text to its COSE_Sign1, protected header read; Malformed otherwise. */
function envelope(text) {
  if (typeof text !== "string") throw new Malformed("not_euc1", "the QR text must be a string");
  if (longerThan(text, MAX_TEXT_LENGTH)) {
    throw new Malformed("text_too_long", `the QR text is longer than ${MAX_TEXT_LENGTH} characters`,
      { limit: MAX_TEXT_LENGTH });
  }
  if (!text.startsWith(PREFIX)) {
    throw new Malformed("not_euc1", `the QR text does not start with ${PREFIX}`);
  }
  return decodeSign1(inflate(decodeBase45(text.slice(PREFIX.length))));
}

/** Steps 1 to 8: the text decoded, its claims and content checked; Malformed otherwise. */
export function read(text) {
  const message = envelope(text);
  return { message, claims: decodeClaims(message.payload) };
}

function answer(result, reasonCode, reasonParams, found = {}) {
  const { claims = null, kid = null, ctiHash = null, warnings = [] } = found;
  return {
    result, reasonCode, reasonParams, warnings, kid, ctiHash,
    claims: claims && { iss: claims.iss, iat: claims.iat, nbf: claims.nbf, exp: claims.exp,
      cti: toHex(claims.cti) },
    content: claims && readable(claims.euc),
  };
}

/** The warnings about the lists held, on every result from step 12 on. */
function listWarnings(revocations, now) {
  if (!revocations || revocations.sequence === null) {
    return [{ code: "revocation_not_checked", params: {} }];
  }
  const seconds = revocations.staleSeconds(now);
  return seconds ? [{ code: "revocation_list_stale", params: { seconds } }] : [];
}

/** Steps 12 to 16, once a trusted signer's signature has verified. */
function afterSignature(signer, found, revocations, now) {
  const { claims, ctiHash } = found;
  const checked = { ...found, warnings: listWarnings(revocations, now) };
  if (signer.status === "revoked" || revocations?.signerRevoked(signer.kid)) {
    return answer("REVOKED", "signer_revoked", { kid: signer.kid }, checked);
  }
  const entry = revocations?.lookup(ctiHash);
  if (entry) {
    const result = entry.status === "revoked" ? "REVOKED" : "SUSPENDED";
    return answer(result, entry.status, { at: entry.at, revocation_reason: entry.reason }, checked);
  }
  if (now >= claims.exp) return answer("EXPIRED", "expired", { exp: claims.exp }, checked);
  if (now < claims.nbf) {
    return answer("NOT_YET_VALID", "not_yet_valid", { nbf: claims.nbf }, checked);
  }
  return answer("VALID", "valid", {}, checked);
}

/**
 * The signature check of each candidate signer, started when first asked for; the first
 * candidate's starts at once, so that WebCrypto works on its own thread while the claims are
 * read here (steps 6 to 8). Step 11 uses a check only for a signer whose validity holds iat.
 */
function signatureChecks(trust, message) {
  const signed = toBeSigned(message);
  const started = new Map();
  const check = (signer) => {
    if (!started.has(signer)) {
      started.set(signer, crypto.subtle.verify(ES256, signer.key, message.signature, signed)
        .catch(() => false));
    }
    return started.get(signer);
  };
  const [first] = trust.candidates(toHex(message.kid));
  if (first) check(first);
  return check;
}

/** Steps 9 to 11: {signer} whose signature verified, or the answer that stops there. */
async function checkSigner(trust, kid, claims, signedBy) {
  const candidates = trust.candidates(kid);
  if (!candidates.length) {
    const why = trust.untrusted.get(kid);
    return why === undefined
      ? { result: "UNKNOWN_SIGNER", code: "signer_unknown", params: { kid } }
      : { result: "UNKNOWN_SIGNER", code: "signer_not_trusted", params: { kid, why } };
  }
  const inTime = candidates.filter((s) => s.validFrom <= claims.iat && claims.iat <= s.validUntil);
  if (!inTime.length) {
    const params = { kid, iat: claims.iat };
    return { result: "UNKNOWN_SIGNER", code: "signer_not_valid_at_iat", params };
  }
  for (const signer of inTime) { // several only by an 8-byte collision: try each
    if (await signedBy(signer)) return { signer };
  }
  return { result: "BAD_SIGNATURE", code: "signature_invalid", params: { kid } };
}

/**
 * Verify one QR text offline. `trust` is a TrustStore, `revocations` a RevocationState (or
 * null: none held), `now` epoch seconds. Answers {result, reasonCode, reasonParams, warnings,
 * kid, ctiHash, claims, content}; claims and content are null only for MALFORMED.
 */
export async function verify(text, { trust, revocations = null, now = Date.now() / 1000 }) {
  let message;
  let signedBy;
  let claims;
  try {
    message = envelope(text); // steps 1 to 5
    signedBy = signatureChecks(trust, message); // under way from here
    claims = decodeClaims(message.payload); // steps 6 to 8, meanwhile
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    const detail = error.message.slice(0, 200); // English, for logs and support
    return answer("MALFORMED", error.code, { ...error.params, detail });
  }
  const kid = toHex(message.kid);
  const found = { claims, kid, ctiHash: toHex(sha256Sync(claims.cti).subarray(0, 16)) };
  const checked = await checkSigner(trust, kid, claims, signedBy);
  if (checked.signer) return afterSignature(checked.signer, found, revocations, now);
  return answer(checked.result, checked.code, checked.params, found);
}
