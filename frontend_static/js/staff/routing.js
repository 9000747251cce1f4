// Routing rules (org admins): which office (and officer) a category's grievances from an
// area go to, and a preview of where a filing would be allotted now.
import { gql, unwrap } from "/js/api.js";
import { app, field, h, put, showErrors } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { categoryPicker } from "/js/pickers.js";
import { send, unitPicker } from "/js/staff/common.js";

export function routing() {
  const lang = getLanguage();
  const rows = h("tbody", { id: "rule-rows" });
  const picker = categoryPicker(lang);
  const level = h("select", {}, h("option", { value: "", text: t("choose") }));
  picker.onchoose = (m) => put(level, [...m.path].reverse().map((p, i) => h("option", { value: p.id, text: i ? `${p.name} ${t("andBelow")}` : p.name })));
  const target = unitPicker();
  const area = h("input", { autocomplete: "off", placeholder: "BR-PAT" });
  const officer = h("select", {}, h("option", { value: "", text: t("anyOfficer") }));
  target.select.addEventListener("change", async () => {
    put(officer, h("option", { value: "", text: t("anyOfficer") }));
    if (!target.select.value) return;
    const unit = (await gql(`query($u: ID!) { unit(id: $u) { members { id fullName active } } }`, { u: target.select.value })).unit;
    officer.append(...(unit?.members || []).filter((m) => m.active).map((m) => h("option", { value: m.id, text: m.fullName })));
  });
  const preview = h("p", { id: "route-preview", role: "status", "aria-live": "polite" });
  const form = h("form", { class: "card", novalidate: true }, h("h2", { text: t("addRule") }),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    field("search", t("searchLabel"), picker.search, t("searchHint")),
    h("p", { id: "category-label", class: "visually-hidden", text: t("categoryChoice") }), picker.results,
    field("rule-level", t("ruleAppliesTo"), level),
    field("rule-area", t("areaCodeLabel"), area, t("areaCodeHint")),
    field("rule-find", t("filterSearch"), target.search), field("rule-unit", t("unitLabel"), target.select),
    field("rule-officer", t("officerLabel"), officer),
    h("p", { class: "row-actions" }, h("button", { type: "submit", text: t("save") }),
      h("button", { type: "button", class: "secondary", text: t("previewRoute"), onclick: () => showRoute() })), preview);
  const ids = { categoryId: "rule-level", unitId: "rule-unit", areaCode: "rule-area", officerId: "rule-officer" };
  const showRoute = async () => {
    try {
      const r = unwrap((await gql(`query($c: ID!, $a: String!) { routingPreview(categoryId: $c, areaCode: $a) { __typename
        ... on RoutingPreview { matched unit { code name(language: "${lang}") } officerName }
        ... on OperationError { code message fields { field message } } } }`, { c: level.value || "0", a: area.value.trim() })).routingPreview);
      preview.textContent = r.matched ? t("routesTo", lang, { unit: `${r.unit.name} (${r.unit.code})`, officer: r.officerName || t("anyOfficer") })
        : t("noRule");
    } catch (error) {
      showErrors(form, error, ids);
    }
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await send("routingRuleSet", { input: "RoutingRuleInput!" }, { input: { categoryId: level.value || "0",
        unitId: target.select.value || "0", areaCode: area.value.trim(), officerId: officer.value || null } });
      preview.textContent = t("saved");
      listUnit = target.select.value;
      load();
    } catch (error) {
      showErrors(form, error, ids);
    }
  });
  // Rules page in 50s from the server: a state can hold thousands.
  const PAGE = 50;
  let shown = 0;
  let listUnit = null; // after a save, the list shows the rules of the office just chosen
  const listHeading = h("h2", { id: "rules-heading", text: t("allRules") });
  const everyRule = h("button", { type: "button", class: "link", text: t("allRules"), hidden: true,
    onclick: () => { listUnit = null; load(); } });
  const more = h("button", { type: "button", class: "secondary", text: t("loadMore"), hidden: true, onclick: () => load(true) });
  const load = async (append = false) => {
    const offset = append ? shown : 0;
    everyRule.hidden = !listUnit;
    listHeading.textContent = listUnit ? t("rulesOf", lang, { unit: target.select.selectedOptions[0]?.text || "" }) : t("allRules");
    const rules = (await gql(`query($o: Int!, $u: ID) { routingRules(unitId: $u, first: ${PAGE + 1}, offset: $o) { id categoryCode areaCode officerName active
      categoryName(language: "${lang}") unit { code name(language: "${lang}") } } }`, { o: offset, u: listUnit })).routingRules;
    more.hidden = rules.length <= PAGE;
    shown = offset + Math.min(rules.length, PAGE);
    const made = rules.slice(0, PAGE).map((r) => h("tr", {}, h("td", { text: `${r.categoryName} (${r.categoryCode})` }),
      h("td", { text: r.areaCode || t("everyArea") }), h("td", { text: r.unit ? `${r.unit.name} (${r.unit.code})` : "" }),
      h("td", { text: r.officerName || "" }),
      h("td", {}, h("button", { type: "button", class: "link", text: t("remove"), "aria-label": `${t("remove")}: ${r.categoryCode} ${r.areaCode}`,
        onclick: async () => { await send("routingRuleDelete", { id: "ID!" }, { id: r.id }).catch((e) => { preview.textContent = e.message; }); load(); } }))));
    if (append) rows.append(...made);
    else put(rows, made.length ? made : [h("tr", {}, h("td", { colspan: "5", text: t("noRules") }))]);
  };
  put(app(), h("h1", { text: t("routingHeading") }), form, listHeading, everyRule,
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("routingHeading") }, h("table", {}, h("thead", {}, h("tr", {}, ...[t("categoryLabel"), t("areaCodeLabel"), t("unitLabel"),
      t("officerLabel"), ""].map((x) => h("th", { scope: "col", text: x })))), rows)), more);
  load();
  return picker.stop;
}
