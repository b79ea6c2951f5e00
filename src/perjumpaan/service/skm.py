"""The SKM instrument: the nine elements of Peraturan Menteri PANRB No. 14 Tahun 2017, and answer sheets.

SKM (Survei Kepuasan Masyarakat) is the citizen satisfaction survey every public-service unit must run at
least once a year. Its questionnaire asks one question per *unsur* (element) and takes an answer from 1 to 4.
The elements are coded U1..U9 in questionnaire order; in that order U8 is Sarana dan Prasarana and U9 is
Penanganan Pengaduan, Saran dan Masukan (the regulation's narrative list has those two the other way round,
and some units publish in that order, so always match elements by name or code, never by position alone).

An *answer sheet* is a CSV export with one row per respondent and columns U1..U9. This module turns one into
plain rows for `perjumpaan.service.ikm`; every problem in the file is reported at once, with its
spreadsheet row (the header is row 1) and column, and nothing is computed from a sheet that has any.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

REFERENCE_FILE = "skm_permenpanrb_14_2017.json"

# Shown per bad cell and capped, so a sheet with a wrong column does not flood the terminal.
MAX_LISTED_PROBLEMS = 20

EMPTY_FILE = gettext_noop("Berkas kosong: tidak ada baris judul maupun data.")
MISSING_COLUMNS = gettext_noop(
    "Kolom {columns} tidak ditemukan di baris judul. Berkas harus memuat kolom U1 sampai U9 "
    "(satu kolom per unsur); kolom lain diabaikan."
)
DUPLICATE_COLUMN = gettext_noop(
    "Kolom {column} muncul lebih dari sekali di baris judul (kolom ke-{positions})."
)
BAD_VALUE = gettext_noop(
    "Baris {row}, kolom {column}: nilai {value} tidak sah (harus 1, 2, 3, 4, atau kosong)."
)
MORE_PROBLEMS = gettext_noop("… dan {count} sel lain yang juga tidak sah.")
UNREADABLE = gettext_noop("Berkas tidak dapat dibaca sebagai CSV: {reason}")
BAD_SHEET = gettext_noop("Tidak ada yang dihitung karena {count} sel tidak sah:")


@dataclass(frozen=True)
class Element:
    """An *unsur pelayanan*: one aspect of a service the citizen rates from 1 (worst) to 4 (best).

    `labels` are the sample questionnaire's answer wordings for 1..4 (for Biaya/Tarif, 4 is "Gratis").
    """

    code: str
    name: str
    question: str
    labels: tuple[str, str, str, str]


@functools.cache
def reference() -> dict[str, Any]:
    """The SKM reference data shipped with the package (elements, interval table, profile fields)."""
    text = resources.files("perjumpaan.service").joinpath("data", REFERENCE_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _elements() -> tuple[Element, ...]:
    found = []
    for item in reference()["unsur"]:
        labels = tuple(item["labels"])
        if len(labels) != 4:
            raise ValueError(f"{item['code']} must have four answer labels, not {len(labels)}")
        found.append(
            Element(
                item["code"], item["name"], item["question"], (labels[0], labels[1], labels[2], labels[3])
            )
        )
    codes = tuple(e.code for e in found)
    if codes != tuple(f"U{i}" for i in range(1, 10)):
        raise ValueError(f"the SKM reference must list U1..U9 in order, not {codes}")
    return tuple(found)


ELEMENTS: tuple[Element, ...] = _elements()
ELEMENT_CODES: tuple[str, ...] = tuple(e.code for e in ELEMENTS)
_BY_CODE = {e.code: e for e in ELEMENTS}

# The only cell texts accepted as answers (after trimming). int() would also take "４", "+3" or "0003".
_ANSWERS = {"1": 1, "2": 2, "3": 3, "4": 4}


def element(code: str) -> Element:
    """The element with this code ("U1".."U9")."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise ValueError(
            f"unknown SKM element {code!r}; expected one of {', '.join(ELEMENT_CODES)}"
        ) from None


