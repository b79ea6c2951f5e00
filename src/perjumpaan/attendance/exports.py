"""Attendance recaps out of the system: the period they cover, the rate as Indonesians write it, and the
recap as CSV, XLSX and an A4 PDF.

The page, the spreadsheet and the PDF are built from the same rows (`selectors.attendance_recap` and
`selectors.attendance_recap_offices`), so they always say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from perjumpaan.attendance.models import Status
from perjumpaan.attendance.selectors import OfficeRecapRow, RecapRow
from perjumpaan.core.pdf import letterhead, render_pdf
from perjumpaan.core.spreadsheet import Format, table_bytes
from perjumpaan.core.timeutil import format_date, format_time, zone
from perjumpaan.org.models import Government, Office

RECAP_TEMPLATE = "attendance/pdf/recap.typ"
STATUS_ORDER = [s.value for s in Status]  # H T I S C DL TK
# The longest period a recap may cover: a year, plus a day for leap years.
MAX_PERIOD_DAYS = 366


# --- The rate ---------------------------------------------------------------------------------------


def percent_label(rate: Fraction | None) -> str:
    """ "87,5 %": one decimal, rounded half up, a comma for the decimal point; "100 %" and "0 %" without a
    useless ",0"; "–" when nothing was expected."""
    if rate is None:
        return "–"
    tenths = int(rate * 1000 + Fraction(1, 2))  # rate ≥ 0, so int() floors
    whole, tenth = divmod(tenths, 10)
    return f"{whole} %" if tenth == 0 else f"{whole},{tenth} %"


def percent_number(rate: Fraction | None) -> float | None:
    """The rate in per cent rounded half up to one decimal, for a spreadsheet cell."""
    if rate is None:
        return None
    return int(rate * 1000 + Fraction(1, 2)) / 10


# --- The period -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days a recap covers: a calendar month (`?bulan=2026-11`) or any range (`?dari=…&sampai=…`)."""

    start: dt.date
    end: dt.date
    month: str  # "2026-11" when the period is exactly that month, else ""

    @property
    def label(self) -> str:
        if self.month:
            return date_format(self.start, "F Y")
        first = format_date(self.start, weekday=False)
        if self.start.year == self.end.year:
            first = first.removesuffix(f" {self.start.year}")
        return f"{first} – {format_date(self.end, weekday=False)}"

    @property
    def query(self) -> str:
        """The query string that gives this period back."""
        if self.month:
            return f"bulan={self.month}"
        return f"dari={self.start.isoformat()}&sampai={self.end.isoformat()}"

    @property
    def slug(self) -> str:
        return self.month or f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def month_period(first: dt.date) -> Period:
    first = first.replace(day=1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return Period(start=first, end=last, month=f"{first:%Y-%m}")


def period_from_query(params: Mapping[str, str], today: dt.date) -> tuple[Period, str]:
    """The period asked for in `params`, and an error message ("" if none). A period that cannot be read
    falls back to the current month, so the page still answers."""
    start, end, month = params.get("dari", ""), params.get("sampai", ""), params.get("bulan", "")
    if start or end:
        try:
            first, last = dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip())
        except ValueError:
            return month_period(today), _("Tanggal periode tidak sah; ditampilkan bulan ini.")
        if last < first:
            return month_period(today), _(
                "Tanggal akhir periode sebelum tanggal awal; ditampilkan bulan ini."
            )
        if (last - first).days >= MAX_PERIOD_DAYS:
            return month_period(today), _("Periode paling panjang satu tahun; ditampilkan bulan ini.")
        if first.day == 1 and last == month_period(first).end:
            return month_period(first), ""
        return Period(start=first, end=last, month=""), ""
    if month:
        try:
            first = dt.datetime.strptime(month.strip(), "%Y-%m").date()  # noqa: DTZ007 -- a calendar month
        except ValueError:
            return month_period(today), _(
                "Bulan harus ditulis TTTT-BB, misalnya 2026-11; ditampilkan bulan ini."
            )
        return month_period(first), ""
    return month_period(today), ""


def neighbour_months(period: Period) -> tuple[str, str]:
    """The months before and after the period's first month, as "YYYY-MM"."""
    first = period.start.replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return f"{previous:%Y-%m}", f"{following:%Y-%m}"


# --- Tables -----------------------------------------------------------------------------------------


def _status_header() -> list[str]:
    return list(STATUS_ORDER)


def _counts(row: RecapRow) -> list[int]:
    return [row.counts.get(status, 0) for status in STATUS_ORDER]


