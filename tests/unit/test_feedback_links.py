"""The signed feedback link's token: genuine, unaltered and unexpired, or refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.errors import DomainError, ErrorCode
from backend.feedback.links import make_token, read_token

KEY = "k" * 43
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=15)


def test_a_token_round_trips() -> None:
    claim = read_token(KEY, make_token(KEY, 4211, 3, LATER), NOW)
    assert (claim.grievance_id, claim.round, claim.expires_at) == (4211, 3, LATER)


def test_expired_and_foreign_tokens_are_refused() -> None:
    token = make_token(KEY, 7, 1, LATER)
    with pytest.raises(DomainError) as expired:
        read_token(KEY, token, LATER)
    assert expired.value.code is ErrorCode.EXPIRED
    with pytest.raises(DomainError) as foreign:
        read_token("another deployment's key", token, NOW)
    assert foreign.value.code is ErrorCode.NOT_FOUND


def test_changing_the_grievance_round_or_expiry_breaks_the_signature() -> None:
    token = make_token(KEY, 7, 1, LATER)
    grievance, round_, expires, mac = token.split(".")
    for forged in (f"8.{round_}.{expires}.{mac}", f"{grievance}.2.{expires}.{mac}",
                   f"{grievance}.{round_}.{int(expires) + 86400}.{mac}"):
        with pytest.raises(DomainError) as refused:
            read_token(KEY, forged, NOW)
        assert refused.value.code is ErrorCode.NOT_FOUND


@given(st.integers(min_value=0), st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-_."))
def test_any_one_character_changed_is_refused(position: int, char: str) -> None:
    token = make_token(KEY, 1234567, 2, LATER)
    i = position % len(token)
    forged = token[:i] + char + token[i + 1:]
    if forged == token:
        return
    with pytest.raises(DomainError):
        read_token(KEY, forged, NOW)


@given(st.text(max_size=300))
def test_garbage_is_refused_not_a_fault(text: str) -> None:
    with pytest.raises(DomainError):
        read_token(KEY, text, NOW)
