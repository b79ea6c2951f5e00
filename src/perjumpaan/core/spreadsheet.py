"""Reading and writing tables as spreadsheets (XLSX) and CSV, for every import and export.

Reading turns a file into a `Table`: the columns the caller knows (matched through an alias table, without
regard to case, punctuation or surrounding spaces) and the data rows, each numbered as the spreadsheet
shows it, so that an error message can say "baris 7" and the user finds row 7. Cell values are kept as
the file gives them — text from CSV; text, numbers, dates or booleans from XLSX — because only the
caller knows whether a number in a column means the spreadsheet damaged it (a NIP typed into a number
cell has already lost its last digits).

Problems with the file as a whole (unreadable, wrong format, a required column missing) raise
`SpreadsheetError` with a message in Bahasa Indonesia; problems with single rows are the caller's to
report.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None
Format = Literal["csv", "xlsx"]

DEFAULT_MAX_ROWS = 20_000
# A real XLSX of DEFAULT_MAX_ROWS rows unpacks to a few tens of megabytes; anything far larger is a
# "zip bomb" or not the kind of list these imports are for.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
CSV_DELIMITERS = (",", ";", "\t", "|")
HEADER_SEARCH_ROWS = 10

EMPTY_FILE = gettext_noop("Berkas kosong.")
CANNOT_OPEN = gettext_noop("Berkas {name} tidak dapat dibuka: {reason}.")
UNSUPPORTED_TYPE = gettext_noop(
    "Jenis berkas {name} tidak didukung. Gunakan berkas Excel (.xlsx) atau CSV (.csv)."
)
NOT_XLSX = gettext_noop(
    "Berkas {name} bukan berkas Excel .xlsx yang sah. Buka di Excel lalu simpan ulang sebagai "
    '"Excel Workbook (.xlsx)" atau "CSV".'
)
OLD_XLS = gettext_noop(
    "Berkas {name} berformat Excel lama (.xls) yang tidak didukung. Buka di Excel lalu simpan sebagai "
    '"Excel Workbook (.xlsx)" atau "CSV".'
)
ODS_FILE = gettext_noop(
    'Berkas {name} berformat OpenDocument (.ods). Simpan sebagai "Excel 2007-365 (.xlsx)" atau CSV.'
)
XLSX_UNREADABLE = gettext_noop("Berkas Excel {name} rusak atau tidak dapat dibaca.")
XLSX_TOO_LARGE = gettext_noop("Isi berkas Excel {name} terlalu besar untuk diimpor.")
NOT_TEXT = gettext_noop("Berkas {name} bukan berkas teks CSV.")
CSV_UNREADABLE = gettext_noop("Berkas CSV {name} tidak dapat dibaca: {reason}.")
NO_HEADER = gettext_noop("Berkas {name} tidak berisi baris judul kolom.")
NO_ROWS = gettext_noop("Berkas {name} tidak berisi data di bawah baris judul kolom.")
TOO_MANY_ROWS = gettext_noop(
    "Berkas {name} berisi lebih dari {limit} baris data; bagi menjadi beberapa berkas."
)
MISSING_COLUMNS = gettext_noop(
    "Kolom wajib tidak ditemukan: {missing}. Baris judul (baris {row}) berisi: {found}."
)
DUPLICATE_COLUMN = gettext_noop("Kolom {column} muncul lebih dari sekali pada baris judul (baris {row}).")


class SpreadsheetError(Exception):
    """A problem with a file as a whole. `str(error)` is a message for the user, in Bahasa Indonesia."""


@dataclass(frozen=True)
class Row:
    """One data row: its number as the spreadsheet shows it (the first row is 1) and its known cells."""

    number: int
    values: Mapping[str, CellValue]

    def get(self, column: str) -> CellValue:
        return self.values.get(column)


@dataclass(frozen=True)
class Table:
    """What was read from a file: the known columns in file order, the data rows, and where it came from.

    `ignored` lists the headers the alias table did not know (the caller may tell the user they were
    skipped). `encoding` is how a CSV was decoded ("" for XLSX).
    """

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    source: str = ""
    header_row: int = 1
    ignored: tuple[str, ...] = ()
    encoding: str = ""
    format: Format = "csv"


def normalise_header(value: object) -> str:
    """A header cell reduced to what identifies it: " No. HP " → "no hp", "NAMA_LENGKAP" → "nama lengkap"."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).replace("\ufeff", "").casefold()
    for char in "._:*#":
        text = text.replace(char, " ")
    return " ".join(text.split())


