// Time limits (org admins): each stage's limit in force at a unit and where it comes
// from, the unit's own policies (set or removed), and the working calendar the limits
// are counted in, with its holidays.
import { OperationFailed, gql } from "/js/api.js";
import { app, field, h, put, showErrors } from "/js/dom.js";
import { formatDate, getLanguage, translate as t } from "/js/i18n.js";
import { send, unitChooser } from "/js/staff/common.js";

const STAGES = ["REGISTRATION", "ALLOTMENT", "PRELIMINARY_REPORT", "FINAL_REPORT", "REVIEW", "CITIZEN_REPLY",
  "DISPUTE_DECISION", "HELP_TO_APPLY", "APPEAL_DECISION", "DISPOSAL", "INFORM_CITIZEN"];
const MODES = ["WALL_HOURS", "WORKING_HOURS", "WORKING_DAYS"];
const DAYS = [0, 1, 2, 3, 4, 5, 6];
const stageText = (s) => t(`stage_${s.toLowerCase()}`);

export function timeLimits() {
  const lang = getLanguage();
  const limits = h("div", { id: "sla-limits" });
  const calendar = h("div", { id: "sla-calendar" });
  let unitId = null;
  let loads = 0;
  const chooser = unitChooser("sla-unit", (id) => { unitId = id; load(); });
  put(app(), h("h1", { text: t("slaHeading") }), chooser.el, limits, calendar);

  const load = async () => {
    const ticket = ++loads;
    const data = await gql(`query($u: ID!) { unit(id: $u) { code name(language: "${lang}") }
      slaEffective(unitId: $u) { __typename ... on SlaEffective { limits { stage mode amount source } } ... on OperationError { message } }
      slaPolicies(unitId: $u) { __typename ... on SlaPolicyList { policies { id unitId stage mode amount categoryCode } } ... on OperationError { message } }
      slaCalendar(unitId: $u) { __typename ... on SlaCalendar { inherited sourceUnitCode version weekdays startTime endTime
        secondAndFourthSaturdaysOff year holidays { id day name kind unitCode } } ... on OperationError { message } } }`, { u: unitId });
    if (ticket !== loads) return; // a later choice superseded this one
    if (data.slaEffective.__typename === "OperationError") return put(limits, h("p", { class: "form-error", role: "alert", text: data.slaEffective.message }));
    drawLimits(data.unit, data.slaEffective.limits, data.slaPolicies.policies || []);
    drawCalendar(data.slaCalendar);
  };

  const drawLimits = (unit, effective, policies) => {
    const own = policies.filter((p) => p.unitId === unitId);
    const stage = h("select", {}, ...STAGES.map((s) => h("option", { value: s, text: stageText(s) })));
    const mode = h("select", {}, ...MODES.map((m) => h("option", { value: m, text: t(`mode_${m.toLowerCase()}`) })));
    const amount = h("input", { type: "number", min: "0.5", step: "0.5", inputmode: "decimal" });
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: t("setLimit") }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("sla-stage", t("stageLabel"), stage), field("sla-mode", t("modeLabel"), mode), field("sla-amount", t("amountLabel"), amount),
      h("button", { type: "submit", text: t("save") }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await send("slaPolicySet", { input: "SlaPolicyInput!" }, { input: { unitId, stage: stage.value, mode: mode.value, amount: Number(amount.value || 0) } });
        await load();
      } catch (error) {
        showErrors(form, error, { stage: "sla-stage", mode: "sla-mode", amount: "sla-amount" });
      }
    });
    put(limits, h("h2", { id: "sla-unit-heading", text: `${t("limitsInForce")} — ${unit?.name ?? ""} (${unit?.code ?? ""})` }),
      h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("limitsInForce") }, h("table", { id: "sla-table" }, h("thead", {}, h("tr", {}, ...[t("stageLabel"), t("amountLabel"), t("sourceLabel"), ""]
        .map((x) => h("th", { scope: "col", text: x })))),
      h("tbody", {}, ...effective.map((l) => {
        const policy = own.find((p) => p.stage === l.stage && !p.categoryCode);
        return h("tr", {}, h("td", { text: stageText(l.stage) }), h("td", { text: `${l.amount} ${t(`mode_${l.mode.toLowerCase()}`)}` }),
          h("td", { text: l.source }), h("td", {}, policy ? h("button", { type: "button", class: "link", text: t("remove"),
            "aria-label": `${t("remove")}: ${stageText(l.stage)}`, onclick: async () => {
              await send("slaPolicyDelete", { id: "ID!" }, { id: policy.id }).catch((e) => alertIn(limits, e));
              load();
            } }) : null));
      })))), form);
  };

  const drawCalendar = (c) => {
    if (c.__typename === "OperationError") return put(calendar, h("p", { class: "form-error", role: "alert", text: c.message }));
    const days = DAYS.map((d) => h("input", { type: "checkbox", id: `day-${d}`, checked: c.weekdays.includes(d) }));
    const start = h("input", { type: "time", value: c.startTime });
    const end = h("input", { type: "time", value: c.endTime });
    const saturdays = h("input", { type: "checkbox", id: "cal-saturdays", checked: c.secondAndFourthSaturdaysOff });
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: t("calendarHeading") }),
      h("p", { class: "hint", text: c.inherited ? t("calendarInherited", lang, { unit: c.sourceUnitCode || "—" }) : t("calendarOwn") }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      h("fieldset", {}, h("legend", { text: t("workingDays") }),
        ...DAYS.map((d) => h("span", { class: "check" }, days[d], h("label", { for: `day-${d}`, text: t(`day_${d}`) })))),
      field("cal-start", t("startTime"), start), field("cal-end", t("endTime"), end),
      h("p", { class: "check" }, saturdays, h("label", { for: "cal-saturdays", text: t("saturdaysOff") })),
      h("button", { type: "submit", text: t("save") }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await send("slaCalendarSet", { unitId: "ID!", input: "SlaCalendarInput!", version: "Int" }, { unitId, version: c.inherited ? null : c.version,
          input: { weekdays: DAYS.filter((d) => days[d].checked), startTime: start.value, endTime: end.value, secondAndFourthSaturdaysOff: saturdays.checked } });
        await load();
      } catch (error) {
        showErrors(form, error, { startTime: "cal-start", endTime: "cal-end" });
      }
    });
    const day = h("input", { type: "date" });
    const name = h("input", { autocomplete: "off" });
    const add = h("form", { class: "card", novalidate: true }, h("h2", { text: t("addHoliday") }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("hol-day", t("dateLabel"), day), field("hol-name", t("holidayName"), name), h("button", { type: "submit", text: t("save") }));
    add.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        // The date input gives "" for a missing or impossible date; say so before the server would.
        if (!day.value) throw new OperationFailed("VALIDATION", t("dateRequired"), [{ field: "day", message: t("dateRequired") }]);
        await send("slaHolidayAdd", { unitId: "ID!", day: "Date!", name: "String!" }, { unitId, day: day.value, name: name.value });
        await load();
      } catch (error) {
        showErrors(add, error, { day: "hol-day", name: "hol-name" });
      }
    });
    put(calendar, form, h("h2", { text: t("holidaysIn", lang, { year: c.year }) }),
      h("ul", { id: "holidays" }, ...c.holidays.map((d) => h("li", {}, `${formatDate(new Date(`${d.day}T00:00:00`))} — ${d.name}`,
        d.kind === "UNIT" ? ` (${d.unitCode}) ` : "", d.id ? h("button", { type: "button", class: "link", text: t("remove"),
          "aria-label": `${t("remove")}: ${d.name}`, onclick: async () => {
            await send("slaHolidayRemove", { id: "ID!" }, { id: d.id }).catch((e) => alertIn(calendar, e));
            load();
          } }) : null))), add);
  };
  return () => {};
}

function alertIn(box, error) {
  box.prepend(h("p", { class: "form-error", role: "alert", text: error.message }));
}

