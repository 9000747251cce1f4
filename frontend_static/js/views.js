// The citizen's screens. Each view renders into #app and returns a cleanup function.
import { gql, live, unwrap, upload } from "/js/api.js";
import { app, clockText, field, h, put, showErrors, statusText, when } from "/js/dom.js";
import { formatDate, formatNumber, getLanguage, translate as t } from "/js/i18n.js";
import { areaPickers, categoryPicker } from "/js/pickers.js";
import { flushQueue, newKey, queueFiling, queuedFilings, recall, remember } from "/js/offline.js";

// --- sign-in ----------------------------------------------------------------------

export function signIn(go) {
  let mobile = "";
  const form = h("form", { class: "card", novalidate: true });
  const render = (step) => {
    put(form, 
      h("h2", { text: t("signInHeading") }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      step === "mobile"
        ? field("mobile", t("mobileLabel"), h("input", { inputmode: "numeric", autocomplete: "tel-national", maxlength: "10", value: mobile, required: true }))
        : field("code", t("codeLabel", getLanguage(), { mobile }), h("input", { inputmode: "numeric", autocomplete: "one-time-code", maxlength: "6", required: true })),
      h("button", { type: "submit", text: step === "mobile" ? t("sendCode") : t("verify") }),
    );
    form.dataset.step = step;
    form.querySelector("input").focus();
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      if (form.dataset.step === "mobile") {
        mobile = form.querySelector("#mobile").value.trim();
        unwrap((await gql(`mutation($m: String!) { authRequestOtp(mobile: $m) { __typename
          ... on OtpSent { mobile } ... on OperationError { code message fields { field message } } } }`, { m: mobile })).authRequestOtp);
        render("code");
      } else {
        const code = form.querySelector("#code").value.trim();
        unwrap((await gql(`mutation($m: String!, $c: String!) { authVerifyOtp(mobile: $m, code: $c) { __typename
          ... on SignInSuccess { expiresAt } ... on OperationError { code message fields { field message } } } }`, { m: mobile, c: code })).authVerifyOtp);
        go("#/");
      }
    } catch (error) {
      showErrors(form, error);
    }
  });
  render("mobile");
  put(app(), form);
  return () => {};
}

// --- my grievances ------------------------------------------------------------------

const LIST = `{ myGrievances(first: 50) { __typename ... on GrievancePage { items {
  id number subject status dueAt unit { name(language: "LANG") } } }
  ... on OperationError { code message } } }`;

export function mine(go) {
  const list = h("ul", { class: "grievance-list" });
  const note = h("p", { class: "notice", hidden: true });
  const push = pushToggle();
  put(app(), 
    h("h2", { text: t("mineHeading") }),
    h("p", {}, h("a", { class: "button", href: "#/file", text: t("navFile") }), " ", push),
    note, list,
  );
  const draw = (items, queued) => {
    put(list, 
      ...queued.map((q) => h("li", { class: "card queued" }, h("p", { class: "subject", text: q.input.subject }), h("p", { class: "badge", text: t("queuedMark") }))),
      ...items.map((g) => h("li", { class: "card" },
        h("a", { href: `#/grievances/${g.id}`, class: "number", text: g.number }),
        h("p", { class: "subject", text: g.subject }),
        h("p", {}, `${t("statusLabel")}: `, h("strong", { text: statusText(g.status) }), g.unit ? ` — ${t("officeLabel")}: ${g.unit.name}` : ""),
        h("p", { class: "clock", "data-due": g.dueAt || "", "data-status": g.status, text: clockText(g) }))),
    );
    if (!items.length && !queued.length) put(list, h("li", { text: t("noneYet") }));
  };
  const load = async () => {
    const queued = await queuedFilings().catch(() => []);
    try {
      const page = (await gql(LIST.replace("LANG", getLanguage()))).myGrievances;
      if (page.__typename === "OperationError") return go("#/sign-in");
      note.hidden = true;
      draw(page.items, queued);
      remember("mine", page.items);
    } catch {
      const cached = await recall("mine").catch(() => null);
      note.textContent = t("offlineMark", getLanguage(), { when: cached ? when(new Date(cached.savedAt).toISOString()) : "—" });
      note.hidden = false;
      draw(cached?.value || [], queued);
    }
  };
  load();
  const tick = setInterval(() => {
    for (const el of list.querySelectorAll(".clock")) el.textContent = clockText({ dueAt: el.dataset.due || null, status: el.dataset.status });
  }, 30000);
  const online = () => sendQueued().then(load);
  window.addEventListener("online", online);
  return () => {
    clearInterval(tick);
    window.removeEventListener("online", online);
  };
}

