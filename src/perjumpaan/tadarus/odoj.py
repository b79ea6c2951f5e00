"""An ODOJ group's ledger: who holds which piece of which juz on each day, and what was read.

Shared by `services` (to check that a report or a handover is about a real piece) and `selectors` (which
decide what of it each viewer may see). Nothing here applies any visibility rule: callers must not hand
its per-member details to anyone but the member and the group coordinator.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from perjumpaan.tadarus import quran
from perjumpaan.tadarus.models import GroupMember, JuzHandover, Part, ReadingGroup, ReadingReport, Tier
from perjumpaan.tadarus.quran import Ref
from perjumpaan.tadarus.rotation import JUZ_COUNT, Assignment, Rotation, Stint


def own_part(tier: str) -> str:
    """The piece of their juz a member of this tier reads themselves."""
    return Part.ALL if tier == Tier.FULL else Part.HEAD


def piece_range(juz: int, part: str, tier: str, pages: int) -> tuple[Ref, Ref]:
    """The first and last ayah of a piece of `juz`, for a member of `tier` (and `pages`, its size)."""
    first, last = quran.juz_bounds(juz)
    if part == Part.ALL:
        return first, last
    if tier == Tier.HALF:
        split = quran.advance_juz(first, Fraction(1, 2))
    else:
        split = quran.advance_pages(first, pages)
    head_end = quran.advance(split, -1)
    return (first, head_end) if part == Part.HEAD else (split, last)


@dataclass
class Piece:
    """One piece of one day's juz: its range, whose assignment it is, who holds it now, whether read."""

    date: dt.date
    juz: int
    part: str
    assignee_id: int
    holder_id: int
    first: Ref
    last: Ref
    handed: bool = False
    done: bool = False  # read, by whoever held it
    holder_report: bool | None = None  # the holder's own report: True done, False not done, None none yet
    assignee_report: bool | None = None  # the assigned member's own report on it

    @property
    def description(self) -> str:
        return quran.describe_range(self.first, self.last)

    @property
    def key(self) -> str:
        """How forms name the piece: "7-head"."""
        return f"{self.juz}-{self.part}"


@dataclass
class Day:
    """What one day of the group holds."""

    date: dt.date
    assignments: list[Assignment]
    pieces: list[Piece]
    juz_done: set[int]

    @property
    def assigned(self) -> int:
        return len(self.assignments)

    @property
    def done(self) -> int:
        return sum(1 for a in self.assignments if a.juz in self.juz_done)


@dataclass
class Cycle:
    """One of the group's khatam cycles (30 consecutive slots of the rotation)."""

    number: int  # 1-based: the group's n-th khatam
    slots: int = 0
    done: int = 0
    last_day: dt.date | None = None

    @property
    def complete(self) -> bool:
        return self.slots == JUZ_COUNT and self.done == JUZ_COUNT


@dataclass
class Ledger:
    group: ReadingGroup
    members: dict[int, GroupMember]
    days: list[Day] = field(default_factory=list)
    cycles: dict[int, Cycle] = field(default_factory=dict)
    # (member id, date) -> whether the member read their own piece themselves that day
    own_done: dict[tuple[int, dt.date], bool] = field(default_factory=dict)

    def day(self, date: dt.date) -> Day | None:
        return next((d for d in self.days if d.date == date), None)

    @property
    def khatam_count(self) -> int:
        return sum(1 for c in self.cycles.values() if c.complete)

    def streak(self, member_id: int, today: dt.date) -> int:
        """Consecutive days, up to today (or yesterday while today is not yet read), on which the member
        read their own piece."""
        day = today if self.own_done.get((member_id, today)) else today - dt.timedelta(days=1)
        count = 0
        while self.own_done.get((member_id, day)):
            count += 1
            day -= dt.timedelta(days=1)
        return count


def rotation_for(group: ReadingGroup, members: list[GroupMember]) -> Rotation:
    return Rotation(
        group.started_on,
        [Stint(key=m.pk, order=m.join_order, joined=m.joined_on, left=m.left_on) for m in members],
    )


def ledger(group: ReadingGroup, until: dt.date, *, since: dt.date | None = None) -> Ledger:
    """The group's days from its start (or `since`, for the per-day details) to `until`.

    Cycles are always counted from the start, so the khatam count is right whatever `since` is.
    """
    members = {m.pk: m for m in GroupMember.objects.filter(group=group).select_related("employee")}
    rotation = rotation_for(group, list(members.values()))
    result = Ledger(group=group, members=members)
    if until < group.started_on:
        return result
    done_pieces: set[tuple[dt.date, int, str]] = set()
    reports: dict[tuple[dt.date, int, str, int], bool] = {}
    for member_id, date, juz, part, done in ReadingReport.objects.filter(
        member__group=group, date__range=(group.started_on, until)
    ).values_list("member_id", "date", "juz", "part", "done"):
        reports[(date, juz, part, member_id)] = done
        if done:
            done_pieces.add((date, juz, part))
    handovers: dict[tuple[dt.date, int, str], int] = {
        (date, juz, part): volunteer
        for date, juz, part, volunteer in JuzHandover.objects.filter(
            group=group, date__range=(group.started_on, until)
        ).values_list("date", "juz", "part", "volunteer_id")
    }
    detail_from = since or group.started_on

    def is_done(date: dt.date, juz: int) -> bool:
        return (date, juz, Part.ALL) in done_pieces or (
            (date, juz, Part.HEAD) in done_pieces and (date, juz, Part.TAIL) in done_pieces
        )

    cycles: dict[int, Cycle] = defaultdict(lambda: Cycle(number=0))
    first_slot = 0
    day = group.started_on
    while day <= until:
        assignments = rotation.assignments(day, first_slot)
        first_slot += len(assignments)
        juz_done = set()
        for a in assignments:
            done = is_done(day, a.juz)
            if done:
                juz_done.add(a.juz)
            cycle = cycles[a.cycle]
            cycle.number = a.cycle + 1
            cycle.slots += 1
            cycle.done += int(done)
            cycle.last_day = day
            result.own_done[(a.key, day)] = any(
                reports.get((day, a.juz, part, a.key)) for part in (Part.ALL, Part.HEAD)
            )
        if day >= detail_from:
            pieces: list[Piece] = []
            for a in assignments:
                member = members[a.key]
                parts = [own_part(member.tier)] + ([Part.TAIL] if member.tier != Tier.FULL else [])
                for part in parts:
                    first, last = piece_range(a.juz, part, member.tier, member.pages)
                    volunteer = handovers.get((day, a.juz, part))
                    # The tail of a partial-tier member's juz is nobody's until handed to a volunteer.
                    holder = volunteer or (a.key if part != Part.TAIL else 0)
                    pieces.append(
                        Piece(
                            date=day,
                            juz=a.juz,
                            part=part,
                            assignee_id=a.key,
                            holder_id=holder,
                            first=first,
                            last=last,
                            handed=volunteer is not None,
                            done=(day, a.juz, part) in done_pieces,
                            holder_report=reports.get((day, a.juz, part, holder)) if holder else None,
                            assignee_report=reports.get((day, a.juz, part, a.key)),
                        )
                    )
            result.days.append(Day(date=day, assignments=assignments, pieces=pieces, juz_done=juz_done))
        day += dt.timedelta(days=1)
    result.cycles = dict(cycles)
    return result
