// The inbox: the viewer's units' grievances, due first, filtered, paged, live.
import { gql, live } from "/js/api.js";
import { app, clockText, field, h, put, statusText, when } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { categoryPicker } from "/js/pickers.js";
import { clockClass, clockWord } from "/js/staff/common.js";

const INBOX = `query($f: InboxFilterInput, $after: String) { inbox(filter: $f, first: 25, after: $after) {
  __typename ... on GrievancePage { endCursor hasNextPage items { id number subject status stage dueAt channel
  escalationLevel escalationDueAt unit { name(language: "LANG") } } } ... on OperationError { code message } } }`;
const STAGES = ["REGISTRATION", "ALLOTMENT", "PRELIMINARY_REPORT", "FINAL_REPORT", "REVIEW", "CITIZEN_REPLY",
  "DISPUTE_DECISION", "HELP_TO_APPLY", "APPEAL_DECISION"];
const CHANNELS = ["WEB", "PHONE", "POST", "EMAIL", "WHATSAPP", "COUNTER", "IN_PERSON", "UPSTREAM", "OPEN311"];
const PENDING = ["FILED", "REGISTERED", "ALLOTTED", "ASSIGNED", "IN_PROGRESS", "AWAITING_CITIZEN", "RETURNED",
  "UNDER_REVIEW", "SENT_BACK", "DISPUTED", "APPEALED"];


export function inbox(go) {
  const lang = getLanguage();
  const status = h("select", {}, h("option", { value: "", text: t("anyStatus") }),
    ...PENDING.map((s) => h("option", { value: s, text: statusText(s) })));
  const overdue = h("input", { type: "checkbox", id: "overdue" });
  const escalated = h("input", { type: "checkbox", id: "escalated" });
  const search = h("input", { type: "search" });
  // Working as: each of the viewer's roles at its unit (an officer may be a reviewer in
  // one office and the nodal officer of another); "all" shows every unit at once.
  const unit = h("select", {}, h("option", { value: "", text: t("allMyUnits") }));
  const remembered = sessionStorage.getItem("staff.unit");
  gql(`{ viewer { grants { role unit { id code name(language: "${lang}") } } } }`).then((d) => {
    const seen = new Set();
    for (const g of d.viewer.grants) {
      if (!g.unit || seen.has(g.unit.id)) continue;
      seen.add(g.unit.id);
      const roles = d.viewer.grants.filter((x) => x.unit?.id === g.unit.id).map((x) => t(`role_${x.role.toLowerCase()}`)).join(", ");
      unit.append(h("option", { value: g.unit.id, text: `${g.unit.name} (${g.unit.code}) — ${roles}` }));
    }
    if (remembered && seen.has(remembered) && !unit.value) { unit.value = remembered; load(); }
  }).catch(() => {});
  unit.addEventListener("change", () => { sessionStorage.setItem("staff.unit", unit.value); load(); });
  const stage = h("select", {}, h("option", { value: "", text: t("anyStage") }), ...STAGES.map((x) => h("option", { value: x, text: t(`stage_${x.toLowerCase()}`) })));
  const channel = h("select", {}, h("option", { value: "", text: t("anyChannel") }), ...CHANNELS.map((c) => h("option", { value: c, text: t(`channel_${c.toLowerCase()}`) })));
  const area = h("input", { autocomplete: "off", placeholder: "BR-PAT" });
  const dueBefore = h("input", { type: "date" });
  const mine = h("input", { type: "checkbox", id: "assigned-to-me" });
  // A category and everything below it: search, then pick the level.
  const picker = categoryPicker(lang);
  const level = h("select", {}, h("option", { value: "", text: t("anyCategory") }));
  picker.onchoose = (m) => put(level, h("option", { value: "", text: t("anyCategory") }),
    [...m.path].reverse().map((p, i) => h("option", { value: p.id, text: i ? `${p.name} ${t("andBelow")}` : p.name, selected: i === 0 })));
  const rows = h("tbody", { id: "inbox-rows" });
  const more = h("button", { type: "button", class: "secondary", text: t("loadMore"), hidden: true });
  const note = h("p", { class: "notice", role: "status", hidden: true });
  let cursor = null;
  const filters = () => ({ statuses: status.value ? [status.value] : [], overdue: overdue.checked,
    escalatedToMe: escalated.checked, search: search.value.trim(), unitId: unit.value || null,
    stages: stage.value ? [stage.value] : [], channel: channel.value || null, areaCode: area.value.trim(),
    dueBefore: dueBefore.value ? new Date(`${dueBefore.value}T23:59:59`).toISOString() : null, assignedToMe: mine.checked,
    categoryId: level.value || null });
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
      h("td", { class: clockClass(g) }, clockWord(g), " ", clockText(g),
        // An escalated case has a second clock: the rung's own, before it climbs again.
        g.escalationLevel ? h("span", { class: "rung" }, ` — ${t("rungLabel", lang, { level: g.escalationLevel })} `,
          g.escalationDueAt ? t("rungDue", lang, { when: when(g.escalationDueAt) }) : "") : null)));
    if (append) rows.append(...made);
    else put(rows, made.length ? made : [h("tr", {}, h("td", { colspan: "5", text: t("inboxEmpty") }))]);
  };
  const form = h("form", { class: "filters", role: "search" },
    field("f-unit", t("workingAs"), unit),
    field("f-status", t("filterStatus"), status),
    h("p", { class: "check" }, overdue, h("label", { for: "overdue", text: t("filterOverdue") })),
    h("p", { class: "check" }, escalated, h("label", { for: "escalated", text: t("filterEscalated") })),
    field("f-search", t("filterSearch"), search),
    h("details", { class: "more-filters" }, h("summary", { text: t("moreFilters") }),
      field("f-catsearch", t("filterCategory"), picker.search, t("searchHint")),
      h("p", { id: "category-label", class: "visually-hidden", text: t("categoryChoice") }), picker.results,
      field("f-category", t("ruleAppliesTo"), level),
      field("f-stage", t("stageLabel"), stage), field("f-channel", t("channelLabel"), channel),
      field("f-area", t("areaCodeLabel"), area), field("f-due", t("dueBeforeLabel"), dueBefore),
      h("p", { class: "check" }, mine, h("label", { for: "assigned-to-me", text: t("assignedToMe") }))),
    h("button", { type: "submit", text: t("applyFilters") }));
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  more.addEventListener("click", () => load(true));
  put(app(), h("h1", { text: t("inboxHeading") }), form, note,
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("inboxHeading") }, h("table", { class: "inbox" },
      h("thead", {}, h("tr", {}, ...["#", t("subjectLabel"), t("statusLabel"), t("unitLabel"), ""].map((x) => h("th", { scope: "col", text: x })))),
      rows)), more);
  load();
  // Live: any change in the viewer's inbox reloads the first page.
  const stop = live("subscription { inboxChanged { kind grievanceId } }", {}, () => {
    load();
    note.textContent = t("inboxChanged");
    note.hidden = false;
  });
  return () => { stop(); picker.stop(); };
}
