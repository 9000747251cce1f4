// The staff console's shell: the router, the navigation each role needs, the language
// switch and sign-out. What a role may do is decided by the server on every request;
// the navigation only hides screens that would be empty for the viewer.
import { gql } from "/js/api.js";
import { app, h, put } from "/js/dom.js";
import { getLanguage, setLanguage, translate as t } from "/js/i18n.js";
import { accounts } from "/js/staff/accounts.js";
import { calls } from "/js/staff/calls.js";
import { caseView } from "/js/staff/case.js";
import { categories } from "/js/staff/categories.js";
import { dashboard } from "/js/staff/dashboard.js";
import { fileForCitizen } from "/js/staff/filing.js";
import { orgImport } from "/js/staff/import.js";
import { inbox } from "/js/staff/inbox.js";
import { myAccount, setPassword } from "/js/staff/me.js";
import { orgTree } from "/js/staff/org.js";
import { routing } from "/js/staff/routing.js";
import { signIn } from "/js/staff/signin.js";
import { timeLimits } from "/js/staff/sla.js";
import "/js/staff/strings.js";

const ADMIN = ["ORG_ADMIN", "SYSTEM_ADMIN"];

function adminHub() {
  const links = [["#/org", "orgHeading"], ["#/accounts", "accountsHeading"], ["#/categories", "categoriesHeading"],
    ["#/routing", "routingHeading"], ["#/sla", "slaHeading"], ["#/import", "importHeading"]];
  put(app(), h("h1", { text: t("adminHeading") }),
    h("ul", { class: "hub", id: "admin-hub" }, ...links.map(([href, key]) => h("li", {}, h("a", { class: "card", href, text: t(key) })))));
  return () => {};
}

const VIEWS = {
  "#/sign-in": signIn, "#/calls": calls, "#/file": fileForCitizen, "#/org": orgTree, "#/admin": adminHub,
  "#/accounts": accounts, "#/categories": categories, "#/routing": routing, "#/sla": timeLimits,
  "#/import": orgImport, "#/dashboard": dashboard, "#/me": myAccount,
};

let cleanup = () => {};
function route() {
  cleanup();
  const go = (hash) => { if (location.hash === hash) route(); else location.hash = hash; };
  const hash = location.hash || "#/";
  const base = hash.split("?")[0];
  const match = hash.match(/^#\/cases\/(\d+)$/);
  const token = hash.match(/^#\/set-password\/([A-Za-z0-9_-]+)$/);
  document.querySelector("main")?.focus({ preventScroll: true });
  if (token) cleanup = setPassword(go, token[1]);
  else cleanup = VIEWS[base] ? VIEWS[base](go) : match ? caseView(go, match[1]) : inbox(go);
  if (base !== "#/sign-in" && !token) showRoleLinks();
}

// The links a viewer's roles use; every link shows until the viewer is known.
async function showRoleLinks() {
  const viewer = (await gql("{ viewer { kind grants { role } } }").catch(() => null))?.viewer;
  if (!viewer || viewer.kind !== "STAFF") return;
  const roles = new Set(viewer.grants.map((g) => g.role));
  for (const link of document.querySelectorAll("[data-roles]")) {
    link.hidden = !link.dataset.roles.split(" ").some((r) => roles.has(r) || (r === "ADMIN" && ADMIN.some((a) => roles.has(a))));
  }
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
