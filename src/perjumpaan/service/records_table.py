"""The queue machine's export as a table: its columns, and reading each row into service-record values.

Queue machines (mesin antrian) export CSV or XLSX with headers of their own: "No. Antrian", "Jenis Layanan",
"Jam Datang", "Jam Panggil", "Jam Selesai", "Loket", "Petugas", "Status". The common spellings are known
here (`DEFAULT_ALIASES`); an office whose machine writes something else saves a `ServiceImportMapping`
naming its headers, its date and time formats, and how its values translate.

Dates are read day first, as Indonesia writes them (28/11/2026, 28-11-2026, 28 November 2026, and ISO
2026-11-28); times with a dot or a colon (08.15, 08:15, 08:15:32). A time may carry its date
("28/11/2026 08:15:32"). XLSX cells that are real dates and times are taken as they are. Times are wall
times in the government's zone.

`parse_record_rows` checks everything a row can be checked for on its own (and duplicate tickets within
the file) without touching the database; `perjumpaan.service.services.service_record_import` resolves
services and officers and writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.spreadsheet import (
    CellValue,
    Table,
    is_blank,
    normalise_header,
    read_table,
    read_table_path,
)

# Our fields, in the order a preview shows them, with the canonical header of each.
FIELDS = ("date", "ticket", "service", "arrival", "called", "finished", "counter", "officer", "result")
HEADERS: dict[str, str] = {
    "date": "Tanggal",
    "ticket": "No. Antrian",
    "service": "Jenis Layanan",
    "arrival": "Jam Datang",
    "called": "Jam Panggil",
    "finished": "Jam Selesai",
    "counter": "Loket",
    "officer": "Petugas",
    "result": "Status",
}
FIELD_OF_HEADER = {header: name for name, header in HEADERS.items()}
REQUIRED_FIELDS = ("ticket", "service", "arrival")

DEFAULT_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("Tgl", "Tanggal Layanan", "Tanggal Antrian", "Tanggal Kunjungan", "Tgl Antrian", "Date"),
    "ticket": (
        "No Antrian",
        "Nomor Antrian",
        "Antrian",
        "No. Tiket",
        "Nomor Tiket",
        "Tiket",
        "Ticket",
        "Queue No",
        "Queue Number",
        "Kode Antrian",
    ),
    "service": ("Layanan", "Nama Layanan", "Jenis Pelayanan", "Pelayanan", "Kode Layanan", "Service"),
    "arrival": (
        "Waktu Datang",
        "Jam Kedatangan",
        "Waktu Kedatangan",
        "Jam Ambil",
        "Jam Ambil Antrian",
        "Waktu Ambil Antrian",
        "Waktu Cetak",
        "Jam Cetak",
        "Arrival",
        "Arrival Time",
    ),
    "called": ("Waktu Panggil", "Jam Dipanggil", "Waktu Dipanggil", "Called", "Call Time"),
    "finished": ("Waktu Selesai", "Selesai", "Jam Akhir", "Finished", "Finish Time", "Done"),
    "counter": ("No Loket", "Nomor Loket", "Counter", "Meja"),
    "officer": ("Nama Petugas", "NIP Petugas", "Operator", "Pelayan", "Officer"),
    "result": ("Hasil", "Status Layanan", "Status Antrian", "Result"),
}

RESULTS: dict[str, str] = {
    "selesai": "selesai",
    "sudah selesai": "selesai",
    "dilayani": "selesai",
    "sudah dilayani": "selesai",
    "terlayani": "selesai",
    "done": "selesai",
    "finished": "selesai",
    "served": "selesai",
    "ditunda": "ditunda",
    "tunda": "ditunda",
    "pending": "ditunda",
    "dilanjutkan besok": "ditunda",
    "ditolak": "ditolak",
    "tolak": "ditolak",
    "rejected": "ditolak",
    "berkas tidak lengkap": "ditolak",
}
RESULT_VALUES = ("selesai", "ditunda", "ditolak")

MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "jan", "january"),
        ("februari", "feb", "pebruari", "peb", "february"),
        ("maret", "mar", "march"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "jun", "june"),
        ("juli", "jul", "july"),
        ("agustus", "agu", "agt", "ags", "aug", "august"),
        ("september", "sep", "sept"),
        ("oktober", "okt", "oct", "october"),
        ("november", "nov", "nop", "nopember"),
        ("desember", "des", "dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        MONTH_NAMES[_name] = _number

TICKET_MAX = 30
COUNTER_MAX = 30
TEXT_MAX = 200

REQUIRED = gettext_noop("{column} wajib diisi.")
TOO_LONG = gettext_noop("{column} terlalu panjang (paling banyak {limit} karakter).")
FORMULA = gettext_noop('{column} tidak boleh diawali tanda "=" (rumus spreadsheet).')
BAD_DATE = gettext_noop("{column} {value} bukan tanggal yang dikenali (tulis misalnya 28/11/2026).")
BAD_TIME = gettext_noop("{column} {value} bukan jam yang dikenali (tulis misalnya 08.15 atau 08:15:32).")
NO_DATE = gettext_noop(
    "Tanggal tidak diketahui: berkas tidak punya kolom Tanggal dan {column} tidak memuat tanggal."
)
DATE_MISMATCH = gettext_noop("Tanggal pada {column} ({found}) tidak sama dengan kolom Tanggal ({date}).")
CALLED_BEFORE_ARRIVAL = gettext_noop("Jam Panggil ({called}) lebih awal dari Jam Datang ({arrival}).")
FINISHED_BEFORE_CALLED = gettext_noop("Jam Selesai ({finished}) lebih awal dari Jam Panggil ({called}).")
FINISHED_WITHOUT_CALLED = gettext_noop("Jam Selesai diisi tetapi Jam Panggil kosong.")
DONE_WITHOUT_FINISH = gettext_noop("Status selesai tetapi Jam Selesai kosong.")
BAD_RESULT = gettext_noop(
    'Status "{value}" tidak dikenal; isi Selesai, Ditunda atau Ditolak (atau tambahkan terjemahannya pada '
    "pemetaan impor)."
)
NO_RESULT = gettext_noop("Status kosong dan Jam Selesai kosong: hasil layanan tidak diketahui.")
TICKET_DUPLICATE = gettext_noop("No. Antrian {ticket} tanggal {date} sudah muncul di baris {row}.")

MAPPING_NOT_OBJECT = gettext_noop("Pemetaan kolom harus berupa objek JSON: nama isian → judul kolom berkas.")
MAPPING_UNKNOWN_FIELD = gettext_noop("Isian {name} tidak dikenal; yang dikenal: {fields}.")
MAPPING_BAD_HEADER = gettext_noop("Judul kolom untuk {name} harus berupa teks 1–100 karakter.")
MAPPING_SAME_HEADER = gettext_noop("Judul kolom {header} dipetakan ke lebih dari satu isian.")
VALUE_MAP_NOT_OBJECT = gettext_noop(
    'Terjemahan nilai harus berupa objek JSON, misalnya {"service": {"Rekam KTP": "KTP-EL"}}.'
)
VALUE_MAP_UNKNOWN = gettext_noop("Terjemahan nilai hanya untuk service dan result, bukan {name}.")
VALUE_MAP_BAD_ENTRY = gettext_noop("Terjemahan nilai {name} harus berupa pasangan teks → teks.")
VALUE_MAP_BAD_RESULT = gettext_noop("Terjemahan status {value} harus menjadi selesai, ditunda atau ditolak.")
FORMAT_INVALID = gettext_noop("Format {value} tidak dapat dipakai untuk membaca {what}.")

_TIME = re.compile(
    r"^(?P<h>\d{1,2})[.:](?P<m>\d{2})(?:[.:](?P<s>\d{2})(?:[.,]\d{1,6})?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?$"
)
_ZONE_SUFFIX = re.compile(r"\s*\b(WITA|WIB|WIT)\b\.?$", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_NAMED_DATE = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")
_DATE_AND_TIME = re.compile(
    r"^(?P<date>.+?)(?:\s+|T)(?P<time>\d{1,2}[.:]\d{2}(?:[.:]\d{2}(?:[.,]\d{1,6})?)?"
    r"(?:\s*[AaPp]\.?[Mm]\.?)?)$"
)
_WEEKDAY_PREFIX = re.compile(
    r"^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun),?\s+",
    re.IGNORECASE,
)
# Excel's day 0 for serial dates (with its 1900 leap-year bug, hence the 30th).
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - a calendar constant, not an instant


class CellError(ValueError):
    """A cell that cannot be read; the message names the column and the value."""


@dataclass
class RecordRow:
    """One row of a queue-machine file: what it says (`cells`, as text), what it means, and its problems.

    Times are aware datetimes in the government's zone. `service_text` and `officer_text` are resolved
    against the office's catalogue and staff by the import service.
    """

    number: int
    cells: dict[str, str]
    date: dt.date | None = None
    ticket: str = ""
    service_text: str = ""
    arrival: dt.datetime | None = None
    called: dt.datetime | None = None
    finished: dt.datetime | None = None
    counter: str = ""
    officer_text: str = ""
    result: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[dt.date, str] | None:
        return (self.date, self.ticket) if self.date is not None and self.ticket else None


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file: the saved mapping's headers, formats and value translations, and the zone."""

    zone: ZoneInfo
    mapping: Mapping[str, str] = field(default_factory=dict)
    value_map: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date_format: str = ""
    time_format: str = ""


