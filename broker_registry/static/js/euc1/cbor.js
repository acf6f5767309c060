// The CBOR encoding rules of every signed structure (docs/spec/euc-qr.md section 3), in one
// pass over the bytes: the first defect in byte order gives the code.
//
// Values: integers are numbers, or BigInts beyond Number.MAX_SAFE_INTEGER (never rounded);
// byte strings Uint8Array; text strings; arrays; maps as Map; false and true. A map key that is
// neither an integer nor text is a RawKey holding the hexadecimal of its encoding, so that
// `true` is never the key 1.
import { concat, fromHex, toHex } from "./bytes.js";
import { Malformed } from "./errors.js";

export const MAX_DEPTH = 32; // no conforming structure nests deeper than 5

const SHORTEST = [24, 0x100, 0x10000, 0x100000000]; // least argument of 1, 2, 4, 8 more bytes
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export class RawKey {
  constructor(hex) {
    this.hex = hex;
  }
}

/** A map key as the spec's parameters show it: an integer or text as itself, else hex. */
export function shownKey(key) {
  return key instanceof RawKey ? key.hex : key;
}

class Decoder {
  constructor(bytes, part) {
    this.bytes = bytes;
    this.part = part;
    this.pos = 0;
  }

  refuse(code, detail) {
    return new Malformed(code, `${this.part} ${detail}`, { part: this.part });
  }

  /** The argument of the head at pos, in its shortest form; pos moves past the head. */
  argument(info) {
    const bytes = this.bytes;
    const at = this.pos;
    if (info < 24) {
      this.pos += 1;
      return info;
    }
    if (info > 27) throw this.refuse("cbor_invalid", `has reserved additional information ${info}`);
    const width = 1 << (info - 24);
    if (at + 1 + width > bytes.length) throw this.refuse("cbor_invalid", "ends inside an item");
    let value = 0;
    for (let i = 1; i <= Math.min(width, 4); i++) value = value * 256 + bytes[at + i];
    if (width === 8) {
      let low = 0;
      for (let i = 5; i <= 8; i++) low = low * 256 + bytes[at + i];
      // below 2**53 a number holds it exactly; above, a BigInt
      value = value < 2 ** 21 ? value * 2 ** 32 + low : (BigInt(value) << 32n) + BigInt(low);
    }
    if (value < SHORTEST[info - 24]) {
      throw this.refuse("cbor_not_preferred", `writes the value ${value} in ${width + 1} bytes`);
    }
    this.pos = at + 1 + width;
    return value;
  }

  /** The item at pos; pos moves past it. */
  item(depth) {
    const bytes = this.bytes;
    if (this.pos >= bytes.length) throw this.refuse("cbor_invalid", "ends inside an item");
    const major = bytes[this.pos] >> 5;
    const info = bytes[this.pos] & 0x1f;
    if (major === 7) return this.simple(info);
    if (major === 6) throw this.refuse("cbor_item_not_allowed", "holds a tag");
    if (info === 31) {
      if (major < 2) throw this.refuse("cbor_invalid", "holds an integer of indefinite length");
      throw this.refuse("cbor_not_preferred", "holds an indefinite-length item");
    }
    const argument = this.argument(info);
    if (major === 0) return argument;
    if (major === 1) return negative(argument);
    if (major < 4) return this.string(major, argument);
    if (depth >= MAX_DEPTH) throw this.refuse("cbor_invalid", `nests deeper than ${MAX_DEPTH}`);
    return major === 4 ? this.array(argument, depth) : this.map(argument, depth);
  }

  simple(info) {
    if (info === 20 || info === 21) {
      this.pos += 1;
      return info === 21;
    }
    if (info === 31) throw this.refuse("cbor_invalid", "holds a break outside an item");
    if (info >= 28) {
      throw this.refuse("cbor_invalid", `has reserved additional information ${info}`);
    }
    throw this.refuse("cbor_item_not_allowed", "holds a float, null, undefined or simple value");
  }

