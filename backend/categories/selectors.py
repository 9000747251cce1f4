"""Reads of the category tree, and the keyword search that picks a whole path.

Category reads are public: a citizen picks the category while filing. The search
(seed 003) answers with complete paths, department -> service -> ... -> leaf, so one
pick is enough. It pre-filters in SQL with a substring match per query word over the
denormalised `search_text` (the same on SQLite and PostgreSQL), then ranks the
candidate leaves in Python with the pure functions below: a state has a few thousand
categories at most, so that is cheap and keeps the ranking testable without a database.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from tortoise.expressions import Q

from backend.categories.models import Category
from backend.core.errors import FieldError, validation_error
from backend.core.validation import check_language
from backend.orgs.models import Unit

MAX_QUERY_LENGTH = 100
MAX_TOKENS = 20
MAX_LIMIT = 100

# Words that say nothing about the category; dropped unless the query has nothing else.
STOPWORDS = frozenset({
    "a", "an", "and", "are", "at", "be", "by", "for", "from", "has", "have", "i", "in", "is", "it", "my", "no", "not",
    "of", "on", "or", "the", "to", "was", "with",
    "और", "का", "की", "के", "को", "तो", "था", "थी", "थे", "ने", "नहीं", "पर", "भी", "में", "मेरा", "मेरी", "मेरे", "यह",
    "वह", "से", "है", "हैं", "हो", "एक",
})

# Strength of one query word's match in one category.
EXACT_KEYWORD = 3  # the word is a keyword, or a word of a multi-word keyword
KEYWORD_PREFIX = 2  # a keyword (or a word of one) starts with it
SUBSTRING = 1  # it occurs in a name or a keyword

# Score weights: each criterion outweighs everything below it (at most MAX_TOKENS words,
# each adding at most EXACT_KEYWORD), so sorting by the score alone gives the order
# "not Others, more words matched, more words matched on the leaf itself, stronger
# matches", and the code breaks ties.
_NOT_OTHERS = 1_000_000
_PER_MATCHED_WORD = 10_000
_PER_LEAF_WORD = 100


class Searchable(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def names(self) -> dict[str, str]: ...

    @property
    def keywords(self) -> dict[str, list[str]]: ...

    @property
    def is_others(self) -> bool: ...


N = TypeVar("N", bound=Searchable)


def _is_separator(char: str) -> bool:
    # Letters, marks (Devanagari vowel signs and virama are marks) and digits make words;
    # spaces, punctuation (including the danda) and symbols separate them.
    return unicodedata.category(char)[0] not in "LMN"


def tokenise_all(text: str) -> list[str]:
    """Every word of `text`, lower-cased and NFC-normalised, stopwords kept."""
    normal = unicodedata.normalize("NFC", text or "").lower()
    return "".join(" " if _is_separator(c) else c for c in normal).split()


def tokenise(text: str) -> list[str]:
    """The distinct words of a query, in order, without stopwords (unless that leaves none)."""
    unique = list(dict.fromkeys(tokenise_all(text)))
    meaningful = [w for w in unique if w not in STOPWORDS]
    return (meaningful or unique)[:MAX_TOKENS]


@dataclass(frozen=True)
class _Terms:
    keywords: frozenset[str]
    keyword_words: frozenset[str]
    # Names and keywords, lower-cased. Not the code: codes repeat their parents' codes
    # (REV-LAND-MUTATION), so a word of the service would seem to match every leaf.
    text: str

    @classmethod
    def of(cls, node: Searchable) -> _Terms:
        keywords = [unicodedata.normalize("NFC", k).lower() for ks in (node.keywords or {}).values() for k in ks]
        words = {w for k in keywords for w in tokenise_all(k)}
        names = [unicodedata.normalize("NFC", n).lower() for n in (node.names or {}).values()]
        return cls(frozenset(keywords), frozenset(words), " | ".join([*names, *keywords]))

    def strength(self, token: str) -> int:
        if token in self.keywords or token in self.keyword_words:
            return EXACT_KEYWORD
        if any(k.startswith(token) for k in self.keywords) or any(w.startswith(token) for w in self.keyword_words):
            return KEYWORD_PREFIX
        return SUBSTRING if token in self.text else 0


def score_path(tokens: Sequence[str], path: Sequence[Searchable], _cache: dict[int, _Terms] | None = None) -> float:
    """How well a path (top first, the leaf last) matches the query words; 0 for no match."""
    if not tokens or not path:
        return 0.0
    cache = _cache if _cache is not None else {}
    terms = []
    for node in path:
        if id(node) not in cache:
            cache[id(node)] = _Terms.of(node)
        terms.append(cache[id(node)])
    matched = on_leaf = strength = 0
    for token in tokens:
        leaf_strength = terms[-1].strength(token)
        best = max([leaf_strength, *(t.strength(token) for t in terms[:-1])])
        if best:
            matched += 1
            strength += best
            on_leaf += 1 if leaf_strength else 0
    if not matched:
        return 0.0
    return float((0 if path[-1].is_others else _NOT_OTHERS) + matched * _PER_MATCHED_WORD
                 + on_leaf * _PER_LEAF_WORD + strength)


def rank_paths(tokens: Sequence[str], paths: Iterable[Sequence[N]], limit: int) -> list[tuple[float, Sequence[N]]]:
    """The best `limit` paths by score, ties by the leaf's code; paths that match nothing are dropped."""
    cache: dict[int, _Terms] = {}
    scored = [(score_path(tokens, p, cache), p) for p in paths]
    ranked = sorted(((s, p) for s, p in scored if s > 0), key=lambda sp: (-sp[0], sp[1][-1].code))
    return ranked[:max(0, limit)]


