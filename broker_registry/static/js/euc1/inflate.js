// zlib (RFC 1950) around deflate (RFC 1951), strict and bounded: docs/spec/euc-qr.md section 2.
//
// Synchronous and our own rather than DecompressionStream: the spec's bound ("stop inflating
// past 65,536 bytes") must stop at an exact byte, where zlib itself stops when its output is
// full, and a stream cannot be stopped there (it inflates a whole chunk, and an error later in
// the chunk discards what came before). It refuses what zlib refuses, at the same point: a bad
// header, a preset dictionary, a bad block, code or distance, a wrong Adler-32, an early end,
// a byte after the end. Past the limit, zlib goes on decoding symbols until it needs room for
// one more byte; so does this, so a defect just after the limit is still zlib_invalid.
import { Malformed } from "./errors.js";

export const MAX_INFLATED = 65536;

const STOP = { stop: "out of input or of room" }; // not an error in itself: see inflate()
const BAD = { bad: "invalid deflate data" };

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
  67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
  5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
  769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
  11, 11, 12, 12, 13, 13];
const CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const FAST_BITS = 9;
const REVERSED = Uint16Array.from({ length: 1 << FAST_BITS }, (_, n) =>
  parseInt(n.toString(2).padStart(FAST_BITS, "0").split("").reverse().join(""), 2));

/**
 * A canonical Huffman code, built from code lengths and judged as zlib's inflate_table judges
 * them: an over-subscribed set is refused; an incomplete one too, except a single one-bit code
 * of the literal or distance codes. An empty code is kept: decoding it reads one bit, then
 * fails, or, for the code-length code (`forLengths`), answers 0 as zlib does. `fast` maps the
 * next FAST_BITS bits to (symbol << 4 | length) for every code that short, 0 for the others.
 * Inflating is synchronous, so each code's arrays are made once and rebuilt for every block.
 */
class Code {
  constructor(size) {
    this.count = new Uint16Array(16);
    this.next = new Uint16Array(16);
    this.symbols = new Uint16Array(size);
    this.fast = new Int32Array(1 << FAST_BITS);
    this.max = 0;
    this.empty = false;
  }

  build(lengths, forLengths = false) {
    const { count, next, symbols, fast } = this;
    count.fill(0);
    fast.fill(0);
    for (let symbol = 0; symbol < lengths.length; symbol++) count[lengths[symbol]]++;
    count[0] = 0;
    let max = 15;
    while (max > 0 && count[max] === 0) max--;
    this.max = Math.max(max, 1);
    this.empty = max === 0 && forLengths;
    if (max === 0) return this;
    let left = 1;
    for (let len = 1; len <= 15; len++) {
      left = (left << 1) - count[len];
      if (left < 0) throw BAD; // over-subscribed
    }
    if (left > 0 && (forLengths || max !== 1)) throw BAD; // incomplete
    next[1] = 0; // first, where each length's symbols start
    for (let len = 1; len < 15; len++) next[len + 1] = next[len] + count[len];
    for (let symbol = 0; symbol < lengths.length; symbol++) {
      if (lengths[symbol]) symbols[next[lengths[symbol]]++] = symbol;
    }
    for (let len = 1, code = 0; len < 16; len++) next[len] = code = (code + count[len - 1]) << 1;
    for (let symbol = 0; symbol < lengths.length; symbol++) {
      const length = lengths[symbol];
      if (!length) continue;
      const code = next[length]++;
      if (length > FAST_BITS) continue;
      // the stream holds a code from its first bit, least significant first
      const reversed = REVERSED[code << (FAST_BITS - length)];
      for (let i = reversed; i < 1 << FAST_BITS; i += 1 << length) fast[i] = (symbol << 4) | length;
    }
    return this;
  }
}

const FIXED_LENGTHS = new Code(288).build(Uint8Array.from({ length: 288 }, (_, s) =>
  (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)));
const FIXED_DISTANCES = new Code(32).build(new Uint8Array(32).fill(5));
const CODE_LENGTHS = new Code(19);
const LITERALS = new Code(286);
const DISTANCES = new Code(30);
const LENGTHS = new Uint8Array(286 + 30);
const ORDER = new Uint8Array(19);

// Inflating is synchronous, so one output buffer serves every call (a fresh 64 KiB for each
// would cost more than the inflating).
let scratch = new Uint8Array(MAX_INFLATED + 1);

class Inflater {
  constructor(data, room) {
    if (scratch.length < room) scratch = new Uint8Array(room);
    this.data = data;
    this.pos = 0;
    this.bitBuffer = 0;
    this.bitCount = 0;
    this.out = scratch.subarray(0, room);
    this.length = 0;
  }

  bits(n) {
    while (this.bitCount < n) {
      if (this.pos >= this.data.length) throw STOP;
      this.bitBuffer |= this.data[this.pos++] << this.bitCount;
      this.bitCount += 8;
    }
    const value = this.bitBuffer & ((1 << n) - 1);
    this.bitBuffer >>>= n;
    this.bitCount -= n;
    return value;
  }

  /** Back to the next byte boundary, giving back the whole bytes read ahead. */
  align() {
    this.pos -= this.bitCount >> 3;
    this.bitBuffer = 0;
    this.bitCount = 0;
  }

