// The staff console: sign-in, the inbox (filters, clock colours, live), and the case
// view offering exactly the actions the server's lifecycle table allows the viewer now.
import { gql, live, unwrap, upload } from "/js/api.js";
import { app, clockText, field, h, put, showErrors, statusText, when } from "/js/dom.js";
import { getLanguage, setLanguage, translate as t } from "/js/i18n.js";
import { areaPickers, categoryPicker } from "/js/pickers.js";

const RESULT = "__typename ... on OperationError { code message fields { field message } }";

function clockClass(g) {
  if (!g.dueAt) return "clock";
  const left = (new Date(g.dueAt) - Date.now()) / 1000;
  if (left < 0) return "clock overdue";
  return left < 6 * 3600 ? "clock soon" : "clock ok";
}

function clockWord(g) {
  const c = clockClass(g);
  return c.endsWith("overdue") ? t("clockOverdue") : c.endsWith("soon") ? t("clockSoon") : c.endsWith("ok") ? t("clockOk") : "";
}

// --- sign-in ------------------------------------------------------------------------

function signIn(go) {
  const form = h("form", { class: "card", novalidate: true },
    h("h1", { text: t("staffTitle") }),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    field("username", t("usernameLabel"), h("input", { autocomplete: "username", required: true })),
    field("password", t("passwordLabel"), h("input", { type: "password", autocomplete: "current-password", required: true })),
    h("button", { type: "submit", text: t("verify") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      unwrap((await gql(`mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) {
        __typename ... on SignInSuccess { expiresAt } ... on OperationError { code message fields { field message } } } }`,
      { u: form.querySelector("#username").value.trim(), p: form.querySelector("#password").value })).authSignInPassword);
      go("#/");
    } catch (error) {
      showErrors(form, error);
    }
  });
  put(app(), form);
  form.querySelector("input").focus();
  return () => {};
}

// --- the inbox ----------------------------------------------------------------------

const INBOX = `query($f: InboxFilterInput, $after: String) { inbox(filter: $f, first: 25, after: $after) {
  __typename ... on GrievancePage { endCursor hasNextPage items { id number subject status stage dueAt channel
  unit { name(language: "LANG") } } } ... on OperationError { code message } } }`;
const PENDING = ["FILED", "REGISTERED", "ALLOTTED", "ASSIGNED", "IN_PROGRESS", "AWAITING_CITIZEN", "RETURNED",
  "UNDER_REVIEW", "SENT_BACK", "DISPUTED", "APPEALED"];

function inbox(go) {
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

// --- the case -----------------------------------------------------------------------

const CASE = `id number subject description reliefSought status stage dueAt version citizenName citizenMobile
  areaCode locationAddress availableActions unit { id name(language: "LANG") }
  timeline(language: "LANG") { at action toStatus note unitName actorName internal }
  reports { kind reply actionTaken authorName createdAt } attachments { id filename }`;

function caseView(go, id) {
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
      h("p", {}, `${t("citizenLabel")}: ${g.citizenName} (${g.citizenMobile}) — ${g.areaCode} ${g.locationAddress}`),
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

const REPORT_KINDS = { preliminary_report: "PRELIMINARY", interim_reply: "INTERIM", final_report: "FINAL" };

function actions(g, refresh) {
  const box = h("div", { class: "actions" });
  for (const name of g.availableActions.map((a) => a.toLowerCase())) {
    const form = actionForm(g, name);
    if (!form) continue;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await form.run();
        await refresh();
      } catch (error) {
        showErrors(form, error, form.fieldIds || {});
      }
    });
    box.append(h("details", { class: "card action" }, h("summary", { text: t(`act_${name}`) }), form));
  }
  return box;
}

function textField(id, label, rows = 3) {
  return field(id, label, h("textarea", { rows: String(rows) }));
}