  string(major, length) {
    const start = this.pos;
    const end = start + Number(length);
    if (end > this.bytes.length) throw this.refuse("cbor_invalid", "has a string past its end");
    this.pos = end;
    const raw = this.bytes.subarray(start, end);
    if (major === 2) return raw;
    if (raw.length < 64 && isAscii(raw)) return String.fromCharCode.apply(null, raw); // faster

    try {
      return UTF8.decode(raw);
    } catch {
      throw this.refuse("cbor_invalid", "holds a text string that is not valid UTF-8");
    }
  }

  array(count, depth) {
    const out = [];
    for (let i = 0; i < count; i++) out.push(this.item(depth + 1));
    return out;
  }

  map(count, depth) {
    const out = new Map();
    const raw = new Set();
    for (let i = 0; i < count; i++) {
      const start = this.pos;
      let key = this.item(depth + 1);
      if (typeof key !== "number" && typeof key !== "bigint" && typeof key !== "string") {
        const hex = toHex(this.bytes.subarray(start, this.pos));
        if (raw.has(hex)) throw this.duplicate(hex);
        raw.add(hex);
        key = new RawKey(hex);
      } else if (out.has(key)) {
        throw this.duplicate(key);
      }
      out.set(key, this.item(depth + 1));
    }
    return out;
  }

  duplicate(key) {
    const error = this.refuse("duplicate_key", `has a duplicate map key ${String(key)}`);
    error.params.key = key;
    return error;
  }
}

function isAscii(bytes) {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return false;
  return true;
}

function negative(argument) {
  if (typeof argument === "bigint" || argument >= Number.MAX_SAFE_INTEGER) {
    return -1n - BigInt(argument);
  }
  return -1 - argument;
}

/**
 * The one CBOR item that fills bytes exactly, following every encoding rule; Malformed with
 * cbor_invalid, cbor_not_preferred, cbor_item_not_allowed or duplicate_key (parameter `part`,
 * and `key`) otherwise.
 */
export function decodeStrict(bytes, part) {
  const decoder = new Decoder(bytes, part);
  const value = decoder.item(0);
  if (decoder.pos !== bytes.length) {
    throw decoder.refuse("cbor_invalid", "has bytes after its item");
  }
  return value;
}

/** An integer, whether a number or a BigInt. */
export function isInteger(value) {
  return Number.isInteger(value) || typeof value === "bigint";
}

const WIDTH_INFO = { 1: 24, 2: 25, 4: 26, 8: 27 };

function encodeHead(major, value) {
  const big = BigInt(value);
  const width = big < 24n ? 0 : big < 0x100n ? 1 : big < 0x10000n ? 2 : big < 0x100000000n ? 4 : 8;
  const out = [(major << 5) | (width ? WIDTH_INFO[width] : Number(big))];
  for (let i = width - 1; i >= 0; i--) out.push(Number((big >> BigInt(8 * i)) & 0xffn));
  return Uint8Array.from(out);
}

/** The preferred encoding of a value decodeStrict answers (keys in their order). */
export function encode(value) {
  if (typeof value === "boolean") return Uint8Array.of(value ? 0xf5 : 0xf4);
  if (isInteger(value)) {
    return value < 0 ? encodeHead(1, -1n - BigInt(value)) : encodeHead(0, value);
  }
  if (value instanceof Uint8Array) return concat([encodeHead(2, value.length), value]);
  if (typeof value === "string") {
    const utf8 = new TextEncoder().encode(value);
    return concat([encodeHead(3, utf8.length), utf8]);
  }
  if (value instanceof RawKey) return fromHex(value.hex);
  if (Array.isArray(value)) return concat([encodeHead(4, value.length), ...value.map(encode)]);
  const parts = [encodeHead(5, value.size)];
  for (const [key, item] of value) parts.push(encode(key), encode(item));
  return concat(parts);
}