@dataclass(frozen=True)
class CategoryMatch:
    leaf: Category
    path: list[Category]  # top first, ending with the leaf
    department: Unit
    score: float


async def get_category(category_id: int) -> Category | None:
    return await Category.get_or_none(id=category_id)


async def children(
    *, parent_id: int | None = None, department_id: int | None = None, include_inactive: bool = False
) -> list[Category]:
    """Sub-categories of `parent_id`, else the top level of `department_id`; Others last."""
    if parent_id is not None:
        query = Category.filter(parent_id=parent_id)
    elif department_id is not None:
        query = Category.filter(department_id=department_id, parent_id=None)
    else:
        return []
    if not include_inactive:
        query = query.filter(active=True)
    return await query.order_by("is_others", "code")


async def path_of(category: Category) -> list[Category]:
    """The category's ancestors and itself, top first."""
    ids = category.ancestor_ids()
    found = {c.id: c for c in await Category.filter(id__in=ids)}
    return [found[i] for i in ids if i in found]


async def is_leaf(category: Category) -> bool:
    """A leaf has no active sub-categories; grievances are filed only in leaves."""
    return not await Category.exists(parent_id=category.id, active=True)


async def rts_days_of(category: Category) -> int | None:
    """The Right-to-Service days of the nearest ancestor-or-self that sets them."""
    for node in reversed(await path_of(category)):
        if node.rts_days is not None:
            return node.rts_days
    return None


async def is_sensitive(category: Category) -> bool:
    return any(node.sensitive for node in await path_of(category))


async def search(text: str, language: str = "en", limit: int = 10) -> list[CategoryMatch]:
    """Active leaves whose path matches the query words, best first, with their paths.

    Matching covers names and keywords in every language whatever `language` says:
    people type Hindi words in Latin script ("dakhil kharij") and English words in
    Devanagari, so `language` is only checked (it is the language the caller shows).
    """
    errors: list[FieldError] = []
    query = (text or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        errors.append(FieldError("text", f"must be at most {MAX_QUERY_LENGTH} characters"))
    check_language("language", language, errors)
    if errors:
        raise validation_error(errors)
    tokens = tokenise(query)
    if not tokens:
        return []
    condition = Q(*(Q(search_text__icontains=t) for t in tokens), join_type=Q.OR)
    matched = await Category.filter(condition, active=True).values_list("id", "department_id")
    if not matched:
        return []
    matched_ids = {int(i) for i, _ in matched}
    departments = {u.id: u for u in await Unit.filter(id__in={int(d) for _, d in matched}, active=True)}
    # The whole trees of the departments concerned: a word that matches a service
    # matches every leaf under it.
    universe = {c.id: c for c in await Category.filter(department_id__in=list(departments), active=True)}
    parents = {c.parent_id for c in universe.values()}  # type: ignore[attr-defined]
    paths: list[list[Category]] = []
    for leaf in universe.values():
        if leaf.id in parents:
            continue
        ids = leaf.ancestor_ids()
        if not matched_ids.intersection(ids) or any(i not in universe for i in ids):
            continue
        paths.append([universe[i] for i in ids])
    ranked = rank_paths(tokens, paths, max(1, min(limit, MAX_LIMIT)))
    return [
        CategoryMatch(leaf=path[-1], path=list(path), score=score,
                      department=departments[path[-1].department_id])  # type: ignore[attr-defined]
        for score, path in ranked
    ]