function actionForm(g, name) {
  const id = `${name}-${g.id}`;
  const form = h("form", { novalidate: true }, h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }));
  const value = (suffix) => form.querySelector(`#${id}-${suffix}`)?.value ?? "";
  const send = async (mutation, args, vars) => {
    const decl = Object.entries(args).map(([k, v]) => `$${k}: ${v}`).join(", ");
    const call = Object.keys(args).map((k) => `${k}: $${k}`).join(", ");
    const data = await gql(`mutation(${decl}) { ${mutation}(${call}) { ${RESULT} } }`, vars);
    unwrap(data[mutation]);
  };
  const base = { id: "ID!", expectedVersion: "Int" };
  const common = { id: g.id, expectedVersion: g.version };
  const button = (label) => h("button", { type: "submit", text: label });
  switch (name) {
    case "register":
    case "review_approve":
    case "close": {
      form.append(textField(`${id}-note`, t("noteLabel"), 2), button(t(`act_${name}`)));
      const mutation = { register: "grievanceRegister", review_approve: "reviewApprove", close: "grievanceClose" }[name];
      form.run = () => send(mutation, { ...base, note: "String!" }, { ...common, note: value("note") });
      form.fieldIds = { note: `${id}-note` };
      return form;
    }
    case "send_back":
    case "request_info":
    case "remand":
    case "uphold":
    case "appeal_reopen":
    case "appeal_uphold":
    case "comment": {
      const label = { request_info: t("questionLabel"), remand: t("directionsLabel"), appeal_reopen: t("directionsLabel") }[name] || t("noteLabel");
      form.append(textField(`${id}-text`, label), button(t(`act_${name}`)));
      const spec = {
        send_back: ["reviewSendBack", "note"], request_info: ["grievanceRequestInfo", "question"],
        remand: ["disputeRemand", "directions"], uphold: ["disputeUphold", "reason"],
        appeal_reopen: ["appealDecide", "text"], appeal_uphold: ["appealDecide", "text"], comment: ["grievanceComment", "text"],
      }[name];
      form.run = () => {
        const args = name === "comment" ? { id: "ID!" } : { ...base };
        const vars = name === "comment" ? { id: g.id } : { ...common };
        args[spec[1]] = "String!";
        vars[spec[1]] = value("text");
        if (name.startsWith("appeal_")) { args.reopen = "Boolean!"; vars.reopen = name === "appeal_reopen"; }
        return send(spec[0], args, vars);
      };
      form.fieldIds = { [spec[1]]: `${id}-text` };
      return form;
    }
    case "allot":
    case "transfer": {
      const units = h("select", {}, h("option", { value: "", text: t("choose") }));
      const find = h("input", { type: "search" });
      find.addEventListener("input", async () => {
        if (find.value.trim().length < 2) return;
        const found = (await gql(`query($s: String!) { units(search: $s, first: 20) { id code name(language: "${getLanguage()}") } }`, { s: find.value.trim() })).units;
        put(units, h("option", { value: "", text: t("choose") }), found.map((u) => h("option", { value: u.id, text: `${u.name} (${u.code})` })));
      });
      form.append(field(`${id}-find`, t("filterSearch"), find), field(`${id}-unit`, t("unitLabel"), units), button(t(`act_${name}`)));
      form.run = () => send(name === "allot" ? "grievanceAllot" : "grievanceTransfer", { ...base, unitId: "ID!" }, { ...common, unitId: units.value });
      form.fieldIds = { unitId: `${id}-unit` };
      return form;
    }
    case "not_ours": {
      form.append(field(`${id}-authority`, t("rightAuthorityLabel"), h("input", {})), button(t(`act_${name}`)));
      form.run = () => send("grievanceNotOurs", { ...base, rightAuthority: "String!" }, { ...common, rightAuthority: value("authority") });
      form.fieldIds = { rightAuthority: `${id}-authority` };
      return form;
    }
    case "assign": {
      const officers = h("select", {}, h("option", { value: "", text: t("choose") }));
      gql(`query($u: ID!) { unit(id: $u) { members { id fullName } } }`, { u: g.unit.id })
        .then((d) => officers.append(...(d.unit?.members || []).map((m) => h("option", { value: m.id, text: m.fullName }))))
        .catch(() => {});
      form.append(field(`${id}-officer`, t("officerLabel"), officers), button(t(`act_${name}`)));
      form.run = () => send("grievanceAssign", { ...base, officerId: "ID!" }, { ...common, officerId: officers.value });
      form.fieldIds = { officerId: `${id}-officer` };
      return form;
    }
    case "reject": {
      const reasons = ["SUB_JUDICE", "RTI_MATTER", "SUGGESTION_ONLY", "DUPLICATE", "SERVICE_MATTER", "POLICY_DECISION",
        "OUTSIDE_JURISDICTION", "INCOMPLETE", "ABUSIVE"];
      const reason = h("select", {}, ...reasons.map((r) => h("option", { value: r, text: r.replaceAll("_", " ").toLowerCase() })));
      form.append(field(`${id}-reason`, t("reasonLabel"), reason), textField(`${id}-note`, t("noteLabel")), button(t(`act_${name}`)));
      form.run = () => send("grievanceReject", { ...base, reason: "RejectionReason!", note: "String!" }, { ...common, reason: reason.value, note: value("note") });
      form.fieldIds = { reason: `${id}-reason`, note: `${id}-note` };
      return form;
    }
    case "link_duplicate": {
      form.append(field(`${id}-master`, t("masterLabel"), h("input", {})), button(t(`act_${name}`)));
      form.run = () => send("grievanceLinkDuplicate", { ...base, masterId: "ID!" }, { ...common, masterId: value("master") });
      form.fieldIds = { masterId: `${id}-master` };
      return form;
    }
    case "preliminary_report":
    case "interim_reply":
    case "final_report": {
      const yesNo = (suffix, label) => field(`${id}-${suffix}`, label, h("select", {}, h("option", { value: "", text: t("choose") }),
        h("option", { value: "yes", text: t("yes") }), h("option", { value: "no", text: t("no") })));
      const kind = REPORT_KINDS[name];
      if (kind === "PRELIMINARY") {
        form.append(yesNo("concerns", t("concernsOffice")), field(`${id}-authority`, t("rightAuthorityLabel"), h("input", {})),
          yesNo("known", t("knownBefore")), yesNo("resolvable", t("resolvable72")), textField(`${id}-reasons`, t("reasonsIfNot")));
      }
      if (kind !== "INTERIM") form.append(textField(`${id}-action`, t("actionTaken")));
      form.append(textField(`${id}-reply`, t("replyToCitizen")), button(t(`act_${name}`)));
      const yn = (suffix) => ({ yes: true, no: false })[value(suffix)] ?? null;
      form.run = async () => {
        const input = { actionTaken: value("action"), reply: value("reply") };
        if (kind === "PRELIMINARY") Object.assign(input, { concernsOffice: yn("concerns"), rightAuthority: value("authority"),
          knownBefore: yn("known"), resolvableIn72h: yn("resolvable"), reasonsIfNot: value("reasons") });
        const data = await gql(`mutation($id: ID!, $k: ReportKind!, $i: ReportInput!, $v: Int) { reportSubmit(id: $id, kind: $k, input: $i, expectedVersion: $v) {
          __typename ... on OperationError { code message fields { field message } } } }`, { id: g.id, k: kind, i: input, v: g.version });
        unwrap(data.reportSubmit);
      };
      form.fieldIds = { actionTaken: `${id}-action`, reply: `${id}-reply`, concernsOffice: `${id}-concerns`, rightAuthority: `${id}-authority`,
        knownBefore: `${id}-known`, resolvableIn72h: `${id}-resolvable`, reasonsIfNot: `${id}-reasons` };
      return form;
    }
    default:
      return null;
  }
}


