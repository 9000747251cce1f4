from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backend.routing.selectors import Candidate, area_matches, area_prefixes, pick, specificity

CHAIN = [3, 17, 42]  # department service -> category -> leaf


def rule(id: int, category_id: int, area_code: str) -> Candidate:
    return Candidate(id=id, category_id=category_id, area_code=area_code)


def test_area_matches_whole_segments_only() -> None:
    assert area_matches("", "BR-PAT-BIHTA")
    assert area_matches("BR-PAT", "BR-PAT")
    assert area_matches("BR-PAT", "BR-PAT-BIHTA")
    assert not area_matches("BR-PAT", "BR-PATNA2")
    assert not area_matches("BR-PAT-BIHTA", "BR-PAT")
    assert not area_matches("BR-GAY", "BR-PAT-BIHTA")
    assert area_prefixes("BR-PAT-BIHTA") == ["", "BR", "BR-PAT", "BR-PAT-BIHTA"]
    assert area_prefixes("") == [""]


def test_no_rule_or_no_matching_rule_gives_none() -> None:
    assert pick([], CHAIN, "BR-PAT") is None
    unrelated = [rule(1, 99, ""), rule(2, 42, "BR-GAY"), rule(3, 42, "BR-PATNA2")]
    assert pick(unrelated, CHAIN, "BR-PAT") is None


def test_longer_area_wins_over_deeper_category() -> None:
    district_leaf = rule(1, 42, "BR-PAT")
    block_service = rule(2, 3, "BR-PAT-BIHTA")
    everywhere_leaf = rule(3, 42, "")
    assert pick([district_leaf, block_service, everywhere_leaf], CHAIN, "BR-PAT-BIHTA") is block_service
    # Outside the block the district rule is the most specific.
    assert pick([district_leaf, block_service, everywhere_leaf], CHAIN, "BR-PAT-DANAPUR") is district_leaf
    # Outside the district only the statewide rule matches.
    assert pick([district_leaf, block_service, everywhere_leaf], CHAIN, "BR-GAY") is everywhere_leaf


def test_same_area_deeper_category_wins() -> None:
    service = rule(1, 3, "BR-PAT")
    category = rule(2, 17, "BR-PAT")
    assert pick([service, category], CHAIN, "BR-PAT-BIHTA") is category
    assert pick([category, service], CHAIN, "BR-PAT-BIHTA") is category
    # A rule on the leaf does not cover its parent: a grievance filed on 17 skips it.
    leaf = rule(3, 42, "BR-PAT")
    assert pick([service, category, leaf], [3, 17], "BR-PAT") is category


def test_exact_tie_goes_to_lower_id() -> None:
    assert pick([rule(9, 42, "BR"), rule(4, 42, "BR")], CHAIN, "BR-PAT") == rule(4, 42, "BR")


_SEGMENTS = st.sampled_from(["BR", "PAT", "PATNA2", "BIHTA", "GAY"])
_AREAS = st.lists(_SEGMENTS, max_size=3).map("-".join)
_RULES = st.lists(
    st.tuples(st.sampled_from([3, 17, 42, 7, 99]), _AREAS), max_size=12
).map(lambda rows: [rule(i + 1, c, a) for i, (c, a) in enumerate(rows)])


@given(rules=_RULES, chain_len=st.integers(min_value=1, max_value=3), area=_AREAS)
def test_winner_matches_and_nothing_matching_is_more_specific(rules: list[Candidate], chain_len: int, area: str) -> None:
    chain = CHAIN[:chain_len]
    matching = [r for r in rules if r.category_id in chain and area_matches(r.area_code, area)]
    winner = pick(rules, chain, area)
    if not matching:
        assert winner is None
        return
    assert winner is not None and winner in matching
    assert area_matches(winner.area_code, area) and winner.category_id in chain
    best = specificity(winner, chain)
    for other in matching:
        assert specificity(other, chain) <= best
        if specificity(other, chain) == best:
            assert other.id >= winner.id
    # The order of the input never changes the outcome.
    assert pick(list(reversed(rules)), chain, area) == winner
