// What the lane page paints: the verdict banner, and below it the content to compare with
// the cargo, or, for a code that did not verify, its content marked as untrusted beside the
// registry's own record with the differences marked.
import { age, fill, reasonText } from "./words.js";

export const UNTRUSTED = ["BAD_SIGNATURE", "UNKNOWN_SIGNER", "MALFORMED"];

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, value);
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return element;
}

function country(config, code) {
  return config.countries[code] ?? String(code ?? "—");
}

function destination(config, content) {
  const to = country(config, content.destination);
  const via = (content.transit ?? []).map((c) => country(config, c)).join(", ");
  return via ? fill(config.words.via, { destination: to, countries: via }) : to;
}

function leftOf(config, content, remaining, abroad) {
  const w = config.words;
  if (!remaining) {
    // a partner's certificate: what is left is known only to its registry (the warning says)
    const word = abroad ? w.line_abroad : w.line_unknown;
    return (content.goods ?? []).map((g) => fill(word, { line: g.line, licensed: g.quantity }))
      .join("; ");
  }
  return remaining.map((r) => fill(w.line_left, { line: r.line, left: r.left,
    licensed: r.licensed })).join("; ");
}

/** The banner: the verdict, why, the certificate at a glance, what to do, and how checked. */
export function paintVerdict(section, view, config) {
  const { table, words: w } = config;
  const facts = [];
  if (view.content && !UNTRUSTED.includes(view.result)) {
    facts.push(h("dl", { class: "verdict-facts" },
      h("dt", {}, w.certificate), h("dd", {}, view.content.number),
      h("dt", {}, w.broker), h("dd", {}, view.content.broker?.name ?? "—"),
      h("dt", {}, w.destination), h("dd", {}, destination(config, view.content)),
      h("dt", {}, w.left), h("dd", {}, leftOf(config, view.content, view.remaining,
        view.warnings.some((x) => x.code === "issued_abroad")))));
  }
  const action = table.actions[view.result];
  const checked = view.source === "registry" ? w.checked_registry
    : fill(w.checked_device, { age: age(table, view.listsAge ?? 0) });
  section.className = `verdict verdict-${view.result}`;
  section.dataset.result = view.result;
  section.dataset.source = view.source;
  section.dataset.scan = view.scan ?? "";
  section.replaceChildren(...[
    h("p", { class: "verdict-word" }, table.verdicts[view.result] ?? view.result),
    h("p", { class: "verdict-reason" }, reasonText(table, view.reasonCode, view.reasonParams)),
    ...facts,
    action ? h("p", { class: "verdict-action" }, fill(action, { phone: config.phone })) : null,
    ...view.warnings.map((x) => h("p", { class: "verdict-warning" },
      reasonText(table, x.code, x.params))),
    h("p", { class: "verdict-source" }, checked)].filter(Boolean));
  section.hidden = false;
}

/** The banner when a shipment was refused: nothing was recorded, and why. */
export function paintRefused(section, detail, config) {
  section.className = "verdict verdict-refused";
  section.dataset.result = "NOT_RECORDED";
  section.replaceChildren(h("p", { class: "verdict-word" }, config.words.not_recorded),
    h("p", { class: "verdict-reason" }, detail));
}

function party(config, p) {
  return p ? `${p.name}, ${p.address} (${country(config, p.country)})` : "—";
}

/** The content as rows of [label, value], in the order the paper shows it. */
export function factsOf(content, config) {
  const w = config.words;
  const goods = (content.goods ?? []).map((g) => [fill(w.line, { line: g.line }),
    `${g.description} · ${g.category} · ${g.quantity} ${g.unit ?? ""}`.trim()]);
  return [
    [w.certificate, content.number], [w.licence, content.licence_number],
    [w.broker, content.broker ? `${content.broker.name} · ${content.broker.registration_number} · ${
      country(config, content.broker.country)}` : "—"],
    [w.supplier, party(config, content.supplier)],
    [w.consignee, (content.consignees ?? []).map((p) => party(config, p)).join("; ")],
    [w.end_user, party(config, content.end_user)],
    [w.destination, destination(config, content)], [w.end_use, content.end_use ?? "—"],
    ...goods,
  ];
}

function factList(rows, differs = null, config = null) {
  return h("dl", { class: "facts" }, rows.flatMap(([label, value], i) => {
    const different = differs && differs[i];
    return [h("dt", {}, label), h("dd", different ? { class: "differs" } : {},
      String(value ?? "—"), different ? h("strong", { class: "differs-tag" },
        ` ${config.words.differs}`) : null)];
  }));
}

/** Content that verified: to compare with the cargo and the papers. */
export function trustedDetail(content, config) {
  return h("section", { "aria-labelledby": "lane-content-title" },
    h("h2", { id: "lane-content-title" }, config.words.compare_title),
    factList(factsOf(content, config)));
}

/** Content that did not verify, visibly apart; the registry's record beside it when known. */
export function untrustedDetail(content, record, config) {
  const w = config.words;
  const claimed = factsOf(content, config);
  const theirs = record ? factsOf(record.content, config) : null;
  const differs = theirs && claimed.map(([, v], i) => theirs[i]?.[1] !== v);
  const boxes = [h("section", { class: "untrusted", "aria-labelledby": "untrusted-title" },
    h("h2", { id: "untrusted-title" }, w.untrusted_title),
    h("p", { class: "untrusted-warning" }, w.untrusted_hint), factList(claimed, differs, config))];
  if (record === null) {
    boxes.push(h("section", { class: "registry-record" }, h("h2", {}, w.registry_title_none),
      h("p", {}, fill(w.registry_none, { number: content.number }))));
  } else if (record) {
    boxes.push(h("section", { class: "registry-record", "aria-labelledby": "record-title" },
      h("h2", { id: "record-title" }, fill(w.registry_title, { number: record.number })),
      factList(theirs, theirs.map(([, v], i) => claimed[i]?.[1] !== v), config)));
  }
  return h("div", { class: "compare" }, ...boxes);
}
