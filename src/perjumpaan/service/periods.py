"""Reporting periods: a month, a quarter (triwulan), a semester or a year, by key and by label.

SKM results and service metrics are reported per period. A period has a short key used in URLs and
stored on improvement actions — "2026-11" (November), "2026-Q3" (triwulan III), "2026-S1" (semester I),
"2026" (the year) — and an Indonesian label ("November 2026", "Triwulan III 2026", "Semester I 2026",
"Tahun 2026"). `parse_period` never raises anything but `PeriodError` on bad input.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

PeriodKind = Literal["month", "quarter", "semester", "year"]
KINDS: tuple[PeriodKind, ...] = ("month", "quarter", "semester", "year")

MONTHS = (
    gettext_noop("Januari"),
    gettext_noop("Februari"),
    gettext_noop("Maret"),
    gettext_noop("April"),
    gettext_noop("Mei"),
    gettext_noop("Juni"),
    gettext_noop("Juli"),
    gettext_noop("Agustus"),
    gettext_noop("September"),
    gettext_noop("Oktober"),
    gettext_noop("November"),
    gettext_noop("Desember"),
)
ROMAN = ("I", "II", "III", "IV")
KIND_LABELS = {
    "month": gettext_noop("Bulan"),
    "quarter": gettext_noop("Triwulan"),
    "semester": gettext_noop("Semester"),
    "year": gettext_noop("Tahun"),
}

BAD_PERIOD = gettext_noop(
    "Periode {value} tidak dikenal. Tulis TTTT-BB (bulan), TTTT-Q1…Q4 (triwulan), TTTT-S1/S2 (semester) "
    "atau TTTT (tahun)."
)
_KEY = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])|[Ss]([12])))?$")
MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodError(ValueError):
    """A period key that means nothing; `str(error)` is a message for the user."""


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: `start` and `end` are its first and last days (inclusive)."""

    start: dt.date
    end: dt.date
    kind: PeriodKind
    number: int  # month 1–12, quarter 1–4, semester 1–2; 1 for a year

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.kind == "semester":
            return f"{self.year}-S{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{_(MONTHS[self.number - 1])} {self.year}"
        if self.kind == "quarter":
            return _("Triwulan {roman} {year}").format(roman=ROMAN[self.number - 1], year=self.year)
        if self.kind == "semester":
            return _("Semester {roman} {year}").format(roman=ROMAN[self.number - 1], year=self.year)
        return _("Tahun {year}").format(year=self.year)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        return period_containing(self.start - dt.timedelta(days=1), self.kind)

    def next(self) -> Period:
        return period_containing(self.end + dt.timedelta(days=1), self.kind)

    def __str__(self) -> str:
        return self.key


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def make_period(kind: PeriodKind, year: int, number: int = 1) -> Period:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_(BAD_PERIOD).format(value=year))
    months_per = {"month": 1, "quarter": 3, "semester": 6, "year": 12}[kind]
    count = 12 // months_per
    if not 1 <= number <= count:
        raise PeriodError(_(BAD_PERIOD).format(value=f"{year}/{number}"))
    first_month = (number - 1) * months_per + 1
    last_month = first_month + months_per - 1
    return Period(dt.date(year, first_month, 1), _month_end(year, last_month), kind, number)


def period_containing(day: dt.date, kind: PeriodKind) -> Period:
    if kind == "month":
        return make_period(kind, day.year, day.month)
    if kind == "quarter":
        return make_period(kind, day.year, (day.month - 1) // 3 + 1)
    if kind == "semester":
        return make_period(kind, day.year, 1 if day.month <= 6 else 2)
    return make_period(kind, day.year)


def parse_period(value: str) -> Period:
    """The period a key names ("2026-11", "2026-Q3", "2026-S1", "2026"); PeriodError otherwise."""
    text = (value or "").strip()[:20]
    match = _KEY.match(text)
    if match is None:
        raise PeriodError(_(BAD_PERIOD).format(value=repr(text)))
    year = int(match.group(1))
    month, quarter, semester = match.group(2), match.group(3), match.group(4)
    if month is not None:
        return make_period("month", year, int(month))
    if quarter is not None:
        return make_period("quarter", year, int(quarter))
    if semester is not None:
        return make_period("semester", year, int(semester))
    return make_period("year", year)


def recent_periods(today: dt.date, *, count: int = 12) -> list[Period]:
    """The periods a selector offers, newest first: this and the previous months, quarters, semesters
    and years, `count` months back at most."""
    found: list[Period] = []
    for kind, back in (("month", count), ("quarter", 5), ("semester", 3), ("year", 2)):
        period = period_containing(today, kind)  # type: ignore[arg-type]
        for _index in range(back):
            found.append(period)
            period = period.previous()
    return found
