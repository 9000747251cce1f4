// Accounts (org admins): a unit's people and their roles; create an account and hand
// over its one-time set-password link; grant and revoke roles; deactivate with the
// pending work's destination previewed before it is confirmed.
import { gql } from "/js/api.js";
import { app, field, h, put, showErrors, when } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { ROLES, send, unitChooser, unitPicker } from "/js/staff/common.js";

const MEMBERS = `query($id: ID!) { unit(id: $id) { id code name(language: "LANG") members { id username fullName designation
  active hasPassword roles { id role active unit { id code name(language: "LANG") } } } } }`;

function roleSelect() {
  return h("select", {}, ...ROLES.map((r) => h("option", { value: r, text: t(`role_${r.toLowerCase()}`) })));
}

/** The one-time link, shown once, with a button that copies it. */
function linkBox(url, expiresAt) {
  const input = h("input", { readonly: true, value: url, id: "set-password-url", class: "wide" });
  return h("div", { class: "notice", role: "status" }, h("p", { text: t("linkOnce") }),
    field("set-password-url", t("setPasswordLink"), input, t("linkExpires", getLanguage(), { when: when(expiresAt) })),
    h("button", { type: "button", class: "secondary", text: t("copyLink"), onclick: () => navigator.clipboard?.writeText(url) }));
}

