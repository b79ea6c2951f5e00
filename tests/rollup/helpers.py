"""Shared set-up of the rollup tests: a snapshot of every rollup table, to compare incremental and rebuilt."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from perjumpaan.rollup.models import (
    AttendanceDay,
    ComplaintDay,
    EvaluationWeek,
    GatheringTally,
    ServiceDay,
    SkmDay,
    SkmServiceDay,
)

WITA = ZoneInfo("Asia/Makassar")
TABLES = (GatheringTally, AttendanceDay, ServiceDay, SkmDay, SkmServiceDay, ComplaintDay, EvaluationWeek)


def wita(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=WITA)


def snapshot() -> dict[str, dict[tuple[Any, ...], dict[str, int]]]:
    """Every rollup row that counts anything: table → key → non-zero counters (plus the fixed columns)."""
    found: dict[str, dict[tuple[Any, ...], dict[str, int]]] = {}
    for model in TABLES:
        counters = model.counter_columns()
        rows: dict[tuple[Any, ...], dict[str, int]] = {}
        week = ["week"] if "week" not in model.KEY else []
        for row in model.objects.values(*model.KEY, *week, *counters):
            values: dict[str, Any] = {name: row[name] for name in counters if row[name]}
            if values:
                rows[tuple(row[name] for name in model.KEY)] = values | {name: row[name] for name in week}
        found[model.__name__] = rows
    return found
