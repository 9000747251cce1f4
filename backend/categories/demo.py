"""Loads the demo category trees (backend/demo/categories_data.py) through the services.

Acting as the system, so every category is validated and audited like a real one. A
department whose unit does not exist is skipped; a code that already exists is reused
(its subtree is still completed), so loading twice creates nothing the second time.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from backend.authz.actors import SYSTEM
from backend.categories.models import Category
from backend.categories.services import CategoryInput, create_category
from backend.orgs.models import Unit

if TYPE_CHECKING:
    from backend.demo.categories_data import CategoryNode


def _input(node: CategoryNode) -> CategoryInput:
    names = {"en": node.en, **({"hi": node.hi} if node.hi else {})}
    keywords = {"en": list(node.keywords_en), "hi": list(node.keywords_hi)}
    return CategoryInput(code=node.code, names=names, keywords={k: v for k, v in keywords.items() if v},
                         rts_days=node.rts_days, sensitive=node.sensitive, is_others=node.others)


async def _load(node: CategoryNode, *, department_id: int | None, parent_id: int | None, now: datetime) -> int:
    existing = await Category.get_or_none(code=node.code)
    created = 0
    if existing is None:
        existing = await create_category(SYSTEM, _input(node), department_id=department_id, parent_id=parent_id,
                                         now=now)
        created = 1
    for child in node.children:
        created += await _load(child, department_id=None, parent_id=existing.id, now=now)
    return created


async def load_demo_categories(now: datetime) -> int:
    """Create the demo category trees under their departments; returns how many were created."""
    from backend.demo.categories_data import CATEGORY_TREES

    created = 0
    for department_code, nodes in CATEGORY_TREES.items():
        department = await Unit.get_or_none(code=department_code)
        if department is None:
            continue
        # One transaction a department: all of its tree or none of it, and fast on SQLite.
        async with in_transaction():
            for node in nodes:
                created += await _load(node, department_id=department.id, parent_id=None, now=now)
    return created
