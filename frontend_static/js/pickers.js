// The category search (a whole path in one pick) and the district / block pickers,
// shared by the citizen's filing form and the staff console's.
import { gql, unwrap } from "/js/api.js";
import { h, put } from "/js/dom.js";
import { translate as t } from "/js/i18n.js";

export function categoryPicker(lang) {
  const results = h("div", { class: "matches", role: "radiogroup", "aria-labelledby": "category-label" });
  const search = h("input", { type: "search", autocomplete: "off" });
  const picker = { search, results, chosen: null, stop: () => clearTimeout(timer) };
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = search.value.trim();
      if (text.length < 2) return put(results);
      const found = unwrap((await gql(`query($q: String!, $l: String!) { categorySearch(text: $q, language: $l, limit: 8) {
        __typename ... on CategorySearchResults { matches { leaf { id } path { id name(language: "${lang}") } } }
        ... on OperationError { code message } } }`, { q: text, l: lang })).categorySearch);
      put(results, found.matches.length ? found.matches.map((m) => h("label", { class: "match" },
        h("input", { type: "radio", name: "category", value: m.leaf.id, onchange: () => { picker.chosen = m; picker.onchoose?.(m); } }),
        m.path.map((p) => p.name).join(" › "))) : [h("p", { text: t("noMatch") })]);
    }, 250);
  });
  return picker;
}

export function areaPickers(lang) {
  const district = h("select", {}, h("option", { value: "", text: t("choose") }));
  const block = h("select", {}, h("option", { value: "", text: t("choose") }));
  district.addEventListener("change", async () => {
    put(block, h("option", { value: "", text: t("choose") }));
    if (!district.value) return;
    const areas = (await gql(`query($p: String!, $l: String!) { filingAreas(parentCode: $p, language: $l) { code name } }`,
      { p: district.value, l: lang })).filingAreas;
    block.append(...areas.map((a) => h("option", { value: a.code, text: a.name })));
  });
  gql(`query($l: String!) { filingAreas(language: $l) { code name } }`, { l: lang })
    .then((d) => district.append(...d.filingAreas.map((a) => h("option", { value: a.code, text: a.name }))))
    .catch(() => {});
  return { district, block, code: () => block.value || district.value };
}