  /** Up to three more bytes into the bit buffer, never past the end of the data. */
  readAhead() {
    while (this.bitCount <= 16 && this.pos < this.data.length) {
      this.bitBuffer |= this.data[this.pos++] << this.bitCount;
      this.bitCount += 8;
    }
  }

  /** The next symbol of a code. Codes are stored from their most significant bit. */
  decode(code) {
    if (this.bitCount < FAST_BITS) this.readAhead();
    if (this.bitCount >= FAST_BITS) {
      const entry = code.fast[this.bitBuffer & ((1 << FAST_BITS) - 1)];
      if (entry !== 0) {
        this.bitBuffer >>>= entry & 15;
        this.bitCount -= entry & 15;
        return entry >> 4;
      }
    }
    return this.decodeBitByBit(code); // a longer code, an unused one, or the last few bits
  }

  decodeBitByBit(code) {
    let value = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= code.max; len++) {
      value |= this.bits(1);
      const count = code.count[len];
      if (value - count < first) return code.symbols[index + value - first];
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    if (code.empty) return 0; // zlib reads an empty code-length code as lengths of 0
    throw BAD; // a code an incomplete set leaves unused
  }

  put(byte) {
    if (this.length === this.out.length) throw STOP;
    this.out[this.length++] = byte;
  }

  stored() {
    this.align();
    const size = this.bits(16);
    if (size !== (~this.bits(16) & 0xffff)) throw BAD;
    for (let i = 0; i < size; i++) { // bits(16) after align() leaves no bit read ahead
      if (this.pos >= this.data.length) throw STOP;
      this.put(this.data[this.pos++]);
    }
  }

  dynamicCodes() {
    const literals = this.bits(5) + 257;
    const distances = this.bits(5) + 1;
    const lengthCodes = this.bits(4) + 4;
    if (literals > 286 || distances > 30) throw BAD;
    ORDER.fill(0);
    for (let i = 0; i < lengthCodes; i++) ORDER[CODE_ORDER[i]] = this.bits(3);
    const lengthCode = CODE_LENGTHS.build(ORDER, true);
    const lengths = LENGTHS.subarray(0, literals + distances);
    for (let have = 0; have < lengths.length;) {
      const symbol = this.decode(lengthCode);
      if (symbol < 16) {
        lengths[have++] = symbol;
        continue;
      }
      let repeat;
      let value = 0;
      if (symbol === 16) {
        repeat = 3 + this.bits(2);
        if (have === 0) throw BAD;
        value = lengths[have - 1];
      } else {
        repeat = symbol === 17 ? 3 + this.bits(3) : 11 + this.bits(7);
      }
      if (have + repeat > lengths.length) throw BAD;
      lengths.fill(value, have, have + repeat);
      have += repeat;
    }
    if (lengths[256] === 0) throw BAD; // no end-of-block code
    return [LITERALS.build(lengths.subarray(0, literals)),
      DISTANCES.build(lengths.subarray(literals))];
  }

  codes(literal, distance) {
    for (;;) {
      const symbol = this.decode(literal);
      if (symbol < 256) {
        if (this.length === this.out.length) throw STOP;
        this.out[this.length++] = symbol;
        continue;
      }
      if (symbol === 256) return;
      if (symbol > 285) throw BAD;
      const length = LENGTH_BASE[symbol - 257] + this.bits(LENGTH_EXTRA[symbol - 257]);
      const code = this.decode(distance);
      if (code > 29) throw BAD;
      const back = DIST_BASE[code] + this.bits(DIST_EXTRA[code]);
      if (this.length === this.out.length) throw STOP; // zlib stops here, before judging back
      if (back > this.length) throw BAD; // before the start of the output
      for (let i = 0; i < length; i++) this.put(this.out[this.length - back]);
    }
  }

  run() {
    if (this.data.length < 2) throw STOP;
    const [method, flags] = this.data;
    if ((method * 256 + flags) % 31 || (method & 15) !== 8 || method >> 4 > 7) throw BAD;
    if (flags & 0x20) throw BAD; // a preset dictionary: none is ever agreed
    this.pos = 2;
    let last = 0;
    while (!last) {
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(FIXED_LENGTHS, FIXED_DISTANCES);
      else if (type === 2) this.codes(...this.dynamicCodes());
      else throw BAD;
    }
    this.align();
    let check = 0;
    for (let i = 0; i < 4; i++) check = check * 256 + this.bits(8); // big-endian
    return check === adler32(this.out.subarray(0, this.length));
  }
}

function adler32(bytes) {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length;) {
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return b * 65536 + a;
}

function invalid(detail) {
  return new Malformed("zlib_invalid", `the zlib data ${detail}`);
}

/** The bytes a zlib stream inflates to; Malformed zlib_invalid or zlib_too_large. */
export function inflate(data, limit = MAX_INFLATED) {
  const inflater = new Inflater(data, limit + 1);
  let complete = false;
  try {
    if (!inflater.run()) throw invalid("has a wrong Adler-32 checksum");
    complete = true;
  } catch (error) {
    if (error === BAD) throw invalid("is corrupt");
    if (error !== STOP) throw error;
  }
  if (inflater.length > limit) {
    throw new Malformed("zlib_too_large", `the zlib data inflates beyond ${limit} bytes`,
      { limit });
  }
  if (!complete) throw invalid("is truncated");
  if (inflater.pos !== data.length) throw invalid("has trailing bytes");
  return inflater.out.slice(0, inflater.length);
}
