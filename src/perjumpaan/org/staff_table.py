"""The staff list as a spreadsheet: its columns, reading each row into employee fields, and writing it.

`parse_staff_rows` checks everything a row can be checked for on its own (and duplicate NIPs within the
file) without touching the database; `perjumpaan.org.services.staff_import` adds what needs the database
(a NIP registered at another office) and writes. The export writes exactly the columns the import reads,
so an exported file imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.spreadsheet import (
    CellValue,
    Format,
    Table,
    read_table,
    read_table_path,
    table_bytes,
)
from perjumpaan.org.models import Employee
from perjumpaan.org.nip import nip_problems

# The canonical headers, in the order the export writes them.
STAFF_COLUMNS = ("NIP", "Nama", "Jabatan", "Unit", "Jenis Kelamin", "Status", "No HP", "Email", "Jalur")
STAFF_REQUIRED = ("NIP", "Nama", "Jenis Kelamin", "Status")
STAFF_TEXT_COLUMNS = ("NIP", "No HP")
STAFF_ALIASES: dict[str, tuple[str, ...]] = {
    "NIP": ("NIP Baru", "NIP Pegawai", "NIP 18 Digit", "Nomor Induk Pegawai", "NIP/NI PPPK", "NI PPPK"),
    "Nama": ("Nama Lengkap", "Nama Pegawai", "Nama ASN", "Nama Lengkap (dengan gelar)", "Nama dan Gelar"),
    "Jabatan": ("Nama Jabatan", "Jabatan Terakhir"),
    "Unit": ("Unit Kerja", "Bidang", "Seksi", "Bidang/Seksi", "Sub Unit", "Subbagian", "Unit Organisasi"),
    "Jenis Kelamin": ("L/P", "JK", "Kelamin", "Gender", "Jenis Kelamin (L/P)"),
    "Status": ("Status Pegawai", "Status Kepegawaian", "Jenis Pegawai", "Status ASN", "PNS/PPPK"),
    "No HP": (
        "HP",
        "No HP",
        "Nomor HP",
        "No Handphone",
        "Nomor Handphone",
        "No HP/WA",
        "No WA",
        "WhatsApp",
        "No Telp",
        "No Telepon",
        "Telepon",
    ),
    "Email": ("E-mail", "Alamat Email", "Alamat E-mail", "Surel", "Surat Elektronik"),
    "Jalur": ("Agama", "Jalur Kegiatan", "Jalur Agama"),
}

# Spreadsheet column → Employee field (the unit is carried by name until the service resolves it).
FIELD_OF_COLUMN = {
    "NIP": "nip",
    "Nama": "name",
    "Jabatan": "position",
    "Unit": "unit",
    "Jenis Kelamin": "gender",
    "Status": "status",
    "No HP": "phone",
    "Email": "email",
    "Jalur": "track",
}

GENDERS = {
    "l": "L",
    "lk": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "lakilaki": "L",
    "pria": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
}
STATUSES = {
    "pns": "PNS",
    "cpns": "PNS",
    "asn pns": "PNS",
    "pppk": "PPPK",
    "p3k": "PPPK",
    "asn pppk": "PPPK",
    "pppk paruh waktu": "PPPK",
}
TRACKS = {
    "islam": "islam",
    "muslim": "islam",
    "kristen": "kristen",
    "kristen protestan": "kristen",
    "protestan": "kristen",
    "katolik": "katolik",
    "katholik": "katolik",
    "kristen katolik": "katolik",
    "hindu": "hindu",
    "buddha": "buddha",
    "budha": "buddha",
    "budhha": "buddha",
    "konghucu": "konghucu",
    "khonghucu": "konghucu",
    "kong hu cu": "konghucu",
}

NAME_MAX = 200
POSITION_MAX = 200
UNIT_MAX = 200
PHONE_MAX = 20
EMAIL_MAX = 254

REQUIRED = gettext_noop("{column} wajib diisi.")
TOO_LONG = gettext_noop("{column} terlalu panjang (paling banyak {limit} karakter).")
FORMULA = gettext_noop('{column} tidak boleh diawali tanda "=" (rumus spreadsheet).')
NIP_NUMERIC = gettext_noop(
    "NIP tersimpan sebagai angka, sehingga digit terakhirnya bisa sudah berubah. Format kolom NIP "
    "sebagai Teks, lalu ketik ulang NIP ini."
)
NIP_SCIENTIFIC = gettext_noop(
    "NIP tertulis dalam notasi ilmiah ({value}): spreadsheet mengubahnya menjadi angka dan digit "
    "terakhirnya hilang. Format kolom NIP sebagai Teks, lalu ketik ulang NIP ini."
)
NIP_SERIAL_ZERO = gettext_noop(
    "NIP PNS berakhir dengan 000, padahal nomor urut dimulai dari 001: kemungkinan spreadsheet "
    "menyimpannya sebagai angka dan mengganti tiga digit terakhir dengan 0. Format kolom NIP sebagai Teks, "
    "lalu ketik ulang NIP ini."
)
NIP_DUPLICATE = gettext_noop("NIP ini sudah muncul di baris {row}.")
GENDER_INVALID = gettext_noop('Jenis kelamin "{value}" tidak dikenal; isi L atau P.')
STATUS_INVALID = gettext_noop('Status "{value}" tidak dikenal; isi PNS atau PPPK.')
TRACK_INVALID = gettext_noop('Jalur/agama "{value}" tidak dikenal; isi salah satu dari: {choices}.')
EMAIL_INVALID = gettext_noop('Email "{value}" bukan alamat email yang sah.')
PHONE_NUMERIC = gettext_noop(
    "No HP tersimpan sebagai angka desimal ({value}); format kolom No HP sebagai Teks lalu ketik ulang."
)
PHONE_INVALID = gettext_noop(
    'No HP "{value}" tidak sah; tulis 8–15 angka, boleh diawali + (misalnya 081234567890).'
)

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_PHONE = re.compile(r"^\+?\d{8,15}$")
_PHONE_SEPARATORS = str.maketrans("", "", " -.()/\u00a0")


@dataclass
class StaffRow:
    """One row of a staff file: what it says (`cells`, as text), what it means (`values`) and its problems.

    `values` holds Employee field values for the columns the file has (`unit` as a unit name); a column
    the file does not have is absent, so that an update leaves that field alone.
    """

    number: int
    cells: dict[str, str]
    values: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def nip(self) -> str:
        return self.values.get("nip", "")


def read_staff_file(data: bytes, *, filename: str) -> Table:
    """A staff file's table. Raises `SpreadsheetError` when the file or its header is unusable."""
    return read_table(data, filename=filename, aliases=STAFF_ALIASES, required=STAFF_REQUIRED)


