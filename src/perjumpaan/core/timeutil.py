"""Time zones, Indonesian dates and the Hijri calendar: the one place the project formats time.

Times are stored in UTC; they are shown in the government's zone (Asia/Makassar, WITA, by default). WITA
has no daylight-saving time, but nothing here assumes that.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import dateformat, timezone, translation
from hijridate import Gregorian

# Indonesian spelling of the Hijri months (KBBI / Kemenag).
HIJRI_MONTHS_ID = (
    "Muharam",
    "Safar",
    "Rabiulawal",
    "Rabiulakhir",
    "Jumadilawal",
    "Jumadilakhir",
    "Rajab",
    "Syakban",
    "Ramadan",
    "Syawal",
    "Zulkaidah",
    "Zulhijah",
)


def zone(name: str | None = None) -> ZoneInfo:
    """The named zone, or the deployment's default (settings.TIME_ZONE)."""
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"Zona waktu tidak dikenal: {name!r}") from None


def local_now(tz: ZoneInfo | None = None) -> dt.datetime:
    return timezone.now().astimezone(tz or zone())


def local_today(tz: ZoneInfo | None = None) -> dt.date:
    return local_now(tz).date()


def aware(day: dt.date, clock: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The instant that `clock` on `day` is in `tz`."""
    return dt.datetime.combine(day, clock, tzinfo=tz)


def format_date(day: dt.date, *, weekday: bool = True, language: str = "id") -> str:
    """ "Jumat, 4 Desember 2026" (or without the weekday: "4 Desember 2026")."""
    with translation.override(language):
        return dateformat.format(day, "l, j F Y" if weekday else "j F Y")


def format_time(moment: dt.datetime, tz: ZoneInfo | None = None) -> str:
    """ "12.15" — Indonesian writes clock times with a dot."""
    return moment.astimezone(tz or zone()).strftime("%H.%M")


def hijri_parts(day: dt.date) -> tuple[int, int, int]:
    """(year, month, day) in the Umm al-Qura calendar.

    Indonesia's official dates (set after the government's isbat) can differ by a day; dates that matter to
    the programme (Ramadan, holidays) come from the admin-corrected table in `program`, not from here.
    """
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    return hijri.year, hijri.month, hijri.day


def format_hijri(day: dt.date) -> str:
    """ "13 Ramadan 1448 H"."""
    year, month, mday = hijri_parts(day)
    return f"{mday} {HIJRI_MONTHS_ID[month - 1]} {year} H"
