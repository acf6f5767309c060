// Verdicts in the page's language, from the web app's one table of codes (i18n/verdicts.py),
// sent into the page: the same words as the server's pages.
export function fill(template, values) {
  return String(template).replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

export function when(epoch) {
  const moment = new Date(epoch * 1000);
  if (Number.isNaN(moment.getTime())) return `epoch second ${epoch}`;
  return `${moment.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function age(table, seconds) {
  const s = Math.max(0, Math.trunc(seconds));
  if (s < 3600) return fill(table.ages.min, { n: Math.floor(s / 60) });
  if (s < 2 * 86400) return fill(table.ages.h, { n: Math.floor(s / 3600) });
  return fill(table.ages.days, { n: Math.floor(s / 86400) });
}

/** A reason or warning code and its parameters, as i18n/verdicts.reason_text says it. */
export function reasonText(table, code, params = {}) {
  const message = table.reasons[code];
  if (message === undefined) return code;
  const moment = ["at", "exp", "nbf", "iat"].map((k) => params[k])
    .find((v) => Number.isInteger(v));
  const why = table.revocation_reasons[String(params.revocation_reason)]
    ?? String(params.revocation_reason ?? "");
  const named = Object.fromEntries(["iss", "signer_authority", "authority", "name"]
    .map((key) => [key, params[key] ?? ""]));
  const text = fill(message, { ...named, kid: params.kid ?? "", sequence: params.sequence ?? "",
    seconds: params.seconds ?? "", why, when: moment === undefined ? "" : when(moment),
    age: age(table, params.seconds ?? 0) });
  return params.note ? `${text.slice(0, -1)}: ${params.note}` : text;
}
