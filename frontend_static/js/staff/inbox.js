// The inbox: the viewer's units' grievances, due first, filtered, paged, live.
import { gql, live } from "/js/api.js";
import { app, clockText, field, h, put, statusText } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { clockClass, clockWord } from "/js/staff/common.js";

const INBOX = `query($f: InboxFilterInput, $after: String) { inbox(filter: $f, first: 25, after: $after) {
  __typename ... on GrievancePage { endCursor hasNextPage items { id number subject status stage dueAt channel
  unit { name(language: "LANG") } } } ... on OperationError { code message } } }`;
const PENDING = ["FILED", "REGISTERED", "ALLOTTED", "ASSIGNED", "IN_PROGRESS", "AWAITING_CITIZEN", "RETURNED",
  "UNDER_REVIEW", "SENT_BACK", "DISPUTED", "APPEALED"];


export function inbox(go) {
  const lang = getLanguage();
  const status = h("select", {}, h("option", { value: "", text: t("anyStatus") }),
    ...PENDING.map((s) => h("option", { value: s, text: statusText(s) })));
  const overdue = h("input", { type: "checkbox", id: "overdue" });
  const escalated = h("input", { type: "checkbox", id: "escalated" });
  const search = h("input", { type: "search" });
  // The viewer's units: work in one of them, or in all at once.
  const unit = h("select", {}, h("option", { value: "", text: t("allMyUnits") }));
  gql(`{ myUnits { id code name(language: "${lang}") } }`)
    .then((d) => unit.append(...d.myUnits.map((u) => h("option", { value: u.id, text: `${u.name} (${u.code})` }))))
    .catch(() => {});
  const rows = h("tbody", { id: "inbox-rows" });
  const more = h("button", { type: "button", class: "secondary", text: t("loadMore"), hidden: true });
  const note = h("p", { class: "notice", role: "status", hidden: true });
  let cursor = null;
  const filters = () => ({ statuses: status.value ? [status.value] : [], overdue: overdue.checked,
    escalatedToMe: escalated.checked, search: search.value.trim(), unitId: unit.value || null });
  // Preset views: "#/?view=escalated" and "#/?view=appeals" (the authorities' inboxes).
  const view = new URLSearchParams(location.hash.split("?")[1] || "").get("view");
  if (view === "escalated") escalated.checked = true;
  if (view === "appeals") status.value = "APPEALED";
  const load = async (append = false) => {
    const page = (await gql(INBOX.replace("LANG", lang), { f: filters(), after: append ? cursor : null })).inbox;
    if (page.__typename === "OperationError") return go("#/sign-in");
    cursor = page.endCursor;
    more.hidden = !page.hasNextPage;
    const made = page.items.map((g) => h("tr", {},
      h("td", {}, h("a", { href: `#/cases/${g.id}`, text: g.number })), h("td", { text: g.subject }),
      h("td", { text: statusText(g.status) }), h("td", { text: g.unit?.name || "" }),
      h("td", { class: clockClass(g) }, clockWord(g), " ", clockText(g))));
    if (append) rows.append(...made);
    else put(rows, made.length ? made : [h("tr", {}, h("td", { colspan: "5", text: t("inboxEmpty") }))]);
  };
  const form = h("form", { class: "filters", role: "search" },
    field("f-unit", t("unitLabel"), unit),
    field("f-status", t("filterStatus"), status),
    h("p", { class: "check" }, overdue, h("label", { for: "overdue", text: t("filterOverdue") })),
    h("p", { class: "check" }, escalated, h("label", { for: "escalated", text: t("filterEscalated") })),
    field("f-search", t("filterSearch"), search), h("button", { type: "submit", text: t("applyFilters") }));
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  more.addEventListener("click", () => load(true));
  put(app(), h("h1", { text: t("inboxHeading") }), form, note,
    h("div", { class: "table-wrap" }, h("table", { class: "inbox" },
      h("thead", {}, h("tr", {}, ...["#", t("subjectLabel"), t("statusLabel"), t("unitLabel"), ""].map((x) => h("th", { scope: "col", text: x })))),
      rows)), more);
  load();
  // Live: any change in the viewer's inbox reloads the first page.
  const stop = live("subscription { inboxChanged { kind grievanceId } }", {}, () => {
    load();
    note.textContent = t("inboxChanged");
    note.hidden = false;
  });
  return stop;
}
