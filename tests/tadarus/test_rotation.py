"""The ODOJ rotation (`tadarus.rotation`), proved for every group size from 1 to 30.

The proof is exhaustive where it can be: for each n, enough days to cover 30 whole cycles and every
member's 30-day windows, checking every slot. Changing membership is covered by properties.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter, defaultdict

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from perjumpaan.tadarus.rotation import (
    JUZ_COUNT,
    Rotation,
    Stint,
    cycle_of_slot,
    day_slots,
    juz_of_slot,
    khatam_days,
    place,
)

PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=150)
SIZES = range(1, 31)
DAYS = 30 * 30  # 30 cycles for a single member, and many more for larger groups


def schedule(n: int, days: int = DAYS) -> list[list[int]]:
    """slots[d][r]: the slot member r reads on day d, for a group of n from day 0."""
    return [day_slots(n, d, d * n) for d in range(days)]


class RotationProofTests(SimpleTestCase):
    def test_every_member_reads_exactly_one_juz_a_day_for_every_group_size(self) -> None:
        for n in SIZES:
            with self.subTest(n=n):
                for d, slots in enumerate(schedule(n)):
                    self.assertEqual(len(slots), n)
                    self.assertEqual(len({juz_of_slot(s) for s in slots}), n, f"day {d}: two share a juz")
                    # The places are a permutation of the day's block: nobody skips, nobody doubles.
                    self.assertEqual(sorted(slots), list(range(d * n, d * n + n)), f"day {d}")

    def test_every_cycle_assigns_each_juz_exactly_once_for_every_group_size(self) -> None:
        for n in SIZES:
            per_cycle: dict[int, Counter[int]] = defaultdict(Counter)
            for slots in schedule(n):
                for slot in slots:
                    per_cycle[cycle_of_slot(slot)][juz_of_slot(slot)] += 1
            complete = [k for k in per_cycle if (k + 1) * JUZ_COUNT <= DAYS * n]
            with self.subTest(n=n):
                self.assertGreaterEqual(len(complete), 30)
                for k in complete:
                    self.assertEqual(per_cycle[k], Counter(range(1, 31)), f"cycle {k}")

    def test_a_khatam_is_completed_at_least_every_ceil_30_over_n_days(self) -> None:
        for n in SIZES:
            bound = math.ceil(JUZ_COUNT / n)
            ends = khatam_days(n, 60)
            with self.subTest(n=n):
                # The first cycle is read within ⌈30/n⌉ days…
                self.assertEqual(ends[0], bound - 1)
                # …and each following one at most ⌈30/n⌉ days after the previous one.
                gaps = [b - a for a, b in itertools.pairwise(ends)]
                self.assertLessEqual(max(gaps), bound)
                if JUZ_COUNT % n == 0:
                    self.assertEqual(set(gaps), {bound})
            # khatam_days agrees with the slots themselves: the cycle's last slot is read that day.
            for k, end in enumerate(ends[:10]):
                last_slot = JUZ_COUNT * (k + 1) - 1
                self.assertIn(last_slot, day_slots(n, end, end * n))

    def test_thirty_members_complete_a_khatam_every_day_as_classic_odoj(self) -> None:
        for d in range(60):
            slots = day_slots(30, d, d * 30)
            self.assertEqual({juz_of_slot(s) for s in slots}, set(range(1, 31)))
            self.assertEqual({cycle_of_slot(s) for s in slots}, {d})
            # Member r reads juz (r + d) mod 30 + 1: everyone moves one juz a day.
            self.assertEqual([juz_of_slot(s) for s in slots], [(r + d) % 30 + 1 for r in range(30)])

    def test_when_n_does_not_divide_30_the_extra_members_read_on_into_the_next_cycle(self) -> None:
        # Seven members: the fifth day (day 4) has 2 juz left of the first cycle, and the other five
        # members begin the second cycle; no juz is read twice in either cycle.
        slots = day_slots(7, 4, 28)
        cycles = Counter(cycle_of_slot(s) for s in slots)
        self.assertEqual(cycles, Counter({0: 2, 1: 5}))
        self.assertEqual(sorted(juz_of_slot(s) for s in slots if cycle_of_slot(s) == 0), [29, 30])
        self.assertEqual(sorted(juz_of_slot(s) for s in slots if cycle_of_slot(s) == 1), [1, 2, 3, 4, 5])

    def test_every_member_reads_the_whole_quran_in_every_30_days(self) -> None:
        for n in SIZES:
            days = schedule(n, 90)
            with self.subTest(n=n):
                for r in range(n):
                    for window in range(3):
                        juz = [juz_of_slot(days[d][r]) for d in range(window * 30, window * 30 + 30)]
                        self.assertEqual(sorted(juz), list(range(1, 31)), f"member {r}, window {window}")

    def test_place_refuses_a_member_outside_the_group(self) -> None:
        for bad in ((0, 0, 0), (31, 0, 0), (5, 5, 0), (5, -1, 0), (5, 0, -1)):
            with self.subTest(args=bad), self.assertRaises(ValueError):
                place(*bad)


START = dt.date(2026, 1, 1)


@st.composite
def memberships(draw: st.DrawFn) -> list[Stint]:
    """Up to 30 places, each held by a sequence of members joining and leaving within 120 days."""
    stints: list[Stint] = []
    key = 0
    for order in range(1, draw(st.integers(1, 30)) + 1):
        day = draw(st.integers(0, 30))
        while day < 120 and draw(st.booleans()):
            length = draw(st.integers(1, 60))
            key += 1
            left = START + dt.timedelta(days=day + length) if day + length < 120 else None
            stints.append(Stint(key=key, order=order, joined=START + dt.timedelta(days=day), left=left))
            if left is None:
                break
            day += length + draw(st.integers(0, 5))
    return stints or [Stint(key=1, order=1, joined=START)]


class ChangingMembershipTests(SimpleTestCase):
    @PROPERTY
    @given(memberships())
    def test_with_members_coming_and_going_the_stream_still_covers_each_juz_once_a_cycle(
        self, stints: list[Stint]
    ) -> None:
        rotation = Rotation(START, stints)
        per_cycle: dict[int, Counter[int]] = defaultdict(Counter)
        expected_first = 0
        for offset in range(120):
            day = START + dt.timedelta(days=offset)
            members = rotation.members_on(day)
            self.assertEqual(rotation.first_slot(day), expected_first)
            assignments = rotation.assignments(day)
            # One juz for every member that day, and the slots are the next block of the stream.
            self.assertEqual(sorted(a.key for a in assignments), sorted(s.key for s in members))
            self.assertEqual(
                sorted(a.slot for a in assignments),
                list(range(expected_first, expected_first + len(members))),
            )
            for a in assignments:
                per_cycle[a.cycle][a.juz] += 1
            expected_first += len(members)
        for k, counts in per_cycle.items():
            self.assertLessEqual(max(counts.values()), 1, f"a juz repeats in cycle {k}")
            if (k + 1) * JUZ_COUNT <= expected_first:
                self.assertEqual(len(counts), JUZ_COUNT)

    def test_a_member_who_joins_starts_the_next_day_and_the_others_keep_their_order(self) -> None:
        first = Stint(key=1, order=1, joined=START)
        second = Stint(key=2, order=2, joined=START)
        late = Stint(key=3, order=3, joined=START + dt.timedelta(days=3))
        rotation = Rotation(START, [first, second, late])
        self.assertEqual([a.key for a in rotation.assignments(START + dt.timedelta(days=2))], [1, 2])
        self.assertEqual([a.key for a in rotation.assignments(START + dt.timedelta(days=3))], [1, 2, 3])
        self.assertEqual(rotation.first_slot(START + dt.timedelta(days=3)), 6)
        self.assertEqual(rotation.epoch(START + dt.timedelta(days=5)), START + dt.timedelta(days=3))

    def test_nobody_reads_before_the_group_begins(self) -> None:
        rotation = Rotation(START, [Stint(key=1, order=1, joined=START)])
        self.assertEqual(rotation.assignments(START - dt.timedelta(days=1)), [])
