// Progressive enhancement for every page; each page works without it.
"use strict";

// GOV.UK's error summary: focused on arrival, and each link focuses its field (for a group,
// its first control) with the field's label in view.
function enhanceErrorSummary() {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const target = document.getElementById(link.hash.slice(1));
    if (!target) return;
    event.preventDefault();
    const control = target.matches("input, select, textarea, button")
      ? target : target.querySelector("input:not([type=hidden]), select, textarea") || target;
    const label = document.querySelector(`label[for='${control.id}']`) || control;
    label.scrollIntoView();
    control.focus({ preventScroll: true });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  enhanceErrorSummary();
});
