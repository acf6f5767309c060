// The border lane: scan after scan. Each code is verified here first, with the lists kept on
// this device (docs/spec/euc-qr.md), then, when the registry answers, with the registry's live
// state; the field is emptied and focused after every verdict, ready for the next scan.
import { verifyFederated } from "../js/euc1/index.js";
import { Lists } from "./lists.js";
import { paintVerdict, trustedDetail, UNTRUSTED, untrustedDetail } from "./render.js";
import { Shipments } from "./shipments.js";
import { age, fill } from "./words.js";

const REFRESH_SECONDS = 60;
const config = JSON.parse(document.getElementById("lane-config").textContent);
const form = document.getElementById("scan-form");
const field = document.getElementById("payload");
const banner = document.getElementById("verdict");
const detail = document.getElementById("lane-detail");
const shipArea = document.getElementById("lane-ship-area");
const listsStatus = document.getElementById("lane-lists");
const lists = new Lists(config);
const shipments = new Shipments(config, { area: shipArea, list: document.getElementById("lane-queue"),
  banner, refocus: ready });
let scans = 0; // the newest scan: an older scan's late answer paints nothing

function ready() {
  field.value = "";
  field.focus();
}

function fromDevice(answer) {
  const now = Date.now() / 1000;
  return { result: answer.result, reasonCode: answer.reasonCode, reasonParams: answer.reasonParams,
    warnings: [...answer.warnings, ...lists.warnings(now)], content: answer.content,
    remaining: null, source: "device", listsAge: lists.ageSeconds(now), text: answer.text };
}

function fromRegistry(answer) {
  return { result: answer.result, reasonCode: answer.reason_code,
    reasonParams: answer.reason_params, warnings: answer.warning_codes, content: answer.certificate,
    remaining: answer.remaining.length ? answer.remaining : null, source: "registry" };
}

async function ask(url, options = {}) {
  const response = await fetch(url, { credentials: "same-origin", redirect: "manual",
    ...options, headers: { Accept: "application/json", "X-CSRFToken": config.csrf,
      ...(options.headers ?? {}) } });
  if (response.status === 404) return null;
  if (!response.ok || !(response.headers.get("Content-Type") ?? "").includes("json")) {
    throw new TypeError(`not answered (${response.status})`);
  }
  return response.json();
}

async function registryRecord(number) {
  try {
    return await ask(config.urls.record.replace("NUMBER", encodeURIComponent(number)));
  } catch {
    return undefined; // offline: the untrusted content is shown alone
  }
}

async function showDetail(view, scan) {
  shipArea.replaceChildren();
  if (!view.content) {
    detail.replaceChildren();
    return;
  }
  if (UNTRUSTED.includes(view.result)) {
    detail.replaceChildren(untrustedDetail(view.content, undefined, config));
    const record = navigator.onLine ? await registryRecord(view.content.number) : undefined;
    if (scan === scans && record !== undefined) {
      detail.replaceChildren(untrustedDetail(view.content, record, config));
    }
    return;
  }
  detail.replaceChildren(trustedDetail(view.content, config));
  if (view.result === "VALID" && config.can_ship) {
    const lines = view.remaining ?? view.content.goods.map((g) => ({ line: g.line,
      licensed: g.quantity, left: null }));
    // A partner's certificate: the code goes with the shipment, for the registry to verify
    // it again and tell its issuer (docs/spec/federation.md section 4).
    shipments.form(view.content.number, lines, abroad(view) ? view.text : null);
  }
}

function abroad(view) {
  return view.warnings.some((w) => w.code === "issued_abroad");
}

function paint(view, scan) {
  if (scan !== scans) return;
  document.getElementById("server-answer")?.remove();
  paintVerdict(banner, { ...view, scan }, config);
  showDetail(view, scan);
}

/** One scanned code: verified on this device, then (online) by the registry. */
async function check(text) {
  const scan = ++scans;
  ready();
  if (!text) return;
  if (lists.ready) {
    const now = Date.now() / 1000;
    const answer = await verifyFederated(text, lists.federation, { now });
    paint(fromDevice({ ...answer, text }), scan);
  }
  let answer = null;
  try {
    answer = await ask(config.urls.check, { method: "POST",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ payload: text }) });
  } catch {
    if (!lists.ready && scan === scans) {
      banner.className = "verdict";
      banner.replaceChildren(config.words.no_lists);
      banner.hidden = false;
    }
    return;
  }
  if (answer) paint({ ...fromRegistry(answer), text }, scan);
}

function showLists() {
  const now = Date.now() / 1000;
  if (!lists.ready) {
    listsStatus.textContent = config.words.lists_none;
    listsStatus.className = "lane-lists stale";
    return;
  }
  const stale = lists.revocations.staleSeconds(now);
  listsStatus.className = stale ? "lane-lists stale" : "lane-lists";
  listsStatus.textContent = fill(config.words.lists_age, { age: age(config.table,
    lists.ageSeconds(now)), sequence: lists.revocations.sequence }) +
    (stale ? ` ${fill(config.words.lists_stale, { age: age(config.table, stale) })}` : "");
}

async function refresh() {
  try {
    await lists.refresh();
  } catch {
    // offline, or the registry did not answer: the lists held stay, their age says so
  }
  showLists();
}

async function online() {
  await refresh();
  await shipments.flush();
}

field.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    check(field.value.trim());
  } else if (event.key === "Escape") {
    ready();
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && event.target !== field) ready();
});
form.addEventListener("submit", (event) => {
  if (form.elements.image?.files?.length) return; // a photo: the registry reads it
  event.preventDefault();
  check(field.value.trim());
});
document.getElementById("scan-next").hidden = false;
document.getElementById("scan-next").addEventListener("click", ready);
window.laneFlush = () => shipments.flush(); // sign-out sends first (signout.js)
window.addEventListener("online", online);
window.laneCheck = check; // the camera hands its code here (customs.js)

await lists.load();
showLists();
await shipments.show();
async function install() {
  if (!("serviceWorker" in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register(config.urls.worker,
      { scope: config.urls.scope });
    const worker = registration.active ?? (await navigator.serviceWorker.ready).active;
    navigator.serviceWorker.addEventListener("message", (event) => {
      // every file of the page kept: it opens on this device without a network
      if (event.data?.kept === event.data?.asked) {
        document.documentElement.dataset.offline = "kept";
      }
    });
    const loaded = performance.getEntriesByType("resource").map((e) => e.name)
      .filter((u) => new URL(u).pathname.startsWith("/static/"));
    worker.postMessage({ keep: [location.pathname, ...loaded] });
  } catch {
    // without a service worker the page still verifies; it only cannot open offline
  }
}
install();
window.setInterval(online, REFRESH_SECONDS * 1000); // lists refreshed, waiting ones sent
await online();
document.documentElement.dataset.lane = "ready";