# --- The file ---------------------------------------------------------------------------------------


def aliases_for(mapping: Mapping[str, str] | None = None) -> dict[str, tuple[str, ...]]:
    """Canonical header → the headers that mean it, with a saved mapping's headers taking precedence.

    A field the mapping names is read only from the header it names; its header is taken away from every
    other field, so a mapping can give "Keterangan" to a field other than the status.
    """
    mapping = mapping or {}
    taken = {normalise_header(header) for header in mapping.values()}
    aliases: dict[str, tuple[str, ...]] = {}
    for name in FIELDS:
        canonical = HEADERS[name]
        if name in mapping:
            aliases[canonical] = (mapping[name],)
        else:
            variants = (canonical, *DEFAULT_ALIASES[name])
            aliases[canonical] = tuple(v for v in variants if normalise_header(v) not in taken)
    return aliases


def _required_headers() -> tuple[str, ...]:
    return tuple(HEADERS[name] for name in REQUIRED_FIELDS)


def read_record_file(data: bytes, *, filename: str, mapping: Mapping[str, str] | None = None) -> Table:
    """A queue-machine file's table. Raises `SpreadsheetError` when the file or its header is unusable."""
    return read_table(data, filename=filename, aliases=aliases_for(mapping), required=_required_headers())


def read_record_path(path: str | Path, *, mapping: Mapping[str, str] | None = None) -> Table:
    return read_table_path(path, aliases=aliases_for(mapping), required=_required_headers())


