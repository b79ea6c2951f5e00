"""Adding to the rollup tables: one `INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n` per batch.

The upsert is a single statement that SQLite (≥ 3.24) and PostgreSQL (≥ 9.5) both run atomically, so two
writers adding to the same row at the same moment both count: on PostgreSQL the second waits for the
first's row lock and then adds to the committed value; on SQLite writers are serialised anyway
(IMMEDIATE transactions). Django's `bulk_create(update_conflicts=True)` can only *replace* a conflicting
row's values, not add to them, hence the SQL here.

Rows are written in key order, so that two transactions adding to the same rows take their locks in the
same order and cannot deadlock each other on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from perjumpaan.rollup.models import Rollup


@dataclass
class Delta:
    """What to add to one row: its key values (in `model.KEY` order), the other columns it is created
    with (`fixed`: office, date, week…), and the amounts to add to its counters."""

    key: tuple[Any, ...]
    fixed: dict[str, Any] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)


def merge(deltas: Iterable[Delta]) -> dict[tuple[Any, ...], Delta]:
    """Deltas with the same key added together (one statement may not touch a row twice)."""
    merged: dict[tuple[Any, ...], Delta] = {}
    for delta in deltas:
        found = merged.get(delta.key)
        if found is None:
            merged[delta.key] = Delta(delta.key, dict(delta.fixed), Counter(delta.counts))
        else:
            found.counts.update(delta.counts)
    return merged


def _param_limit() -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return 65535


def _adapt(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return connection.ops.adapt_datefield_value(value)
    return value


def add(model: type[Rollup], deltas: Iterable[Delta] | Mapping[tuple[Any, ...], Delta]) -> int:
    """Add every delta to its row, creating rows that do not exist yet. Deltas that add nothing are
    skipped. Returns the number of rows written."""
    merged = deltas if isinstance(deltas, Mapping) else merge(deltas)
    rows = [d for _key, d in sorted(merged.items(), key=lambda item: item[0]) if any(d.counts.values())]
    if not rows:
        return 0
    counters = model.counter_columns()
    known = set(counters)
    for row in rows:
        unknown = set(row.counts) - known
        if unknown:
            raise ValueError(f"{model.__name__} has no counters {', '.join(sorted(unknown))}")
    key = list(model.KEY)
    fixed = sorted({name for row in rows for name in row.fixed} - set(key))
    columns = [*key, *fixed, *counters]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in counters)
    head = f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608  # nosec B608  # names from the model
    tail = f" ON CONFLICT ({', '.join(quote(c) for c in key)}) DO UPDATE SET {updates}"  # nosec B608  # names from the model
    per_statement = max(1, min(1000, (_param_limit() - 1) // len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            params: list[Any] = []
            for row in batch:
                params.extend(_adapt(v) for v in row.key)
                params.extend(_adapt(row.fixed.get(name)) for name in fixed)
                params.extend(int(row.counts.get(name, 0)) for name in counters)
            cursor.execute(head + ", ".join([placeholders] * len(batch)) + tail, params)
    return len(rows)
