"""`perjumpaan prayer_times`: Kemenag prayer times for a place and a run of days, as a table or JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from perjumpaan.core.timeutil import format_date
from perjumpaan.program.prayer import (
    DEFAULT_TIME_ZONE,
    PRAYER_NAMES,
    PrayerTimes,
    PrayerTimesError,
    prayer_schedule,
)

MAX_DAYS = 366

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Column headers of the table, in the order of the day.
_HEADERS = {
    "imsak": "Imsak",
    "subuh": "Subuh",
    "terbit": "Terbit",
    "dzuhur": "Dzuhur",
    "ashar": "Ashar",
    "maghrib": "Maghrib",
    "isya": "Isya",
}


class Command(BaseCommand):
    help = (
        "Menampilkan jadwal salat (metode Kementerian Agama RI) untuk satu tempat: "
        "perjumpaan prayer_times --lat LAT --lon LON --date YYYY-MM-DD [--days N] [--json] [--tz TZ]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Values are read as text and checked in handle(), so that a bad value gets one clear
        # Indonesian line instead of argparse's English usage message.
        parser.add_argument("--lat", help="Lintang dalam derajat desimal, -90 sampai 90 (wajib).")
        parser.add_argument("--lon", help="Bujur dalam derajat desimal, -180 sampai 180 (wajib).")
        parser.add_argument("--date", help="Tanggal pertama, YYYY-MM-DD (wajib).")
        parser.add_argument("--days", default="1", help=f"Jumlah hari, 1 sampai {MAX_DAYS} (bawaan: 1).")
        parser.add_argument("--json", action="store_true", help="Keluarkan JSON, bukan tabel.")
        parser.add_argument(
            "--tz", default=DEFAULT_TIME_ZONE, help=f"Zona waktu IANA (bawaan: {DEFAULT_TIME_ZONE})."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        latitude = _number(options["lat"], _("Lintang (--lat)"))
        longitude = _number(options["lon"], _("Bujur (--lon)"))
        start = _start_date(options["date"])
        days = _days(options["days"])
        try:
            schedule = prayer_schedule(
                start=start, days=days, latitude=latitude, longitude=longitude, tz=options["tz"]
            )
        except PrayerTimesError as exc:
            raise CommandError(str(exc)) from None

        if options["json"]:
            self.stdout.write(json.dumps([_as_json(day) for day in schedule], indent=2))
            return
        self.stdout.write(_table(schedule))
        self.stdout.write(
            self.style.SUCCESS(
                _("Jadwal salat %(days)d hari (metode Kemenag RI, zona %(tz)s).")
                % {"days": days, "tz": options["tz"]}
            )
        )


def _number(raw: str | None, label: str) -> float:
    if raw is None:
        raise CommandError(_("%(label)s wajib diisi.") % {"label": label})
    try:
        return float(raw)
    except ValueError:
        raise CommandError(
            _("%(label)s harus berupa angka desimal, misalnya -8.58, bukan %(value)r.")
            % {"label": label, "value": raw}
        ) from None


def _start_date(raw: str | None) -> dt.date:
    if raw is None:
        raise CommandError(_("Tanggal (--date) wajib diisi, dengan format YYYY-MM-DD."))
    try:
        # fromisoformat alone would also accept "20261204" and week dates; the CLI promises one format.
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            _("Tanggal (--date) harus berformat YYYY-MM-DD dan ada di kalender, bukan %(value)r.")
            % {"value": raw}
        ) from None


def _days(raw: str) -> int:
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise CommandError(
            _("Jumlah hari (--days) harus bilangan bulat 1 sampai %(max)d, bukan %(value)r.")
            % {"max": MAX_DAYS, "value": raw}
        )
    return days


def _hhmm(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%H:%M")


def _as_json(day: PrayerTimes) -> dict[str, str | None]:
    row: dict[str, str | None] = {"date": day.date.isoformat()}
    row.update({name: _hhmm(moment) for name, moment in day.as_dict().items()})
    return row


def _table(schedule: list[PrayerTimes]) -> str:
    rows = [[_("Tanggal"), *(_HEADERS[name] for name in PRAYER_NAMES)]]
    for day in schedule:
        rows.append([format_date(day.date), *(_hhmm(t) or "-" for t in day.as_dict().values())])
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)