# --- Cells ------------------------------------------------------------------------------------------


def cell_text(value: CellValue) -> str:
    """A cell as the user reads it in the spreadsheet, for showing it back."""
    if type(value) is str:  # most cells, first: this runs for every cell of every row
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".6G")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return " ".join(str(value).split())


def _clip(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _format_has_date(fmt: str) -> bool:
    return any(directive in fmt for directive in ("%d", "%m", "%Y", "%y", "%b", "%B", "%j"))


def parse_date_text(text: str, fmt: str = "") -> dt.date:
    """A written date, day first: 28/11/2026, 28-11-26, 28.11.2026, 2026-11-28, 28 November 2026, "Sabtu,
    28 Nov 2026". Raises ValueError."""
    text = _WEEKDAY_PREFIX.sub("", text.strip())
    if fmt:
        return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no instant
    match = _NUMERIC_DATE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        century = 2000 if len(match.group(3)) == 2 else 0
        return dt.date(year + century, month, day)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    match = _NAMED_DATE.match(text)
    if match:
        named = MONTH_NAMES.get(match.group(2).casefold())
        if named is None:
            raise ValueError(text)
        return dt.date(int(match.group(3)), named, int(match.group(1)))
    raise ValueError(text)


def parse_time_text(text: str, fmt: str = "") -> dt.time:
    """A written clock time: 08.15, 8:15, 08:15:32, 08.15.32, 8:15 PM (a zone suffix such as WITA is
    ignored: times are the government's). Raises ValueError."""
    text = _ZONE_SUFFIX.sub("", text.strip())
    if fmt:
        return dt.datetime.strptime(text, fmt).time()  # noqa: DTZ007 - a wall time
    match = _TIME.match(text)
    if match is None:
        raise ValueError(text)
    hour, minute = int(match.group("h")), int(match.group("m"))
    second = int(match.group("s") or 0)
    ampm = (match.group("ampm") or "").replace(".", "").casefold()
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return dt.time(hour, minute, second)


def read_date_cell(value: CellValue, *, column: str, fmt: str = "") -> dt.date | None:
    """A date cell (None when blank). Raises CellError."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date typed into a General cell of an XLSX: Excel's serial day number.
        if 20_000 <= value <= 80_000:
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).date()
        raise CellError(_(BAD_DATE).format(column=column, value=_clip(cell_text(value))))
    text = cell_text(value)
    day = _date_of_text(text, fmt)
    if day is None:
        raise CellError(_(BAD_DATE).format(column=column, value=_clip(text)))
    return day


# A file repeats the same date and time texts over and over (a day's date on each of its rows): each
# distinct text is read once. The functions are pure, so the caches are safe to share between imports.
@functools.lru_cache(maxsize=4096)
def _date_of_text(text: str, fmt: str) -> dt.date | None:
    try:
        return parse_date_text(text, fmt)
    except (ValueError, OverflowError):
        return None


def read_time_cell(
    value: CellValue, *, column: str, date_format: str = "", time_format: str = ""
) -> tuple[dt.date | None, dt.time] | None:
    """A time cell as (its date if it carries one, the wall time); None when blank. Raises CellError."""
    if is_blank(value):
        return None
    if type(value) is str:
        read = _time_of_text(cell_text(value), date_format, time_format)
        if read is None:
            raise _bad_time(value, column)
        return read
    bad = _bad_time(value, column)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        return value.date(), value.time().replace(microsecond=0)
    if isinstance(value, dt.time):
        return None, value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        if not 0 <= seconds < 86_400:
            raise bad
        return None, dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    if isinstance(value, dt.date):
        raise bad
    if isinstance(value, int | float) and not isinstance(value, bool):
        # XLSX General cells: a fraction of a day, or a serial date with the time as its fraction.
        if 0 <= value < 1:
            seconds = round(value * 86_400)
            if seconds >= 86_400:
                raise bad
            return None, dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
        if 20_000 <= value <= 80_000:
            moment = _EXCEL_EPOCH + dt.timedelta(seconds=round(value * 86_400))
            return moment.date(), moment.time()
        raise bad
    read = _time_of_text(cell_text(value), date_format, time_format)
    if read is None:
        raise bad
    return read


def _bad_time(value: CellValue, column: str) -> CellError:
    return CellError(_(BAD_TIME).format(column=column, value=_clip(cell_text(value))))


@functools.lru_cache(maxsize=32_768)
def _time_of_text(text: str, date_format: str, time_format: str) -> tuple[dt.date | None, dt.time] | None:
    """A time cell's text as (its date if it carries one, the wall time), or None when it is no time."""
    text = _ZONE_SUFFIX.sub("", text)
    try:
        if time_format:
            moment = dt.datetime.strptime(text, time_format)  # noqa: DTZ007 - a wall time
            return (moment.date() if _format_has_date(time_format) else None), moment.time()
        match = _DATE_AND_TIME.match(text)
        if match:
            day = parse_date_text(match.group("date"), date_format)
            return day, parse_time_text(match.group("time"))
        if "T" in text or "-" in text:
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is not None:
                return None  # an offset in a wall-time column is not expected: times are the zone's
            return moment.date(), moment.time().replace(microsecond=0)
        return None, parse_time_text(text)
    except (ValueError, OverflowError):
        return None


# --- Rows -------------------------------------------------------------------------------------------


def _text(row: RecordRow, raw: Mapping[str, CellValue], name: str, limit: int, *, required: bool) -> str:
    header = HEADERS[name]
    text = cell_text(raw.get(header))
    if not text:
        if required:
            row.problems.append(_(REQUIRED).format(column=header))
        return ""
    if len(text) > limit:
        row.problems.append(_(TOO_LONG).format(column=header, limit=limit))
        return ""
    if text.startswith("="):
        row.problems.append(_(FORMULA).format(column=header))
        return ""
    return text


def _time_of(row: RecordRow, raw: Mapping[str, CellValue], name: str, options: ReadOptions) -> Any:
    header = HEADERS[name]
    try:
        return read_time_cell(
            raw.get(header), column=header, date_format=options.date_format, time_format=options.time_format
        )
    except CellError as error:
        row.problems.append(str(error))
        return False  # read, but wrong: not the same as blank


def result_of(text: str, value_map: Mapping[str, str] | None = None) -> str | None:
    """The result a status text means (after the mapping's own translations), or None."""
    key = " ".join(text.split()).casefold()
    for source, target in (value_map or {}).items():
        if " ".join(str(source).split()).casefold() == key:
            return target if target in RESULT_VALUES else None
    return RESULTS.get(key)


def _show_time(moment: dt.datetime) -> str:
    return moment.strftime("%H.%M.%S") if moment.second else moment.strftime("%H.%M")


def parse_record_row(
    number: int, raw: Mapping[str, CellValue], columns: tuple[str, ...], options: ReadOptions
) -> RecordRow:
    """One row read into record values, with every problem found on the row alone. Never raises on cell
    content."""
    row = RecordRow(number=number, cells={column: cell_text(raw.get(column)) for column in columns})
    row.ticket = _text(row, raw, "ticket", TICKET_MAX, required=True)
    row.service_text = _text(row, raw, "service", TEXT_MAX, required=True)
    row.counter = _text(row, raw, "counter", COUNTER_MAX, required=False)
    row.officer_text = _text(row, raw, "officer", TEXT_MAX, required=False)

    date_header = HEADERS["date"]
    date_ok = True
    if date_header in columns:
        try:
            row.date = read_date_cell(raw.get(date_header), column=date_header, fmt=options.date_format)
        except CellError as error:
            row.problems.append(str(error))
            date_ok = False
    times = {name: _time_of(row, raw, name, options) for name in ("arrival", "called", "finished")}
    arrival = times["arrival"]
    if arrival is None:
        row.problems.append(_(REQUIRED).format(column=HEADERS["arrival"]))
    if arrival:
        arrival_day, _clock = arrival
        if row.date is None and date_ok:
            if arrival_day is None and date_header in columns:
                row.problems.append(_(REQUIRED).format(column=date_header))
            elif arrival_day is None:
                row.problems.append(_(NO_DATE).format(column=HEADERS["arrival"]))
            row.date = arrival_day
        elif arrival_day is not None and row.date is not None and arrival_day != row.date:
            row.problems.append(
                _(DATE_MISMATCH).format(
                    column=HEADERS["arrival"], found=f"{arrival_day:%d/%m/%Y}", date=f"{row.date:%d/%m/%Y}"
                )
            )
    if row.date is not None:
        for name, read in times.items():
            if not read:
                continue
            day, clock = read
            try:
                moment = dt.datetime.combine(day or row.date, clock, tzinfo=options.zone)
            except (ValueError, OverflowError):
                row.problems.append(
                    _(BAD_TIME).format(column=HEADERS[name], value=_clip(cell_text(raw.get(HEADERS[name]))))
                )
                continue
            setattr(row, name, moment)

    if row.arrival and row.called and row.called < row.arrival:
        row.problems.append(
            _(CALLED_BEFORE_ARRIVAL).format(called=_show_time(row.called), arrival=_show_time(row.arrival))
        )
    if row.finished and times["called"] is None:
        row.problems.append(_(FINISHED_WITHOUT_CALLED))
    elif row.finished and row.called and row.finished < row.called:
        row.problems.append(
            _(FINISHED_BEFORE_CALLED).format(finished=_show_time(row.finished), called=_show_time(row.called))
        )

    status_header = HEADERS["result"]
    status = cell_text(raw.get(status_header))
    if status:
        result = result_of(status, options.value_map.get("result"))
        if result is None:
            row.problems.append(_(BAD_RESULT).format(value=status[:40]))
        else:
            row.result = result
    elif times["finished"]:
        row.result = "selesai"
    elif times["finished"] is None:
        row.problems.append(_(NO_RESULT))
    if row.result == "selesai" and times["finished"] is None:
        row.problems.append(_(DONE_WITHOUT_FINISH))
    return row


def parse_record_rows(table: Table, options: ReadOptions) -> list[RecordRow]:
    """Every row of `table` read into record values, with its problems; a ticket twice on one day in the
    file is a problem of its second row."""
    rows = [parse_record_row(row.number, row.values, table.columns, options) for row in table.rows]
    first_row_of: dict[tuple[dt.date, str], int] = {}
    for row in rows:
        key = row.key
        if key is None:
            continue
        if key in first_row_of:
            row.problems.append(
                _(TICKET_DUPLICATE).format(
                    ticket=row.ticket, date=f"{key[0]:%d/%m/%Y}", row=first_row_of[key]
                )
            )
        else:
            first_row_of[key] = row.number
    return rows


# --- Saved mappings ---------------------------------------------------------------------------------


def format_problem(fmt: str, *, what: str) -> str | None:
    """Why a strptime format cannot read dates/times, or None if it can."""
    if not fmt:
        return None
    sample = dt.datetime(2026, 11, 28, 8, 15, 32)  # noqa: DTZ001 - a wall time to try the format on
    try:
        text = sample.strftime(fmt)
        dt.datetime.strptime(text, fmt)  # noqa: DTZ007
    except (ValueError, TypeError):
        return _(FORMAT_INVALID).format(value=fmt, what=what)
    if "%" not in fmt:
        return _(FORMAT_INVALID).format(value=fmt, what=what)
    return None


def mapping_problems(mapping: Any, value_map: Any) -> list[str]:
    """What is wrong with a saved mapping's JSON (empty when nothing)."""
    problems: list[str] = []
    if not isinstance(mapping, dict):
        problems.append(_(MAPPING_NOT_OBJECT))
    else:
        seen: dict[str, str] = {}
        for name, header in mapping.items():
            if name not in FIELDS:
                problems.append(_(MAPPING_UNKNOWN_FIELD).format(name=name, fields=", ".join(FIELDS)))
            elif not isinstance(header, str) or not 1 <= len(header.strip()) <= 100:
                problems.append(_(MAPPING_BAD_HEADER).format(name=name))
            else:
                key = normalise_header(header)
                if key in seen:
                    problems.append(_(MAPPING_SAME_HEADER).format(header=header))
                seen[key] = name
    if not isinstance(value_map, dict):
        problems.append(_(VALUE_MAP_NOT_OBJECT))
        return problems
    for name, entries in value_map.items():
        if name not in ("service", "result"):
            problems.append(_(VALUE_MAP_UNKNOWN).format(name=name))
            continue
        if not isinstance(entries, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in entries.items()
        ):
            problems.append(_(VALUE_MAP_BAD_ENTRY).format(name=name))
            continue
        if name == "result":
            problems.extend(
                _(VALUE_MAP_BAD_RESULT).format(value=source)
                for source, target in entries.items()
                if target not in RESULT_VALUES
            )
    return problems
