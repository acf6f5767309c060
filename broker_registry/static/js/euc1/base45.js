// Base45 (RFC 9285), strict: docs/spec/euc-qr.md section 2.
import { Malformed } from "./errors.js";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

function refuse(detail) {
  return new Malformed("base45_invalid", detail);
}

function digit(text, i) {
  const code = text.charCodeAt(i);
  const value = code < 128 ? VALUE[code] : -1;
  if (value < 0) throw refuse("Base45 text contains a character outside its alphabet");
  return value;
}

/**
 * The bytes of a Base45 text; Malformed base45_invalid for a character outside the alphabet,
 * a length that leaves one character over, a group of three above 65535 or a final group of
 * two above 255 (one code for all: the order they are found in does not matter).
 */
export function decodeBase45(text) {
  const length = text.length;
  if (length % 3 === 1) throw refuse("Base45 text has an impossible length");
  const whole = (length - (length % 3)) / 3;
  const out = new Uint8Array(whole * 2 + (length % 3 ? 1 : 0));
  for (let g = 0, i = 0; g < whole; g++, i += 3) {
    const n = digit(text, i) + 45 * digit(text, i + 1) + 2025 * digit(text, i + 2);
    if (n > 0xffff) throw refuse("Base45 text holds a group of three above 65535");
    out[2 * g] = n >> 8;
    out[2 * g + 1] = n & 0xff;
  }
  if (length % 3) {
    const n = digit(text, length - 2) + 45 * digit(text, length - 1);
    if (n > 0xff) throw refuse("Base45 text ends with a group of two above 255");
    out[out.length - 1] = n;
  }
  return out;
}
