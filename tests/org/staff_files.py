"""Staff files written the way spreadsheet programs write them, for the import and export tests."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook

from perjumpaan.org.nip import nip_compose

HEADER = ["NIP", "Nama", "Jabatan", "Unit", "Jenis Kelamin", "Status", "No HP", "Email", "Jalur"]

# Valid NIPs, their parts chosen by hand so that none ends in 000 (see staff_table.NIP_SERIAL_ZERO).
NIP_RAHMAT = nip_compose(birth=dt.date(1979, 6, 12), tmt=dt.date(2005, 1, 1), gender="L", serial=3)
NIP_SITI = nip_compose(birth=dt.date(1985, 3, 20), tmt=dt.date(2010, 3, 1), gender="P", serial=12)
NIP_WAYAN = nip_compose(birth=dt.date(1990, 11, 2), tmt=dt.date(2014, 12, 1), gender="L", serial=101)
NIP_PPPK = "199204152022071001"  # birth 15 April 1992, appointed 2022

RAHMAT = [
    NIP_RAHMAT,
    "Rahmat Hidayat, S.Kom.",
    "Pranata Komputer",
    "Bidang Data",
    "L",
    "PNS",
    "081234567890",
    "rahmat@example.go.id",
    "Islam",
]
SITI = [NIP_SITI, "Siti Aminah", "Analis Kependudukan", "Bidang Data", "P", "PNS", "", "", "Islam"]
WAYAN = [NIP_WAYAN, "I Wayan Sudiarta", "Pengadministrasi Umum", "Sekretariat", "L", "PNS", "", "", "Hindu"]
PPPK = [NIP_PPPK, "Baiq Ratna Sari", "Operator Layanan", "", "P", "PPPK", "", "", "Islam"]


def csv_file(
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    """A CSV as Excel writes one: CRLF line ends, optionally ; and a byte-order mark."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode(encoding)


def xlsx_file(
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    text_nip: bool = True,
    before: Sequence[Sequence[object]] = (),
) -> bytes:
    """An XLSX of one sheet. Values keep their Python type, so an int NIP becomes a number cell."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in before:
        sheet.append(list(row))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if text_nip:
        for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
