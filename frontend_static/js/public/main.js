// The public page: aggregate figures and the ranking of the units below, for anyone,
// without signing in. Only counts, times, scores and unit names come from the server.
import { gql } from "/js/api.js";
import { app, field, h, put } from "/js/dom.js";
import { formatNumber, getLanguage, setLanguage, translate as t } from "/js/i18n.js";
import "/js/public/strings.js";

const PERIODS = { month: 30, quarter: 91, year: 365 };
const QUERY = `query($s: Date!, $e: Date!, $u: String, $l: String!) { publicDashboard(since: $s, until: $e, unitCode: $u,
  language: $l) { __typename ... on PublicDashboard { unit { code name } received disposed resolved pending
  ageing { band count } averageDisposalDays medianDisposalDays ranking { rank unit { code name } score reason handled } }
  ... on OperationError { message } } }`;
const isoDay = (d) => d.toISOString().slice(0, 10);

let trail = [];
const period = h("select", {}, ...Object.keys(PERIODS).map((p) => h("option", { value: p, text: t(`pubPeriod_${p}`) })));
period.value = "month";

async function draw(code = null) {
  const lang = getLanguage();
  const today = new Date();
  const data = (await gql(QUERY, { s: isoDay(new Date(today - (PERIODS[period.value] - 1) * 86400e3)),
    e: isoDay(new Date(today.getTime() + 86400e3)), u: code, l: lang })).publicDashboard;
  if (data.__typename === "OperationError") return put(app(), h("p", { class: "form-error", role: "alert", text: data.message }));
  const figures = [["pubReceived", data.received], ["pubDisposed", data.disposed], ["pubResolved", data.resolved], ["pubPending", data.pending]];
  const ranked = data.ranking.filter((r) => r.rank != null);
  const apart = data.ranking.filter((r) => r.rank == null);
  const back = trail.length ? trail[trail.length - 1] : null;
  put(app(), h("h1", { text: `${data.unit.name}` }), h("p", { text: t("publicIntro") }),
    back ? h("p", {}, h("button", { type: "button", class: "link", text: t("pubBack", lang, { unit: back.name }),
      onclick: () => draw(trail.pop().code) })) : null,
    h("div", { class: "filters" }, field("pub-period", t("publicPeriod"), period)),
    h("dl", { class: "figures", id: "public-figures" }, ...figures.flatMap(([k, v]) => [h("dt", { text: t(k) }), h("dd", { text: formatNumber(v) })])),
    h("p", { text: t("pubDays", lang, { average: data.averageDisposalDays ?? "—", median: data.medianDisposalDays ?? "—" }) }),
    h("h2", { text: t("pubAgeing") }),
    h("ul", { id: "public-ageing" }, ...data.ageing.map((a) => h("li", { text: `${a.band === "over 60" ? t("pubOver60") : a.band}: ${formatNumber(a.count)}` }))),
    data.ranking.length ? h("section", {}, h("h2", { text: t("pubRanking") }), h("p", { class: "hint", text: t("pubRankingHint") }),
      ranked.length ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("pubRanking") },
        h("table", { id: "public-ranking" }, h("thead", {}, h("tr", {}, ...[t("pubRank"), t("pubUnit"), t("pubIndex")].map((x) => h("th", { scope: "col", text: x })))),
          h("tbody", {}, ...ranked.map((r) => h("tr", {}, h("td", { text: formatNumber(r.rank) }),
            h("th", { scope: "row" }, unitLink(r, data)), h("td", { text: formatNumber(r.score) })))))) : null,
      apart.length ? h("div", {}, h("h3", { text: t("pubNotRanked") }),
        h("ul", { id: "public-unranked" }, ...apart.map((r) => h("li", {}, unitLink(r, data))))) : null) : null);
}

function unitLink(r, data) {
  return h("button", { type: "button", class: "link", text: r.unit.name, onclick: () => {
    trail.push({ code: data.unit.code, name: data.unit.name });
    draw(r.unit.code);
  } });
}

function renderStrings() {
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === getLanguage()));
  document.title = t("publicTitle");
  for (const o of period.options) o.textContent = t(`pubPeriod_${o.value}`);
}

for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
document.addEventListener("app:languagechange", () => { renderStrings(); trail = []; draw(); });
period.addEventListener("change", () => draw());
renderStrings();
draw();
