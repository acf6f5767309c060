// Recording a shipment from the lane: sent at once with an Idempotency-Key when the registry
// answers; otherwise kept in IndexedDB ("waiting to send") and sent when the connection
// returns, marked X-Queued-At, so that one refused on arrival is flagged to regulators.
import { fill } from "./words.js";
import { h, paintRefused } from "./render.js";
import { queue } from "./store.js";

const ANSWERS = [404, 409, 422];

export class Shipments {
  constructor(config, { area, list, banner, refocus }) {
    Object.assign(this, { config, area, list, banner, refocus, sending: false });
  }

  url(number) {
    return this.config.urls.ship.replace("NUMBER", encodeURIComponent(number));
  }

  /** The form for a certificate that verified: one fieldset per line with something left. */
  form(number, lines, payload = null) {
    const w = this.config.words;
    const post = localStorage.getItem("lane-border-post") ?? "";
    const fields = lines.filter((l) => l.left === null || l.left > 0).map((l) => {
      const q = `lane-quantity_${l.line}`;
      const m = `lane-markings_${l.line}`;
      const legend = l.left === null ? fill(w.line_offline, { line: l.line, licensed: l.licensed })
        : fill(w.line_legend, { line: l.line, left: l.left });
      return h("fieldset", { "data-line": l.line }, h("legend", {}, legend),
        h("div", { class: "field" }, h("label", { for: q }, w.quantity),
          h("input", { id: q, name: q, type: "number", min: "1", inputmode: "numeric" })),
        h("div", { class: "field" }, h("label", { for: m }, w.markings),
          h("textarea", { id: m, name: m, rows: "2" })));
    });
    const form = h("form", { id: "lane-ship", novalidate: "" },
      h("div", { class: "field" }, h("label", { for: "lane-border_post" }, w.border_post),
        h("input", { id: "lane-border_post", name: "border_post", required: "", value: post })),
      ...fields, h("p", { class: "error", id: "lane-ship-error", hidden: "" }),
      h("button", { type: "submit" }, w.record));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit(form, number, payload);
    });
    this.area.replaceChildren(h("section", { "aria-labelledby": "lane-ship-title" },
      h("h2", { id: "lane-ship-title" }, w.ship_title), form));
  }

  body(form) {
    const lines = [];
    for (const set of form.querySelectorAll("fieldset[data-line]")) {
      const line = Number(set.dataset.line);
      const quantity = set.querySelector("input").value.trim();
      const markings = set.querySelector("textarea").value.split(/[\n,]/).map((m) => m.trim())
        .filter(Boolean);
      if (quantity) {
        lines.push({ line, quantity: Number(quantity), markings: markings.length ? markings : null });
      }
    }
    return { border_post: form.elements.border_post.value.trim(), lines };
  }

  async submit(form, number, payload) {
    const body = this.body(form);
    if (payload) body.payload = payload;
    const w = this.config.words;
    this.clearErrors(form);
    if (!body.border_post || !body.lines.length) {
      if (!body.border_post) this.fieldError(form, "lane-border_post", w.border_post_missing);
      if (!body.lines.length) {
        this.fieldError(form, form.querySelector("fieldset input")?.id, w.quantity_missing);
      }
      return;
    }
    localStorage.setItem("lane-border-post", body.border_post);
    const item = { key: crypto.randomUUID(), account: this.config.account, number, body,
      queuedAt: null, state: "waiting" };
    let answer;
    try {
      answer = await this.send(item);
    } catch {
      item.queuedAt = new Date().toISOString(); // the registry did not answer: keep it
      await queue.put(item);
      this.area.replaceChildren(h("p", { class: "flash" },
        fill(this.config.words.queued, { number })));
      await this.show();
      this.refocus();
      return;
    }
    if (answer.ok) {
      this.area.replaceChildren(h("p", { class: "flash", role: "status" },
        fill(this.config.words.recorded, { number })));
      this.refocus();
      return;
    }
    this.refusedInForm(form, answer.problem, body);
  }

  /** One POST; a network failure throws, an answer is {ok, problem}. */
  async send(item) {
    const headers = { "Content-Type": "application/json", "X-CSRFToken": this.config.csrf,
      "Idempotency-Key": item.key, Accept: "application/json" };
    if (item.queuedAt) headers["X-Queued-At"] = item.queuedAt;
    const response = await fetch(this.url(item.number), { method: "POST", headers,
      body: JSON.stringify(item.body), credentials: "same-origin", redirect: "manual" });
    const json = (response.headers.get("Content-Type") ?? "").includes("json");
    // Only a decision on the shipment itself is an answer: recorded, or refused (404 no such
    // certificate, 409 the certificate's state, 422 the lines). Anything else (signed out,
    // the form's token, a busy or failing server) is tried again later.
    if (!json || !(response.ok || ANSWERS.includes(response.status))) {
      throw new TypeError(`not answered (${response.status})`);
    }
    return { ok: response.ok, problem: response.ok ? null : await response.json() };
  }

  clearErrors(form) {
    form.querySelectorAll(".field > .error").forEach((e) => e.remove());
    form.querySelectorAll(".invalid").forEach((e) => e.classList.remove("invalid"));
    form.querySelectorAll("[aria-invalid]").forEach((e) => {
      e.removeAttribute("aria-invalid");
      e.removeAttribute("aria-describedby");
    });
  }

  /** An error on its field, as the server's forms show one (GOV.UK error message). */
  fieldError(form, id, text) {
    const input = id && form.querySelector(`#${id}`);
    if (!input) return;
    const message = h("p", { class: "error", id: `${id}-error` }, text);
    input.closest(".field").classList.add("invalid");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", message.id);
    input.after(message);
    if (!form.querySelector("[aria-invalid=true]:focus")) input.focus();
  }

  refusedInForm(form, problem, body) {
    paintRefused(this.banner, problem.detail, this.config);
    const error = form.querySelector("#lane-ship-error");
    error.textContent = fill(this.config.words.not_recorded_detail, { detail: problem.detail });
    error.hidden = false;
    for (const over of problem.lines ?? []) {
      this.fieldError(form, `lane-quantity_${over.line}`, fill(this.config.words.over, over));
    }
    for (const { field, message } of problem.errors ?? []) { // "lines.0.quantity", "border_post"
      const [top, index, part] = field.split(".");
      const line = top === "lines" ? body.lines[Number(index)]?.line : null;
      const kind = part === "markings" ? "markings" : "quantity";
      this.fieldError(form, line ? `lane-${kind}_${line}` : `lane-${top}`, message);
    }
  }

  /** Send what waits, oldest first; each refusal is kept, shown and (server side) flagged. */
  async flush() {
    if (this.sending) return;
    this.sending = true;
    try {
      const waiting = (await this.mine()).filter((i) => i.state === "waiting")
        .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
      for (const item of waiting) {
        let answer;
        try {
          answer = await this.send(item);
        } catch {
          break; // still offline: try again when the connection returns
        }
        if (answer.ok) await queue.remove(item.key);
        else await queue.put({ ...item, state: "refused", detail: answer.problem.detail,
          flagged: answer.problem.flagged === true });
      }
    } finally {
      this.sending = false;
      await this.show();
    }
  }

  /** This officer's shipments: another's, left on a shared PC, wait for them to sign in. */
  async mine() {
    return (await queue.all()).filter((i) => i.account === this.config.account);
  }

  /** The queue as the officer sees it: waiting to send, or refused on arrival. */
  async show() {
    const w = this.config.words;
    const items = await this.mine();
    const rows = items.map((i) => {
      const lines = i.body.lines.map((l) => fill(w.line_quantity, l)).join(", ");
      const what = fill(w.queued_item, { number: i.number, lines, post: i.body.border_post });
      if (i.state === "waiting") {
        return h("li", { class: "waiting", "data-key": i.key }, what, " — ",
          h("strong", {}, w.waiting));
      }
      const dismiss = h("button", { type: "button", class: "secondary" }, w.dismiss);
      dismiss.addEventListener("click", async () => {
        await queue.remove(i.key);
        await this.show();
      });
      return h("li", { class: "refused", "data-key": i.key }, what, " — ",
        h("strong", {}, w.refused_on_arrival), ` ${i.detail} `,
        i.flagged ? w.flagged : "", " ", dismiss);
    });
    this.list.replaceChildren(...(rows.length ? [h("h2", {}, w.queue_title),
      h("ul", { class: "queue" }, ...rows)] : []));
    this.list.hidden = rows.length === 0;
  }
}
