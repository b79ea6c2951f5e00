"""Collective tadarus as pure arithmetic: how far each gathering reads, where the khatam falls, the pace.

Nothing here touches the database; `selectors` feeds it the plans, gatherings and logs it reads.

How a gathering's portion is found (docs/tadarus.md says it in words):

- The reading advances from an *anchor*: the plan's start, the start of a round (Al-Fatihah 1 after a
  khatam), the ayah after a recorded stop, or where the reading stood when a new plan version began.
- The k-th gathering after the anchor reads up to the ayah before `resume(anchor, k)`, the anchor moved
  on by k planned amounts. Targets are computed from the anchor, never chained from yesterday's end, so
  a quarter-juz plan does not drift (see `quran.advance_juz`).
- A portion never runs past An-Nas: the gathering that reaches it completes a khatam, and the next one
  begins a new round at Al-Fatihah 1.
- A recorded stop ("we stopped at 2:176") replaces the planned end and becomes the next anchor. A stop
  *before* the portion's start means the gathering read through An-Nas into the new round. A log with
  no stop means nothing was read: the next gathering starts where this one would have.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from perjumpaan.tadarus import quran
from perjumpaan.tadarus.quran import Ref

Unit = Literal["pages", "ayahs", "juz"]

FIRST = Ref(1, 1)
LAST = Ref(quran.SURAH_COUNT, quran.surah(quran.SURAH_COUNT).ayah_count)


@dataclass(frozen=True)
class PlanVersion:
    """A plan as the arithmetic needs it: from which date, how much per gathering, and an optional
    fresh start (None: continue where the reading stands)."""

    valid_from: dt.date
    unit: Unit
    amount: Fraction
    start: Ref | None = None


@dataclass(frozen=True)
class Sitting:
    """One gathering as the arithmetic needs it. `counted`: it was held (or has a log); a gathering still
    to come is simulated as reading its planned portion. `logged`: a log exists; `stop` is its ayah
    (None with `logged`: nothing was read)."""

    gathering_id: int
    date: dt.date
    counted: bool
    logged: bool = False
    stop: Ref | None = None


@dataclass(frozen=True)
class Reading:
    """What one gathering read, or is planned to read."""

    gathering_id: int
    date: dt.date
    round: int  # the khatam being read: 1 for the first
    start: Ref
    planned_end: Ref
    end: Ref | None  # what was (or will be) read to; None: nothing
    logged: bool
    counted: bool
    khatam: bool  # this gathering read through An-Nas
    pages: Fraction  # how many mushaf pages it read (for the pace)
    unit: Unit
    amount: Fraction

    @property
    def planned_khatam(self) -> bool:
        return self.planned_end == LAST


@dataclass
class State:
    """Where the reading stands after the gatherings simulated so far."""

    position: Ref = FIRST
    anchor: Ref = FIRST
    steps: int = 0
    round: int = 1
    khatams: list[Reading] = field(default_factory=list)


def juz_position(ref: Ref) -> Fraction:
    """`ref` as a number of juz from the beginning (0 at Al-Fatihah 1), ayahs spread evenly in a juz."""
    juz = quran.juz_of(ref)
    first, last = quran.juz_bounds(juz)
    return Fraction(juz - 1) + Fraction(ref.index - first.index, last.index - first.index + 1)


def page_position(ref: Ref) -> Fraction:
    """`ref` as a number of pages from the beginning (0 at Al-Fatihah 1), ayahs spread evenly on a page."""
    page = quran.page_of(ref)
    first, last = quran.page_bounds(page)
    return Fraction(page - 1) + Fraction(ref.index - first.index, last.index - first.index + 1)


def resume_index(anchor: Ref, steps: int, unit: Unit, amount: Fraction) -> int:
    """The mushaf index where reading resumes after `steps` planned amounts from `anchor`, *not* wrapped:
    anything above 6,236 means the round was finished on the way."""
    total = amount * steps
    if total <= 0:
        return anchor.index
    if unit == "ayahs":
        return anchor.index + math.ceil(total)
    if unit == "pages":
        page = quran.page_of(anchor) + math.ceil(total)
        return quran.TOTAL_AYAHS + 1 if page > quran.PAGE_COUNT else quran.page_bounds(page)[0].index
    position = juz_position(anchor) + total
    whole = math.floor(position)
    if whole >= quran.JUZ_COUNT:
        return quran.TOTAL_AYAHS + 1
    first, last = quran.juz_bounds(whole + 1)
    return first.index + math.ceil((position - whole) * (last.index - first.index + 1))


def pages_between(start: Ref, resume: Ref | None) -> Fraction:
    """Pages read from `start` up to (not including) `resume`; None: to the end of An-Nas."""
    end = Fraction(quran.PAGE_COUNT) if resume is None else page_position(resume)
    return end - page_position(start)


def _after(ref: Ref) -> tuple[Ref, bool]:
    """The ayah after `ref`, and whether that began a new round."""
    return (FIRST, True) if ref == LAST else (quran.advance(ref, 1), False)


def simulate(
    versions: list[PlanVersion],
    sittings: Iterable[Sitting],
    *,
    until: int | None = None,
    peek: Collection[int] = (),
) -> tuple[list[Reading], State]:
    """Walk the gatherings in order and say what each read; stop after gathering `until` if given.

    Gatherings before the first plan version are skipped. A gathering that does not count (a past one
    nobody marked as held) does not move the reading; if it is `until` or in `peek`, its reading is
    still given — the portion it had, or would have had.
    """
    versions = sorted(versions, key=lambda v: v.valid_from)
    state = State()
    readings: list[Reading] = []
    current: PlanVersion | None = None
    upcoming = list(versions)
    for sitting in sittings:
        looked_at = sitting.gathering_id == until or sitting.gathering_id in peek
        if not sitting.counted and not looked_at:
            continue
        while upcoming and upcoming[0].valid_from <= sitting.date:
            current = upcoming.pop(0)
            if current.start is not None:
                state.position = current.start
            state.anchor, state.steps = state.position, 0
        if current is None:
            continue
        start = state.position
        resume = resume_index(state.anchor, state.steps + 1, current.unit, current.amount)
        # Never less than one ayah, whatever the rounding.
        resume = max(resume, start.index + 1)
        planned_end = LAST if resume > quran.TOTAL_AYAHS else Ref.from_index(resume - 1)

        if sitting.logged:
            stop = sitting.stop
            if stop is None:
                end, khatam = None, False
                pages = Fraction(0)
            elif stop >= start:
                end, khatam = stop, stop == LAST
                pages = pages_between(start, None if stop == LAST else quran.advance(stop, 1))
            else:  # read through An-Nas and on into the new round
                end, khatam = stop, True
                pages = pages_between(start, None) + pages_between(FIRST, _after(stop)[0])
        else:
            end, khatam = planned_end, planned_end == LAST
            pages = pages_between(start, None if planned_end == LAST else quran.advance(planned_end, 1))

        reading = Reading(
            gathering_id=sitting.gathering_id,
            date=sitting.date,
            round=state.round,
            start=start,
            planned_end=planned_end,
            end=end,
            logged=sitting.logged,
            counted=sitting.counted,
            khatam=khatam,
            pages=pages,
            unit=current.unit,
            amount=current.amount,
        )
        readings.append(reading)
        if not sitting.counted:
            if sitting.gathering_id == until:
                break
            continue
        if khatam:
            state.khatams.append(reading)
            state.round += 1
        if end is None:
            pass  # nothing read: same position, same anchor and count
        elif sitting.logged:
            state.position = _after(end)[0]
            state.anchor, state.steps = state.position, 0
        elif khatam:
            state.position = state.anchor = FIRST
            state.steps = 0
        else:
            state.position = _after(end)[0]
            state.steps += 1
        if sitting.gathering_id == until:
            break
    return readings, state


def round_progress(position: Ref) -> Fraction:
    """How much of the current round has been read, 0 to 1, measured in pages."""
    return page_position(position) / quran.PAGE_COUNT


def pages_left(position: Ref) -> Fraction:
    return quran.PAGE_COUNT - page_position(position)


@dataclass(frozen=True)
class Forecast:
    """When the current round is expected to be finished, and from what."""

    date: dt.date | None
    pace_pages: Fraction  # pages per gathering
    gatherings_needed: int | None
    from_schedule: bool  # the date is a scheduled gathering (not extrapolated)


def forecast(
    *,
    position: Ref,
    recent: list[Reading],
    planned_pages: Fraction,
    upcoming: list[dt.date],
    per_week: Fraction,
    today: dt.date,
) -> Forecast:
    """The date the current round is expected to be finished.

    - pace: pages per gathering over the `recent` held gatherings (the plan's amount when there are none);
    - gatherings needed: the pages left divided by the pace, rounded up;
    - their date: the scheduled gatherings in `upcoming` first; beyond the last scheduled one (or today,
      when none is scheduled), `per_week` gatherings a week.
    """
    pace = sum((r.pages for r in recent), Fraction(0)) / len(recent) if recent else planned_pages
    if pace <= 0:
        return Forecast(None, Fraction(0), None, False)
    needed = max(1, math.ceil(pages_left(position) / pace))
    if needed <= len(upcoming):
        return Forecast(upcoming[needed - 1], pace, needed, True)
    if per_week <= 0:
        return Forecast(None, pace, needed, False)
    beyond = needed - len(upcoming)
    last_known = upcoming[-1] if upcoming else today
    return Forecast(last_known + dt.timedelta(days=math.ceil(beyond * 7 / per_week)), pace, needed, False)