// --- the call centre ----------------------------------------------------------------

const QUEUE = `{ feedbackCallQueue(first: 30) { __typename ... on FeedbackCallQueue { items { id status attempts sensitive
  closedAt grievance { id number subject citizenName citizenMobile status } } } ... on OperationError { code message } } }`;

function calls(go) {
  const list = h("ul", { class: "grievance-list", id: "call-queue" });
  const desk = h("div", { id: "call-desk" });
  put(app(), h("h1", { text: t("callsHeading") }), desk, list);
  const load = async () => {
    const queue = (await gql(QUEUE)).feedbackCallQueue;
    if (queue.__typename === "OperationError") {
      put(list, h("li", { text: queue.message }));
      return;
    }
    put(list, queue.items.length ? queue.items.map((c) => h("li", { class: "card" },
      h("p", {}, h("strong", { text: c.grievance.number }), c.sensitive ? ` — ${t("sensitive")}` : ""),
      h("p", { text: `${c.grievance.subject} — ${c.grievance.citizenName} (${c.grievance.citizenMobile})` }),
      h("button", { type: "button", text: t("claimCall"), onclick: () => claim(c) }))) : [h("li", { text: t("inboxEmpty") })]);
  };
  const claim = async (c) => {
    try {
      unwrap((await gql(`mutation($id: ID!) { feedbackCallClaim(id: $id) { __typename ... on OperationError { code message fields { field message } } } }`, { id: c.id })).feedbackCallClaim);
    } catch (error) {
      put(desk, h("p", { class: "form-error", role: "alert", text: error.message }));
      return load();
    }
    const reached = h("select", {}, h("option", { value: "yes", text: t("yes") }), h("option", { value: "no", text: t("no") }));
    const resolved = h("select", {}, h("option", { value: "", text: t("choose") }), h("option", { value: "yes", text: t("yes") }), h("option", { value: "no", text: t("no") }));
    const rating = h("select", {}, h("option", { value: "", text: t("choose") }), ...[1, 2, 3, 4, 5].map((n) => h("option", { value: String(n), text: String(n) })));
    const remarks = h("textarea", { rows: "3" });
    const recording = h("input", { type: "file", accept: "audio/*" });
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: `${t("callingAbout")} ${c.grievance.number}` }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("reached", t("reachedLabel"), reached), field("resolved", t("feedbackHeading"), resolved),
      field("rating", t("ratingLabel"), rating), field("remarks", t("remarksLabel"), remarks),
      field("recordingId", t("recordingLabel"), recording), h("button", { type: "submit", text: t("recordCall") }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const file = recording.files[0];
        const recordingId = file ? (await upload(file, () => {})).id : null;
        unwrap((await gql(`mutation($id: ID!, $reached: Boolean!, $resolved: Boolean, $rating: Int, $remarks: String!, $rec: ID) {
          feedbackCallRecord(id: $id, reached: $reached, resolved: $resolved, rating: $rating, remarks: $remarks, recordingId: $rec) {
          __typename ... on OperationError { code message fields { field message } } } }`, {
          id: c.id, reached: reached.value === "yes", resolved: resolved.value ? resolved.value === "yes" : null,
          rating: rating.value ? Number(rating.value) : null, remarks: remarks.value, rec: recordingId })).feedbackCallRecord);
        put(desk, h("p", { class: "notice", role: "status", text: t("done") }));
        load();
      } catch (error) {
        showErrors(form, error);
      }
    });
    put(desk, form);
    form.querySelector("select").focus();
    load();
  };
  load();
  return () => {};
}


