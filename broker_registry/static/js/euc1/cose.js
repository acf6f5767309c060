// The COSE_Sign1 envelope in its one accepted layout, its protected header, and the bytes an
// ES256 signature covers: docs/spec/euc-qr.md section 4.
import { toHex } from "./bytes.js";
import { decodeStrict, encode, isInteger } from "./cbor.js";
import { Malformed } from "./errors.js";

export const ALG_ES256 = -7;
const KID_LENGTH = 8;
const SIGNATURE_LENGTH = 64;
// {1: -7, 4: h'<8 bytes>'}, as every issuer writes it: the common case needs no decoder.
const PROTECTED_PREFIX = [0xa2, 0x01, 0x26, 0x04, 0x48];
// ["Signature1", ...: an array of four, then the text "Signature1"
const SIG_STRUCTURE_HEAD = [0x84, 0x6a, ...new TextEncoder().encode("Signature1")];

function envelope(detail) {
  return new Malformed("cose_invalid", detail);
}

/** A definite-length byte string at offset with its head in shortest form: [bytes, end]. */
function byteString(data, offset, what) {
  const head = data[offset];
  if (offset >= data.length || head >> 5 !== 2) throw envelope(`the ${what} is not a byte string`);
  const info = head & 0x1f;
  let length = info;
  let start = offset + 1;
  if (info >= 24 && info <= 26) {
    const width = 1 << (info - 24);
    if (start + width > data.length) throw envelope(`the ${what} runs past the end`);
    length = 0;
    for (let i = 0; i < width; i++) length = length * 256 + data[start + i];
    start += width;
    if (length < [24, 0x100, 0, 0x10000][width - 1]) {
      throw envelope(`the ${what} length is not in its shortest form`);
    }
  } else if (info >= 24) {
    throw envelope(`the ${what} has an unsupported length form`);
  }
  if (start + length > data.length) throw envelope(`the ${what} runs past the end`);
  return [data.subarray(start, start + length), start + length];
}

/** A tagged COSE_Sign1: {protected, payload, signature, kid}; Malformed otherwise. */
export function decodeSign1(data) {
  if (data[0] !== 0xd2 || data[1] !== 0x84) {
    throw envelope("not a COSE_Sign1 (CBOR tag 18 around an array of 4)");
  }
  const [protectedBytes, afterProtected] = byteString(data, 2, "protected header");
  if (data[afterProtected] !== 0xa0) throw envelope("the unprotected header must be an empty map");
  const [payload, afterPayload] = byteString(data, afterProtected + 1, "payload");
  if (data[afterPayload] !== 0x58 || data[afterPayload + 1] !== 0x40) {
    throw envelope("the signature must be a 64-byte string");
  }
  const signature = data.subarray(afterPayload + 2);
  if (signature.length !== SIGNATURE_LENGTH) {
    throw envelope("the signature must be 64 bytes with nothing after it");
  }
  return { protected: protectedBytes, payload, signature, kid: headerKid(protectedBytes) };
}

/** The kid of a protected header {1: -7, 4: kid}, in either key order. */
function headerKid(bytes) {
  if (bytes.length === 13 && PROTECTED_PREFIX.every((byte, i) => bytes[i] === byte)) {
    return bytes.subarray(5);
  }
  const header = decodeStrict(bytes, "protected_header");
  const keys = header instanceof Map ? [...header.keys()] : [];
  if (keys.length !== 2 || !header.has(1) || !header.has(4)) {
    throw new Malformed("header_invalid",
      "the protected header must hold exactly alg (1) and kid (4)");
  }
  const alg = header.get(1);
  if (alg !== ALG_ES256) {
    // the spec names no form for an alg that is neither: the hexadecimal of its encoding,
    // as for a map key
    const shown = isInteger(alg) || typeof alg === "string" ? alg : toHex(encode(alg));
    throw new Malformed("alg_unsupported", `alg ${String(alg)} is not ES256 (-7)`, { alg: shown });
  }
  const kid = header.get(4);
  if (!(kid instanceof Uint8Array) || kid.length !== KID_LENGTH) {
    throw new Malformed("header_invalid", "kid must be 8 bytes");
  }
  return kid;
}

function head(length) {
  if (length < 24) return [0x40 | length];
  if (length < 0x100) return [0x58, length];
  if (length < 0x10000) return [0x59, length >> 8, length & 0xff];
  return [0x5a, length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
}

/** The Sig_structure ["Signature1", protected, h'', payload] an ES256 signature covers. */
export function toBeSigned(message) {
  const parts = [SIG_STRUCTURE_HEAD, head(message.protected.length), message.protected, [0x40],
    head(message.payload.length), message.payload];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
