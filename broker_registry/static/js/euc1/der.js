// A strict DER reader for the X.509 fields the trust list's rules need (docs/spec/euc-qr.md
// section 7): one-byte tags, definite lengths in shortest form, minimal integers, nothing
// after a structure. Anything else is a DerError, which the trust store calls `unreadable`.

export class DerError extends Error {}

export const OID = {
  ecPublicKey: "1.2.840.10045.2.1",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
};
export const CURVES = { // named curve: WebCrypto's name and the bytes of r and of s
  "1.2.840.10045.3.1.7": { name: "P-256", size: 32 },
  "1.3.132.0.34": { name: "P-384", size: 48 },
  "1.3.132.0.35": { name: "P-521", size: 66 },
};
export const ECDSA_HASHES = {
  "1.2.840.10045.4.3.2": "SHA-256",
  "1.2.840.10045.4.3.3": "SHA-384",
  "1.2.840.10045.4.3.4": "SHA-512",
};

function fail(what) {
  throw new DerError(what);
}

/** The TLV at pos, within limit: {tag, begin, start, end}. */
function tlv(bytes, pos, limit) {
  if (pos + 2 > limit) fail("truncated");
  const tag = bytes[pos];
  if ((tag & 0x1f) === 0x1f) fail("multi-byte tag");
  let length = bytes[pos + 1];
  let start = pos + 2;
  if (length & 0x80) {
    const width = length & 0x7f;
    if (width === 0 || width > 3 || start + width > limit || bytes[start] === 0) fail("length");
    length = 0;
    for (let i = 0; i < width; i++) length = length * 256 + bytes[start + i];
    if (length < 0x80) fail("length not in shortest form");
    start += width;
  }
  if (start + length > limit) fail("truncated");
  return { tag, begin: pos, start, end: start + length };
}

/** The one TLV that fills bytes. */
function whole(bytes) {
  const node = tlv(bytes, 0, bytes.length);
  if (node.end !== bytes.length) fail("bytes after the structure");
  return node;
}

/** The elements of a constructed node, which must fill it exactly. */
function children(bytes, node) {
  const out = [];
  for (let pos = node.start; pos < node.end; pos = out[out.length - 1].end) {
    out.push(tlv(bytes, pos, node.end));
  }
  return out;
}

function expect(node, tag) {
  if (!node || node.tag !== tag) fail(`expected tag ${tag}`);
  return node;
}

function sequence(bytes, node, min, max = min) {
  const items = children(bytes, expect(node, 0x30));
  if (items.length < min || items.length > max) fail("wrong number of elements");
  return items;
}

/** The content of an INTEGER in its minimal encoding. */
function integer(bytes, node) {
  const value = bytes.subarray(expect(node, 0x02).start, node.end);
  if (!value.length || (value.length > 1 && ((value[0] === 0 && !(value[1] & 0x80)) ||
      (value[0] === 0xff && value[1] & 0x80)))) fail("integer not minimal");
  return value;
}

/** A non-negative INTEGER, as unsigned big-endian bytes. */
function unsignedInteger(bytes, node) {
  const value = integer(bytes, node);
  if (value[0] & 0x80) fail("not a positive integer");
  return value[0] === 0 ? value.subarray(1) : value;
}

function oid(bytes, node) {
  const value = bytes.subarray(expect(node, 0x06).start, node.end);
  if (!value.length || value[value.length - 1] & 0x80) fail("bad object identifier");
  const parts = [];
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    if (n === 0 && value[i] === 0x80) fail("object identifier not minimal");
    n = n * 128 + (value[i] & 0x7f);
    if (!(value[i] & 0x80)) {
      if (!parts.length) parts.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else parts.push(n);
      n = 0;
    }
  }
  return parts.join(".");
}

/** BIT STRING content with no unused bits (keys, signatures). */
function octets(bytes, node) {
  const value = bytes.subarray(expect(node, 0x03).start, node.end);
  if (value[0] !== 0) fail("bit string with unused bits");
  return value.subarray(1);
}

function algorithm(bytes, node) {
  const [id, parameters] = sequence(bytes, node, 1, 2);
  const name = oid(bytes, id);
  if (ECDSA_HASHES[name] && parameters) fail("ECDSA takes no parameters"); // RFC 5758
  return { oid: name, parameters: parameters && bytes.subarray(parameters.begin, parameters.end),
    encoded: bytes.subarray(node.begin, node.end) };
}

const TIME = { // UTCTime and GeneralizedTime, to the second, in UTC
  0x17: /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/,
  0x18: /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/,
};

