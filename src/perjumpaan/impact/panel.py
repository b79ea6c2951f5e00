"""Outcome panels: one outcome per office (unit) and period, and the period each office enrolled (its cohort).

A *panel* is what the impact estimators read: a rectangle of outcomes, offices by periods (weeks on the
dashboard, years in the reference data), and for every office its *cohort*, the first period in which it
took part in the programme (0 in the input when it has not enrolled). This module turns a long table (one
row per office and period) into a `Panel`, and says in Indonesian what is wrong with a table it cannot use.

The rules follow the R package `did`, whose results the estimators reproduce:

- the panel must be balanced, so an office with a missing outcome in any period is left out (and a note
  says which), as `did` does with `panel = TRUE`;
- an office that enrolled in the first period has no period before the programme to compare with and is
  left out;
- an office whose enrolment period lies after the last period is, within the data, not yet enrolled.

Nothing here imports Django: messages are Indonesian templates (marked for translation) with their values
kept apart, so a command can translate them and a notebook can print them as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd


def gettext_noop(message: str) -> str:
    """Marks a message for translation (xgettext knows the name) without importing Django."""
    return message


NEVER = -1
"""The cohort index of an office that has not enrolled (within the data)."""

# Problems are listed up to this many at a time, so a wrong column does not flood the terminal.
MAX_LISTED = 5

MISSING_COLUMNS = gettext_noop("Kolom {columns} tidak ditemukan. Kolom yang ada: {available}.")
NO_ROWS = gettext_noop("Data kosong: tidak ada satu baris pun.")
NOT_NUMERIC = gettext_noop("Kolom {column} harus berisi angka, tetapi berisi {values} (baris {rows}).")
MISSING_VALUES = gettext_noop("Kolom {column} kosong pada baris {rows}; setiap baris harus diisi.")
NEGATIVE_COHORT = gettext_noop(
    "Kolom {column} (periode pertama ikut program) tidak boleh negatif: baris {rows}. "
    "Isi 0 untuk kantor yang belum ikut program."
)
DUPLICATE_ROWS = gettext_noop("Ada lebih dari satu baris untuk kantor dan periode yang sama: {pairs}.")
COHORT_VARIES = gettext_noop(
    "Periode pertama ikut program harus sama di semua baris satu kantor, tetapi berbeda untuk {units}."
)
TOO_FEW_PERIODS = gettext_noop("Data hanya memuat {count} periode; perlu paling sedikit dua.")
NO_COMPLETE_UNITS = gettext_noop(
    "Tidak ada kantor yang datanya lengkap di semua periode; dampak tidak dapat dihitung."
)
NO_TREATED = gettext_noop(
    "Tidak ada kantor yang ikut program di dalam rentang data (kolom {column} bernilai 0 atau sesudah "
    "periode terakhir untuk semua kantor); dampak tidak dapat dihitung."
)
NO_NEVER_TREATED = gettext_noop(
    "Tidak ada kantor pembanding yang tidak pernah ikut program: semua kantor ikut di dalam rentang data. "
    "Pakai pembanding kantor yang belum ikut (notyet)."
)
NO_NOT_YET_TREATED = gettext_noop(
    "Tidak ada kantor pembanding: semua kantor mulai ikut program pada periode yang sama, jadi tidak ada "
    "kantor yang belum ikut untuk dibandingkan."
)

DROPPED_INCOMPLETE = gettext_noop(
    "{count} kantor tidak diikutkan karena datanya tidak lengkap di semua periode: {units}."
)
DROPPED_FIRST_PERIOD = gettext_noop(
    "{count} kantor tidak diikutkan karena sudah ikut program sejak periode pertama data, sehingga tidak "
    "ada periode sebelum program sebagai pembanding: {units}."
)
LATE_COHORT = gettext_noop(
    "{count} kantor baru ikut program sesudah periode terakhir data dan dihitung sebagai belum ikut: {units}."
)
COHORT_BETWEEN = gettext_noop(
    "{count} kantor ikut program pada periode yang tidak ada di data; dihitung mulai periode berikutnya "
    "yang ada: {units}."
)


@dataclass(frozen=True)
class Message:
    """A message template in Indonesian and the values that fill it."""

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template.format(**self.params)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.template).format(**self.params)


class PanelError(ValueError):
    """The data cannot be turned into a panel; `messages` says why, all problems at once."""

    def __init__(self, messages: Sequence[Message]) -> None:
        self.messages = tuple(messages)
        super().__init__("\n".join(str(message) for message in self.messages))

    def translated(self, gettext: Callable[[str], str]) -> str:
        return "\n".join(message.translated(gettext) for message in self.messages)


@dataclass(frozen=True, eq=False)
class Panel:
    """A balanced panel: `y[i, t]` is office `units[i]`'s outcome in period `periods[t]`.

    `cohort[i]` is the index (into `periods`) of the first period office i took part in the programme, or
    `NEVER`. Every cohort is at least 1: an office has at least one period before it enrolled.
    """

    units: tuple[str, ...]
    periods: np.ndarray
    y: np.ndarray
    cohort: np.ndarray
    notes: tuple[Message, ...] = ()

    def __post_init__(self) -> None:
        if self.y.shape != (len(self.units), len(self.periods)):
            raise ValueError(f"y has shape {self.y.shape}, expected ({len(self.units)}, {len(self.periods)})")
        if self.cohort.shape != (len(self.units),):
            raise ValueError("one cohort per unit")
        if np.any((self.cohort != NEVER) & ((self.cohort < 1) | (self.cohort >= len(self.periods)))):
            raise ValueError("a cohort must index a period after the first")

    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def n_periods(self) -> int:
        return len(self.periods)

    @property
    def treated(self) -> np.ndarray:
        """Which offices enrolled within the data."""
        return np.asarray(self.cohort != NEVER)

    @property
    def n_treated(self) -> int:
        return int(self.treated.sum())

    def cohort_sizes(self) -> dict[int, int]:
        """Offices per cohort index, `NEVER` included when there are never-treated offices."""
        values, counts = np.unique(self.cohort, return_counts=True)
        return {int(value): int(count) for value, count in zip(values, counts, strict=True)}

    def treatment(self) -> np.ndarray:
        """The 0/1 matrix of treated office-periods (enrolled offices from their cohort on)."""
        index = np.arange(self.n_periods)
        treated = (self.cohort[:, None] != NEVER) & (index[None, :] >= self.cohort[:, None])
        return np.asarray(treated, dtype=float)

    def cohort_periods(self) -> np.ndarray:
        """Each office's enrolment period as a period value, 0 for never (the libraries' convention)."""
        values = np.zeros(self.n_units, dtype=float)
        treated = self.treated
        values[treated] = self.periods[self.cohort[treated]]
        return values

    def with_outcome(self, y: np.ndarray) -> Panel:
        return Panel(self.units, self.periods, np.asarray(y, dtype=float), self.cohort, self.notes)

    def to_frame(self) -> pd.DataFrame:
        """The long table the estimation libraries take: unit, time, first_treat (0 = never), y.

        Periods are numbered 1, 2, … so that the libraries' event times count periods, as ours do.
        """
        first_treat = np.where(self.treated, self.cohort + 1, 0)
        return pd.DataFrame(
            {
                "unit": np.repeat(np.arange(self.n_units), self.n_periods),
                "time": np.tile(np.arange(1, self.n_periods + 1), self.n_units),
                "first_treat": np.repeat(first_treat, self.n_periods),
                "y": self.y.ravel(),
            }
        )


def _listing(values: Sequence[object]) -> str:
    shown = ", ".join(str(value) for value in values[:MAX_LISTED])
    return shown + (f", … (+{len(values) - MAX_LISTED})" if len(values) > MAX_LISTED else "")


def _parse_numbers(series: pd.Series, decimal_comma: bool) -> tuple[pd.Series, pd.Series]:
    """The column as floats (NaN where empty) and a mask of the cells that are text, not numbers."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.astype(float)
        return values, pd.Series(False, index=series.index)
    text = series.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if decimal_comma:
        # Only the comma is read as the decimal mark; "1.234,5" (a thousands dot) stays an error rather
        # than a guess.
        text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text.where(~empty), errors="coerce").astype(float)
    bad = ~empty & (values.isna() | ~np.isfinite(values.fillna(0.0)))
    return values, bad


