// The organisation tree for org admins: create, move, merge, deactivate, each with the
// server's dry-run preview before it is confirmed.
import { gql, unwrap } from "/js/api.js";
import { app, field, h, put, showErrors } from "/js/dom.js";
import { getLanguage, translate as t } from "/js/i18n.js";
import { send } from "/js/staff/common.js";

export function orgTree(go) {
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
    const kind = h("select", {}, h("option", { value: "merge", text: t("orgMerge") }), h("option", { value: "move", text: t("orgMove") }),
      h("option", { value: "deactivate", text: t("orgDeactivate") }));
    const preview = h("div", { class: "preview", role: "status", "aria-live": "polite" });
    const confirm = h("button", { type: "button", text: t("orgConfirm"), hidden: true });
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: `${u.name} (${u.code})` }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("org-kind", t("orgWhat"), kind), field("org-find", t("filterSearch"), find), field("org-other", t("orgOther"), other),
      h("button", { type: "submit", text: t("orgPreview") }), preview, confirm);
    const run = async (dryRun) => {
      const merge = kind.value === "merge";
      if (kind.value === "deactivate") {
        // The successor takes the unit's pending work and people; none is needed for an empty unit.
        return send("unitDeactivate", { id: "ID!", dryRun: "Boolean!", successorId: "ID" }, { id: u.id, dryRun, successorId: other.value || null },
          "... on RestructurePlan { unitsMoved unitsDeactivated membershipsMoved pendingItemsMoved pendingItems targetCode notes }");
      }
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
        put(preview, h("p", { id: "org-plan", text: kind.value === "deactivate"
          ? t("orgPlanDeactivate", lang, { units: plan.unitsDeactivated, people: plan.membershipsMoved, pending: plan.pendingItemsMoved, target: plan.targetCode || "—" })
          : t("orgPlan", lang, { units: plan.unitsMoved, people: plan.membershipsMoved, pending: plan.pendingItemsMoved, target: plan.targetCode }) }),
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
    put(desk, form, createChild(u));
  };
  // A new unit under `u`: its code, kind, names in both languages and the area codes it serves.
  const createChild = (u) => {
    const kinds = ["DEPARTMENT", "DIRECTORATE", "DISTRICT", "CIRCLE", "SUB_DIVISION", "BLOCK", "OFFICE", "CELL", "CALL_CENTRE"];
    const unitKind = h("select", {}, ...kinds.map((k) => h("option", { value: k, text: t(`kind_${k.toLowerCase()}`) })));
    const form = h("form", { class: "card", novalidate: true }, h("h2", { text: `${t("orgCreate")}: ${u.name}` }),
      h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
      field("new-code", t("shortCodeLabel"), h("input", { autocomplete: "off" })), field("new-kind", t("kindLabel"), unitKind),
      field("new-name-en", t("nameEnglish"), h("input", { autocomplete: "off" })), field("new-name-hi", t("nameHindi"), h("input", { autocomplete: "off" })),
      field("new-areas", t("areaCodesLabel"), h("input", { autocomplete: "off" }), t("areaCodesHint")),
      h("button", { type: "submit", text: t("orgCreate") }));
    const value = (id) => form.querySelector(`#${id}`).value.trim();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const made = await send("unitCreate", { parentId: "ID!", input: "UnitInput!" }, { parentId: u.id, input: { code: value("new-code"),
          kind: unitKind.value, names: [{ language: "en", text: value("new-name-en") }, { language: "hi", text: value("new-name-hi") }],
          areaCodes: value("new-areas").split(",").map((a) => a.trim()).filter(Boolean) } }, "... on UnitSuccess { unit { code } }");
        put(desk, h("p", { class: "notice", role: "status", text: `${t("done")}: ${made.unit?.code ?? ""}` }));
      } catch (error) {
        showErrors(form, error, { code: "new-code", kind: "new-kind", "names[0].text": "new-name-en", "names[1].text": "new-name-hi", names: "new-name-en", areaCodes: "new-areas" });
      }
    });
    return form;
  };
  gql(`{ myUnits { id code name(language: "${lang}") } }`).then((d) => put(tree, d.myUnits.map(node))).catch(() => {});
  return () => {};
}
