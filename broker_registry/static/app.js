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

// "Add another" rows (goods lines, beneficial owners): without a script each button sends the
// form and the server answers with a row more or less; with one, the row is added or removed
// here. Row i's controls end in _i; numbers people read are i + 1.
function renumber(row, index) {
  for (const element of row.querySelectorAll("[id], [for], [aria-describedby]")) {
    for (const attribute of ["id", "for", "aria-describedby"]) {
      const value = element.getAttribute(attribute);
      if (value) element.setAttribute(attribute, value.replace(/_\d+(-error)?$/, `_${index}$1`));
    }
  }
  for (const text of row.querySelectorAll("legend, label, [data-remove-row]")) {
    const node = [...text.childNodes].find((n) => n.nodeType === 3 && /\d+/.test(n.textContent));
    if (node) node.textContent = node.textContent.replace(/\d+/, String(index + 1));
  }
  const remove = row.querySelector("[data-remove-row]");
  if (remove) remove.value = String(index);
}

function refreshRows(container) {
  const rows = [...container.querySelectorAll("[data-row]")];
  rows.forEach((row, index) => {
    renumber(row, index);
    const remove = row.querySelector("[data-remove-row]");
    if (remove) remove.hidden = rows.length < 2;
  });
}

function blank(row) {
  for (const error of row.querySelectorAll(".error")) error.remove();
  for (const field of row.querySelectorAll(".invalid")) field.classList.remove("invalid");
  for (const control of row.querySelectorAll("input, select, textarea")) {
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
    if (control.tagName === "SELECT") control.selectedIndex = 0;
    else control.value = "";
  }
}

function enhanceRows() {
  for (const add of document.querySelectorAll("[data-add-row]")) {
    const container = document.querySelector(`[data-rows='${add.dataset.addRow}']`);
    if (!container) continue;
    add.addEventListener("click", (event) => {
      event.preventDefault();
      const rows = container.querySelectorAll("[data-row]");
      const row = rows[rows.length - 1].cloneNode(true);
      blank(row);
      container.append(row);
      refreshRows(container);
      row.querySelector("input, select").focus();
    });
    container.addEventListener("click", (event) => {
      const remove = event.target.closest("[data-remove-row]");
      if (!remove) return;
      event.preventDefault();
      const row = remove.closest("[data-row]");
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      refreshRows(container);
      (next && next.querySelector("input, select") || add).focus();
    });
  }
}

// A long checkbox list (transit countries) gets a box that narrows it as one types.
function enhanceFilters() {
  for (const box of document.querySelectorAll("[data-filter]")) {
    const list = document.getElementById(box.dataset.filter);
    const input = box.querySelector("input");
    box.hidden = false;
    input.addEventListener("input", () => {
      const wanted = input.value.trim().toLocaleLowerCase();
      for (const label of list.querySelectorAll("label")) {
        const checked = label.querySelector("input").checked;
        label.hidden = wanted !== "" && !checked &&
          !label.textContent.toLocaleLowerCase().includes(wanted);
      }
    });
  }
}

// On a phone the navigation folds into a Menu button (without a script it stays open).
function enhanceMenu() {
  const nav = document.querySelector("[data-menu]");
  if (!nav) return;
  const toggle = nav.querySelector(".menu-toggle");
  nav.classList.add("menu-folds");
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("menu-open", open);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  enhanceMenu();
  enhanceErrorSummary();
  enhanceRows();
  enhanceFilters();
});