class AnswerSheetError(ValueError):
    """An answer sheet that cannot be used. `messages` are complete sentences in the active language."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class AnswerSheet:
    """The answers read from a sheet: `rows[i]` maps U1..U9 to 1–4 or None (blank), from spreadsheet row
    `row_numbers[i]`. Rows with no answer at all (blank lines, respondents who skipped everything) are left
    out, so `len(rows)` is the number of respondents."""

    rows: tuple[Mapping[str, int | None], ...]
    row_numbers: tuple[int, ...]


def decode_answer_file(data: bytes) -> str:
    """Text of an uploaded or saved CSV file: UTF-8 (with or without the BOM spreadsheet programs add).

    A file that is not UTF-8 is read as Latin-1, which never fails: Excel's "CSV" export uses the Windows
    code page, the answer columns are plain digits either way, and any other column is ignored.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _parse(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))


def _header_columns(header: list[str]) -> dict[str, list[int]]:
    wanted = {code.casefold(): code for code in ELEMENT_CODES}
    positions: dict[str, list[int]] = {}
    for index, title in enumerate(header):
        code = wanted.get(title.strip().casefold())
        if code is not None:
            positions.setdefault(code, []).append(index)
    return positions


def _header_score(records: list[list[str]]) -> tuple[int, int]:
    header = records[0] if records else []
    return len(_header_columns(header)), len(header)


def _show(value: str) -> str:
    # repr() shows blanks, quotes and control characters unambiguously; keep a huge cell readable.
    return repr(value if len(value) <= 40 else value[:40] + "…")


def read_answer_sheet(text: str) -> AnswerSheet:
    """Read an SKM answer sheet: a header row naming U1..U9 (any case, surrounding spaces ignored, other
    columns ignored), then one row per respondent with 1–4 or blank in each U column.

    The separator is a comma or a semicolon (Indonesian spreadsheet programs write semicolons): whichever
    makes the header name more of U1..U9. Raises AnswerSheetError listing every problem.
    """
    if not text.strip():
        raise AnswerSheetError([_(EMPTY_FILE)])
    try:
        candidates = [_parse(text, delimiter) for delimiter in (",", ";")]
    except csv.Error as error:
        raise AnswerSheetError([_(UNREADABLE).format(reason=error)]) from None
    records = max(candidates, key=_header_score)
    if not records:
        raise AnswerSheetError([_(EMPTY_FILE)])
    header = records[0]
    positions = _header_columns(header)

    missing = [code for code in ELEMENT_CODES if code not in positions]
    if missing:
        raise AnswerSheetError([_(MISSING_COLUMNS).format(columns=", ".join(missing))])
    duplicated = [
        _(DUPLICATE_COLUMN).format(column=code, positions=", ".join(str(i + 1) for i in where))
        for code, where in positions.items()
        if len(where) > 1
    ]
    if duplicated:
        raise AnswerSheetError(duplicated)

    columns = {code: where[0] for code, where in positions.items()}
    rows: list[Mapping[str, int | None]] = []
    row_numbers: list[int] = []
    problems: list[str] = []
    # The header is spreadsheet row 1; every record after it is one spreadsheet row, blank ones included.
    for row_number, record in enumerate(records[1:], start=2):
        answers: dict[str, int | None] = {}
        for code in ELEMENT_CODES:
            index = columns[code]
            cell = record[index].strip() if index < len(record) else ""
            if not cell:
                answers[code] = None
            elif cell in _ANSWERS:
                answers[code] = _ANSWERS[cell]
            else:
                problems.append(
                    _(BAD_VALUE).format(row=row_number, column=header[index].strip(), value=_show(cell))
                )
        if any(value is not None for value in answers.values()):
            rows.append(answers)
            row_numbers.append(row_number)

    if problems:
        listed = problems[:MAX_LISTED_PROBLEMS]
        if len(problems) > MAX_LISTED_PROBLEMS:
            listed.append(_(MORE_PROBLEMS).format(count=len(problems) - MAX_LISTED_PROBLEMS))
        raise AnswerSheetError([_(BAD_SHEET).format(count=len(problems)), *listed])
    return AnswerSheet(tuple(rows), tuple(row_numbers))
