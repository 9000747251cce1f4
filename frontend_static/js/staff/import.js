// CSV import (org admins): units and officers, checked as a dry run with every bad row
// listed by file, line and column; applied all or nothing once it is clean. The current
// tree can be exported to start from.
import { gql } from "/js/api.js";
import { app, field, h, put } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { send, unitChooser } from "/js/staff/common.js";

const REPORT = `... on OrgImportReport { dryRun unitsCreated unitsUpdated unitsMoved unitsDeactivated accountsCreated
  accountsUpdated accountsDeactivated rolesGranted rolesRevoked pendingItemsMoved setPasswordLinks { username url } }`;

export function orgImport() {
  const lang = getLanguage();
  const units = h("textarea", { rows: "8", class: "mono", spellcheck: "false" });
  const officers = h("textarea", { rows: "8", class: "mono", spellcheck: "false" });
  const fromFile = (area) => h("input", { type: "file", accept: ".csv,text/csv", onchange: async (event) => {
    const file = event.target.files[0];
    if (file) area.value = await file.text();
  } });
  const result = h("div", { id: "import-result", role: "status", "aria-live": "polite" });
  const apply = h("button", { type: "button", text: t("importApply"), hidden: true });
  const form = h("form", { class: "card", novalidate: true },
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    field("units-csv", t("unitsCsv"), units, t("unitsCsvHint")), field("units-file", t("fromFile"), fromFile(units)),
    field("officers-csv", t("officersCsv"), officers, t("officersCsvHint")), field("officers-file", t("fromFile"), fromFile(officers)),
    h("button", { type: "submit", text: t("importCheck") }), apply);
  const chooser = unitChooser("exp-unit", () => {});
  const exporter = h("div", { class: "card" }, h("h2", { text: t("exportHeading") }), chooser.el,
    h("p", { class: "row-actions" }, ...["UNITS", "OFFICERS"].map((kind) => h("button", { type: "button", class: "secondary",
      text: t(`export_${kind.toLowerCase()}`), onclick: async () => {
        const r = (await gql(`query($u: ID!, $k: OrgExportKind!) { orgExport(rootUnitId: $u, kind: $k) { __typename
          ... on OrgExport { csv } ... on OperationError { message } } }`, { u: chooser.value() || "0", k: kind })).orgExport;
        if (r.csv !== undefined) (kind === "UNITS" ? units : officers).value = r.csv;
        else put(result, h("p", { class: "form-error", role: "alert", text: r.message }));
      } }))));
  const run = (dryRun) => send("orgImport", { dryRun: "Boolean!", unitsCsv: "String", officersCsv: "String" },
    { dryRun, unitsCsv: units.value.trim() || null, officersCsv: officers.value.trim() || null }, REPORT);
  const show = (r) => {
    const counts = ["unitsCreated", "unitsUpdated", "unitsMoved", "unitsDeactivated", "accountsCreated", "accountsUpdated",
      "accountsDeactivated", "rolesGranted", "rolesRevoked", "pendingItemsMoved"];
    put(result, h("h2", { text: r.dryRun ? t("importWouldDo") : t("importDone") }),
      h("dl", { class: "figures" }, ...counts.flatMap((k) => [h("dt", { text: t(`imp_${k}`) }), h("dd", { text: String(r[k]) })])),
      r.setPasswordLinks.length ? h("div", {}, h("h3", { text: t("setPasswordLinks") }), h("p", { text: t("linkOnce") }),
        h("ul", {}, ...r.setPasswordLinks.map((l) => h("li", {}, `${l.username}: `, h("code", { text: l.url }))))) : null);
  };
  const problems = (error) => {
    apply.hidden = true;
    const rows = error.fields || [];
    put(result, h("p", { class: "form-error", role: "alert", text: rows.length ? t("importRowsBad", lang, { count: rows.length }) : error.message }),
      rows.length ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("problemLabel") }, h("table", { id: "import-errors" }, h("thead", {}, h("tr", {},
        ...[t("whereLabel"), t("problemLabel")].map((x) => h("th", { scope: "col", text: x })))),
      h("tbody", {}, ...rows.map((f) => h("tr", {}, h("td", { text: f.field }), h("td", { text: f.message })))))) : null);
    result.querySelector("[role=alert]").focus?.();
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      show(await run(true));
      apply.hidden = false;
    } catch (error) {
      problems(error);
    }
  });
  apply.addEventListener("click", async () => {
    try {
      show(await run(false));
      apply.hidden = true;
    } catch (error) {
      problems(error);
    }
  });
  put(app(), h("h1", { text: t("importHeading") }), form, result, exporter);
  return () => {};
}