// --- filing -------------------------------------------------------------------------

const FILE = `mutation($input: GrievanceFileInput!) { grievanceFile(input: $input) { __typename
  ... on GrievanceFileSuccess { grievance { id number } }
  ... on OperationError { code message fields { field message } } } }`;

async function send(input) {
  const ids = [];
  for (const file of input.files || []) ids.push((await upload(file, () => {})).id);
  const { files, ...rest } = input;
  return unwrap((await gql(FILE, { input: { ...rest, attachmentIds: [...(rest.attachmentIds || []), ...ids] } })).grievanceFile).grievance;
}

export const sendQueued = () => flushQueue(send).catch(() => 0);

export function file(go) {
  const lang = getLanguage();
  const form = h("form", { class: "card", novalidate: true });
  const picker = categoryPicker(lang);
  const { search, results } = picker;
  const areas = areaPickers(lang);
  const { district, block } = areas;
  const name = h("input", { maxlength: "200", autocomplete: "name", required: true });
  const place = h("input", { maxlength: "500", autocomplete: "street-address" });
  let position = null;
  const gpsNote = h("span", { role: "status", "aria-live": "polite" });
  const gps = h("button", { type: "button", class: "secondary", text: t("useGps"), onclick: () => {
    if (!navigator.geolocation) { gpsNote.textContent = t("gpsFailed"); return; }
    navigator.geolocation.getCurrentPosition((p) => {
      position = { latitude: Number(p.coords.latitude.toFixed(6)), longitude: Number(p.coords.longitude.toFixed(6)) };
      gpsNote.textContent = t("gpsAdded");
    }, () => { gpsNote.textContent = t("gpsFailed"); }, { enableHighAccuracy: true, timeout: 15000 });
  } });
  const subject = h("input", { maxlength: "200", required: true });
  const description = h("textarea", { rows: "5", maxlength: "10000", required: true });
  const relief = h("textarea", { rows: "3", maxlength: "5000", required: true });
  const files = h("input", { type: "file", multiple: true, accept: "image/jpeg,image/png,image/webp,application/pdf", capture: "environment" });
  const progress = h("p", { class: "progress", role: "status", "aria-live": "polite" });
  const reviewBox = h("div", { class: "review", hidden: true });
  const key = newKey();
  recall("name").then((saved) => { if (saved && !name.value) name.value = saved.value; }).catch(() => {});
  name.addEventListener("change", () => remember("name", name.value).catch(() => {}));

  const input = () => ({
    channel: "WEB", categoryId: picker.chosen?.leaf.id || "", areaCode: areas.code(),
    citizenName: name.value, subject: subject.value, description: description.value, reliefSought: relief.value,
    language: lang, locationAddress: place.value, ...(position || {}),
    idempotencyKey: key,
  });

  const done = (g) => {
    const copy = h("button", { type: "button", text: t("copy"), onclick: async () => { await navigator.clipboard?.writeText(g.number).catch(() => {}); copy.textContent = t("copied"); } });
    put(app(), h("section", { class: "card done" }, h("h2", { text: t("filedHeading") }), h("p", { text: t("filedNumber") }),
      h("p", { class: "big-number", id: "filed-number", text: g.number }), copy, h("p", {}, h("a", { href: `#/grievances/${g.id}`, text: g.number }))));
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (reviewBox.hidden) {
      put(reviewBox, h("h3", { text: t("review") }),
        h("p", { text: picker.chosen ? picker.chosen.path.map((p) => p.name).join(" › ") : "—" }),
        h("p", { text: name.value }), h("p", { text: subject.value }), h("p", { text: description.value }), h("p", { text: relief.value }),
        h("p", { text: Array.from(files.files).map((f) => f.name).join(", ") }));
      reviewBox.hidden = false;
      form.querySelector("button[type=submit]").textContent = t("submit");
      reviewBox.focus();
      return;
    }
    const data = input();
    if (!navigator.onLine) {
      await queueFiling({ ...data, files: Array.from(files.files) });
      put(app(), h("section", { class: "card done" }, h("h2", { text: t("queuedHeading") }), h("p", { text: t("queuedText") })));
      return;
    }
    try {
      const ids = [];
      for (const f of files.files) {
        ids.push((await upload(f, (p) => { progress.textContent = t("uploading", lang, { name: f.name, percent: formatNumber(p) }); })).id);
      }
      progress.textContent = "";
      done(unwrap((await gql(FILE, { input: { ...data, attachmentIds: ids } })).grievanceFile).grievance);
    } catch (error) {
      if (error instanceof TypeError || error.message === "network") {
        await queueFiling({ ...data, files: Array.from(files.files) });
        put(app(), h("section", { class: "card done" }, h("h2", { text: t("queuedHeading") }), h("p", { text: t("queuedText") })));
        return;
      }
      reviewBox.hidden = true;
      form.querySelector("button[type=submit]").textContent = t("review");
      showErrors(form, error, { categoryId: "search", areaCode: "district", reliefSought: "relief", attachmentIds: "files",
        citizenName: "name", locationAddress: "place", latitude: "place", longitude: "place" });
    }
  });

  form.append(
    h("h2", { text: t("fileHeading") }),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    field("search", t("searchLabel"), search, t("searchHint")),
    h("p", { id: "category-label", class: "visually-hidden", text: t("categoryChoice") }), results,
    field("district", t("districtLabel"), district), field("block", t("blockLabel"), block),
    field("place", t("placeLabel"), place), h("p", {}, gps, " ", gpsNote),
    field("name", t("nameLabel"), name),
    field("subject", t("subjectLabel"), subject), field("description", t("descriptionLabel"), description),
    field("relief", t("reliefLabel"), relief), field("files", t("filesLabel"), files), progress,
    reviewBox, h("button", { type: "submit", text: t("review") }),
  );
  reviewBox.tabIndex = -1;
  put(app(), form);
  return picker.stop;
}