def alias_lookup(aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Normalised header text → canonical column name, from canonical name → its variants."""
    lookup: dict[str, str] = {}
    for canonical, variants in aliases.items():
        for text in (canonical, *variants):
            lookup[normalise_header(text)] = canonical
    return lookup


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Reading ---------------------------------------------------------------------------------------


def detect_format(data: bytes, *, filename: str) -> Format:
    """The format of `data` judged by its content, the file name only breaking ties.

    A name ending in .xlsx must hold a real XLSX (a zip with a workbook inside); a CSV must be text.
    """
    name = Path(filename).name or "?"
    suffix = Path(filename).suffix.casefold()
    if not data:
        raise SpreadsheetError(_(EMPTY_FILE))
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if names is not None and "xl/workbook.xml" in names:
            return "xlsx"
        if names is not None and "content.xml" in names and suffix == ".ods":
            raise SpreadsheetError(_(ODS_FILE).format(name=name))
        raise SpreadsheetError(_(NOT_XLSX).format(name=name))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise SpreadsheetError(_(OLD_XLS).format(name=name))
    if suffix in (".xlsx", ".xlsm"):
        raise SpreadsheetError(_(NOT_XLSX).format(name=name))
    if suffix not in (".csv", ".txt", ""):
        raise SpreadsheetError(_(UNSUPPORTED_TYPE).format(name=name))
    return "csv"


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def read_table(
    data: bytes,
    *,
    filename: str,
    aliases: Mapping[str, Iterable[str]],
    required: Iterable[str] = (),
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Table:
    """Read a CSV or XLSX file's bytes into a `Table` of the columns named in `aliases`.

    `aliases` maps each canonical column name to the other ways a header may spell it; headers are
    compared after `normalise_header`. The header row is the first row that names a known column (a title
    may stand above it); rows with nothing in any known column are skipped (their numbers are not
    reused). Raises `SpreadsheetError`.
    """
    fmt = detect_format(data, filename=filename)
    lookup = alias_lookup(aliases)
    required = tuple(required)
    name = Path(filename).name
    if fmt == "xlsx":
        return _read_xlsx(data, name=name, lookup=lookup, required=required, max_rows=max_rows)
    text, encoding = decode_text(data, name=name)
    rows = _csv_rows(text, name=name)
    return _build_table(
        rows, name=name, lookup=lookup, required=required, max_rows=max_rows, fmt="csv", encoding=encoding
    )


def read_table_path(
    path: str | Path,
    *,
    aliases: Mapping[str, Iterable[str]],
    required: Iterable[str] = (),
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Table:
    """`read_table` on a file on disk."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SpreadsheetError(
            _(CANNOT_OPEN).format(name=path.name, reason=error.strerror or error)
        ) from error
    return read_table(data, filename=path.name, aliases=aliases, required=required, max_rows=max_rows)


