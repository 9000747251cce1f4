from __future__ import annotations

from dataclasses import replace

import pytest

from backend.accounts.roles import Role
from backend.audit.models import AuditEvent
from backend.audit.services import verify_chain
from backend.authz.actors import ANONYMOUS, SYSTEM, Actor
from backend.categories import selectors
from backend.categories.models import Category
from backend.categories.services import CategoryInput, create_category, deactivate_category, update_category
from backend.core.errors import DomainError, ErrorCode
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit
from backend.settings import Settings
from tests.conftest import NOW
from tests.factories import Tree, actor_for, small_state, staff, unit

pytestmark = pytest.mark.usefixtures("db")


def data(code: str, en: str = "", **extra: object) -> CategoryInput:
    return CategoryInput(code=code, names={"en": en or code.title()}, **extra)  # type: ignore[arg-type]


async def head_of(settings: Settings, tree: Tree, department: Unit | None = None, name: str = "head") -> Actor:
    return await actor_for(await staff(settings, name, (department or tree.dept, Role.HEAD)))


async def refused(call: object) -> DomainError:
    with pytest.raises(DomainError) as error:
        await call  # type: ignore[misc]
    return error.value


async def land_tree(dept: Unit) -> dict[str, Category]:
    """Revenue's land service with mutation and survey leaves, an encroachment service and Others."""
    land = await create_category(SYSTEM, data("REV-LAND", "Land records", keywords={"en": ["land", "jamabandi"],
                                                                                    "hi": ["भूमि", "ज़मीन"]}),
                                 department_id=dept.id, now=NOW)
    mutation = await create_category(
        SYSTEM, CategoryInput(code="REV-LAND-MUTATION", names={"en": "Mutation (dakhil-kharij) not done",
                                                               "hi": "दाखिल-खारिज नहीं हुआ"},
                              keywords={"en": ["mutation", "dakhil kharij"], "hi": ["दाखिल खारिज", "नामांतरण"]}),
        parent_id=land.id, now=NOW,
    )
    survey = await create_category(SYSTEM, data("REV-LAND-SURVEY", "Land survey and measurement",
                                                keywords={"en": ["survey", "measurement", "amin"]}),
                                   parent_id=land.id, now=NOW)
    encroach = await create_category(SYSTEM, data("REV-ENCROACH", "Encroachment of public land",
                                                  keywords={"en": ["encroachment", "kabza"], "hi": ["अतिक्रमण"]}),
                                     department_id=dept.id, now=NOW)
    others = await create_category(SYSTEM, data("REV-OTHERS", "Others (revenue)", is_others=True,
                                                keywords={"en": ["mutation", "land", "other"]}),
                                   department_id=dept.id, now=NOW)
    return {"land": land, "mutation": mutation, "survey": survey, "encroach": encroach, "others": others}


async def test_head_builds_a_tree_under_own_department(settings: Settings) -> None:
    tree = await small_state(settings)
    head = await head_of(settings, tree)
    service = await create_category(head, data("REV-LAND", "Land records", keywords={"en": ["Land", "land "]}),
                                    department_id=tree.dept.id, now=NOW)
    category = await create_category(head, data("REV-LAND-MUT"), parent_id=service.id, now=NOW)
    sub = await create_category(head, data("REV-LAND-MUT-DELAY"), parent_id=category.id, now=NOW)
    assert (service.path, service.depth) == (f"/{service.id}/", 0)
    assert (sub.path, sub.depth) == (f"/{service.id}/{category.id}/{sub.id}/", 2)
    assert sub.department_id == tree.dept.id  # type: ignore[attr-defined]
    assert service.keywords == {"en": ["land"]}
    assert service.search_text == "rev-land | land records | land"
    assert [c.code for c in await selectors.path_of(sub)] == ["REV-LAND", "REV-LAND-MUT", "REV-LAND-MUT-DELAY"]
    assert [c.code for c in await selectors.children(department_id=tree.dept.id)] == ["REV-LAND"]
    assert [c.code for c in await selectors.children(parent_id=service.id)] == ["REV-LAND-MUT"]
    assert not await selectors.is_leaf(category) and await selectors.is_leaf(sub)
    event = await AuditEvent.get(object_type="category", object_id=str(sub.id))
    assert (event.action, event.actor_id, event.unit_id) == ("category_created", head.audit_id, tree.dept.id)
    assert await verify_chain("category", sub.id)