def panel_from_frame(
    frame: pd.DataFrame,
    *,
    unit: str,
    time: str,
    cohort: str,
    outcome: str,
    decimal_comma: bool = False,
    first_row: int = 2,
) -> Panel:
    """The balanced panel in a long table; `PanelError` lists every problem that stops it.

    `cohort` holds the first period an office took part in (0 = not enrolled). Row numbers in messages
    count from `first_row` (2 for a CSV file whose first line is the header).
    """
    missing = [name for name in dict.fromkeys((unit, time, cohort, outcome)) if name not in frame.columns]
    if missing:
        raise PanelError(
            [
                Message(
                    MISSING_COLUMNS,
                    {"columns": ", ".join(missing), "available": ", ".join(map(str, frame.columns)) or "-"},
                )
            ]
        )
    if frame.empty:
        raise PanelError([Message(NO_ROWS)])
    frame = frame.reset_index(drop=True)
    rows = pd.Series(np.arange(len(frame)) + first_row, index=frame.index)
    problems: list[Message] = []

    units = frame[unit].astype("string").str.strip()
    if units.isna().any() or (units == "").any():
        problems.append(
            Message(
                MISSING_VALUES, {"column": unit, "rows": _listing(list(rows[units.isna() | (units == "")]))}
            )
        )

    parsed: dict[str, pd.Series] = {}
    for name, required in ((time, True), (cohort, True), (outcome, False)):
        values, bad = _parse_numbers(frame[name], decimal_comma)
        parsed[name] = values
        if bad.any():
            shown = list(dict.fromkeys(frame[name][bad].astype(str)))
            problems.append(
                Message(
                    NOT_NUMERIC,
                    {
                        "column": name,
                        "values": _listing([f"«{value}»" for value in shown]),
                        "rows": _listing(list(rows[bad])),
                    },
                )
            )
        empty = values.isna() & ~bad
        if required and empty.any():
            problems.append(Message(MISSING_VALUES, {"column": name, "rows": _listing(list(rows[empty]))}))
    negative = parsed[cohort] < 0
    if negative.any():
        problems.append(Message(NEGATIVE_COHORT, {"column": cohort, "rows": _listing(list(rows[negative]))}))
    if problems:
        raise PanelError(problems)

    long = pd.DataFrame({"unit": units, "time": parsed[time], "cohort": parsed[cohort], "y": parsed[outcome]})
    duplicated = long.duplicated(["unit", "time"], keep=False)
    if duplicated.any():
        pairs = list(
            dict.fromkeys(
                f"{u} / {t:g}"
                for u, t in zip(long["unit"][duplicated], long["time"][duplicated], strict=True)
            )
        )
        problems.append(Message(DUPLICATE_ROWS, {"pairs": _listing(pairs)}))
    varying = long.groupby("unit", sort=False)["cohort"].nunique()
    if (varying > 1).any():
        problems.append(Message(COHORT_VARIES, {"units": _listing(list(varying.index[varying > 1]))}))
    if problems:
        raise PanelError(problems)

    periods = np.sort(long["time"].unique())
    if len(periods) < 2:
        raise PanelError([Message(TOO_FEW_PERIODS, {"count": len(periods)})])
    wide = long.pivot(index="unit", columns="time", values="y").reindex(columns=periods)
    unit_order = list(dict.fromkeys(long["unit"]))
    wide = wide.reindex(unit_order)
    cohort_of = long.groupby("unit", sort=False)["cohort"].first().reindex(unit_order)

    notes: list[Message] = []
    complete = wide.notna().all(axis=1)
    if not complete.all():
        dropped = list(wide.index[~complete])
        notes.append(Message(DROPPED_INCOMPLETE, {"count": len(dropped), "units": _listing(dropped)}))

    values = cohort_of.to_numpy(dtype=float)
    index = np.full(len(values), NEVER, dtype=np.int64)
    enrolled = values > 0
    position = np.searchsorted(periods, values, side="left")
    late = enrolled & (position >= len(periods))
    between = enrolled & ~late & (periods[np.minimum(position, len(periods) - 1)] != values)
    first = enrolled & ~late & (position == 0)
    keep_cohort = enrolled & ~late & ~first
    index[keep_cohort] = position[keep_cohort]
    names = np.asarray(unit_order, dtype=object)
    if late.any():
        notes.append(Message(LATE_COHORT, {"count": int(late.sum()), "units": _listing(list(names[late]))}))
    if (between & ~first).any():
        shown = list(names[between & ~first])
        notes.append(Message(COHORT_BETWEEN, {"count": len(shown), "units": _listing(shown)}))
    if first.any():
        notes.append(
            Message(DROPPED_FIRST_PERIOD, {"count": int(first.sum()), "units": _listing(list(names[first]))})
        )

    keep = complete.to_numpy() & ~first
    if not keep.any():
        raise PanelError([Message(NO_COMPLETE_UNITS)])
    panel = Panel(
        units=tuple(str(name) for name in names[keep]),
        periods=periods.astype(float),
        y=wide.to_numpy(dtype=float)[keep],
        cohort=index[keep],
        notes=tuple(notes),
    )
    if panel.n_treated == 0:
        raise PanelError([*notes, Message(NO_TREATED, {"column": cohort})])
    return panel


def require_controls(panel: Panel, control: str) -> None:
    """Raises `PanelError` when the panel has no office to compare the enrolled ones with."""
    if control == "never" and not (panel.cohort == NEVER).any():
        raise PanelError([Message(NO_NEVER_TREATED)])
    if control == "notyet" and not (panel.cohort == NEVER).any() and len(set(panel.cohort.tolist())) < 2:
        raise PanelError([Message(NO_NOT_YET_TREATED)])


def read_csv_table(path: Path) -> tuple[pd.DataFrame, bool]:
    """A CSV file as text cells, and whether it uses decimal commas (semicolon-separated files do).

    Raises `OSError` when the file cannot be read and `pandas.errors.ParserError` when it is not a table.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet software on Windows still writes CSV in its ANSI code page.
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count) if first_line.strip() else ","
    frame = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        dtype=str,
        keep_default_na=False,
        skipinitialspace=True,
        quoting=csv.QUOTE_MINIMAL,
    )
    frame.columns = [str(name).strip() for name in frame.columns]
    return frame, delimiter == ";"
