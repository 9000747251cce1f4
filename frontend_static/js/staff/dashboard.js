// The dashboard: a unit's figures for a period (received, disposed, resolved by the
// citizen's word, pending, disputes, appeals) and the same for each unit below it.
// Disposed and resolved are shown apart, never merged.
import { gql } from "/js/api.js";
import { app, field, h, put } from "/js/dom.js";
import { formatNumber, getLanguage, translate as t } from "/js/i18n.js";
import { unitChooser } from "/js/staff/common.js";

const FIGURES = ["received", "disposed", "resolved", "notResolved", "pending", "disputed", "appealed", "rejected"];
const PERIODS = { week: 7, month: 30, quarter: 91, year: 365 };
const QUERY = `query($u: ID!, $s: DateTime!, $e: DateTime!) { grievanceFigures(unitId: $u, since: $s, until: $e) {
  __typename ... on GrievanceFigures { ${FIGURES.join(" ")} } ... on OperationError { code message } } }`;

export function dashboard() {
  const lang = getLanguage();
  const period = h("select", {}, ...Object.keys(PERIODS).map((p) => h("option", { value: p, text: t(`period_${p}`) })));
  period.value = "month";
  const out = h("div", { id: "dashboard" });
  let unitId = null;
  let loads = 0;
  const chooser = unitChooser("dash-unit", (id) => { unitId = id; load(); });
  period.addEventListener("change", () => load());
  put(app(), h("h1", { text: t("dashboardHeading") }), chooser.el, h("div", { class: "filters" }, field("dash-period", t("periodLabel"), period)), out);

  const range = () => {
    const until = new Date();
    return { s: new Date(until - PERIODS[period.value] * 86400e3).toISOString(), e: until.toISOString() };
  };
  const load = async () => {
    if (!unitId) return;
    const ticket = ++loads;
    const { s, e } = range();
    const [own, unit] = await Promise.all([gql(QUERY, { u: unitId, s, e }),
      gql(`query($u: ID!) { unit(id: $u) { code name(language: "${lang}") children { id code name(language: "${lang}") } } }`, { u: unitId })]);
    const figures = own.grievanceFigures;
    if (figures.__typename === "OperationError") return put(out, h("p", { class: "form-error", role: "alert", text: figures.message }));
    const children = unit.unit?.children || [];
    const rows = await Promise.all(children.map(async (c) => ({ unit: c, f: (await gql(QUERY, { u: c.id, s, e })).grievanceFigures })));
    if (ticket !== loads) return; // a later choice superseded this one
    const top = Math.max(1, ...rows.map((r) => r.f.received || 0));
    const share = (part, whole) => (whole ? `${formatNumber(Math.round((100 * part) / whole))}%` : "—");
    put(out,
      h("h2", { text: `${unit.unit?.name ?? ""} — ${t(`period_${period.value}`)}` }),
      h("dl", { class: "figures", id: "headline" }, ...FIGURES.flatMap((k) => [h("dt", { text: t(`fig_${k}`) }), h("dd", { text: formatNumber(figures[k]) })])),
      h("p", { class: "hint", text: t("resolvedShare", lang, { share: share(figures.resolved, figures.disposed) }) }),
      rows.length ? h("div", { class: "table-wrap" }, h("table", { id: "children-figures" },
        h("caption", { text: t("belowUnit") }),
        h("thead", {}, h("tr", {}, ...[t("unitLabel"), t("fig_received"), t("fig_disposed"), t("fig_resolved"), t("fig_pending"), t("fig_disputed")]
          .map((x) => h("th", { scope: "col", text: x })))),
        h("tbody", {}, ...rows.filter((r) => r.f.__typename === "GrievanceFigures").map(({ unit: c, f }) => h("tr", {},
          h("th", { scope: "row" }, h("button", { type: "button", class: "link", text: `${c.name} (${c.code})`,
            onclick: () => { unitId = c.id; load(); } })),
          h("td", {}, h("meter", { min: "0", max: String(top), value: String(f.received), "aria-hidden": "true" }), " ", formatNumber(f.received)),
          h("td", { text: formatNumber(f.disposed) }), h("td", { text: `${formatNumber(f.resolved)} (${share(f.resolved, f.disposed)})` }),
          h("td", { text: formatNumber(f.pending) }), h("td", { text: formatNumber(f.disputed) }))))))
        : null);
  };
  return () => {};
}
