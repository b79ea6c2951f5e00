"""The rotating check-in code: signature and time windows, property-based."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perjumpaan.attendance.codes import CodeError, code_make, code_verify

moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1), timezones=st.just(dt.UTC)
)
seconds = st.integers(5, 300)


@settings(max_examples=200, deadline=None)
@given(gathering=st.integers(1, 10**9), moment=moments, period=seconds)
def test_a_code_is_accepted_in_its_window_and_the_next_and_refused_after(
    gathering: int, moment: dt.datetime, period: int
) -> None:
    code, expires = code_make(gathering_id=gathering, moment=moment, seconds=period)
    assert expires > moment
    fresh = code_verify(code, moment=moment, seconds=period)
    assert (fresh.gathering_id, fresh.stale) == (gathering, False)
    late = code_verify(code, moment=moment + dt.timedelta(seconds=period), seconds=period)
    assert late.stale
    with pytest.raises(CodeError, match="kedaluwarsa"):
        code_verify(code, moment=moment + dt.timedelta(seconds=2 * period), seconds=period)
    with pytest.raises(CodeError, match="belum berlaku"):
        code_verify(code, moment=moment - dt.timedelta(seconds=period), seconds=period)


@settings(max_examples=200, deadline=None)
@given(
    gathering=st.integers(1, 10**6),
    moment=moments,
    period=seconds,
    position=st.integers(0, 200),
    data=st.data(),
)
def test_any_altered_character_is_refused(
    gathering: int, moment: dt.datetime, period: int, position: int, data: st.DataObject
) -> None:
    code, _ = code_make(gathering_id=gathering, moment=moment, seconds=period)
    index = position % len(code)
    replacement = data.draw(st.sampled_from("0123456789abcdef-x"))
    altered = code[:index] + replacement + code[index + 1 :]
    if altered == code:
        return
    with pytest.raises(CodeError):
        code_verify(altered, moment=moment, seconds=period)


@settings(max_examples=100, deadline=None)
@given(moment=moments, period=seconds, other=st.integers(1, 10**6))
def test_a_code_cannot_be_moved_to_another_gathering(moment: dt.datetime, period: int, other: int) -> None:
    code, _ = code_make(gathering_id=7, moment=moment, seconds=period)
    _, window, signature = code.split("-")
    if other == 7:
        return
    with pytest.raises(CodeError, match="tidak sah"):
        code_verify(f"{other}-{window}-{signature}", moment=moment, seconds=period)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80))
def test_any_text_is_refused_with_a_message_never_a_crash(text: str) -> None:
    with pytest.raises(CodeError) as refused:
        code_verify(text, moment=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), seconds=15)
    assert str(refused.value)
