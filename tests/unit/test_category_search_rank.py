"""The category search's ranking, as pure functions: no database."""

from __future__ import annotations

from dataclasses import dataclass, field

from backend.categories.selectors import rank_paths, score_path, tokenise


@dataclass
class Node:
    code: str
    names: dict[str, str]
    keywords: dict[str, list[str]] = field(default_factory=dict)
    is_others: bool = False


LAND = Node("REV-LAND", {"en": "Land records", "hi": "भूमि अभिलेख"}, {"en": ["land", "jamabandi"], "hi": ["ज़मीन"]})
MUTATION = Node("REV-LAND-MUTATION", {"en": "Mutation not done", "hi": "दाखिल खारिज नहीं हुआ"},
                {"en": ["mutation", "dakhil kharij"], "hi": ["दाखिल खारिज", "नामांतरण"]})
SURVEY = Node("REV-LAND-SURVEY", {"en": "Land survey", "hi": "भूमि सर्वेक्षण"}, {"en": ["survey", "measurement"]})
ENCROACH = Node("REV-ENCROACH", {"en": "Encroachment of public land"}, {"en": ["encroachment", "kabza"]})
OTHERS = Node("REV-OTHERS", {"en": "Others (revenue and land)"}, {"en": ["other"]}, is_others=True)
PATHS = [[LAND, MUTATION], [LAND, SURVEY], [ENCROACH], [OTHERS]]


def codes(tokens: list[str], limit: int = 10) -> list[str]:
    return [path[-1].code for _, path in rank_paths(tokens, PATHS, limit)]


def test_tokenise_splits_on_spaces_and_punctuation_and_keeps_devanagari_words_whole() -> None:
    assert tokenise("Dakhil-Kharij, not done!") == ["dakhil", "kharij", "done"]
    assert tokenise("दाखिल खारिज।  दाखिल") == ["दाखिल", "खारिज"]
    assert tokenise("मेरी ज़मीन का नामांतरण") == ["ज़मीन", "नामांतरण"]
    assert tokenise("   ...  ") == []
    # A query of nothing but stopwords still searches for them.
    assert tokenise("the") == ["the"]


def test_exact_keyword_beats_keyword_prefix_beats_substring() -> None:
    exact = score_path(["survey"], [SURVEY])
    prefix = score_path(["surv"], [SURVEY])
    substring = score_path(["urve"], [SURVEY])
    assert exact > prefix > substring > 0
    assert score_path(["nothing"], [SURVEY]) == 0


def test_leaf_matches_rank_above_matches_only_on_an_ancestor() -> None:
    # "land" is an exact keyword of the service above both mutation and survey, but only
    # "Land survey" and "Encroachment of public land" say it themselves; the code
    # REV-LAND-MUTATION does not count (codes repeat their parents' codes).
    assert codes(["land"]) == ["REV-LAND-SURVEY", "REV-ENCROACH", "REV-LAND-MUTATION", "REV-OTHERS"]
    assert score_path(["land"], [LAND, MUTATION]) < score_path(["land"], [ENCROACH])


def test_more_matched_words_first_in_english_and_hindi() -> None:
    assert codes(["land", "mutation"])[0] == "REV-LAND-MUTATION"
    assert codes(tokenise("dakhil kharij"))[0] == "REV-LAND-MUTATION"
    assert codes(tokenise("दाखिल खारिज"))[:1] == ["REV-LAND-MUTATION"]
    assert codes(tokenise("ज़मीन सर्वेक्षण")) == ["REV-LAND-SURVEY", "REV-LAND-MUTATION"]


def test_others_comes_last_even_when_it_matches_best() -> None:
    assert codes(["revenue", "land"])[-1] == "REV-OTHERS"
    assert codes(["other"]) == ["REV-OTHERS"]


def test_ties_are_broken_by_code_and_limit_applies() -> None:
    a = Node("B-2", {"en": "Water supply"}, {"en": ["water"]})
    b = Node("B-1", {"en": "Water bill"}, {"en": ["water"]})
    ranked = rank_paths(["water"], [[a], [b]], 10)
    assert [p[-1].code for _, p in ranked] == ["B-1", "B-2"]
    assert ranked[0][0] == ranked[1][0]
    assert len(rank_paths(["water"], [[a], [b]], 1)) == 1
    assert rank_paths([], [[a]], 10) == []
