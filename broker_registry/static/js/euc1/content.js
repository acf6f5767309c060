// The content claim `euc`, schema 1 (docs/spec/euc-qr.md section 6): checked in the spec's
// order of fields, and shown in the registry's readable form.
import { isInteger } from "./cbor.js";
import { Malformed } from "./errors.js";

export const CATEGORIES = ["SALW-1", "SALW-2", "SALW-3", "SALW-4", "SALW-5", "SALW-6", "SALW-7",
  "SALW-8", "SALW-9", "SALW-10", "SALW-11", "SALW-12", "SALW-13", "AMMO", "PARTS", "ACC"];
export const END_USER_KINDS = ["government", "armed_forces", "police", "commercial", "other"];
const MAX_INTEGER = Number.MAX_SAFE_INTEGER; // 2**53 - 1
const REQUIRED = "vnlabscedgux";
const ALLOWED = new Set([..."vnlabscedtgux", "r"]);
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
const VALUE = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$/;

function bad(field, detail) {
  return new Malformed("content_invalid", detail, { field });
}

function text(value, field) {
  if (typeof value !== "string" || !value) throw bad(field, `${field}: expected non-empty text`);
}

function country(value, field) {
  if (typeof value !== "string" || !COUNTRY.test(value)) {
    throw bad(field, `${field}: a country is two letters A-Z`);
  }
}

function tuple(value, length, field) {
  if (!Array.isArray(value) || value.length !== length) {
    throw bad(field, `${field}: expected an array of ${length} elements`);
  }
  return value;
}

function party(value, field) {
  const [name, address, where] = tuple(value, 3, field);
  text(name, field);
  text(address, field);
  country(where, field);
}

function nonEmptyArray(value, field) {
  if (!Array.isArray(value) || !value.length) {
    throw bad(field, `${field}: expected a non-empty array`);
  }
  return value;
}

function inRange(value, low, high) {
  return isInteger(value) && value >= low && value <= high;
}

function goodsLine(item, previous) {
  if (!Array.isArray(item) || (item.length !== 5 && item.length !== 7)) {
    throw bad("g", "g: a goods line is an array of 5 or 7 elements");
  }
  const [line, category, quantity, unit, description, value, currency] = item;
  if (!inRange(line, previous + 1, MAX_INTEGER)) throw bad("g", "g: line numbers must increase");
  if (!inRange(category, 1, CATEGORIES.length)) throw bad("g", "g: unknown category code");
  if (!inRange(quantity, 1, MAX_INTEGER)) throw bad("g", "g: quantity must be a positive integer");
  text(unit, "g");
  text(description, "g");
  if (item.length === 7) {
    if (typeof value !== "string" || !VALUE.test(value)) {
      throw bad("g", "g: value is a decimal string");
    }
    if (typeof currency !== "string" || !CURRENCY.test(currency)) {
      throw bad("g", "g: currency is ISO 4217");
    }
  }
  return line;
}

function checkVersion(content) {
  const version = content.get("v");
  if (version === 1) return;
  if (!isInteger(version)) throw bad("v", "the content's version v is missing or not an integer");
  throw new Malformed("content_version_unsupported", `content schema ${version} is not 1`,
    { version });
}

/** Malformed unless the content is a schema-1 map (the compact form of section 6). */
export function validateContent(content) {
  if (!(content instanceof Map)) throw bad(null, "content is not a map");
  checkVersion(content);
  const keys = [...content.keys()];
  if (![...REQUIRED].every((key) => content.has(key)) || !keys.every((key) => ALLOWED.has(key))) {
    throw bad(null, "content keys do not match schema 1");
  }
  if (content.get("x") !== true) throw bad("x", "the undertaking x must be true");
  if (content.has("r") && content.get("r") !== true) throw bad("r", "r is written only when true");
  for (const field of "nlu") text(content.get(field), field);
  country(content.get("d"), "d");
  const [authority, authorityCountry] = tuple(content.get("a"), 2, "a");
  text(authority, "a");
  country(authorityCountry, "a");
  const broker = tuple(content.get("b"), 3, "b");
  text(broker[0], "b");
  text(broker[1], "b");
  country(broker[2], "b");
  party(content.get("s"), "s");
  const endUser = tuple(content.get("e"), 4, "e");
  party(endUser.slice(0, 3), "e");
  if (!inRange(endUser[3], 1, END_USER_KINDS.length)) throw bad("e", "e: unknown end-user kind");
  for (const consignee of nonEmptyArray(content.get("c"), "c")) party(consignee, "c");
  if (content.has("t")) {
    for (const transit of nonEmptyArray(content.get("t"), "t")) country(transit, "t");
  }
  nonEmptyArray(content.get("g"), "g").reduce((previous, item) => goodsLine(item, previous), 0);
}

function readableParty([name, address, where]) {
  return { name, address, country: where };
}

function readableLine([line, category, quantity, unit, description, value, currency]) {
  const out = { line, description, category: CATEGORIES[category - 1], quantity, unit };
  if (value !== undefined) Object.assign(out, { value, currency });
  return out;
}

/** The registry's readable form of a content map validateContent accepted. */
export function readable(content) {
  const [a, b, e] = ["a", "b", "e"].map((key) => content.get(key));
  return {
    schema: 1,
    number: content.get("n"),
    licence_number: content.get("l"),
    authority: { name: a[0], country: a[1] },
    broker: { name: b[0], registration_number: b[1], country: b[2] },
    supplier: readableParty(content.get("s")),
    consignees: content.get("c").map(readableParty),
    end_user: { ...readableParty(e), kind: END_USER_KINDS[e[3] - 1] },
    destination: content.get("d"),
    transit: content.has("t") ? [...content.get("t")] : [],
    goods: content.get("g").map(readableLine),
    end_use: content.get("u"),
    no_reexport: true,
    dvc_required: content.has("r"),
  };
}
