// Staff sign-in: username and password.
import { gql, unwrap } from "/js/api.js";
import { app, field, h, put, showErrors } from "/js/dom.js";
import { translate as t } from "/js/i18n.js";

export function signIn(go) {
  const form = h("form", { class: "card", novalidate: true },
    h("h1", { text: t("staffTitle") }),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    field("username", t("usernameLabel"), h("input", { autocomplete: "username", required: true })),
    field("password", t("passwordLabel"), h("input", { type: "password", autocomplete: "current-password", required: true })),
    h("button", { type: "submit", text: t("verify") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      unwrap((await gql(`mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) {
        __typename ... on SignInSuccess { expiresAt } ... on OperationError { code message fields { field message } } } }`,
      { u: form.querySelector("#username").value.trim(), p: form.querySelector("#password").value })).authSignInPassword);
      go("#/");
    } catch (error) {
      showErrors(form, error);
    }
  });
  put(app(), form);
  form.querySelector("input").focus();
  return () => {};
}