/** UTCTime or GeneralizedTime, to epoch seconds. */
function time(bytes, node) {
  const match = TIME[node.tag]?.exec(String.fromCharCode(...bytes.subarray(node.start, node.end)));
  if (!match) fail("bad time");
  let [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (node.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC reads years below 100 as 19xx
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 ||
      minute > 59 || second > 59) fail("bad time");
  return date.getTime() / 1000;
}

function extension(bytes, node) {
  const items = sequence(bytes, node, 2, 3);
  let critical = false;
  if (items.length === 3) {
    const flag = bytes.subarray(expect(items[1], 0x01).start, items[1].end);
    if (flag.length !== 1 || flag[0] !== 0xff) fail("critical must be absent or true"); // DER
    critical = true;
  }
  const value = expect(items[items.length - 1], 0x04);
  return { oid: oid(bytes, items[0]), critical, value: bytes.subarray(value.start, value.end) };
}

function extensions(bytes, fields) {
  const tagged = fields.find((node) => node.tag === 0xa3);
  if (!tagged) return [];
  const [list, ...rest] = children(bytes, tagged);
  if (rest.length) fail("bytes after the extensions");
  const items = sequence(bytes, list, 0, Infinity);
  return items.map((node) => extension(bytes, node));
}

/** The fields of a DER X.509 certificate; DerError unless it is one. */
export function parseCertificate(bytes) {
  const [tbs, signatureAlgorithm, signature] = sequence(bytes, whole(bytes), 3);
  const fields = sequence(bytes, tbs, 6, 10);
  let version = 0;
  if (fields[0].tag === 0xa0) {
    const [number, ...rest] = children(bytes, fields.shift());
    const value = unsignedInteger(bytes, number);
    if (rest.length || value.length !== 1 || value[0] < 1 || value[0] > 2) fail("bad version");
    version = value[0];
  }
  const [serial, innerAlgorithm, issuer, validity, subject, spki, ...optional] = fields;
  integer(bytes, serial);
  const [notBefore, notAfter] = sequence(bytes, validity, 2);
  const [keyAlgorithm, key] = sequence(bytes, spki, 2);
  const tags = optional.map((node) => node.tag);
  if (tags.some((tag, i) => ![0x81, 0x82, 0xa3].includes(tag) || tag <= (tags[i - 1] ?? 0))) {
    fail("unexpected field");
  }
  return {
    version,
    tbs: bytes.subarray(tbs.begin, tbs.end),
    issuer: bytes.subarray(expect(issuer, 0x30).begin, issuer.end),
    subject: bytes.subarray(expect(subject, 0x30).begin, subject.end),
    notBefore: time(bytes, notBefore),
    notAfter: time(bytes, notAfter),
    spki: bytes.subarray(spki.begin, spki.end),
    keyAlgorithm: algorithm(bytes, keyAlgorithm),
    publicKey: octets(bytes, key),
    extensions: extensions(bytes, optional),
    innerAlgorithm: algorithm(bytes, innerAlgorithm),
    signatureAlgorithm: algorithm(bytes, signatureAlgorithm),
    signature: octets(bytes, signature),
  };
}

/** The named curve of an EC key's algorithm parameters, or null. */
export function namedCurve(keyAlgorithm) {
  if (keyAlgorithm.oid !== OID.ecPublicKey || !keyAlgorithm.parameters) return null;
  try {
    return oid(keyAlgorithm.parameters, whole(keyAlgorithm.parameters));
  } catch {
    return null;
  }
}

/** An ECDSA-Sig-Value (DER SEQUENCE of r and s) as r || s of `size` bytes each. */
export function rawSignature(der, size) {
  const [r, s] = sequence(der, whole(der), 2);
  const out = new Uint8Array(2 * size);
  [r, s].forEach((node, i) => {
    const value = unsignedInteger(der, node);
    if (value.length > size) fail("integer too large");
    out.set(value, (i + 1) * size - value.length);
  });
  return out;
}

/** BasicConstraints' cA and KeyUsage's bits; DerError when one is unreadable or repeated. */
export function signerExtensions(extensionList) {
  const seen = new Set();
  let ca = false;
  let usage = null;
  let unknownCritical = null;
  for (const { oid: id, critical, value } of extensionList) {
    if (seen.has(id)) fail("an extension appears twice");
    seen.add(id);
    const known = id === OID.basicConstraints || id === OID.keyUsage;
    if (critical && !known && unknownCritical === null) unknownCritical = id;
    if (id === OID.basicConstraints) ca = basicConstraintsCa(value);
    if (id === OID.keyUsage) usage = keyUsage(value);
    if (id === OID.subjectKeyIdentifier) expect(whole(value), 0x04);
    if (id === OID.authorityKeyIdentifier) authorityKeyIdentifier(value);
  }
  return { ca, usage, unknownCritical };
}

/** [0] keyIdentifier, [1] authorityCertIssuer, [2] serial: each optional, in order. */
function authorityKeyIdentifier(value) {
  const tags = children(value, expect(whole(value), 0x30)).map((node) => node.tag);
  if (tags.some((tag, i) => ![0x80, 0xa1, 0x82].includes(tag) || tag <= (tags[i - 1] ?? 0))) {
    fail("bad AuthorityKeyIdentifier");
  }
}

function basicConstraintsCa(value) {
  const items = sequence(value, whole(value), 0, 2);
  let ca = false;
  if (items[0]?.tag === 0x01) {
    const flag = value.subarray(items[0].start, items[0].end);
    if (flag.length !== 1 || flag[0] !== 0xff) fail("cA must be absent or true"); // DER
    ca = true;
    items.shift();
  }
  if (items.length) unsignedInteger(value, items[0]); // pathLenConstraint
  if (items.length > 1) fail("unexpected BasicConstraints field");
  return ca;
}

function keyUsage(value) {
  const node = expect(whole(value), 0x03);
  const bits = value.subarray(node.start, node.end);
  const unused = bits[0];
  if (bits.length === 0 || unused > 7 || (bits.length === 1 && unused) ||
      (bits.length > 1 && bits[bits.length - 1] & ((1 << unused) - 1))) fail("bad KeyUsage");
  const first = bits.length > 1 ? bits[1] : 0;
  return { digitalSignature: Boolean(first & 0x80), keyCertSign: Boolean(first & 0x04) };
}