async def test_head_of_one_department_is_refused_in_another(settings: Settings) -> None:
    tree = await small_state(settings)
    health = await unit("BR-HLT", UnitKind.DEPARTMENT, tree.state)
    theirs = await create_category(SYSTEM, data("HLT-HOSP"), department_id=health.id, now=NOW)
    head = await head_of(settings, tree)
    for call in (
        create_category(head, data("HLT-X"), department_id=health.id, now=NOW),
        create_category(head, data("HLT-Y"), parent_id=theirs.id, now=NOW),
        update_category(head, theirs.id, data("HLT-HOSP", "Mine now"), expected_version=1, now=NOW),
        deactivate_category(head, theirs.id, now=NOW),
    ):
        assert (await refused(call)).code is ErrorCode.FORBIDDEN
    assert await Category.all().count() == 1
    # A head of the health department may.
    health_head = await head_of(settings, tree, health, "health_head")
    assert (await create_category(health_head, data("HLT-X"), department_id=health.id, now=NOW)).code == "HLT-X"


async def test_officers_reviewers_and_anonymous_are_refused(settings: Settings) -> None:
    tree = await small_state(settings)
    officer = await actor_for(tree.users["officer_a"])
    # A nodal officer supervises the district but does not manage categories.
    nodal = await actor_for(tree.users["nodal_a"])
    for actor in (officer, nodal):
        error = await refused(create_category(actor, data("REV-X"), department_id=tree.dept.id, now=NOW))
        assert error.code is ErrorCode.FORBIDDEN
    anonymous = await refused(create_category(ANONYMOUS, data("REV-X"), department_id=tree.dept.id, now=NOW))
    assert anonymous.code is ErrorCode.UNAUTHENTICATED
    # Admins of the state above may.
    admin = await actor_for(tree.users["stateadmin"])
    assert await create_category(admin, data("REV-X"), department_id=tree.dept.id, now=NOW)


async def test_bad_input_names_every_field_and_creates_nothing(settings: Settings) -> None:
    tree = await small_state(settings)
    head = await head_of(settings, tree)
    bad = CategoryInput(
        code="-bad code", names={"hi": "x" * 201},
        keywords={"en": [f"word{i}" for i in range(51)], "hi": ["ठीक", "y" * 61], "english": ["x"]},
        rts_days=0, sla_overrides={"final_report": 0, "review": 9000, "lunch": 5},
    )
    error = await refused(create_category(head, bad, department_id=tree.dept.id, now=NOW))
    assert error.code is ErrorCode.VALIDATION
    assert {e.field for e in error.field_errors} == {
        "code", "names.hi", "names.en", "keywords.en", "keywords.hi[1]", "keywords.english", "rightToServiceDays",
        "slaOverrides.final_report", "slaOverrides.review", "slaOverrides.lunch",
    }
    # Categories belong to department units.
    district = await refused(create_category(SYSTEM, data("REV-X"), department_id=tree.district_a.id, now=NOW))
    assert [e.field for e in district.field_errors] == ["departmentId"]
    both = await refused(create_category(SYSTEM, data("REV-X"), department_id=tree.dept.id, parent_id=1, now=NOW))
    neither = await refused(create_category(SYSTEM, data("REV-X"), now=NOW))
    assert both.code is neither.code is ErrorCode.VALIDATION
    missing = await refused(create_category(SYSTEM, data("REV-X"), parent_id=999_999, now=NOW))
    assert missing.code is ErrorCode.NOT_FOUND
    assert await Category.all().count() == 0