export function accounts() {
  const lang = getLanguage();
  const list = h("div", { id: "members" });
  const desk = h("div", { id: "account-desk" });
  let unit = null;
  let loads = 0;
  const chooser = unitChooser("acc-unit", (id) => load(id));
  put(app(), h("h1", { text: t("accountsHeading") }), chooser.el, desk, list);

  const load = async (id) => {
    if (!id) return;
    const ticket = ++loads;
    const found = (await gql(MEMBERS.replaceAll("LANG", lang), { id })).unit;
    if (!found || ticket !== loads) return; // a later choice superseded this one
    unit = found;
    put(desk, createForm());
    put(list, h("h2", { text: `${unit.name} (${unit.code})` }),
      unit.members.length ? h("ul", { class: "grievance-list" }, ...unit.members.map(member)) : h("p", { text: t("noMembers") }));
  };

  const member = (m) => h("li", { class: "card" },
    h("p", {}, h("strong", { text: m.fullName }), ` — ${m.username}${m.designation ? `, ${m.designation}` : ""}`,
      m.active ? "" : ` — ${t("inactive")}`, m.hasPassword ? "" : ` — ${t("noPasswordYet")}`),
    h("ul", {}, ...m.roles.filter((r) => r.active).map((r) => h("li", {}, `${t(`role_${r.role.toLowerCase()}`)} — ${r.unit?.name ?? ""} `,
      m.active ? h("button", { type: "button", class: "link", text: t("revokeRole"), "aria-label": `${t("revokeRole")}: ${m.username} ${r.role}`,
        onclick: () => act(() => send("accountRevokeRole", { grantId: "ID!" }, { grantId: r.id })) }) : null))),
    m.active ? h("p", { class: "row-actions" },
      h("button", { type: "button", class: "secondary", text: t("newLink"), onclick: () => reissue(m) }),
      h("button", { type: "button", class: "secondary", text: t("grantRole"), onclick: () => grant(m) }),
      h("button", { type: "button", class: "secondary", text: t("deactivate"), onclick: () => deactivate(m) })) : null);

  const act = async (run) => {
    try {
      await run();
      await load(unit.id);
    } catch (error) {
      put(desk, h("p", { class: "form-error", role: "alert", text: error.message }));
    }
  };

  const reissue = async (m) => {
    try {
      const r = await send("accountReissueLink", { accountId: "ID!" }, { accountId: m.id },
        "... on SetPasswordLinkIssued { setPasswordUrl expiresAt }");
      put(desk, h("h2", { text: m.username }), linkBox(r.setPasswordUrl, r.expiresAt));
    } catch (error) {
      put(desk, h("p", { class: "form-error", role: "alert", text: error.message }));
    }
  };

  const grant = (m) => {
    const role = roleSelect();
    const where = unitPicker();
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: `${t("grantRole")}: ${m.username}` }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("grant-role", t("roleLabel"), role), field("grant-find", t("filterSearch"), where.search),
      field("grant-unit", t("unitLabel"), where.select), h("button", { type: "submit", text: t("grantRole") }));
    where.select.append(h("option", { value: unit.id, text: `${unit.name} (${unit.code})`, selected: true }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await send("accountGrantRole", { accountId: "ID!", unitId: "ID!", role: "Role!" },
          { accountId: m.id, unitId: where.select.value, role: role.value });
        await load(unit.id);
      } catch (error) {
        showErrors(form, error, { unitId: "grant-unit", role: "grant-role" });
      }
    });
    put(desk, form);
    role.focus();
  };

  const deactivate = (m) => {
    const successor = h("select", {}, h("option", { value: "", text: t("nobody") }),
      ...unit.members.filter((o) => o.active && o.id !== m.id).map((o) => h("option", { value: o.id, text: `${o.fullName} (${o.username})` })));
    const preview = h("div", { class: "preview", role: "status", "aria-live": "polite" });
    const confirm = h("button", { type: "button", text: t("orgConfirm"), hidden: true });
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: `${t("deactivate")}: ${m.username}` }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("successor", t("successorLabel"), successor, t("successorHint")),
      h("button", { type: "submit", text: t("orgPreview") }), preview, confirm);
    const run = (dryRun) => send("accountDeactivate", { accountId: "ID!", dryRun: "Boolean!", successorAccountId: "ID" },
      { accountId: m.id, dryRun, successorAccountId: successor.value || null },
      "... on AccountDeactivationPlan { sessionsRevoked membershipsDeactivated pendingItemsMoved successorUsername pendingItems }");
    const ids = { successorUserId: "successor", successorAccountId: "successor" };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const plan = await run(true);
        put(preview, h("p", { id: "deactivate-plan", text: t("deactivatePlan", lang, { sessions: plan.sessionsRevoked,
          roles: plan.membershipsDeactivated, pending: plan.pendingItemsMoved, to: plan.successorUsername || "—" }) }),
        plan.pendingItems.length ? h("p", { text: plan.pendingItems.join(", ") }) : null);
        confirm.hidden = false;
        confirm.focus();
      } catch (error) {
        confirm.hidden = true;
        showErrors(form, error, ids);
      }
    });
    confirm.addEventListener("click", async () => {
      try {
        await run(false);
        await load(unit.id);
        put(desk, h("p", { class: "notice", role: "status", text: t("done") }));
      } catch (error) {
        showErrors(form, error, ids);
      }
    });
    put(desk, form);
    successor.focus();
  };

  const createForm = () => {
    const role = roleSelect();
    const language = h("select", {}, h("option", { value: "en", text: "English" }), h("option", { value: "hi", text: "हिन्दी" }));
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: t("createAccount") }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("acc-username", t("usernameLabel"), h("input", { autocomplete: "off" })),
      field("acc-fullName", t("fullNameLabel"), h("input", { autocomplete: "off" })),
      field("acc-designation", t("designationLabel"), h("input", { autocomplete: "off" })),
      field("acc-mobile", t("mobileLabel"), h("input", { inputmode: "numeric", maxlength: "10", autocomplete: "off" })),
      field("acc-email", t("emailLabel"), h("input", { type: "email", autocomplete: "off" })),
      field("acc-language", t("languageForCitizen"), language),
      field("acc-role", t("roleLabel"), role),
      h("button", { type: "submit", text: t("createAccount") }));
    const value = (id) => form.querySelector(`#acc-${id}`).value;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const made = await send("accountCreate", { input: "AccountCreateInput!" }, { input: {
          username: value("username"), fullName: value("fullName"), designation: value("designation"),
          mobile: value("mobile"), email: value("email"), language: language.value,
          memberships: [{ unitId: unit.id, role: role.value }] } },
        "... on AccountCreated { setPasswordUrl expiresAt account { username } }");
        await load(unit.id);
        put(desk, h("h2", { text: made.account.username }), linkBox(made.setPasswordUrl, made.expiresAt));
      } catch (error) {
        showErrors(form, error, { username: "acc-username", fullName: "acc-fullName", designation: "acc-designation",
          mobile: "acc-mobile", email: "acc-email", "memberships[0].role": "acc-role" });
      }
    });
    return form;
  };
  return () => {};
}
