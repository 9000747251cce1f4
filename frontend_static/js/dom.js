// DOM helpers shared by the citizen app and the staff console.
import { OperationFailed } from "/js/api.js";
import { formatDate, getLanguage, translate as t } from "/js/i18n.js";

export const app = () => document.getElementById("app");

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child != null && child !== false) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** replaceChildren that skips null / false (conditional parts of a screen). */
export function put(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c != null && c !== false));
}

export function field(id, label, input, hint = "") {
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  input.id = id;
  input.setAttribute("aria-describedby", `${id}-error${hint ? ` ${id}-hint` : ""}`);
  return h("p", { class: "field" }, h("label", { for: id, text: label }), hint ? h("span", { class: "hint", id: `${id}-hint`, text: hint }) : null, input, error);
}

/** Show a server refusal next to the fields it names (nothing typed is lost). */
export function showErrors(form, error, fieldIds = {}) {
  for (const el of form.querySelectorAll(".field-error")) el.hidden = true;
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const summary = form.querySelector(".form-error");
  const rest = [];
  const fields = error instanceof OperationFailed ? error.fields : [];
  for (const f of fields) {
    const id = fieldIds[f.field] || f.field;
    const box = form.querySelector(`#${CSS.escape(id)}-error`);
    if (box) {
      box.textContent = f.message;
      box.hidden = false;
      form.querySelector(`#${CSS.escape(id)}`)?.setAttribute("aria-invalid", "true");
    } else rest.push(f.message);
  }
  if (summary) {
    summary.textContent = fields.length ? rest.join("; ") : error.message || t("errorGeneric");
    summary.hidden = !summary.textContent;
  }
  (form.querySelector("[aria-invalid]") || summary)?.focus?.();
}

export function duration(seconds) {
  const abs = Math.abs(seconds);
  const days = Math.floor(abs / 86400);
  const hours = Math.floor((abs % 86400) / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const unit = (value, name) => new Intl.NumberFormat(getLanguage() === "hi" ? "hi-IN" : "en-IN",
    { style: "unit", unit: name, unitDisplay: "short" }).format(value);
  if (days) return `${unit(days, "day")} ${unit(hours, "hour")}`;
  if (hours) return `${unit(hours, "hour")} ${unit(minutes, "minute")}`;
  return unit(Math.max(minutes, 0), "minute");
}

export function clockText(g) {
  if (g.status === "AWAITING_CITIZEN") return t("pausedClock");
  if (!g.dueAt) return "";
  const left = Math.round((new Date(g.dueAt) - Date.now()) / 1000);
  return left >= 0 ? t("dueIn", getLanguage(), { time: duration(left) }) : t("overdueBy", getLanguage(), { time: duration(-left) });
}

export const statusText = (status) => t(`status_${String(status).toLowerCase()}`);
export const when = (iso) => formatDate(new Date(iso), { dateStyle: "medium", timeStyle: "short" });

