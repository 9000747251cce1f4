// The dashboard: a unit's subtree over a period, read from the rollups - received,
// disposed of and resolved by the citizen's word (never merged), pending and its ageing,
// disposal time, SLA compliance per stage, escalations, satisfaction, disputes and
// appeals - with the trend by week and the units below it (click one to drill down).
import { gql } from "/js/api.js";
import { app, field, h, put } from "/js/dom.js";
import { formatDate, formatNumber, getLanguage, translate as t } from "/js/i18n.js";
import { unitChooser } from "/js/staff/common.js";

const PERIODS = { week: 7, month: 30, quarter: 91, year: 365 };
const QUERY = `query($u: ID!, $s: Date!, $e: Date!) {
  unit(id: $u) { code name(language: "LANG") }
  dashboard(unitId: $u, since: $s, until: $e) { __typename ... on Dashboard { received disposed closed rejected resolved
    notResolved pending ageing { band count } averageDisposalDays medianDisposalDays sla { stage onTime late rate }
    escalations { level count } satisfaction { source answers saidResolved averageRating } disputed remanded upheld
    appealed appealReopened appealUpheld transferred notOurs othersReceived } ... on OperationError { code message } }
  dashboardBreakdown(unitId: $u, since: $s, until: $e, by: CHILD_UNIT) { __typename ... on DashboardRows { rows {
    key unitId received disposed resolved pending } } ... on OperationError { message } }
  ranking(unitId: $u, since: $s, until: $e) { __typename ... on Ranking { minHandled minDisposed weights { dimension weight } units { rank score reason
    handled unit { id code name(language: "LANG") } components { efficiency feedback categorisation commitment } } }
    ... on OperationError { message } }
  spikeAlerts(unitId: $u, since: $s, language: "LANG") { __typename ... on SpikeAlerts { alerts { weekStart categoryName
    district count baselineMean score } } ... on OperationError { message } }
  monthlyReports(unitId: $u) { __typename ... on MonthlyReports { reports { month pdfUrl csvUrl } } }
  dashboardTrend(unitId: $u, since: $s, until: $e) { __typename ... on DashboardTrend { points { day received disposed
    resolved } } ... on OperationError { message } } }`;

const isoDay = (d) => d.toISOString().slice(0, 10);
const share = (part, whole) => (whole ? `${formatNumber(Math.round((100 * part) / whole))}%` : "—");
const bar = (value, max) => h("meter", { min: "0", max: String(Math.max(max, 1)), value: String(value), "aria-hidden": "true" });

function table(id, caption, heads, rows) {
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, h("table", { id }, h("caption", { text: caption }),
    h("thead", {}, h("tr", {}, ...heads.map((x) => h("th", { scope: "col", text: x })))), h("tbody", {}, ...rows)));
}