// --- one grievance, live ------------------------------------------------------------

const DETAIL = `id number subject status dueAt closedAt appealDeadline feedbackOpen masterNumber version
  unit { name(language: "LANG") } timeline(language: "LANG") { at action toStatus note unitName }
  reports { kind reply createdAt } attachments { id filename }`;

export function detail(go, id) {
  const lang = getLanguage();
  const root = h("section", { class: "grievance" });
  put(app(), h("p", {}, h("a", { href: "#/", text: t("back") })), root);
  let current = null;
  // The forms survive a redraw while the grievance stays in the same state, so a live
  // update never wipes what the citizen is typing.
  let kept = { key: "", el: null };
  const draw = (g) => {
    // Live messages and query answers can arrive out of order: never go back to an older
    // version (redrawing an older state would rebuild the forms and lose what was typed).
    if (current && current.id === g.id && g.version < current.version) return;
    current = g;
    const key = `${g.status}|${g.appealDeadline || ""}`;
    if (kept.key !== key) kept = { key, el: actions(g, () => refresh()) };
    remember(`g:${g.id}`, g);
    put(root, 
      h("h2", {}, h("span", { class: "number", text: g.number }), " ", h("span", { class: "subject", text: g.subject })),
      h("p", {}, `${t("statusLabel")}: `, h("strong", { id: "status-text", text: statusText(g.status) }), g.unit ? ` — ${t("officeLabel")}: ${g.unit.name}` : ""),
      h("p", { class: "clock", id: "clock", text: clockText(g) }),
      g.masterNumber ? h("p", { text: t("linkedTo", lang, { number: g.masterNumber }) }) : null,
      kept.el,
      h("h3", { text: t("timelineHeading") }),
      h("ol", { class: "timeline", id: "timeline" }, ...g.timeline.map((e) => h("li", {},
        h("time", { datetime: e.at, text: when(e.at) }), " ", h("strong", { text: statusText(e.toStatus) }),
        e.unitName ? ` — ${e.unitName}` : "", e.note ? h("p", { text: e.note }) : null))),
      g.reports.length ? h("h3", { text: t("reportsHeading") }) : null,
      ...g.reports.filter((r) => r.reply).map((r) => h("blockquote", { text: r.reply })),
      g.attachments.length ? h("h3", { text: t("filesHeading") }) : null,
      g.attachments.length ? h("ul", {}, ...g.attachments.map((a) => h("li", {}, h("a", { href: `/attachments/${a.id}`, text: a.filename })))) : null,
    );
  };
  const refresh = async () => {
    try {
      const g = (await gql(`query($id: ID!) { grievance(id: $id) { ${DETAIL.replaceAll("LANG", lang)} } }`, { id })).grievance;
      if (g) draw(g);
    } catch {
      const cached = await recall(`g:${id}`).catch(() => null);
      if (cached) {
        draw(cached.value);
        root.prepend(h("p", { class: "notice", text: t("offlineMark", lang, { when: when(new Date(cached.savedAt).toISOString()) }) }));
      }
    }
  };
  refresh();
  const stop = live(`subscription($id: ID!) { grievanceUpdated(id: $id) { ${DETAIL.replaceAll("LANG", lang)} } }`, { id },
    (data) => data.grievanceUpdated && draw(data.grievanceUpdated));
  const tick = setInterval(() => {
    const el = document.getElementById("clock");
    if (el && current) el.textContent = clockText(current);
  }, 1000);
  return () => {
    stop();
    clearInterval(tick);
  };
}

