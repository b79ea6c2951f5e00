"""ISO weeks as the evaluation names them: "2026-W48", the week whose Friday the round is held."""

from __future__ import annotations

import datetime as dt
import re

from perjumpaan.core.timeutil import format_date

_WEEK = re.compile(r"^([0-9]{4})-W([0-9]{2})$")
FRIDAY = 4


def week_label(day: dt.date) -> str:
    """ "2026-W48" for any day of that ISO week."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(label: str) -> dt.date:
    """The Monday of ISO week `label`; ValueError when `label` is not a week that exists."""
    match = _WEEK.match(label or "")
    if match is None:
        raise ValueError(f"not an ISO week: {label!r}")
    return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)


def parse_week(label: str | None) -> str | None:
    """`label` if it names an existing ISO week ("2026-W53" only in years that have one), else None."""
    try:
        week_monday(label or "")
    except ValueError:
        return None
    return label


def week_friday(label: str) -> dt.date:
    return week_monday(label) + dt.timedelta(days=FRIDAY)


def friday_on_or_before(day: dt.date) -> dt.date:
    """The most recent Friday on or before `day`: the round `open_rounds` opens when run on `day`."""
    return day - dt.timedelta(days=(day.weekday() - FRIDAY) % 7)


def week_shift(label: str, weeks: int) -> str:
    return week_label(week_monday(label) + dt.timedelta(weeks=weeks))


def week_period(label: str) -> str:
    """The working week, Monday to Friday: "23–27 November 2026" or "30 November – 4 Desember 2026"."""
    monday = week_monday(label)
    friday = monday + dt.timedelta(days=FRIDAY)
    end = format_date(friday, weekday=False)
    if monday.month == friday.month:
        return f"{monday.day}–{end}"
    start = format_date(monday, weekday=False)
    if monday.year == friday.year:
        start = start.removesuffix(f" {monday.year}")
    return f"{start} – {end}"


def week_number(label: str) -> int:
    return week_monday(label).isocalendar()[1]
