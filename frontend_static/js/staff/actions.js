// One form per action the lifecycle table offers the viewer on a case; every refusal
// is shown beside the fields it names and nothing typed is lost.
import { gql, unwrap } from "/js/api.js";
import { field, h, showErrors } from "/js/dom.js";
import { translate as t } from "/js/i18n.js";
import { send as sendMutation, unitPicker } from "/js/staff/common.js";

const REPORT_KINDS = { preliminary_report: "PRELIMINARY", interim_reply: "INTERIM", final_report: "FINAL" };


export function actions(g, refresh) {
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
  const send = (mutation, args, vars) => sendMutation(mutation, args, vars);
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
      const { search: find, select: units } = unitPicker(g.unit?.id);
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