def employee_table(rows: Sequence[RecapRow], total: RecapRow) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of one office's recap for a spreadsheet: one row per employee, then the total."""
    header = [_("No"), _("Nama"), _("NIP"), _("Diharapkan"), *_status_header(), _("Persentase kehadiran (%)")]
    body: list[list[Any]] = [
        [i, row.name, row.nip, row.expected, *_counts(row), percent_number(row.rate)]
        for i, row in enumerate(rows, 1)
    ]
    body.append(["", _("Jumlah"), "", total.expected, *_counts(total), percent_number(total.rate)])
    return header, body


def office_table(rows: Sequence[OfficeRecapRow]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the recap of every office: one row per office, then the government's total."""
    header = [_("No"), _("Kode"), _("Perangkat daerah"), _("Diharapkan"), *_status_header()]
    header.append(_("Persentase kehadiran (%)"))
    body: list[list[Any]] = [
        [
            i,
            row.office.code,
            row.office.name,
            row.total.expected,
            *_counts(row.total),
            percent_number(row.total.rate),
        ]
        for i, row in enumerate(rows, 1)
    ]
    total = government_total(rows)
    body.append(["", "", _("Jumlah"), total.expected, *_counts(total), percent_number(total.rate)])
    return header, body


def government_total(rows: Sequence[OfficeRecapRow]) -> RecapRow:
    counts: dict[str, int] = {}
    for row in rows:
        for status, n in row.total.counts.items():
            counts[status] = counts.get(status, 0) + n
    return RecapRow(employee_id=0, name="", nip="", counts=counts, expected=sum(counts.values()))


def table_file(fmt: Format, header: list[str], body: list[list[Any]], *, title: str) -> bytes:
    return table_bytes(fmt, header, body, text_columns=[_("NIP"), _("Kode")], title=title)


# --- PDF --------------------------------------------------------------------------------------------


def _footer(government: Government) -> str:
    tz = zone(government.time_zone)
    now = timezone.now().astimezone(tz)
    return _("Dicetak dari Perjumpaan, {date} pukul {time} {zone}").format(
        date=format_date(now.date()), time=format_time(now, tz), zone=now.tzname()
    )


def _rate_note() -> str:
    return _(
        "Persentase kehadiran = (H + T) ÷ (perjumpaan yang diharapkan − C − DL). H hadir, T terlambat, "
        "I izin, S sakit, C cuti, DL dinas luar, TK tanpa keterangan. Hanya perjumpaan yang sudah "
        "ditutup yang dihitung."
    )


def office_recap_pdf(*, office: Office, period: Period, rows: Sequence[RecapRow], total: RecapRow) -> bytes:
    """One office's recap on A4: one line per employee, the office's total, how the rate is computed."""
    data = {
        "title": _("Rekapitulasi Kehadiran Perjumpaan"),
        "subtitle": _("{office} · {period}").format(office=office.name, period=period.label),
        "letterhead": letterhead(office=office),
        "footer": _footer(office.government),
        "columns": [_("No"), _("Nama / NIP"), _("Dihar."), *_status_header(), _("Persentase")],
        "rows": [
            {
                "cells": [
                    str(i),
                    row.name,
                    str(row.expected),
                    *[str(n) for n in _counts(row)],
                    percent_label(row.rate),
                ],
                "sub": row.nip,
            }
            for i, row in enumerate(rows, 1)
        ],
        "total": [
            "",
            _("Jumlah"),
            str(total.expected),
            *[str(n) for n in _counts(total)],
            percent_label(total.rate),
        ],
        "empty": _("Belum ada perjumpaan yang ditutup pada periode ini."),
        "note": _rate_note(),
    }
    return render_pdf(RECAP_TEMPLATE, data)


def offices_recap_pdf(*, government: Government, period: Period, rows: Sequence[OfficeRecapRow]) -> bytes:
    """Every office's recap on A4 for leadership."""
    total = government_total(rows)
    data = {
        "title": _("Rekapitulasi Kehadiran Perjumpaan"),
        "subtitle": _("Seluruh perangkat daerah · {period}").format(period=period.label),
        "letterhead": letterhead(government=government),
        "footer": _footer(government),
        "columns": [_("No"), _("Perangkat daerah"), _("Dihar."), *_status_header(), _("Persentase")],
        "rows": [
            {
                "cells": [
                    str(i),
                    row.office.name,
                    str(row.total.expected),
                    *[str(n) for n in _counts(row.total)],
                    percent_label(row.total.rate),
                ],
                "sub": row.office.code,
            }
            for i, row in enumerate(rows, 1)
        ],
        "total": [
            "",
            _("Jumlah"),
            str(total.expected),
            *[str(n) for n in _counts(total)],
            percent_label(total.rate),
        ],
        "empty": _("Belum ada perjumpaan yang ditutup pada periode ini."),
        "note": _rate_note(),
    }
    return render_pdf(RECAP_TEMPLATE, data)
