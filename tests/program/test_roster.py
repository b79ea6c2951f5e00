"""The fairness of the kultum roster, proven property-based."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from perjumpaan.program.roster import roster_pick


def simulate(
    people: int, days: int, absences: dict[int, set[int]]
) -> tuple[dict[int, int], list[int | None]]:
    turns: dict[int, int] = {}
    last: dict[int, dt.date | None] = {}
    order: list[int | None] = []
    for day in range(days):
        date = dt.date(2026, 1, 1) + dt.timedelta(days=day)
        unavailable = {p for p, off in absences.items() if day in off}
        chosen = roster_pick(range(people), turns=turns, last_turn=last, unavailable=unavailable)
        order.append(chosen)
        if chosen is not None:
            turns[chosen] = turns.get(chosen, 0) + 1
            last[chosen] = date
    return turns, order


@settings(max_examples=300, deadline=None)
@given(
    people=st.integers(1, 12),
    days=st.integers(1, 80),
    absences=st.dictionaries(st.integers(0, 11), st.sets(st.integers(0, 79), max_size=30), max_size=6),
)
def test_turns_of_people_always_available_never_differ_by_more_than_one(
    people: int, days: int, absences: dict[int, set[int]]
) -> None:
    absences = {p: off for p, off in absences.items() if p < people}
    turns, _ = simulate(people, days, absences)
    always = [p for p in range(people) if not absences.get(p)]
    counts = [turns.get(p, 0) for p in always]
    if counts:
        assert max(counts) - min(counts) <= 1


@settings(max_examples=200, deadline=None)
@given(people=st.integers(2, 10), skipped_day=st.integers(0, 20))
def test_someone_skipped_speaks_on_the_next_day_they_are_available(people: int, skipped_day: int) -> None:
    # Let everyone speak once, then person 0 is away on the day their second turn would come.
    days = people + skipped_day + people + 2
    _, baseline = simulate(people, days, {})
    turn_day = [d for d, p in enumerate(baseline) if p == 0][1]
    _, order = simulate(people, days, {0: {turn_day}})
    assert order[turn_day] != 0
    assert order[turn_day + 1] == 0


def test_nobody_available_means_no_pick() -> None:
    assert roster_pick([1, 2], turns={}, last_turn={}, unavailable={1, 2}) is None


def test_ties_go_to_whoever_spoke_longest_ago() -> None:
    last = {1: dt.date(2026, 3, 2), 2: dt.date(2026, 3, 1)}
    assert roster_pick([1, 2], turns={1: 3, 2: 3}, last_turn=last, unavailable=set()) == 2
