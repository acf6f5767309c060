// The trust list (docs/spec/euc-qr.md section 7): the document signers the pinned root signed,
// each with its key imported once, and why each listed signer that fails was left out.
import { equal, fromBase64, sha256, toHex } from "./bytes.js";
import {
  CURVES, ECDSA_HASHES, namedCurve, parseCertificate, rawSignature, signerExtensions,
} from "./der.js";
import { TrustListError } from "./errors.js";

export const SIGNER_STATUSES = ["active", "retired", "revoked"];
// The `why` of signer_not_trusted, in the order the checks run.
export const SIGNER_REFUSALS = ["unreadable", "kid_mismatch", "not_signed_by_root",
  "critical_extension", "ca_certificate", "key_usage", "not_p256", "status_unknown"];
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

class Refused {
  constructor(why, kid) {
    Object.assign(this, { why, kid: toHex(kid) });
  }
}

async function importKey(spki, curve) {
  return crypto.subtle.importKey("spki", spki, { name: "ECDSA", namedCurve: curve }, false,
    ["verify"]);
}

async function pinnedRoot(rootDer) {
  try {
    const root = parseCertificate(rootDer);
    const curve = CURVES[namedCurve(root.keyAlgorithm)];
    const key = await importKey(root.spki, curve.name);
    return { der: rootDer, subject: root.subject, curve, key };
  } catch {
    throw new TrustListError("root_unreadable",
      "the pinned root is not a P-256, P-384 or P-521 certificate");
  }
}

async function signedByRoot(certificate, root) {
  const { innerAlgorithm: inner, signatureAlgorithm: outer } = certificate;
  const hash = ECDSA_HASHES[outer.oid];
  if (!equal(certificate.issuer, root.subject) || !hash || !equal(inner.encoded, outer.encoded)) {
    return false;
  }
  try {
    const signature = rawSignature(certificate.signature, root.curve.size);
    const algorithm = { name: "ECDSA", hash };
    return await crypto.subtle.verify(algorithm, root.key, signature, certificate.tbs);
  } catch {
    return false;
  }
}

/** The checks of section 7, step 2, in order: a Signer, or a Refused saying why. */
async function admit(entry, root) {
  const listedKid = fromBase64(entry.kid); // TypeError: no kid to remember a reason by
  const der = fromBase64(entry.certificate);
  let certificate;
  try {
    certificate = parseCertificate(der);
  } catch {
    return new Refused("unreadable", listedKid);
  }
  const kid = await sha256(der, 8);
  if (!equal(kid, listedKid)) return new Refused("kid_mismatch", listedKid);
  if (!(await signedByRoot(certificate, root))) return new Refused("not_signed_by_root", kid);
  let extensions;
  try {
    extensions = signerExtensions(certificate.extensions);
  } catch {
    return new Refused("unreadable", kid);
  }
  if (extensions.unknownCritical !== null) return new Refused("critical_extension", kid);
  if (extensions.ca) return new Refused("ca_certificate", kid);
  const usage = extensions.usage;
  if (!usage || !usage.digitalSignature || usage.keyCertSign) return new Refused("key_usage", kid);
  let key;
  try {
    if (CURVES[namedCurve(certificate.keyAlgorithm)]?.name !== "P-256") throw new TypeError();
    key = await importKey(certificate.spki, "P-256");
  } catch {
    return new Refused("not_p256", kid);
  }
  if (!SIGNER_STATUSES.includes(entry.status)) return new Refused("status_unknown", kid);
  return { kid: toHex(kid), status: entry.status, validFrom: certificate.notBefore,
    validUntil: certificate.notAfter, key, certificate: der };
}

function documentOf(json) {
  let document = json;
  try {
    if (typeof json === "string") document = JSON.parse(json);
    const { authority, root, issued_at: issuedAt, signers } = document;
    const named = ["code", "name", "country"].every((key) => typeof authority[key] === "string");
    if (!named || !RFC3339.test(issuedAt) || !Array.isArray(signers)) throw new TypeError();
    return { authority: { code: authority.code, name: authority.name, country: authority.country },
      root: fromBase64(root), issuedAt, signers };
  } catch {
    throw new TrustListError("malformed", "the trust list is malformed");
  }
}

export class TrustStore {
  constructor({ authority, issuedAt, signers, untrusted, rejected }) {
    Object.assign(this, { authority, issuedAt, signers, untrusted, rejected });
    this.byKid = new Map();
    for (const signer of signers) {
      this.byKid.set(signer.kid, [...(this.byKid.get(signer.kid) ?? []), signer]);
    }
  }

  /**
   * The store of a trust list (its JSON text or parsed object) under the pinned root (DER
   * bytes). TrustListError when the list is malformed or names another root; a listed signer
   * that fails a check is left out, and `untrusted` (kid -> why) and `rejected` say why.
   */
  static async fromTrustList(json, rootDer) {
    const document = documentOf(json);
    const pinned = new Uint8Array(rootDer);
    if (!equal(document.root, pinned)) {
      throw new TrustListError("other_root",
        "the trust list names a root other than the pinned one");
    }
    const root = await pinnedRoot(pinned);
    const outcomes = await Promise.all(document.signers.map((entry) => admit(entry, root)
      .catch(() => null)));
    const signers = [];
    const untrusted = new Map();
    const rejected = [];
    outcomes.forEach((outcome, position) => {
      if (outcome instanceof Refused) untrusted.set(outcome.kid, outcome.why);
      if (outcome && !(outcome instanceof Refused)) signers.push(outcome);
      else rejected.push({ position, kid: outcome?.kid ?? null, why: outcome?.why ?? null });
    });
    return new TrustStore({ authority: document.authority, issuedAt: document.issuedAt, signers,
      untrusted, rejected });
  }

  /** The admitted signers with this kid (16 hexadecimal digits), in the list's order. */
  candidates(kid) {
    return this.byKid.get(kid) ?? [];
  }
}
