// Pieces every staff screen shares: the result selection, clock colours, a mutation
// sender that turns refusals into exceptions, and the unit search picker.
import { gql, unwrap } from "/js/api.js";
import { h, put } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";

export const RESULT = "__typename ... on OperationError { code message fields { field message } }";

export function clockClass(g) {
  if (!g.dueAt) return "clock";
  const left = (new Date(g.dueAt) - Date.now()) / 1000;
  if (left < 0) return "clock overdue";
  return left < 6 * 3600 ? "clock soon" : "clock ok";
}

export function clockWord(g) {
  const c = clockClass(g);
  return c.endsWith("overdue") ? t("clockOverdue") : c.endsWith("soon") ? t("clockSoon") : c.endsWith("ok") ? t("clockOk") : "";
}

/** Run `mutation(args)` selecting only the result's type and error; throws OperationFailed. */
export async function send(mutation, args, vars, select = "") {
  const decl = Object.entries(args).map(([k, v]) => `$${k}: ${v}`).join(", ");
  const call = Object.keys(args).map((k) => `${k}: $${k}`).join(", ");
  const data = await gql(`mutation${decl ? `(${decl})` : ""} { ${mutation}${call ? `(${call})` : ""} { ${RESULT} ${select} } }`, vars);
  return unwrap(data[mutation]);
}

/** A search box and a select of the units the viewer may see whose name or code match. */
export function unitPicker(exclude = null) {
  const select = h("select", {}, h("option", { value: "", text: t("choose") }));
  const search = h("input", { type: "search", autocomplete: "off" });
  search.addEventListener("input", async () => {
    if (search.value.trim().length < 2) return;
    const found = (await gql(`query($s: String!) { units(search: $s, first: 20) { id code name(language: "${getLanguage()}") } }`,
      { s: search.value.trim() })).units;
    put(select, h("option", { value: "", text: t("choose") }),
      found.filter((u) => u.id !== exclude).map((u) => h("option", { value: u.id, text: `${u.name} (${u.code})` })));
  });
  return { search, select };
}
