"""Who reads which juz today in a One Day One Juz (ODOJ) group: the rotation, as pure functions.

The scheme (docs/tadarus.md has the proof):

- The group reads the Quran as one *stream* of slots: slot s is juz (s mod 30) + 1, and slots
  30k … 30k + 29 form *cycle* k, the group's (k + 1)-th khatam.
- Every day the group takes the next n slots of the stream, where n is the number of members that day:
  a day whose first slot is f reads the block f … f + n − 1.
- Inside the day's block, member r (0-based, in join order) takes place `place(n, r, e)` (0 … n − 1),
  where e counts the days since the group's membership last changed. With g = gcd(n, 30) and m = 30 / g:

      place(n, r, e) = ((e div m) + r) mod g  +  g · (r div g)

  which for every day is a permutation of 0 … n − 1.

What follows, for every n from 1 to 30:

1. every member reads exactly one juz a day (the place is a permutation of the block);
2. every cycle holds each of the 30 juz exactly once (30 consecutive slots of the stream);
3. a khatam is completed at least every ⌈30/n⌉ days — exactly every 30/n days when n divides 30, and
   with 30 members every day. When n does not divide 30 the last day of a cycle has fewer than n of its
   juz left; the remaining members already read the first juz of the next cycle, so nothing repeats
   inside a cycle and nobody is ever left without a juz;
4. each member reads every juz exactly once in each 30 days (counted from the day membership last
   changed): a personal khatam a month, as in classic ODOJ. With 30 members this is classic ODOJ itself,
   member r reading juz (r + e) mod 30 + 1.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

JUZ_COUNT = 30
MAX_MEMBERS = 30


def place(n: int, rank: int, day: int) -> int:
    """The place (0 … n − 1) in the day's block of the member at `rank` (0-based join order) on `day`
    (days since membership last changed)."""
    if not 1 <= n <= MAX_MEMBERS or not 0 <= rank < n or day < 0:
        raise ValueError(f"no place for rank {rank} of {n} members on day {day}")
    g = math.gcd(n, JUZ_COUNT)
    m = JUZ_COUNT // g
    return ((day // m) + rank) % g + g * (rank // g)


def day_slots(n: int, day: int, first_slot: int) -> list[int]:
    """The stream slot of each member, by rank, on a day whose block begins at `first_slot`."""
    return [first_slot + place(n, rank, day) for rank in range(n)]


def juz_of_slot(slot: int) -> int:
    """The juz (1–30) of a stream slot."""
    return slot % JUZ_COUNT + 1


def cycle_of_slot(slot: int) -> int:
    """The cycle (0-based: the group's khatam number minus one) a stream slot belongs to."""
    return slot // JUZ_COUNT


def khatam_days(n: int, cycles: int) -> list[int]:
    """With n members from day 0, the day on which each of the first `cycles` cycles is read to its end."""
    return [(JUZ_COUNT * (k + 1) - 1) // n for k in range(cycles)]


# --- A group whose membership changes ----------------------------------------------------------------


@dataclass(frozen=True)
class Stint:
    """One member's time in the group: from `joined` (inclusive) to `left` (exclusive; None: still in).
    `order` is the member's join order, which ranks members in the day's block."""

    key: int
    order: int
    joined: dt.date
    left: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return self.joined <= day and (self.left is None or day < self.left)

    def days_before(self, start: dt.date, day: dt.date) -> int:
        """How many days of [start, day) this stint covers."""
        first = max(self.joined, start)
        last = day if self.left is None else min(day, self.left)
        return max(0, (last - first).days)


@dataclass(frozen=True)
class Assignment:
    """One member's juz on one day."""

    key: int
    rank: int
    slot: int

    @property
    def juz(self) -> int:
        return juz_of_slot(self.slot)

    @property
    def cycle(self) -> int:
        return cycle_of_slot(self.slot)


class Rotation:
    """The rotation of a group that began on `start`, given every member's stints."""

    def __init__(self, start: dt.date, stints: Iterable[Stint]) -> None:
        self.start = start
        self.stints = sorted(stints, key=lambda s: (s.order, s.joined))
        changes = {start}
        for stint in self.stints:
            changes.add(max(stint.joined, start))
            if stint.left is not None and stint.left > start:
                changes.add(stint.left)
        self._changes = sorted(changes)

    def members_on(self, day: dt.date) -> list[Stint]:
        """The members that day, ranked by join order."""
        return [s for s in self.stints if s.active_on(day)] if day >= self.start else []

    def first_slot(self, day: dt.date) -> int:
        """The stream slot the day's block begins at: every member-day before it, since the start."""
        return sum(s.days_before(self.start, day) for s in self.stints)

    def epoch(self, day: dt.date) -> dt.date:
        """The last day on or before `day` on which membership changed (or the group began)."""
        return max(c for c in self._changes if c <= day) if day >= self.start else self.start

    def assignments(self, day: dt.date, first_slot: int | None = None) -> list[Assignment]:
        """Each member's juz on `day` (pass `first_slot` when walking days in order, to save the sum)."""
        members = self.members_on(day)
        if not members:
            return []
        first = self.first_slot(day) if first_slot is None else first_slot
        e = (day - self.epoch(day)).days
        n = len(members)
        return [
            Assignment(key=stint.key, rank=rank, slot=first + place(n, rank, e))
            for rank, stint in enumerate(members)
        ]
