"""Use cases on the category tree (F3): create, edit and deactivate categories.

A category belongs to one department unit; only a head (or an org / system admin)
whose grant covers that department may change its tree. Every use case validates all
fields first and names each bad one, then writes the row and its audit event in one
transaction.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.audit.services import record
from backend.authz.actors import Actor
from backend.authz.policy import Permission, require
from backend.categories.models import Category
from backend.core.errors import DomainError, ErrorCode, FieldError, not_found, validation_error
from backend.core.validation import check_names, check_text
from backend.grievances.states import Stage
from backend.orgs.kinds import UnitKind
from backend.orgs.models import Unit

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,63}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
MAX_KEYWORDS = 50
MAX_KEYWORD_LENGTH = 60
MAX_RTS_DAYS = 365
MAX_SLA_HOURS = 8760  # a year
# department -> service / scheme -> category -> sub-category is three levels of
# categories; one spare level lets a department split a crowded sub-category without
# restructuring, while keeping paths short and pickers usable.
MAX_LEVELS = 4
STAGES = frozenset(s.value for s in Stage)


@dataclass(frozen=True)
class CategoryInput:
    code: str
    names: dict[str, str]
    # language -> keywords, e.g. {"en": ["mutation", "dakhil kharij"], "hi": ["दाखिल खारिज"]}
    keywords: dict[str, list[str]] = field(default_factory=dict)
    rts_days: int | None = None
    sensitive: bool = False
    # Stage name (a `backend.grievances.states.Stage` value) -> hours.
    sla_overrides: dict[str, float] = field(default_factory=dict)
    is_others: bool = False


def normalise_keyword(raw: str) -> str:
    """NFC, lower case, single spaces: so "Dakhil  Kharij" and "dakhil kharij" are one."""
    return " ".join(unicodedata.normalize("NFC", raw or "").lower().split())


def _check_code(raw: str, errors: list[FieldError]) -> str:
    code = (raw or "").strip().upper()
    if not CODE_PATTERN.match(code):
        errors.append(FieldError("code", "must be 2-64 characters: A-Z, 0-9 and dash, not starting with a dash"))
    return code


def _check_keywords(raw: dict[str, list[str]], errors: list[FieldError]) -> dict[str, list[str]]:
    keywords: dict[str, list[str]] = {}
    for lang, words in (raw or {}).items():
        key = (lang or "").strip().lower()
        if not LANGUAGE_PATTERN.match(key):
            errors.append(FieldError(f"keywords.{(lang or '')[:20]}", "is not a language code like en or hi"))
            continue
        cleaned: list[str] = []
        for i, word in enumerate(words or []):
            text = check_text(f"keywords.{key}[{i}]", word, errors, max_length=MAX_KEYWORD_LENGTH, required=False)
            if text and len(text) <= MAX_KEYWORD_LENGTH:
                cleaned.append(normalise_keyword(text))
        # "EN" and "en" are one language: their keywords merge.
        unique = list(dict.fromkeys([*keywords.get(key, []), *(w for w in cleaned if w)]))
        if unique:
            keywords[key] = unique
    for key, words in keywords.items():
        if len(words) > MAX_KEYWORDS:
            errors.append(FieldError(f"keywords.{key}", f"has more than {MAX_KEYWORDS} keywords"))
    return keywords


def _check_sla_overrides(raw: dict[str, float], errors: list[FieldError]) -> dict[str, float]:
    overrides: dict[str, float] = {}
    for stage, hours in (raw or {}).items():
        key = (stage or "").strip().lower()
        name = f"slaOverrides.{(key or stage or '')[:40]}"
        if key not in STAGES:
            errors.append(FieldError(name, f"is not a stage: one of {', '.join(sorted(STAGES))}"))
            continue
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not math.isfinite(hours):
            errors.append(FieldError(name, "must be a number of hours"))
        elif not 0 < hours <= MAX_SLA_HOURS:
            errors.append(FieldError(name, f"must be more than 0 and at most {MAX_SLA_HOURS} hours"))
        else:
            overrides[key] = float(hours)
    return overrides


def _check_rts_days(raw: int | None, errors: list[FieldError]) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_RTS_DAYS:
        errors.append(FieldError("rightToServiceDays", f"must be a whole number of days, 1 to {MAX_RTS_DAYS}, or empty"))
        return None
    return raw


def _clean(data: CategoryInput) -> tuple[CategoryInput, list[FieldError]]:
    errors: list[FieldError] = []
    cleaned = CategoryInput(
        code=_check_code(data.code, errors),
        # NFC everywhere, so the search's substring match finds "ज़" however it was typed.
        names={k: unicodedata.normalize("NFC", v) for k, v in check_names("names", data.names, errors).items()},
        keywords=_check_keywords(data.keywords, errors),
        rts_days=_check_rts_days(data.rts_days, errors),
        sensitive=bool(data.sensitive),
        sla_overrides=_check_sla_overrides(data.sla_overrides, errors),
        is_others=bool(data.is_others),
    )
    return cleaned, errors


async def _check_others(department_id: int, errors: list[FieldError], *, self_id: int | None = None) -> None:
    existing = Category.filter(department_id=department_id, is_others=True, active=True)
    if self_id is not None:
        existing = existing.exclude(id=self_id)
    other = await existing.first()
    if other is not None:
        errors.append(FieldError("isOthers", f"the department already has its Others category ({other.code})"))


def _fields(cleaned: CategoryInput) -> dict[str, Any]:
    return {
        "code": cleaned.code, "names": cleaned.names, "keywords": cleaned.keywords,
        "search_text": Category.search_text_for(cleaned.code, cleaned.names, cleaned.keywords),
        "is_others": cleaned.is_others, "rts_days": cleaned.rts_days, "sensitive": cleaned.sensitive,
        "sla_overrides": cleaned.sla_overrides,
    }


def _duplicate_code() -> DomainError:
    return validation_error([FieldError("code", "is already used by another category")])


async def create_category(
    actor: Actor, data: CategoryInput, *, department_id: int | None = None, parent_id: int | None = None,
    now: datetime,
) -> Category:
    """A top-level category of `department_id`, or a sub-category of `parent_id` (which
    then also fixes the department): exactly one of the two."""
    if (department_id is None) == (parent_id is None):
        where = "parentId" if parent_id is not None else "departmentId"
        raise validation_error([FieldError(where, "give either a department or a parent category, not both or neither")])
    parent: Category | None = None
    if parent_id is not None:
        parent = await Category.get_or_none(id=parent_id)
        if parent is None:
            raise not_found("Parent category")
        department = await Unit.get(id=parent.department_id)  # type: ignore[attr-defined]
        where = "parentId"
    else:
        found = await Unit.get_or_none(id=department_id)
        if found is None:
            raise not_found("Department")
        department, where = found, "departmentId"
    require(actor, Permission.MANAGE_CATEGORIES, department.path)
    cleaned, errors = _clean(data)
    if department.kind is not UnitKind.DEPARTMENT:
        errors.append(FieldError(where, "categories belong to a department unit"))
    elif not department.active:
        errors.append(FieldError(where, "the department is inactive"))
    if parent is not None:
        if not parent.active:
            errors.append(FieldError("parentId", "the parent category is inactive"))
        if parent.is_others:
            errors.append(FieldError("parentId", "the Others category cannot have sub-categories"))
        if parent.depth + 1 >= MAX_LEVELS:
            errors.append(FieldError("parentId", f"categories go at most {MAX_LEVELS} levels deep"))
    if cleaned.code and CODE_PATTERN.match(cleaned.code) and await Category.exists(code=cleaned.code):
        errors.append(FieldError("code", "is already used by another category"))
    if cleaned.is_others:
        await _check_others(department.id, errors)
    if errors:
        raise validation_error(errors)
    try:
        async with in_transaction():
            category = await Category.create(
                department=department, parent=parent, path="", depth=(parent.depth + 1) if parent else 0,
                created_at=now, updated_at=now, **_fields(cleaned),
            )
            category.path = f"{parent.path if parent else '/'}{category.id}/"
            await category.save(update_fields=["path"])
            await record(
                object_type="category", object_id=category.id, action="category_created", actor=actor, now=now,
                unit_id=department.id, to_state="active",
                data={"code": category.code, "department": department.code, "parent": parent.code if parent else None,
                      "is_others": category.is_others},
            )
    except IntegrityError as error:
        # Two people creating the same code at once: the unique index decides.
        raise _duplicate_code() from error
    return category


async def update_category(
    actor: Actor, category_id: int, data: CategoryInput, *, expected_version: int, now: datetime
) -> Category:
    """Replace the category's code, names, keywords and flags; `expected_version` must be
    the version that was read (compare-and-set), else CHANGED_MEANWHILE."""
    category = await Category.get_or_none(id=category_id)
    if category is None:
        raise not_found("Category")
    department = await Unit.get(id=category.department_id)  # type: ignore[attr-defined]
    require(actor, Permission.MANAGE_CATEGORIES, department.path)
    cleaned, errors = _clean(data)
    if (cleaned.code != category.code and CODE_PATTERN.match(cleaned.code)
            and await Category.exists(code=cleaned.code)):
        errors.append(FieldError("code", "is already used by another category"))
    if cleaned.is_others:
        await _check_others(department.id, errors, self_id=category.id)
        if await Category.exists(parent_id=category.id, active=True):
            errors.append(FieldError("isOthers", "the Others category must be a leaf; this one has sub-categories"))
    if errors:
        raise validation_error(errors)
    values = _fields(cleaned)
    before = {k: getattr(category, k) for k in values if k != "search_text"}
    changes = {k: v for k, v in values.items() if k != "search_text" and before[k] != v}
    try:
        async with in_transaction():
            changed = await Category.filter(id=category.id, version=expected_version).update(
                updated_at=now, version=expected_version + 1, **values
            )
            if not changed:
                raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The category was changed by someone else; reload it")
            await record(object_type="category", object_id=category.id, action="category_updated", actor=actor,
                         now=now, unit_id=department.id, data={"changes": changes})
    except IntegrityError as error:
        raise _duplicate_code() from error
    if "is_others" in changes:
        # The statistics' subtree rollups count "Others" under the flag as it was when
        # each grievance was counted; the dashboard's share follows the flag as it is.
        # Imported here: the statistics build on categories, not the other way round.
        from backend.stats.subtree import rebuild_others

        await rebuild_others()
    await category.refresh_from_db()
    return category


async def deactivate_category(actor: Actor, category_id: int, *, now: datetime) -> Category:
    """Retire a category: new grievances can no longer be filed in it; filed ones keep it.
    Its sub-categories go first, so no active category hangs under an inactive one."""
    category = await Category.get_or_none(id=category_id)
    if category is None:
        raise not_found("Category")
    department = await Unit.get(id=category.department_id)  # type: ignore[attr-defined]
    require(actor, Permission.MANAGE_CATEGORIES, department.path)
    if not category.active:
        raise DomainError(ErrorCode.CONFLICT, "The category is already inactive")
    active_children = await Category.filter(parent_id=category.id, active=True).count()
    if active_children:
        raise DomainError(ErrorCode.CONFLICT, f"Deactivate its {active_children} active sub-categories first")
    async with in_transaction():
        if not await Category.filter(id=category.id, version=category.version, active=True).update(
            active=False, version=category.version + 1, updated_at=now
        ):
            raise DomainError(ErrorCode.CHANGED_MEANWHILE, "The category was changed by someone else; reload it")
        await record(object_type="category", object_id=category.id, action="category_deactivated", actor=actor,
                     now=now, unit_id=department.id, from_state="active", to_state="inactive",
                     data={"code": category.code})
    await category.refresh_from_db()
    return category
