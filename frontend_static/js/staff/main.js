// The staff console's shell: the router, the language switch and sign-out.
import { gql } from "/js/api.js";
import { getLanguage, setLanguage, translate as t } from "/js/i18n.js";
import { calls } from "/js/staff/calls.js";
import { caseView } from "/js/staff/case.js";
import { fileForCitizen } from "/js/staff/filing.js";
import { inbox } from "/js/staff/inbox.js";
import { orgTree } from "/js/staff/org.js";
import { signIn } from "/js/staff/signin.js";
import "/js/staff/strings.js";

let cleanup = () => {};
function route() {
  cleanup();
  const go = (hash) => { if (location.hash === hash) route(); else location.hash = hash; };
  const hash = location.hash || "#/";
  const match = hash.match(/^#\/cases\/(\d+)$/);
  const base = hash.split("?")[0];
  const views = { "#/sign-in": signIn, "#/calls": calls, "#/file": fileForCitizen, "#/org": orgTree };
  cleanup = views[base] ? views[base](go) : match ? caseView(go, match[1]) : inbox(go);
}

function renderStrings() {
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === getLanguage()));
  document.title = t("staffTitle");
}

for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
document.addEventListener("app:languagechange", () => { renderStrings(); route(); });
document.getElementById("sign-out")?.addEventListener("click", async () => {
  await gql("mutation { authSignOut { __typename } }").catch(() => {});
  location.hash = "#/sign-in";
});
window.addEventListener("hashchange", route);
renderStrings();
route();