function actions(g, refresh) {
  const lang = getLanguage();
  const box = h("div", { class: "actions" });
  const act = (heading, fields, label, run) => {
    const form = h("form", { class: "card", novalidate: true }, h("h3", { text: heading }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }), ...fields, h("button", { type: "submit", text: label }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const thanks = await run(form);
        if (thanks) form.replaceWith(h("p", { class: "notice", role: "status", text: thanks }));
        await refresh();
      } catch (error) {
        showErrors(form, error);
      }
    });
    box.append(form);
  };
  const RESULT = "__typename ... on OperationError { code message fields { field message } }";
  if (g.status === "AWAITING_CITIZEN") {
    act(t("replyHeading"), [field("text", t("replyLabel"), h("textarea", { rows: "4", required: true }))], t("sendReply"), async (form) =>
      unwrap((await gql(`mutation($id: ID!, $text: String!) { grievanceReply(id: $id, text: $text) { ${RESULT} } }`,
        { id: g.id, text: form.querySelector("#text").value })).grievanceReply));
  }
  // The server says when feedback is still taken (once per disposal, within the window,
  // never on a closure already upheld on the citizen's word: then the route is the appeal).
  if (g.feedbackOpen) {
    const rating = h("select", {}, h("option", { value: "", text: t("choose") }), ...[1, 2, 3, 4, 5].map((n) => h("option", { value: String(n), text: formatNumber(n) })));
    const resolved = h("select", {}, h("option", { value: "yes", text: t("yes") }), h("option", { value: "no", text: t("no") }));
    act(t("feedbackHeading"), [field("resolved", t("feedbackHeading"), resolved), field("rating", t("ratingLabel"), rating),
      field("remarks", t("remarksLabel"), h("textarea", { rows: "3" }))], t("sendFeedback"), async (form) =>
      unwrap((await gql(`mutation($id: ID!, $r: Boolean!, $rating: Int, $remarks: String!) { feedbackGive(id: $id, resolved: $r, rating: $rating, remarks: $remarks) { ${RESULT} } }`,
        { id: g.id, r: resolved.value === "yes", rating: rating.value ? Number(rating.value) : null, remarks: form.querySelector("#remarks").value })).feedbackGive) && t("feedbackThanks"));
  }
  if (g.status === "CLOSED" || g.status === "REJECTED") {
    if (g.appealDeadline && new Date(g.appealDeadline) > new Date()) {
      act(t("appealHeading"), [h("p", { text: t("appealUntil", lang, { date: formatDate(new Date(g.appealDeadline)) }) }),
        field("grounds", t("groundsLabel"), h("textarea", { rows: "4", required: true }))], t("sendAppeal"), async (form) =>
        unwrap((await gql(`mutation($id: ID!, $g: String!) { appealFile(id: $id, grounds: $g) { ${RESULT} } }`,
          { id: g.id, g: form.querySelector("#grounds").value })).appealFile));
    }
  }
  return box;
}

// --- push ---------------------------------------------------------------------------

function pushToggle() {
  const button = h("button", { type: "button", class: "secondary" });
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    button.disabled = true;
    button.textContent = t("pushUnsupported");
    return button;
  }
  const b64 = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4)), (c) => c.charCodeAt(0));
  const state = async () => (await navigator.serviceWorker.ready).pushManager.getSubscription();
  const label = async () => { button.textContent = (await state()) ? t("pushOff") : t("pushOn"); };
  button.addEventListener("click", async () => {
    const registration = await navigator.serviceWorker.ready;
    const existing = await registration.pushManager.getSubscription();
    if (existing) {
      await gql(`mutation($e: String!) { pushUnsubscribe(endpoint: $e) { __typename } }`, { e: existing.endpoint }).catch(() => {});
      await existing.unsubscribe();
    } else {
      if ((await Notification.requestPermission()) !== "granted") {
        button.textContent = t("pushDenied");
        return;
      }
      const key = (await gql("{ pushPublicKey }")).pushPublicKey;
      const sub = (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64(key) })).toJSON();
      await gql(`mutation($e: String!, $p: String!, $a: String!) { pushSubscribe(endpoint: $e, p256dh: $p, auth: $a) { __typename } }`,
        { e: sub.endpoint, p: sub.keys.p256dh, a: sub.keys.auth });
    }
    label();
  });
  label().catch(() => {});
  return button;
}
