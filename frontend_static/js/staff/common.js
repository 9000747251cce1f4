// Pieces every staff screen shares: the result selection, clock colours, a mutation
// sender that turns refusals into exceptions, and the unit search picker.
import { gql, unwrap } from "/js/api.js";
import { field, h, put } from "/js/dom.js";
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

export const ROLES = ["OFFICER", "NODAL_OFFICER", "CELL_OPERATOR", "REVIEWER", "HEAD", "ESCALATION_AUTHORITY",
  "APPELLATE_AUTHORITY", "CALL_CENTRE_AGENT", "ORG_ADMIN", "SYSTEM_ADMIN"];

const CHOSEN = "staff.unit";

/** Which unit a screen works on: the viewer's own units, or any unit found by search
 * (the server answers only for units in the viewer's tree). Remembered for the tab. */
export function unitChooser(id, onChange) {
  const mine = h("select", {}, h("option", { value: "", text: t("choose") }));
  const found = unitPicker();
  const remembered = sessionStorage.getItem(CHOSEN);
  let picked = false;
  gql(`{ myUnits { id code name(language: "${getLanguage()}") } }`).then((d) => {
    mine.append(...d.myUnits.map((u) => h("option", { value: u.id, text: `${u.name} (${u.code})` })));
    const start = remembered && [...mine.options].some((o) => o.value === remembered) ? remembered : d.myUnits[0]?.id;
    if (start && !picked) { // never override a unit the viewer picked while this loaded
      mine.value = start;
      onChange(start);
    }
  }).catch(() => {});
  const pick = (select) => select.addEventListener("change", () => {
    if (!select.value) return;
    picked = true;
    sessionStorage.setItem(CHOSEN, select.value);
    onChange(select.value);
  });
  pick(mine);
  pick(found.select);
  const el = h("div", { class: "filters" }, field(`${id}-mine`, t("myUnitsLabel"), mine),
    field(`${id}-find`, t("otherUnitLabel"), found.search), field(`${id}-found`, t("unitLabel"), found.select));
  return { el, value: () => found.select.value || mine.value };
}