async def test_good_flags_are_kept_and_keywords_cleaned(settings: Settings) -> None:
    tree = await small_state(settings)
    category = await create_category(
        SYSTEM, CategoryInput(code=" rev-pension ", names={"en": " Pension ", "hi": "पेंशन"},
                              keywords={"EN": ["Old Age  Pension", "old age pension", ""], "hi": ["वृद्धावस्था पेंशन"]},
                              rts_days=30, sensitive=True, sla_overrides={"Final_Report": 72, "review": 8760}),
        department_id=tree.dept.id, now=NOW,
    )
    assert category.code == "REV-PENSION" and category.names == {"en": "Pension", "hi": "पेंशन"}
    assert category.keywords == {"en": ["old age pension"], "hi": ["वृद्धावस्था पेंशन"]}
    assert (category.rts_days, category.sensitive) == (30, True)
    assert category.sla_overrides == {"final_report": 72.0, "review": 8760.0}


async def test_codes_are_unique(settings: Settings) -> None:
    tree = await small_state(settings)
    first = await create_category(SYSTEM, data("REV-A"), department_id=tree.dept.id, now=NOW)
    second = await create_category(SYSTEM, data("REV-B"), department_id=tree.dept.id, now=NOW)
    dup = await refused(create_category(SYSTEM, data("rev-a"), department_id=tree.dept.id, now=NOW))
    assert dup.code is ErrorCode.VALIDATION and [e.field for e in dup.field_errors] == ["code"]
    renamed = await refused(update_category(SYSTEM, second.id, data("REV-A"), expected_version=1, now=NOW))
    assert [e.field for e in renamed.field_errors] == ["code"]
    # Keeping one's own code is no conflict.
    assert (await update_category(SYSTEM, first.id, data("REV-A", "A"), expected_version=1, now=NOW)).version == 2


async def test_update_is_compare_and_set_and_keeps_search_text_current(settings: Settings) -> None:
    tree = await small_state(settings)
    head = await head_of(settings, tree)
    category = await create_category(head, data("REV-LAND"), department_id=tree.dept.id, now=NOW)
    new = CategoryInput(code="REV-LAND-REC", names={"en": "Land records", "hi": "भूमि अभिलेख"},
                        keywords={"en": ["Jamabandi"]}, rts_days=21)
    updated = await update_category(head, category.id, new, expected_version=1, now=NOW)
    assert (updated.version, updated.code, updated.rts_days) == (2, "REV-LAND-REC", 21)
    assert updated.search_text == "rev-land-rec | land records | भूमि अभिलेख | jamabandi"
    assert [m.leaf.code for m in await selectors.search("jamabandi", "en")] == ["REV-LAND-REC"]
    stale = await refused(update_category(head, category.id, replace(new, rts_days=7), expected_version=1, now=NOW))
    assert stale.code is ErrorCode.CHANGED_MEANWHILE
    assert (await Category.get(id=category.id)).rts_days == 21
    actions = await AuditEvent.filter(object_type="category", object_id=str(category.id)).order_by("seq") \
        .values_list("action", flat=True)
    assert actions == ["category_created", "category_updated"]
    assert await verify_chain("category", category.id)


async def test_deactivate_needs_children_gone_first(settings: Settings) -> None:
    tree = await small_state(settings)
    head = await head_of(settings, tree)
    parent = await create_category(head, data("REV-LAND"), department_id=tree.dept.id, now=NOW)
    child = await create_category(head, data("REV-LAND-MUT"), parent_id=parent.id, now=NOW)
    blocked = await refused(deactivate_category(head, parent.id, now=NOW))
    assert blocked.code is ErrorCode.CONFLICT
    gone = await deactivate_category(head, child.id, now=NOW)
    assert (gone.active, gone.version) == (False, 2)
    assert await selectors.is_leaf(parent)
    assert (await refused(deactivate_category(head, child.id, now=NOW))).code is ErrorCode.CONFLICT
    late = await refused(create_category(head, data("REV-LAND-NEW"), parent_id=child.id, now=NOW))
    assert [e.field for e in late.field_errors] == ["parentId"]
    assert (await deactivate_category(head, parent.id, now=NOW)).active is False
    assert await selectors.children(department_id=tree.dept.id) == []
    event = await AuditEvent.get(object_type="category", object_id=str(child.id), action="category_deactivated")
    assert (event.from_state, event.to_state) == ("active", "inactive")


