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

/**
 * A canonical Huffman code from code lengths, judged as zlib's inflate_table judges it: an
 * over-subscribed set is refused; an incomplete one too, except a single one-bit code of the
 * literal or distance codes (`forLengths` false). An empty code is kept: decoding it reads one
 * bit, then fails, or, for the code-length code, answers 0 as zlib does.
 */
function huffman(lengths, forLengths = false) {
  const count = new Uint16Array(16);
  for (const length of lengths) count[length]++;
  let max = 15;
  while (max > 0 && count[max] === 0) max--;
  const offsets = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offsets[len + 1] = offsets[len] + count[len];
  const symbols = new Uint16Array(lengths.length);
  lengths.forEach((length, symbol) => {
    if (length) symbols[offsets[length]++] = symbol;
  });
  if (max === 0) return { count, symbols, max: 1, empty: forLengths };
  let left = 1;
  for (let len = 1; len <= 15; len++) {
    left = (left << 1) - count[len];
    if (left < 0) throw BAD; // over-subscribed
  }
  if (left > 0 && (forLengths || max !== 1)) throw BAD; // incomplete
  return { count, symbols, max, empty: false };
}

const FIXED_LENGTHS = huffman(Array.from({ length: 288 }, (_, s) =>
  (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)));
const FIXED_DISTANCES = huffman(new Array(32).fill(5));

class Inflater {
  constructor(data, room) {
    this.data = data;
    this.pos = 0;
    this.bitBuffer = 0;
    this.bitCount = 0;
    this.out = new Uint8Array(room);
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

  /** The next symbol of a code, bit by bit (codes are stored most significant bit first). */
  decode(code) {
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
    this.bitBuffer = 0;
    this.bitCount = 0;
    const size = this.bits(16);
    if (size !== (~this.bits(16) & 0xffff)) throw BAD;
    for (let i = 0; i < size; i++) {
      if (this.pos >= this.data.length) throw STOP;
      this.put(this.data[this.pos++]);
    }
  }

  dynamicCodes() {
    const literals = this.bits(5) + 257;
    const distances = this.bits(5) + 1;
    const lengthCodes = this.bits(4) + 4;
    if (literals > 286 || distances > 30) throw BAD;
    const order = new Array(19).fill(0);
    for (let i = 0; i < lengthCodes; i++) order[CODE_ORDER[i]] = this.bits(3);
    const lengthCode = huffman(order, true);
    const lengths = [];
    while (lengths.length < literals + distances) {
      const symbol = this.decode(lengthCode);
      if (symbol < 16) {
        lengths.push(symbol);
        continue;
      }
      let repeat;
      let value = 0;
      if (symbol === 16) {
        repeat = 3 + this.bits(2);
        if (lengths.length === 0) throw BAD;
        value = lengths[lengths.length - 1];
      } else {
        repeat = symbol === 17 ? 3 + this.bits(3) : 11 + this.bits(7);
      }
      if (lengths.length + repeat > literals + distances) throw BAD;
      for (let i = 0; i < repeat; i++) lengths.push(value);
    }
    if (lengths[256] === 0) throw BAD; // no end-of-block code
    return [huffman(lengths.slice(0, literals)), huffman(lengths.slice(literals))];
  }

  codes(literal, distance) {
    for (;;) {
      const symbol = this.decode(literal);
      if (symbol < 256) {
        this.put(symbol);
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
    this.bitBuffer = 0;
    this.bitCount = 0;
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
