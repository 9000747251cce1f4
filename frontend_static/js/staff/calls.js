// The call centre's desk: the feedback-call queue, claim, and record the outcome.
import { gql, unwrap, upload } from "/js/api.js";
import { app, field, h, put, showErrors } from "/js/dom.js";
import { translate as t } from "/js/i18n.js";

const QUEUE = `{ feedbackCallQueue(first: 30) { __typename ... on FeedbackCallQueue { items { id status attempts sensitive
  closedAt grievance { id number subject citizenName citizenMobile status } } } ... on OperationError { code message } } }`;


export function calls(go) {
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
    // On the call the agent handles the grievance: its number comes in clear now.
    const who = (await gql(`query($id: ID!) { grievance(id: $id) { citizenName citizenMobile } }`, { id: c.grievance.id })).grievance;
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: `${t("callingAbout")} ${c.grievance.number}` }),
      who ? h("p", { id: "call-citizen", class: "big-number", text: `${who.citizenName} — ${who.citizenMobile}` }) : null,
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
