// Filing for a citizen: the cell's postal petitions and counters, the call centre's callers.
import { gql, unwrap, upload } from "/js/api.js";
import { app, field, h, put, showErrors } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { areaPickers, categoryPicker } from "/js/pickers.js";
import { unitPicker } from "/js/staff/common.js";

const STAFF_CHANNELS = ["POST", "EMAIL", "WHATSAPP", "COUNTER", "IN_PERSON", "PHONE"];


export function fileForCitizen(go) {
  const lang = getLanguage();
  const picker = categoryPicker(lang);
  const areas = areaPickers(lang);
  const channel = h("select", {}, ...STAFF_CHANNELS.map((c) => h("option", { value: c, text: t(`channel_${c.toLowerCase()}`) })));
  const language = h("select", {}, h("option", { value: "hi", text: "हिन्दी" }), h("option", { value: "en", text: "English" }));
  const files = h("input", { type: "file", multiple: true, accept: "image/jpeg,image/png,image/webp,application/pdf" });
  // Conflict of interest: the office the petition complains of never receives or sees it.
  const against = unitPicker();
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
    field("against-find", t("againstUnitFind"), against.search),
    field("against-unit", t("againstUnitLabel"), against.select, t("againstUnitHint")),
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
        attachmentIds: ids, againstUnitId: against.select.value || null } });
      const g = unwrap(data.grievanceFile).grievance;
      put(app(), h("section", { class: "card done" }, h("h1", { text: t("filedHeading") }),
        h("p", { class: "big-number", id: "filed-number", text: g.number }), h("p", {}, h("a", { href: `#/cases/${g.id}`, text: g.number }))));
    } catch (error) {
      showErrors(form, error, { categoryId: "search", areaCode: "district", reliefSought: "relief", attachmentIds: "files",
        againstUnitId: "against-unit" });
    }
  });
  put(app(), form);
  return picker.stop;
}