async def test_one_others_leaf_per_department(settings: Settings) -> None:
    tree = await small_state(settings)
    service = await create_category(SYSTEM, data("REV-LAND"), department_id=tree.dept.id, now=NOW)
    others = await create_category(SYSTEM, data("REV-OTHERS", is_others=True), department_id=tree.dept.id, now=NOW)
    second = await refused(create_category(SYSTEM, data("REV-OTHERS-2", is_others=True), parent_id=service.id,
                                           now=NOW))
    assert [e.field for e in second.field_errors] == ["isOthers"]
    under = await refused(create_category(SYSTEM, data("REV-OTHERS-X"), parent_id=others.id, now=NOW))
    assert [e.field for e in under.field_errors] == ["parentId"]
    await create_category(SYSTEM, data("REV-LAND-MUT"), parent_id=service.id, now=NOW)
    # A category with sub-categories cannot become the Others leaf (and there is one already).
    became = await refused(update_category(SYSTEM, service.id, data("REV-LAND", is_others=True), expected_version=1,
                                           now=NOW))
    assert [e.field for e in became.field_errors] == ["isOthers", "isOthers"]
    # Updating the Others leaf itself is fine; another department has its own.
    assert (await update_category(SYSTEM, others.id, data("REV-OTHERS", "Other", is_others=True),
                                  expected_version=1, now=NOW)).version == 2
    health = await unit("BR-HLT", UnitKind.DEPARTMENT, tree.state)
    assert await create_category(SYSTEM, data("HLT-OTHERS", is_others=True), department_id=health.id, now=NOW)


async def test_rts_days_and_sensitivity_are_inherited(settings: Settings) -> None:
    tree = await small_state(settings)
    service = await create_category(SYSTEM, data("REV-CERT", rts_days=21, sensitive=True), department_id=tree.dept.id,
                                    now=NOW)
    caste = await create_category(SYSTEM, data("REV-CERT-CASTE"), parent_id=service.id, now=NOW)
    income = await create_category(SYSTEM, data("REV-CERT-INCOME", rts_days=7), parent_id=service.id, now=NOW)
    late = await create_category(SYSTEM, data("REV-CERT-INCOME-LATE"), parent_id=income.id, now=NOW)
    plain = await create_category(SYSTEM, data("REV-LAND"), department_id=tree.dept.id, now=NOW)
    assert await selectors.rts_days_of(caste) == 21
    assert await selectors.rts_days_of(late) == 7
    assert await selectors.rts_days_of(plain) is None
    assert await selectors.is_sensitive(late) and not await selectors.is_sensitive(plain)