// Days into weeks (Monday first) so a year stays a readable table.
function weeks(points) {
  const out = new Map();
  for (const p of points) {
    const d = new Date(`${p.day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    const key = isoDay(d);
    const w = out.get(key) || { day: key, received: 0, disposed: 0, resolved: 0 };
    w.received += p.received; w.disposed += p.disposed; w.resolved += p.resolved;
    out.set(key, w);
  }
  return [...out.values()];
}

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

  const load = async () => {
    if (!unitId) return;
    const ticket = ++loads;
    const today = new Date();
    const since = new Date(today - (PERIODS[period.value] - 1) * 86400e3);
    const until = new Date(today.getTime() + 86400e3);
    const data = await gql(QUERY.replaceAll("LANG", lang), { u: unitId, s: isoDay(since), e: isoDay(until) });
    if (ticket !== loads) return; // a later choice superseded this one
    const f = data.dashboard;
    if (f.__typename === "OperationError") return put(out, h("p", { class: "form-error", role: "alert", text: f.message }));
    const rows = data.dashboardBreakdown.rows || [];
    const trend = weeks(data.dashboardTrend.points || []);
    const top = Math.max(1, ...rows.map((r) => r.received), ...rows.map((r) => r.pending));
    const peak = Math.max(1, ...trend.map((w) => Math.max(w.received, w.disposed)));
    const ageMax = Math.max(1, ...f.ageing.map((a) => a.count));
    const headline = [["fig_received", f.received], ["fig_disposed", f.disposed], ["fig_resolved", f.resolved],
      ["fig_notResolved", f.notResolved], ["fig_pending", f.pending], ["fig_rejected", f.rejected],
      ["fig_disputed", f.disputed], ["fig_appealed", f.appealed]];
    put(out,
      h("h2", { text: `${data.unit?.name ?? ""} (${data.unit?.code ?? ""}) — ${t(`period_${period.value}`)}` }),
      spikes(data.spikeAlerts?.alerts || [], lang),
      h("dl", { class: "figures", id: "headline" }, ...headline.flatMap(([k, v]) => [h("dt", { text: t(k) }), h("dd", { text: formatNumber(v) })])),
      h("p", { class: "hint", text: t("resolvedShare", lang, { share: share(f.resolved, f.disposed) }) }),
      h("p", { text: t("disposalDays", lang, { average: f.averageDisposalDays ?? "—", median: f.medianDisposalDays ?? "—" }) }),
      table("trend", t("trendCaption"), [t("weekOf"), t("fig_received"), t("fig_disposed"), t("fig_resolved")],
        trend.map((w) => h("tr", {}, h("th", { scope: "row", text: formatDate(new Date(`${w.day}T00:00:00`)) }),
          h("td", {}, bar(w.received, peak), " ", formatNumber(w.received)), h("td", {}, bar(w.disposed, peak), " ", formatNumber(w.disposed)),
          h("td", { text: formatNumber(w.resolved) })))),
      table("ageing", t("ageingCaption"), [t("ageDays"), t("fig_pending")],
        f.ageing.map((a) => h("tr", {}, h("th", { scope: "row", text: a.band === "over 60" ? t("over60") : a.band }),
          h("td", {}, bar(a.count, ageMax), " ", formatNumber(a.count))))),
      table("sla", t("slaCaption"), [t("stageLabel"), t("onTime"), t("late"), t("compliance")],
        f.sla.map((s) => h("tr", {}, h("th", { scope: "row", text: t(`stage_${s.stage}`) }), h("td", { text: formatNumber(s.onTime) }),
          h("td", { text: formatNumber(s.late) }), h("td", { text: s.rate == null ? "—" : `${formatNumber(Math.round(s.rate * 100))}%` })))),
      table("satisfaction", t("satisfactionCaption"), [t("sourceLabel"), t("answers"), t("saidResolved"), t("averageRating")],
        f.satisfaction.map((s) => h("tr", {}, h("th", { scope: "row", text: t(`source_${s.source}`) }), h("td", { text: formatNumber(s.answers) }),
          h("td", { text: share(s.saidResolved, s.answers) }), h("td", { text: s.averageRating ?? "—" })))),
      h("dl", { class: "figures", id: "movements" }, ...[["fig_remanded", f.remanded], ["fig_upheld", f.upheld],
        ["fig_appealReopened", f.appealReopened], ["fig_appealUpheld", f.appealUpheld], ["fig_transferred", f.transferred],
        ["fig_notOurs", f.notOurs], ...f.escalations.map((e) => [`escalatedLevel`, e.count, e.level])]
        .flatMap(([k, v, level]) => [h("dt", { text: t(k, lang, { level }) }), h("dd", { text: formatNumber(v) })])),
      h("p", { class: "hint", text: t("othersShare", lang, { share: share(f.othersReceived, f.received) }) }),
      ranked(data.ranking, (id) => { unitId = id; load(); }, lang),
      reports(data.monthlyReports?.reports || []),
      rows.length ? table("children-figures", t("belowUnit"), [t("unitLabel"), t("fig_received"), t("fig_disposed"), t("fig_resolved"), t("fig_pending")],
        rows.map((r) => h("tr", {},
          h("th", { scope: "row" }, h("button", { type: "button", class: "link", text: r.key, onclick: () => { unitId = r.unitId; load(); } })),
          h("td", {}, bar(r.received, top), " ", formatNumber(r.received)), h("td", { text: formatNumber(r.disposed) }),
          h("td", { text: `${formatNumber(r.resolved)} (${share(r.resolved, r.disposed)})` }),
          h("td", {}, bar(r.pending, top), " ", formatNumber(r.pending))))) : null);
  };
  return () => {};
}

// The units below ranked by the composite index, each with its components; those below
// the minimum sample listed apart with the reason (README: Rankings).
function ranked(result, drill, lang) {
  const units = result?.units || [];
  if (!units.length) return null;
  const pct = (x) => (x == null ? "—" : `${formatNumber(Math.round(x * 100))}`);
  const inRank = units.filter((u) => u.rank != null);
  const apart = units.filter((u) => u.rank == null);
  return h("section", { id: "ranking" }, h("h2", { text: t("rankingHeading") }),
    h("p", { class: "hint", text: t("rankingHint", lang, { handled: result.minHandled, disposed: result.minDisposed,
      weights: result.weights.map((w) => `${t(`dim_${w.dimension}`)} ${formatNumber(Math.round(w.weight * 100))}%`).join(", ") }) }),
    inRank.length ? table("ranking-table", t("rankingHeading"), [t("rankLabel"), t("unitLabel"), t("scoreLabel"), t("dim_efficiency"),
      t("dim_feedback"), t("dim_categorisation"), t("dim_commitment")],
    inRank.map((u) => h("tr", {}, h("td", { text: formatNumber(u.rank) }),
      h("th", { scope: "row" }, h("button", { type: "button", class: "link", text: `${u.unit.name} (${u.unit.code})`, onclick: () => drill(u.unit.id) })),
      h("td", {}, bar(u.score, 100), " ", formatNumber(u.score)), h("td", { text: pct(u.components.efficiency) }),
      h("td", { text: pct(u.components.feedback) }), h("td", { text: pct(u.components.categorisation) }),
      h("td", { text: pct(u.components.commitment) })))) : null,
    apart.length ? h("div", {}, h("h3", { text: t("notRanked") }),
      h("ul", { id: "not-ranked" }, ...apart.map((u) => h("li", { text: `${u.unit.name} (${u.unit.code}): ${u.reason}` })))) : null);
}

// Unusual rises (spike alerts) first: the numbers behind each, in a live region.
function spikes(alerts, lang) {
  if (!alerts.length) return null;
  return h("section", { class: "notice", id: "spikes", role: "status" }, h("h2", { text: t("spikesHeading") }),
    h("ul", {}, ...alerts.map((a) => h("li", { text: t("spikeLine", lang, { category: a.categoryName, district: a.district,
      week: formatDate(new Date(`${a.weekStart}T00:00:00`)), count: formatNumber(a.count), mean: formatNumber(a.baselineMean),
      score: formatNumber(a.score) }) }))));
}

// The unit's monthly reports (made on the first of each month), as PDF and CSV.
function reports(list) {
  if (!list.length) return null;
  return h("section", { id: "monthly-reports" }, h("h2", { text: t("reportsMonthly") }),
    h("ul", {}, ...list.map((r) => h("li", {}, `${formatDate(new Date(`${r.month}T00:00:00`), { month: "long", year: "numeric" })}: `,
      h("a", { href: r.pdfUrl, text: "PDF" }), " · ", h("a", { href: r.csvUrl, text: "CSV" })))));
}
