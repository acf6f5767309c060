// Sign-out on a shared PC, from any page: shipments recorded offline by the one signing out
// are sent first (the lane page sends them; elsewhere they wait for it), and only once none
// waits are this person's traces cleared: their queue entries, the kept lists, the kept
// shell. Until then sign-out does not happen, and the page says why.
import { forget, waiting } from "./store.js";

const form = document.querySelector("form[data-sign-out]");
const said = document.getElementById("sign-out-waiting");

form?.addEventListener("submit", async (event) => {
  if (form.dataset.cleared) return;
  event.preventDefault();
  const account = Number(form.dataset.account);
  if (window.laneFlush) await window.laneFlush();
  const left = await waiting(account);
  if (left) {
    said.textContent = said.dataset.text.replace("{n}", String(left));
    said.hidden = false;
    said.scrollIntoView?.();
    return;
  }
  await forget(account);
  if (window.caches) await Promise.all((await caches.keys()).map((k) => caches.delete(k)));
  form.dataset.cleared = "1";
  form.submit();
});