def read_staff_path(path: str | Path) -> Table:
    return read_table_path(path, aliases=STAFF_ALIASES, required=STAFF_REQUIRED)


def cell_text(value: CellValue) -> str:
    """A cell as the user would read it in the spreadsheet, for showing it back to them."""
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
    return str(value).strip()


def _plain_text(value: CellValue) -> str:
    """A text field's value: whitespace runs (line breaks included) made single spaces."""
    return " ".join(cell_text(value).split())


def parse_staff_rows(table: Table) -> list[StaffRow]:
    """Every row of `table` read into employee field values, with every problem found on the row alone.

    Never raises on cell content: whatever a cell holds ends up as a value or as a problem.
    """
    rows = [_parse_row(row.number, row.values, table.columns) for row in table.rows]
    first_row_of: dict[str, int] = {}
    for row in rows:
        nip = row.nip
        if not nip:
            continue
        if nip in first_row_of:
            row.problems.append(_(NIP_DUPLICATE).format(row=first_row_of[nip]))
        else:
            first_row_of[nip] = row.number
    return rows


def _parse_row(number: int, raw: Any, columns: Iterable[str]) -> StaffRow:
    row = StaffRow(number=number, cells={column: cell_text(raw.get(column)) for column in columns})
    present = set(columns)

    for column, limit in (("Nama", NAME_MAX), ("Jabatan", POSITION_MAX), ("Unit", UNIT_MAX)):
        if column not in present:
            continue
        text = _plain_text(raw.get(column))
        if column == "Nama" and not text:
            row.problems.append(_(REQUIRED).format(column=column))
        elif len(text) > limit:
            row.problems.append(_(TOO_LONG).format(column=column, limit=limit))
        elif text.startswith("="):
            row.problems.append(_(FORMULA).format(column=column))
        else:
            row.values[FIELD_OF_COLUMN[column]] = text

    gender = _choice(row, raw.get("Jenis Kelamin"), "Jenis Kelamin", GENDERS, GENDER_INVALID)
    status = _choice(row, raw.get("Status"), "Status", STATUSES, STATUS_INVALID)
    _parse_nip(row, raw.get("NIP"), status=status, gender=gender)

    if "No HP" in present:
        _parse_phone(row, raw.get("No HP"))
    if "Email" in present:
        email = _plain_text(raw.get("Email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.problems.append(_(EMAIL_INVALID).format(value=_clip(email)))
            else:
                if len(email) > EMAIL_MAX:
                    row.problems.append(_(TOO_LONG).format(column="Email", limit=EMAIL_MAX))
                else:
                    row.values["email"] = email
        else:
            row.values["email"] = ""
    if "Jalur" in present:
        text = _plain_text(raw.get("Jalur"))
        track = TRACKS.get(text.casefold()) if text else ""
        if track is None:
            choices = ", ".join(str(label) for label in Employee.Track.labels)
            row.problems.append(_(TRACK_INVALID).format(value=_clip(text), choices=choices))
        else:
            row.values["track"] = track
    return row


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _choice(
    row: StaffRow, value: CellValue, column: str, choices: dict[str, str], message: str
) -> str | None:
    text = _plain_text(value)
    if not text:
        row.problems.append(_(REQUIRED).format(column=column))
        return None
    chosen = choices.get(text.casefold())
    if chosen is None:
        row.problems.append(_(message).format(value=_clip(text)))
        return None
    row.values[FIELD_OF_COLUMN[column]] = chosen
    return chosen


def _parse_nip(row: StaffRow, value: CellValue, *, status: str | None, gender: str | None) -> None:
    # A number cell (XLSX) cannot be trusted: a float keeps only 15–17 significant digits, and even an
    # exact-looking integer of 18 digits may have been rounded before it was stored.
    if isinstance(value, int | float) and not isinstance(value, bool):
        row.problems.append(_(NIP_NUMERIC))
        return
    text = cell_text(value)
    # Excel's ways of forcing text: a leading apostrophe, or ="…" in a CSV.
    if text.startswith("'"):
        text = text[1:]
    if text.startswith('="') and text.endswith('"') and len(text) >= 3:
        text = text[2:-1]
    # BKN prints a NIP in groups: "19790612 200501 1 003".
    nip = "".join(text.split())
    if not nip:
        row.problems.append(_(REQUIRED).format(column="NIP"))
        return
    if _SCIENTIFIC.match(nip):
        row.problems.append(_(NIP_SCIENTIFIC).format(value=_clip(nip)))
        return
    if _DECIMAL.match(nip):
        row.problems.append(_(NIP_NUMERIC))
        return
    if status is None:
        # Without a valid status only the shape of the NIP can be checked.
        well_formed = len(nip) == 18 and nip.isascii() and nip.isdigit()
        problems = [] if well_formed else nip_problems(nip, status="PNS")
    else:
        problems = nip_problems(nip, status=status, gender=gender)
    if not problems and status == "PNS" and nip.endswith("000"):
        problems.append(_(NIP_SERIAL_ZERO))
    if problems:
        row.problems.extend(problems)
    else:
        row.values["nip"] = nip


def _parse_phone(row: StaffRow, value: CellValue) -> None:
    if isinstance(value, float) and not value.is_integer():
        row.problems.append(_(PHONE_NUMERIC).format(value=cell_text(value)))
        return
    if isinstance(value, float) and abs(value) >= 1e15:
        row.problems.append(_(PHONE_NUMERIC).format(value=cell_text(value)))
        return
    text = cell_text(value)
    if text.startswith("'"):
        text = text[1:]
    phone = text.translate(_PHONE_SEPARATORS)
    if not phone:
        row.values["phone"] = ""
        return
    # A number cell, or Excel's reading of a CSV, drops the leading 0 of 0812…; every Indonesian mobile
    # number begins with 08, so a bare 8… is one that lost its 0.
    if phone.isascii() and phone.isdigit() and phone.startswith("8"):
        phone = "0" + phone
    if _SCIENTIFIC.match(text.strip()):
        row.problems.append(_(PHONE_NUMERIC).format(value=_clip(text)))
    elif not _PHONE.match(phone) or not phone.isascii():
        row.problems.append(_(PHONE_INVALID).format(value=_clip(text)))
    elif len(phone) > PHONE_MAX:
        row.problems.append(_(TOO_LONG).format(column="No HP", limit=PHONE_MAX))
    else:
        row.values["phone"] = phone


# --- Export ----------------------------------------------------------------------------------------


def staff_export_rows(employees: Iterable[Employee]) -> list[list[str]]:
    """The rows of a staff export, one per employee, in `STAFF_COLUMNS` order.

    `employees` should be fetched with `select_related("unit")`.
    """
    return [
        [
            employee.nip,
            employee.name,
            employee.position,
            employee.unit.name if employee.unit else "",
            employee.gender,
            employee.status,
            employee.phone,
            employee.email,
            str(Employee.Track(employee.track).label) if employee.track else "",
        ]
        for employee in employees
    ]


def staff_export_bytes(employees: Iterable[Employee], *, fmt: Format, bom: bool = True) -> bytes:
    """A staff export as CSV or XLSX, the NIP and phone columns stored as text in XLSX."""
    return table_bytes(
        fmt,
        STAFF_COLUMNS,
        staff_export_rows(employees),
        text_columns=STAFF_TEXT_COLUMNS,
        title="Pegawai",
        bom=bom,
    )
