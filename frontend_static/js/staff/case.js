// The case view: details, feedback (its viewing recorded), the dispute's two sides,
// the timeline, and the actions the server allows this viewer now.
import { gql, live } from "/js/api.js";
import { app, clockText, field, h, put, showErrors, statusText, when } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { actions } from "/js/staff/actions.js";
import { clockClass, send } from "/js/staff/common.js";

const CASE = `id number subject description reliefSought status stage dueAt version citizenName citizenMobile contactMasked
  areaCode locationAddress availableActions unit { id name(language: "LANG") }
  againstUnit { code name(language: "LANG") } againstOfficerName
  timeline(language: "LANG") { at action toStatus note unitName actorName internal }
  reports { kind reply actionTaken authorName createdAt } attachments { id filename }`;


export function caseView(go, id) {
  const lang = getLanguage();
  const root = h("section", { class: "case" });
  put(app(), h("p", {}, h("a", { href: "#/", text: t("back") })), root);
  let kept = { key: "", el: null };
  const draw = (g, feedback) => {
    const key = `${g.version}`;
    if (kept.key !== key) kept = { key, el: actions(g, () => refresh()) };
    put(root,
      h("h1", {}, h("span", { class: "number", text: g.number }), " ", g.subject),
      h("p", {}, `${t("statusLabel")}: `, h("strong", { id: "status-text", text: statusText(g.status) }),
        g.unit ? ` — ${g.unit.name}` : "", " ", h("span", { class: clockClass(g), text: clockText(g) })),
      contact(g),
      // Conflict of interest: whom the grievance is against (they never see it).
      g.againstUnit || g.againstOfficerName ? h("p", { id: "against", class: "hint", text: `${t("againstLabel")}: ${
        [g.againstOfficerName, g.againstUnit ? `${g.againstUnit.name} (${g.againstUnit.code})` : ""].filter(Boolean).join(", ")}` }) : null,
      h("p", { text: g.description }), h("p", { class: "hint", text: g.reliefSought }),
      g.status === "DISPUTED" ? disputeSides(g, feedback) : null,
      h("h2", { text: t("feedbackOnCase") }),
      feedback.length ? h("ul", {}, ...feedback.map((f) => h("li", { text: `${f.source}: ${f.resolved ? t("yes") : t("no")} ${f.rating ?? ""} ${f.remarks}` })))
        : h("p", { text: t("noFeedback") }),
      kept.el,
      h("h2", { text: t("timelineHeading") }),
      h("ol", { class: "timeline", id: "timeline" }, ...g.timeline.map((e) => h("li", {},
        h("time", { datetime: e.at, text: when(e.at) }), " ", h("strong", { text: e.action.replaceAll("_", " ") }),
        ` — ${e.unitName}${e.actorName ? ` (${e.actorName})` : ""}`, e.note ? h("p", { text: e.note }) : null))),
      g.reports.length ? h("h2", { text: t("reportsHeading") }) : null,
      ...g.reports.map((r) => h("blockquote", {}, h("strong", { text: `${r.kind} — ${r.authorName}` }), h("p", { text: r.actionTaken }), h("p", { text: r.reply }))),
      g.attachments.length ? h("ul", {}, ...g.attachments.map((a) => h("li", {}, h("a", { href: `/attachments/${a.id}`, text: a.filename })))) : null,
    );
  };
  const refresh = async () => {
    const g = (await gql(`query($id: ID!) { grievance(id: $id) { ${CASE.replaceAll("LANG", lang)} } }`, { id })).grievance;
    if (!g) return go("#/");
    // Opening the case records that this official has seen its feedback (seed 002).
    const seen = (await gql(`mutation($id: ID!) { feedbackView(id: $id) { __typename
      ... on FeedbackList { items { source resolved rating remarks } } } }`, { id })).feedbackView;
    draw(g, seen.items || []);
  };
  refresh();
  const stop = live(`subscription($id: ID!) { grievanceUpdated(id: $id) { version } }`, { id }, () => refresh());
  return stop;
}

function disputeSides(g, feedback) {
  const atr = [...g.reports].reverse().find((r) => r.kind === "FINAL");
  const said = feedback.filter((f) => !f.resolved);
  return h("div", { class: "sides", id: "dispute-sides" },
    h("section", {}, h("h2", { text: t("atrSide") }), atr ? h("blockquote", {}, h("p", { text: atr.actionTaken }), h("p", { text: atr.reply })) : null),
    h("section", {}, h("h2", { text: t("feedbackSide") }), ...said.map((f) => h("blockquote", { text: `${f.source}: ${f.rating ?? ""} ${f.remarks}` }))));
}

// The citizen's details: masked for an official not handling the case, who may reveal
// them by giving a reason (recorded in the audit trail with the view).
function contact(g) {
  const line = h("p", { id: "citizen-contact", text: `${t("citizenLabel")}: ${g.citizenName} (${g.citizenMobile}) — ${g.areaCode} ${g.locationAddress}` });
  if (!g.contactMasked) return line;
  const reason = h("input", { autocomplete: "off" });
  const form = h("form", { novalidate: true, class: "reveal" }, h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    field("reveal-reason", t("revealReason"), reason, t("revealHint")), h("button", { type: "submit", class: "secondary", text: t("revealContact") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const c = await send("grievanceRevealContact", { id: "ID!", reason: "String!" }, { id: g.id, reason: reason.value },
        "... on GrievanceContact { name mobile email address }");
      line.textContent = `${t("citizenLabel")}: ${[c.name, c.mobile, c.email, c.address].filter(Boolean).join(", ")} — ${g.areaCode} ${g.locationAddress}`;
      box.querySelector("details").remove();
    } catch (error) {
      showErrors(form, error, { reason: "reveal-reason" });
    }
  });
  const box = h("div", {}, line, h("details", {}, h("summary", { text: t("revealContact") }), form));
  return box;
}
