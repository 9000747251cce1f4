// Staff sign-in: username and password, then the authenticator code when the account
// has two-step sign-in (the server asks for it with TOTP_REQUIRED).
import { gql, unwrap } from "/js/api.js";
import { app, field, h, put, showErrors } from "/js/dom.js";
import { translate as t } from "/js/i18n.js";

export function signIn(go) {
  const code = field("totpCode", t("totpCode"), h("input", { inputmode: "numeric", autocomplete: "one-time-code", maxlength: "6" }));
  code.hidden = true;
  const form = h("form", { class: "card", novalidate: true },
    h("h1", { text: t("staffTitle") }),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    field("username", t("usernameLabel"), h("input", { autocomplete: "username", required: true })),
    field("password", t("passwordLabel"), h("input", { type: "password", autocomplete: "current-password", required: true })),
    code,
    h("button", { type: "submit", text: t("verify") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      unwrap((await gql(`mutation($u: String!, $p: String!, $c: String) { authSignInPassword(username: $u, password: $p, totpCode: $c) {
        __typename ... on SignInSuccess { expiresAt } ... on OperationError { code message fields { field message } } } }`,
      { u: form.querySelector("#username").value.trim(), p: form.querySelector("#password").value,
        c: code.hidden ? null : form.querySelector("#totpCode").value.trim() })).authSignInPassword);
      go("#/");
    } catch (error) {
      if (error.code === "TOTP_REQUIRED") code.hidden = false;
      showErrors(form, error);
    }
  });
  put(app(), form);
  form.querySelector("input").focus();
  return () => {};
}