// --- filing for a citizen (the cell's petitions, the call centre's callers) ---------

const STAFF_CHANNELS = ["POST", "EMAIL", "WHATSAPP", "COUNTER", "IN_PERSON", "PHONE"];

function fileForCitizen(go) {
  const lang = getLanguage();
  const picker = categoryPicker(lang);
  const areas = areaPickers(lang);
  const channel = h("select", {}, ...STAFF_CHANNELS.map((c) => h("option", { value: c, text: t(`channel_${c.toLowerCase()}`) })));
  const language = h("select", {}, h("option", { value: "hi", text: "हिन्दी" }), h("option", { value: "en", text: "English" }));
  const files = h("input", { type: "file", multiple: true, accept: "image/jpeg,image/png,image/webp,application/pdf" });
  const form = h("form", { class: "card", novalidate: true },
    h("h1", { text: t("fileForCitizen") }),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    field("channel", t("channelLabel"), channel),
    field("citizenName", t("citizenNameLabel"), h("input", { autocomplete: "off" })),
    field("citizenMobile", t("mobileLabel"), h("input", { inputmode: "numeric", maxlength: "10" })),
    field("citizenAddress", t("addressLabel"), h("textarea", { rows: "2" })),
    field("language", t("languageForCitizen"), language),
    field("search", t("searchLabel"), picker.search, t("searchHint")),
    h("p", { id: "category-label", class: "visually-hidden", text: t("categoryChoice") }), picker.results,
    field("district", t("districtLabel"), areas.district), field("block", t("blockLabel"), areas.block),
    field("subject", t("subjectLabel"), h("input", { maxlength: "200" })),
    field("description", t("descriptionLabel"), h("textarea", { rows: "5" })),
    field("relief", t("reliefLabel"), h("textarea", { rows: "3" })),
    field("files", t("scansLabel"), files),
    h("button", { type: "submit", text: t("submit") }));
  const value = (id) => form.querySelector(`#${id}`).value;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const ids = [];
      for (const f of files.files) ids.push((await upload(f, () => {})).id);
      const data = await gql(`mutation($i: GrievanceFileInput!) { grievanceFile(input: $i) { __typename
        ... on GrievanceFileSuccess { grievance { id number } } ... on OperationError { code message fields { field message } } } }`, { i: {
        channel: channel.value, citizenName: value("citizenName"), citizenMobile: value("citizenMobile"),
        citizenAddress: value("citizenAddress"), language: language.value, categoryId: picker.chosen?.leaf.id || "",
        areaCode: areas.code(), subject: value("subject"), description: value("description"), reliefSought: value("relief"),
        attachmentIds: ids } });
      const g = unwrap(data.grievanceFile).grievance;
      put(app(), h("section", { class: "card done" }, h("h1", { text: t("filedHeading") }),
        h("p", { class: "big-number", id: "filed-number", text: g.number }), h("p", {}, h("a", { href: `#/cases/${g.id}`, text: g.number }))));
    } catch (error) {
      showErrors(form, error, { categoryId: "search", areaCode: "district", reliefSought: "relief", attachmentIds: "files" });
    }
  });
  put(app(), form);
  return picker.stop;
}


