"""Which days are working days, which are Ramadan: the calendar facts the scheduler needs.

- Weekends (Saturday, Sunday) are not working days.
- National holidays and cuti bersama come from the maintained `holidays` package (Indonesia, categories
  PUBLIC and GOVERNMENT — the latter is the joint leave of civil servants).
- The government's own `Closure` rows add regional closures, or cancel a holiday (`is_working_day`),
  because the joint-leave decree changes every year and sometimes after the package's release.
- Ramadan runs from the government's `IslamicDate` "ramadan_start" to the day before "idul_fitri". Those
  rows are pre-filled by calculation (`islamic_dates_fill`) and corrected by the admin after the isbat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from hijridate import Gregorian, Hijri

from perjumpaan.org.models import Government, Office
from perjumpaan.program.models import Closure, IslamicDate

WEEKEND = {5, 6}


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[dt.date, str]:
    """Indonesia's national holidays and cuti bersama of `year`, named in Indonesian."""
    calendar = holidays.country_holidays(
        "ID", years=year, categories=(holidays.PUBLIC, holidays.GOVERNMENT), language="id"
    )
    return dict(calendar.items())


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_working_day: bool
    reason: str = ""  # why not, in Indonesian
    is_ramadan: bool = False


class Calendar:
    """The calendar of one government (and optionally one office) over a range of dates, read once."""

    def __init__(self, government: Government, start: dt.date, end: dt.date, office: Office | None = None):
        self.start, self.end = start, end
        closures = Closure.objects.filter(government=government, date__range=(start, end))
        if office is not None:
            closures = closures.filter(office__in=[office]) | closures.filter(office__isnull=True)
        else:
            closures = closures.filter(office__isnull=True)
        self.closures = {c.date: c for c in closures}
        self.ramadan = _ramadan_ranges(government, start, end)

    def day(self, date: dt.date) -> DayInfo:
        ramadan = any(first <= date <= last for first, last in self.ramadan)
        closure = self.closures.get(date)
        if closure is not None:
            return DayInfo(
                date, closure.is_working_day, "" if closure.is_working_day else closure.reason, ramadan
            )
        if date.weekday() in WEEKEND:
            return DayInfo(date, False, "Akhir pekan", ramadan)
        holiday = national_holidays(date.year).get(date)
        if holiday:
            return DayInfo(date, False, holiday, ramadan)
        return DayInfo(date, True, "", ramadan)

    def days(self) -> list[DayInfo]:
        count = (self.end - self.start).days + 1
        return [self.day(self.start + dt.timedelta(days=i)) for i in range(count)]


def _ramadan_ranges(government: Government, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    first_year = Gregorian(start.year, start.month, start.day).to_hijri().year
    last_year = Gregorian(end.year, end.month, end.day).to_hijri().year
    islamic_dates_fill(government=government, hijri_years=range(first_year - 1, last_year + 1))
    rows = IslamicDate.objects.filter(
        government=government,
        hijri_year__range=(first_year - 1, last_year),
        kind__in=[IslamicDate.Kind.RAMADAN_START, IslamicDate.Kind.IDUL_FITRI],
    )
    by_year: dict[int, dict[str, dt.date]] = {}
    for row in rows:
        by_year.setdefault(row.hijri_year, {})[row.kind] = row.date
    ranges = []
    for dates in by_year.values():
        if IslamicDate.Kind.RAMADAN_START in dates and IslamicDate.Kind.IDUL_FITRI in dates:
            ranges.append(
                (
                    dates[IslamicDate.Kind.RAMADAN_START],
                    dates[IslamicDate.Kind.IDUL_FITRI] - dt.timedelta(days=1),
                )
            )
    return ranges


def _computed(kind: str, hijri_year: int) -> dt.date:
    month, day = {"ramadan_start": (9, 1), "idul_fitri": (10, 1), "idul_adha": (12, 10)}[kind]
    return dt.date(*Hijri(hijri_year, month, day).to_gregorian().datetuple())


def _official_holiday(kind: str, computed: dt.date) -> dt.date:
    """Indonesia's own date where the holiday calendar has it (within three days of the computed one)."""
    names = {"idul_fitri": "Hari Raya Idul Fitri", "idul_adha": "Hari Raya Idul Adha"}
    if kind not in names:
        return computed
    for offset in (0, -1, 1, -2, 2, -3, 3):
        day = computed + dt.timedelta(days=offset)
        if national_holidays(day.year).get(day) == names[kind]:
            return day
    return computed


def islamic_dates_fill(*, government: Government, hijri_years: range) -> int:
    """Pre-fill missing Ramadan and Eid dates by calculation; never touches a row that exists (the admin's
    corrections win). Returns how many rows were added."""
    existing = set(
        IslamicDate.objects.filter(government=government, hijri_year__in=list(hijri_years)).values_list(
            "kind", "hijri_year"
        )
    )
    missing = []
    for year in hijri_years:
        for kind in IslamicDate.Kind.values:
            if (kind, year) not in existing:
                computed = _computed(kind, year)
                date = (
                    computed if kind == IslamicDate.Kind.RAMADAN_START else _official_holiday(kind, computed)
                )
                missing.append(IslamicDate(government=government, kind=kind, hijri_year=year, date=date))
    IslamicDate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
