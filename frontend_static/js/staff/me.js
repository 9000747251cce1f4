// The viewer's own account: their roles, two-step sign-in with an authenticator app
// (TOTP), and the page a one-time set-password link opens.
import { OperationFailed, gql } from "/js/api.js";
import { app, field, h, put, showErrors } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { send } from "/js/staff/common.js";

export function setPassword(go, token) {
  const form = h("form", { class: "card", novalidate: true }, h("h1", { text: t("setPasswordHeading") }),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    field("new-password", t("newPassword"), h("input", { type: "password", autocomplete: "new-password" }), t("passwordRules")),
    field("again-password", t("passwordAgain"), h("input", { type: "password", autocomplete: "new-password" })),
    h("button", { type: "submit", text: t("save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const password = form.querySelector("#new-password").value;
    try {
      if (password !== form.querySelector("#again-password").value) {
        throw new OperationFailed("VALIDATION", t("passwordsDiffer"), [{ field: "again-password", message: t("passwordsDiffer") }]);
      }
      await send("authSetPassword", { token: "String!", password: "String!" }, { token, password });
      put(app(), h("section", { class: "card done" }, h("h1", { text: t("passwordSet") }),
        h("p", {}, h("a", { href: "#/sign-in", text: t("signInNow") }))));
    } catch (error) {
      showErrors(form, error, { password: "new-password" });
    }
  });
  put(app(), form);
  form.querySelector("input").focus();
  return () => {};
}

export function myAccount(go) {
  const lang = getLanguage();
  const box = h("div", { id: "me" });
  put(app(), h("h1", { text: t("myAccountHeading") }), box);
  const load = async () => {
    const data = await gql(`{ viewer { kind name totpEnabled grants { role unit { code name(language: "${lang}") } } } }`);
    const v = data.viewer;
    if (v.kind !== "STAFF") return go("#/sign-in");
    put(box, h("p", { text: v.name }),
      h("h2", { text: t("myRoles") }),
      h("ul", { id: "my-roles" }, ...v.grants.map((g) => h("li", { text: `${t(`role_${g.role.toLowerCase()}`)} — ${g.unit?.name ?? ""} (${g.unit?.code ?? ""})` }))),
      totp(v.totpEnabled, load));
  };
  load();
  return () => {};
}

// Two-step sign-in: begin (the server makes a secret), show it for the authenticator
// app, confirm with a first code; or switch it off with a current code.
function totp(enabled, reload) {
  const card = h("section", { class: "card", id: "totp" }, h("h2", { text: t("totpHeading") }),
    h("p", { id: "totp-state", text: enabled ? t("totpOn") : t("totpOff") }));
  const codeForm = (label, run) => {
    const form = h("form", { novalidate: true }, h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("totp-code", t("totpCode"), h("input", { inputmode: "numeric", autocomplete: "one-time-code", maxlength: "6" })),
      h("button", { type: "submit", text: label }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await run(form.querySelector("#totp-code").value.trim());
        await reload();
      } catch (error) {
        showErrors(form, error, { code: "totp-code", totpCode: "totp-code" });
      }
    });
    return form;
  };
  if (enabled) {
    card.append(codeForm(t("totpDisable"), (code) => send("authTotpDisable", { code: "String!" }, { code })));
    return card;
  }
  const start = h("button", { type: "button", text: t("totpStart") });
  start.addEventListener("click", async () => {
    try {
      const e = await send("authTotpBegin", {}, {}, "... on TotpEnrolment { secret uri }");
      start.replaceWith(h("div", {}, h("p", { text: t("totpScan") }),
        field("totp-secret", t("totpSecret"), h("input", { readonly: true, value: e.secret, class: "mono wide" })),
        h("p", {}, h("a", { href: e.uri, text: t("totpOpenApp") })),
        codeForm(t("totpConfirm"), (code) => send("authTotpConfirm", { code: "String!" }, { code }))));
      card.querySelector("#totp-code").focus();
    } catch (error) {
      card.append(h("p", { class: "form-error", role: "alert", text: error.message }));
    }
  });
  card.append(start);
  return card;
}
