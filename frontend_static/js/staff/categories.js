// Categories (org admins, and a department's head for their department): the tree per
// department, a sub-category added or edited with its English and Hindi names and
// keywords, Right-to-Service days and sensitivity; retired, never deleted.
import { gql } from "/js/api.js";
import { app, field, h, put, showErrors } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { send, unitChooser } from "/js/staff/common.js";

const FIELDS = `id code version active isOthers sensitive rightToServiceDays names { language text }
  keywords { language keywords } name(language: "LANG")`;

const words = (text) => text.split(",").map((w) => w.trim()).filter(Boolean);
const named = (list, lang) => list.find((n) => n.language === lang);

export function categories() {
  const lang = getLanguage();
  const tree = h("ul", { class: "tree", id: "category-tree" });
  const desk = h("div", { id: "category-desk" });
  let department = null;
  let loads = 0;
  const chooser = unitChooser("cat-unit", (id) => load(id));
  put(app(), h("h1", { text: t("categoriesHeading") }), h("p", { class: "hint", text: t("categoriesHint") }), chooser.el, desk, tree);

  const load = async (id) => {
    department = id;
    const ticket = ++loads;
    const top = (await gql(`query($d: ID!) { categories(departmentId: $d, includeInactive: true) { ${FIELDS.replace("LANG", lang)} } }`,
      { d: id })).categories;
    if (ticket !== loads) return; // a later choice superseded this one
    put(tree, top.map(node));
    put(desk, h("button", { type: "button", text: t("addCategory"), onclick: () => edit(null, null) }));
  };

  const node = (c) => {
    const kids = h("ul", { hidden: true });
    const toggle = h("button", { type: "button", class: "link", "aria-expanded": "false", text: "▸", "aria-label": `${t("expand")} ${c.name}` });
    toggle.addEventListener("click", async () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      toggle.textContent = open ? "▸" : "▾";
      kids.hidden = open;
      if (!open && !kids.children.length) {
        const found = (await gql(`query($p: ID!) { categories(parentId: $p, includeInactive: true) { ${FIELDS.replace("LANG", lang)} } }`,
          { p: c.id })).categories;
        kids.append(...found.map(node));
      }
    });
    const label = `${c.name} (${c.code})${c.active ? "" : ` — ${t("inactive")}`}${c.sensitive ? ` — ${t("sensitive")}` : ""}`;
    return h("li", {}, toggle, " ", h("button", { type: "button", class: "link", text: label, onclick: () => edit(c, null) }),
      " ", c.active ? h("button", { type: "button", class: "link", text: t("addSub"), "aria-label": `${t("addSub")}: ${c.name}`,
        onclick: () => edit(null, c) }) : null, kids);
  };

  // One form for a new category (under `parent`, or at the department's top) or an edit.
  const edit = (c, parent) => {
    const input = (id, value = "") => h("input", { id, value, autocomplete: "off" });
    const rts = h("input", { type: "number", min: "1", max: "365", value: c?.rightToServiceDays ?? "" });
    const sensitive = h("input", { type: "checkbox", id: "cat-sensitive", checked: Boolean(c?.sensitive) });
    const others = h("input", { type: "checkbox", id: "cat-others", checked: Boolean(c?.isOthers) });
    const form = h("form", { class: "card", novalidate: true },
      h("h2", { text: c ? `${t("editCategory")}: ${c.name}` : parent ? `${t("addSub")}: ${parent.name}` : t("addCategory") }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("cat-code", t("shortCodeLabel"), input("cat-code", c?.code)),
      field("cat-name-en", t("nameEnglish"), input("cat-name-en", named(c?.names || [], "en")?.text)),
      field("cat-name-hi", t("nameHindi"), input("cat-name-hi", named(c?.names || [], "hi")?.text)),
      field("cat-words-en", t("keywordsEnglish"), input("cat-words-en", (named(c?.keywords || [], "en")?.keywords || []).join(", ")), t("keywordsHint")),
      field("cat-words-hi", t("keywordsHindi"), input("cat-words-hi", (named(c?.keywords || [], "hi")?.keywords || []).join(", "))),
      field("cat-rts", t("rtsDaysLabel"), rts, t("rtsDaysHint")),
      h("p", { class: "check" }, sensitive, h("label", { for: "cat-sensitive", text: t("sensitiveLabel") })),
      h("p", { class: "check" }, others, h("label", { for: "cat-others", text: t("othersLabel") })),
      h("button", { type: "submit", text: t("save") }),
      c?.active ? h("button", { type: "button", class: "secondary", text: t("retire"), onclick: () => retire() }) : null);
    const value = (id) => form.querySelector(`#${id}`).value.trim();
    const ids = { code: "cat-code", "names[0].text": "cat-name-en", "names[1].text": "cat-name-hi", names: "cat-name-en",
      rightToServiceDays: "cat-rts", "keywords[0].keywords": "cat-words-en", "keywords[1].keywords": "cat-words-hi" };
    const retire = async () => {
      try {
        await send("categoryDeactivate", { id: "ID!" }, { id: c.id });
        await load(department);
      } catch (error) {
        showErrors(form, error, ids);
      }
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = { code: value("cat-code"), names: [{ language: "en", text: value("cat-name-en") }, { language: "hi", text: value("cat-name-hi") }],
        keywords: [{ language: "en", keywords: words(value("cat-words-en")) }, { language: "hi", keywords: words(value("cat-words-hi")) }],
        rightToServiceDays: rts.value ? Number(rts.value) : null, sensitive: sensitive.checked, isOthers: others.checked };
      try {
        if (c) await send("categoryUpdate", { id: "ID!", input: "CategoryInput!", expectedVersion: "Int!" }, { id: c.id, input: data, expectedVersion: c.version });
        else await send("categoryCreate", { input: "CategoryInput!", departmentId: "ID", parentId: "ID" },
          { input: data, departmentId: parent ? null : department, parentId: parent?.id ?? null });
        await load(department);
        put(desk, h("p", { class: "notice", role: "status", text: t("saved") }),
          h("button", { type: "button", text: t("addCategory"), onclick: () => edit(null, null) }));
      } catch (error) {
        showErrors(form, error, ids);
      }
    });
    put(desk, form);
    form.querySelector("input").focus();
  };
  return () => {};
}