def decode_text(data: bytes, *, name: str = "?") -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in.

    UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode Text"), and otherwise
    Windows-1252, which is what Excel on an Indonesian Windows writes for "CSV (Comma delimited)".
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise SpreadsheetError(_(CSV_UNREADABLE).format(name=name, reason=error.reason)) from error
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise SpreadsheetError(_(CSV_UNREADABLE).format(name=name, reason=error.reason)) from error
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(_(NOT_TEXT).format(name=name))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; Latin-1 maps every byte, so this cannot fail.
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records most consistently into several fields; a comma when
    in doubt. ("NIP;Nama / 1;Ani, S.Pd." is split by semicolons: every record has two fields.)"""
    sample = text[:65536]
    best, best_score = ",", (0, 0)
    for delimiter in CSV_DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            counts = [len(record) for _index, record in zip(range(HEADER_SEARCH_ROWS), reader, strict=False)]
        except csv.Error:
            continue
        several = [count for count in counts if count > 1]
        if not several:
            continue
        modal = max(set(several), key=lambda count: (several.count(count), count))
        score = (several.count(modal), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(text: str, *, name: str) -> Iterator[tuple[int, Sequence[CellValue]]]:
    # Excel writes (and honours) a first line "sep=;" naming the delimiter; it does not show it as a row.
    first_line, _newline, rest = text.partition("\n")
    hint = first_line.strip().strip('"')
    if hint.casefold().startswith("sep=") and len(hint) == 5:
        delimiter, text = hint[4], rest
    else:
        delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SpreadsheetError(_(CSV_UNREADABLE).format(name=name, reason=error)) from error
        number += 1
        yield number, record


def _read_xlsx(
    data: bytes, *, name: str, lookup: dict[str, str], required: tuple[str, ...], max_rows: int
) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SpreadsheetError(_(XLSX_UNREADABLE).format(name=name)) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise SpreadsheetError(_(XLSX_TOO_LARGE).format(name=name))

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on a damaged file
        raise SpreadsheetError(_(XLSX_UNREADABLE).format(name=name)) from error
    try:
        first_error: SpreadsheetError | None = None
        # The first sheet that has the required columns: a workbook may open with a sheet of
        # instructions before the list itself.
        for sheet in workbook.worksheets:
            rows = enumerate(sheet.iter_rows(values_only=True), start=1)
            try:
                return _build_table(
                    rows, name=name, lookup=lookup, required=required, max_rows=max_rows, fmt="xlsx"
                )
            except SpreadsheetError as error:
                first_error = first_error or error
        raise first_error or SpreadsheetError(_(NO_HEADER).format(name=name))
    except SpreadsheetError:
        raise
    except Exception as error:  # damaged sheet XML shows up only while iterating
        raise SpreadsheetError(_(XLSX_UNREADABLE).format(name=name)) from error
    finally:
        workbook.close()


def _build_table(
    rows: Iterable[tuple[int, Sequence[CellValue]]],
    *,
    name: str,
    lookup: dict[str, str],
    required: tuple[str, ...],
    max_rows: int,
    fmt: Format,
    encoding: str = "",
) -> Table:
    iterator = iter(rows)
    # The header is the first row naming a known column, looked for among the first rows only: a sheet
    # may open with a title ("DAFTAR PEGAWAI …") above it.
    first_filled: tuple[int, Sequence[CellValue]] | None = None
    header: Sequence[CellValue] | None = None
    header_row = 0
    for number, values in iterator:
        if all(is_blank(value) for value in values):
            continue
        first_filled = first_filled or (number, values)
        if any(normalise_header(value) in lookup for value in values):
            header, header_row = values, number
            break
        if number - first_filled[0] >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        if first_filled is None or not required:
            raise SpreadsheetError(_(NO_HEADER).format(name=name))
        header_row, header = first_filled

    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        key = normalise_header(cell)
        if not key:
            continue
        canonical = lookup.get(key)
        if canonical is None:
            ignored.append(str(cell).strip())
        elif canonical in positions:
            raise SpreadsheetError(_(DUPLICATE_COLUMN).format(column=canonical, row=header_row))
        else:
            positions[canonical] = index
    missing = [column for column in required if column not in positions]
    if missing:
        found = ", ".join(str(cell).strip() for cell in header if not is_blank(cell)) or "—"
        raise SpreadsheetError(
            _(MISSING_COLUMNS).format(missing=", ".join(missing), row=header_row, found=found)
        )

    table_rows: list[Row] = []
    for number, values in iterator:
        cells = {
            column: (values[index] if index < len(values) else None) for column, index in positions.items()
        }
        if all(is_blank(value) for value in cells.values()):
            continue
        if len(table_rows) >= max_rows:
            raise SpreadsheetError(_(TOO_MANY_ROWS).format(name=name, limit=max_rows))
        table_rows.append(Row(number=number, values=cells))
    if not table_rows:
        raise SpreadsheetError(_(NO_ROWS).format(name=name))
    return Table(
        columns=tuple(sorted(positions, key=positions.__getitem__)),
        rows=tuple(table_rows),
        source=name,
        header_row=header_row,
        ignored=tuple(ignored),
        encoding=encoding,
        format=fmt,
    )


# --- Writing ---------------------------------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value)


def write_csv(
    stream: io.TextIOBase | Any,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
) -> None:
    """Write a table as CSV to a text stream (opened with newline="")."""
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(value) for value in row])


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, bom: bool = True, delimiter: str = ","
) -> bytes:
    """A table as UTF-8 CSV; with a byte-order mark by default, without which Excel misreads UTF-8."""
    buffer = io.StringIO(newline="")
    write_csv(buffer, header, rows, delimiter=delimiter)
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode("utf-8")


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    text_columns: Collection[str] = (),
    title: str = "Data",
) -> bytes:
    """A table as an XLSX workbook of one sheet, the header bold and frozen.

    Columns named in `text_columns` are stored as text with the Text number format ("@"), so that Excel
    shows a NIP or a phone number as typed and keeps it text when the user edits it. No cell is ever
    stored as a formula, whatever its text begins with.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    text_indexes = {index for index, column in enumerate(header) if column in text_columns}
    widths = [len(column) for column in header]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for index, value in enumerate(row):
            cell = sheet.cell(row=row_number, column=index + 1)
            if index in text_indexes or isinstance(value, str):
                cell.value = _text(value)
                # openpyxl would store text beginning with "=" as a formula.
                cell.data_type = "s"
            else:
                cell.value = value
            if index in text_indexes:
                cell.number_format = "@"
            if index < len(widths):
                widths[index] = max(widths[index], len(_text(value)))
    for index, width in enumerate(widths):
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        if index in text_indexes:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_bytes(
    fmt: Format,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    text_columns: Collection[str] = (),
    title: str = "Data",
    bom: bool = True,
) -> bytes:
    """A table as CSV or XLSX bytes."""
    if fmt == "xlsx":
        return xlsx_bytes(header, rows, text_columns=text_columns, title=title)
    return csv_bytes(header, rows, bom=bom)


CONTENT_TYPES: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