// --- the organisation tree (org admins): move, merge, deactivate, each previewed ----

function orgTree(go) {
  const lang = getLanguage();
  const tree = h("ul", { class: "tree", id: "org-tree" });
  const desk = h("div", { id: "org-desk" });
  put(app(), h("h1", { text: t("orgHeading") }), desk, tree);
  const node = (u) => {
    const kids = h("ul", { hidden: true });
    const toggle = h("button", { type: "button", class: "link", "aria-expanded": "false", text: "▸",
      "aria-label": `${t("expand")} ${u.name}` });
    toggle.addEventListener("click", async () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      toggle.textContent = open ? "▸" : "▾";
      kids.hidden = open;
      if (!open && !kids.children.length) {
        const data = await gql(`query($id: ID!) { unit(id: $id) { children { id code name(language: "${lang}") } } }`, { id: u.id });
        kids.append(...(data.unit?.children || []).map(node));
      }
    });
    const pick = h("button", { type: "button", class: "link", text: `${u.name} (${u.code})`, onclick: () => manage(u) });
    return h("li", {}, toggle, " ", pick, kids);
  };
  const manage = (u) => {
    const other = h("select", {}, h("option", { value: "", text: t("choose") }));
    const find = h("input", { type: "search" });
    find.addEventListener("input", async () => {
      if (find.value.trim().length < 2) return;
      const found = (await gql(`query($s: String!) { units(search: $s, first: 20) { id code name(language: "${lang}") } }`, { s: find.value.trim() })).units;
      put(other, h("option", { value: "", text: t("choose") }), found.filter((x) => x.id !== u.id).map((x) => h("option", { value: x.id, text: `${x.name} (${x.code})` })));
    });
    const kind = h("select", {}, h("option", { value: "merge", text: t("orgMerge") }), h("option", { value: "move", text: t("orgMove") }));
    const preview = h("div", { class: "preview", role: "status", "aria-live": "polite" });
    const confirm = h("button", { type: "button", text: t("orgConfirm"), hidden: true });
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: `${u.name} (${u.code})` }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("org-kind", t("orgWhat"), kind), field("org-find", t("filterSearch"), find), field("org-other", t("orgOther"), other),
      h("button", { type: "submit", text: t("orgPreview") }), preview, confirm);
    const run = async (dryRun) => {
      const merge = kind.value === "merge";
      const data = await gql(merge
        ? `mutation($a: ID!, $b: ID!, $d: Boolean!) { r: unitMerge(sourceId: $a, targetId: $b, dryRun: $d) { __typename
            ... on RestructurePlan { unitsMoved membershipsMoved pendingItemsMoved pendingItems targetCode notes }
            ... on OperationError { code message fields { field message } } } }`
        : `mutation($a: ID!, $b: ID!, $d: Boolean!) { r: unitMove(id: $a, newParentId: $b, dryRun: $d) { __typename
            ... on RestructurePlan { unitsMoved membershipsMoved pendingItemsMoved pendingItems targetCode notes }
            ... on OperationError { code message fields { field message } } } }`, { a: u.id, b: other.value, d: dryRun });
      return unwrap(data.r);
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const plan = await run(true);
        put(preview, h("p", { id: "org-plan", text: t("orgPlan", lang, { units: plan.unitsMoved, people: plan.membershipsMoved,
          pending: plan.pendingItemsMoved, target: plan.targetCode }) }),
          plan.pendingItems.length ? h("p", { text: plan.pendingItems.join(", ") }) : null,
          ...plan.notes.map((n) => h("p", { class: "hint", text: n })));
        confirm.hidden = false;
      } catch (error) {
        showErrors(form, error, { targetId: "org-other", newParentId: "org-other", sourceId: "org-other" });
      }
    });
    confirm.addEventListener("click", async () => {
      try {
        await run(false);
        put(desk, h("p", { class: "notice", role: "status", text: t("done") }));
      } catch (error) {
        showErrors(form, error);
      }
    });
    put(desk, form);
  };
  gql(`{ myUnits { id code name(language: "${lang}") } }`).then((d) => put(tree, d.myUnits.map(node))).catch(() => {});
  return () => {};
}

// --- router -------------------------------------------------------------------------

let cleanup = () => {};
function route() {
  cleanup();
  const go = (hash) => { if (location.hash === hash) route(); else location.hash = hash; };
  const hash = location.hash || "#/";
  const match = hash.match(/^#\/cases\/(\d+)$/);
  const base = hash.split("?")[0];
  const views = { "#/sign-in": signIn, "#/calls": calls, "#/file": fileForCitizen, "#/org": orgTree };
  cleanup = views[base] ? views[base](go) : match ? caseView(go, match[1]) : inbox(go);
}

function renderStrings() {
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === getLanguage()));
  document.title = t("staffTitle");
}

for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
document.addEventListener("app:languagechange", () => { renderStrings(); route(); });
document.getElementById("sign-out")?.addEventListener("click", async () => {
  await gql("mutation { authSignOut { __typename } }").catch(() => {});
  location.hash = "#/sign-in";
});
window.addEventListener("hashchange", route);
renderStrings();
route();
