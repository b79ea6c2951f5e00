"""The operations benchmark's generated files: valid for the imports, and split as the import asks."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from perjumpaan.org.staff_table import parse_staff_rows, read_staff_path
from perjumpaan.service.records_table import ReadOptions, parse_record_rows, read_record_path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_ops_bench() -> Any:
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("ops_bench", BENCH / "ops_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ops = load_ops_bench()


def test_staff_file_is_all_valid_and_distinct(tmp_path: Path) -> None:
    path = tmp_path / "pegawai.csv"
    ops.staff_csv(path, 2100)  # past 999 serials, so the birth dates must keep the NIPs apart
    rows = parse_staff_rows(read_staff_path(path))
    assert len(rows) == 2100
    assert [row.problems for row in rows if row.problems] == []
    assert len({row.nip for row in rows}) == 2100


def test_service_files_split_by_whole_days(tmp_path: Path) -> None:
    # 1,000 rows at 400 a day: days of 400, 400, 200; at most 900 rows a file → 400 + 400 | 200.
    paths = ops.service_csvs(tmp_path, 1000, dt.date(2026, 11, 20), per_file=900, per_day=400)
    counts, days_per_file = [], []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            body = list(csv.reader(handle, delimiter=";"))[1:]
        counts.append(len(body))
        days_per_file.append({row[1] for row in body})
    assert counts == [800, 200]
    assert days_per_file[0].isdisjoint(days_per_file[1])
    # Weekdays only, the last on the given Friday: 18, 19 and 20 November 2026.
    assert days_per_file == [{"18/11/2026", "19/11/2026"}, {"20/11/2026"}]
    options = ReadOptions(zone=ZoneInfo("Asia/Makassar"))
    for path in paths:
        rows = parse_record_rows(read_record_path(path), options)
        assert [row.problems for row in rows if row.problems] == []