async def test_search_picks_whole_paths_in_english_and_hindi(settings: Settings) -> None:
    tree = await small_state(settings)
    cats = await land_tree(tree.dept)
    for query in ("dakhil kharij", "Dakhil-Kharij", "दाखिल खारिज", "नामांतरण", "mutation"):
        matches = await selectors.search(query, "hi" if query.isascii() else "en")
        first = matches[0]
        assert first.leaf.code == "REV-LAND-MUTATION", query
        assert [c.code for c in first.path] == ["REV-LAND", "REV-LAND-MUTATION"]
        assert first.department.code == "BR-REV"
    # The Others leaf matches "mutation" by keyword, but comes last.
    assert [m.leaf.code for m in await selectors.search("mutation")] == ["REV-LAND-MUTATION", "REV-OTHERS"]
    # A word on the service reaches every leaf under it; a leaf that says it itself comes first.
    land = [m.leaf.code for m in await selectors.search("land")]
    assert land == ["REV-LAND-SURVEY", "REV-ENCROACH", "REV-LAND-MUTATION", "REV-OTHERS"]
    # More matched words first; the service (not a leaf) is never offered.
    assert (await selectors.search("kabza land"))[0].leaf.code == "REV-ENCROACH"
    assert [m.leaf.code for m in await selectors.search("ज़मीन सर्वे measurement")][:2] == [
        "REV-LAND-SURVEY", "REV-LAND-MUTATION"]
    assert all(m.leaf.id != cats["land"].id for m in await selectors.search("land records"))
    assert [m.leaf.code for m in await selectors.search("land survey", limit=1)] == ["REV-LAND-SURVEY"]
    scores = [m.score for m in await selectors.search("land")]
    assert scores == sorted(scores, reverse=True)


async def test_search_edges(settings: Settings) -> None:
    tree = await small_state(settings)
    cats = await land_tree(tree.dept)
    assert await selectors.search("   ") == []
    assert await selectors.search("!!! ...") == []
    assert await selectors.search("zzzz") == []
    too_long = await refused(selectors.search("x" * 101))
    assert too_long.code is ErrorCode.VALIDATION and [e.field for e in too_long.field_errors] == ["text"]
    bad_language = await refused(selectors.search("land", "fr"))
    assert [e.field for e in bad_language.field_errors] == ["language"]
    await deactivate_category(SYSTEM, cats["survey"].id, now=NOW)
    assert "REV-LAND-SURVEY" not in [m.leaf.code for m in await selectors.search("survey land")]
    # An inactive department's categories are not offered.
    await Unit.filter(id=tree.dept.id).update(active=False)
    assert await selectors.search("mutation") == []


async def test_search_matches_however_devanagari_was_composed(settings: Settings) -> None:
    tree = await small_state(settings)
    precomposed, decomposed = "\u095b\u092e\u0940\u0928", "\u091c\u093c\u092e\u0940\u0928"  # ज़मीन both ways
    await create_category(SYSTEM, CategoryInput(code="REV-ZAMIN", names={"en": "Land", "hi": f"{precomposed} विवाद"}),
                          department_id=tree.dept.id, now=NOW)
    for query in (precomposed, decomposed):
        assert [m.leaf.code for m in await selectors.search(query, "hi")] == ["REV-ZAMIN"]


async def test_demo_categories_load_and_are_searchable(settings: Settings) -> None:
    from backend.categories.demo import load_demo_categories
    from backend.demo.categories_data import CATEGORY_TREES

    tree = await small_state(settings)
    codes = sorted(CATEGORY_TREES)
    skipped = next(c for c in codes if c != "REV")
    for code in codes:
        if code != skipped:
            await unit(code, UnitKind.DEPARTMENT, tree.state)
    created = await load_demo_categories(NOW)
    assert created == await Category.all().count()
    assert not await Category.exists(department__code=skipped)
    leaves = [c for c in await Category.filter(active=True) if await selectors.is_leaf(c)]
    assert len(leaves) >= 100
    # Every department got exactly one Others leaf.
    others = await Category.filter(is_others=True).values_list("department__code", flat=True)
    assert sorted(others) == sorted(set(others)) == [c for c in codes if c != skipped]
    for query, language in (("dakhil kharij", "en"), ("दाखिल खारिज", "hi")):
        first = (await selectors.search(query, language))[0]
        assert first.department.code == "REV"
        assert "mutation" in first.leaf.name("en").lower()
        assert [c.id for c in first.path] == first.leaf.ancestor_ids() and first.path[0].parent_id is None  # type: ignore[attr-defined]
        assert len(first.path) >= 2
    # Loading again creates nothing.
    assert await load_demo_categories(NOW) == 0
