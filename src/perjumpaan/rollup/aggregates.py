"""The rollups computed from the raw rows in bulk: one aggregate query (GROUP BY) per table and office,
for `rollup_rebuild` and the tests that hold the incremental path to it.

Attendance and SKM go through the ORM. Service records and complaints need durations in whole seconds and
a histogram of them; the ORM would compute the duration once per bucket (and on SQLite through a Python
function each time), so those two are SQL written for each engine, with the duration computed once per
row in a materialised common table expression. `rollup.contributions` gives the definitions; this module
must compute exactly the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from perjumpaan.rollup.contributions import DONE, REJECTED, RESOLVED, week_of
from perjumpaan.rollup.histogram import COMPLAINT_EDGES, SERVICE_EDGES
from perjumpaan.rollup.models import (
    ATTENDANCE_COLUMNS,
    CLOSE_HISTOGRAM,
    RESPONSE_HISTOGRAM,
    SERVE_HISTOGRAM,
    SKM_CODES,
    WAIT_HISTOGRAM,
)
from perjumpaan.rollup.store import Delta

# Open ends of a rebuild without dates.
EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2999, 12, 31)


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def local_bounds(start: dt.date, end: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The instants [start 00:00, end + 1 day 00:00) in `tz`."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


# --- Attendance -------------------------------------------------------------------------------------


def attendance_tallies(office_ids: Sequence[int], start: dt.date, end: dt.date) -> list[Delta]:
    """One `GatheringTally` per held gathering of the offices in [start, end] (gatherings with no marks
    too), from one query grouped by gathering."""
    from perjumpaan.program.models import Gathering

    counts = {
        column: Count("marks", filter=Q(marks__status=code)) for code, column in ATTENDANCE_COLUMNS.items()
    }
    rows = (
        Gathering.objects.filter(
            status=Gathering.Status.HELD, office_id__in=list(office_ids), date__range=(start, end)
        )
        .values("pk", "office_id", "date", "track")
        .annotate(expected=Count("marks"), **counts)
        .order_by()
    )
    tallies = []
    for row in rows:
        day = _day(row["date"])
        tally = Counter({"gatherings": 1, "expected": row["expected"]})
        tally.update({column: row[column] for column in ATTENDANCE_COLUMNS.values()})
        tallies.append(
            Delta(
                (row["pk"],),
                {"office_id": row["office_id"], "date": day, "week": week_of(day), "track": row["track"]},
                tally,
            )
        )
    return tallies


def attendance_days(tallies: Sequence[Delta]) -> list[Delta]:
    """`AttendanceDay` rows: the tallies summed by office, date and track."""
    days: dict[tuple[Any, ...], Delta] = {}
    for tally in tallies:
        fixed = tally.fixed
        key = (fixed["office_id"], fixed["date"], fixed["track"])
        day = days.get(key)
        if day is None:
            day = days[key] = Delta(key, {"week": fixed["week"]})
        day.counts.update(tally.counts)
    return list(days.values())


# --- SQL helpers for durations ----------------------------------------------------------------------


def _epoch(column: str) -> str:
    """Whole seconds since 1970 of a timestamp column, the fraction dropped (SQLite stores UTC text
    "YYYY-MM-DD HH:MM:SS[.ffffff]": its first 19 characters are the whole second)."""
    if connection.vendor == "sqlite":
        return f"CAST(strftime('%%s', substr({column}, 1, 19)) AS INTEGER)"
    return f"FLOOR(EXTRACT(EPOCH FROM {column}))::bigint"


def _local_date(column: str) -> str:
    """The local date of a timestamp column in the zone given as the next parameter."""
    if connection.vendor == "sqlite":
        return f"django_datetime_cast_date({column}, %s, 'UTC')"
    return f"({column} AT TIME ZONE %s)::date"


def _below(column: str, edges: Sequence[int]) -> list[str]:
    """How many values are below each inner edge (cumulative), as SQL sums."""
    return [f"SUM(CASE WHEN {column} < {int(edge)} THEN 1 ELSE 0 END)" for edge in edges[1:]]


def _buckets(count: int, below: Sequence[int]) -> list[int]:
    """Bucket counts from the cumulative counts below each inner edge and the total."""
    cumulative = [int(b or 0) for b in below]
    return [b - a for a, b in zip([0, *cumulative], [*cumulative, count], strict=True)]


def _in(ids: Sequence[int]) -> str:
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def _adapt_dt(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _adapt_date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


# --- Service records --------------------------------------------------------------------------------


def service_days(office_ids: Sequence[int], start: dt.date, end: dt.date, tz: ZoneInfo) -> list[Delta]:
    """`ServiceDay` rows of the offices (of one government, zone `tz`) over [start, end]."""
    from perjumpaan.service.models import ServiceRecord

    if not office_ids:
        return []
    table = connection.ops.quote_name(ServiceRecord._meta.db_table)
    sql = f"""
        WITH r AS MATERIALIZED (
            SELECT office_id AS o, date AS d, result AS res,
                CASE WHEN called IS NULL THEN NULL ELSE {_epoch("called")} - {_epoch("arrival")} END AS w,
                CASE WHEN called IS NULL OR finished IS NULL THEN NULL
                     ELSE {_epoch("finished")} - {_epoch("called")} END AS s,
                CASE WHEN result = %s AND finished IS NOT NULL AND {_local_date("finished")} = date
                     THEN 1 ELSE 0 END AS sd
            FROM {table}
            WHERE office_id IN ({_in(office_ids)}) AND date >= %s AND date <= %s
        )
        SELECT o, d, COUNT(*), SUM(CASE WHEN res = %s THEN 1 ELSE 0 END), SUM(sd),
            COUNT(w), COALESCE(SUM(w), 0), {", ".join(_below("w", SERVICE_EDGES))},
            COUNT(s), COALESCE(SUM(s), 0), {", ".join(_below("s", SERVICE_EDGES))}
        FROM r GROUP BY o, d
    """  # noqa: S608 -- table and ids come from the code, values are parameters
    params = [DONE, str(tz), _adapt_date(start), _adapt_date(end), DONE]
    inner = len(SERVICE_EDGES) - 1
    deltas = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            office_id, day = row[0], _day(row[1])
            volume, done, same_day, wait_n, wait_sum = (int(v or 0) for v in row[2:7])
            wait_below = row[7 : 7 + inner]
            serve_n, serve_sum = (int(v or 0) for v in row[7 + inner : 9 + inner])
            serve_below = row[9 + inner : 9 + 2 * inner]
            counts = Counter(
                {
                    "volume": volume,
                    "done": done,
                    "done_same_day": same_day,
                    "wait_n": wait_n,
                    "wait_sum": wait_sum,
                    "serve_n": serve_n,
                    "serve_sum": serve_sum,
                }
            )
            counts.update(dict(zip(WAIT_HISTOGRAM, _buckets(wait_n, wait_below), strict=True)))
            counts.update(dict(zip(SERVE_HISTOGRAM, _buckets(serve_n, serve_below), strict=True)))
            deltas.append(Delta((office_id, day), {"week": week_of(day)}, counts))
    return deltas


# --- SKM --------------------------------------------------------------------------------------------


def skm_days(office_ids: Sequence[int], start: dt.date, end: dt.date, tz: ZoneInfo) -> list[Delta]:
    """`SkmDay` rows: answers grouped by office and the local date they were submitted."""
    from perjumpaan.service.models import SurveyResponse

    first, last = local_bounds(start, end, tz)
    anyone = Q()
    for code in SKM_CODES:
        anyone |= Q(**{f"{code}__isnull": False})
    aggregates: dict[str, Any] = {"respondents": Count("pk", filter=anyone)}
    for code in SKM_CODES:
        aggregates[f"{code}_sum"] = Sum(code)
        aggregates[f"{code}_n"] = Count(code)
    rows = (
        SurveyResponse.objects.filter(
            office_id__in=list(office_ids), submitted_at__gte=first, submitted_at__lt=last
        )
        .annotate(day=TruncDate("submitted_at", tzinfo=tz))
        .values("office_id", "day")
        .annotate(**aggregates)
        .order_by()
    )
    deltas = []
    for row in rows:
        day = _day(row["day"])
        counts = Counter({name: int(row[name] or 0) for name in aggregates})
        deltas.append(Delta((row["office_id"], day), {"week": week_of(day)}, counts))
    return deltas


# --- Complaints -------------------------------------------------------------------------------------


def complaint_days(office_ids: Sequence[int], start: dt.date, end: dt.date, tz: ZoneInfo) -> list[Delta]:
    """`ComplaintDay` rows: complaints received, first answered and closed on each local day."""
    from perjumpaan.service.models import Complaint

    if not office_ids:
        return []
    table = connection.ops.quote_name(Complaint._meta.db_table)
    first, last = (_adapt_dt(moment) for moment in local_bounds(start, end, tz))
    zone_name = str(tz)
    offices = _in(office_ids)
    days: dict[tuple[int, dt.date], Counter[str]] = {}

    def add(office_id: int, day_value: Any, counts: dict[str, int]) -> None:
        days.setdefault((office_id, _day(day_value)), Counter()).update(counts)

    inner = len(COMPLAINT_EDGES) - 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT office_id, {_local_date("received_at")} AS d, COUNT(*) FROM {table}
                WHERE office_id IN ({offices}) AND received_at >= %s AND received_at < %s
                GROUP BY office_id, d""",  # noqa: S608
            [zone_name, first, last],
        )
        for office_id, day, opened in cursor.fetchall():
            add(office_id, day, {"opened": int(opened)})

        for event, column, histogram in (
            ("response", "first_response_at", RESPONSE_HISTOGRAM),
            ("close", "closed_at", CLOSE_HISTOGRAM),
        ):
            cursor.execute(
                f"""
                WITH r AS MATERIALIZED (
                    SELECT office_id AS o, {_local_date(column)} AS d, status AS st,
                        {_epoch(column)} - {_epoch("received_at")} AS x
                    FROM {table}
                    WHERE office_id IN ({offices}) AND {column} >= %s AND {column} < %s
                )
                SELECT o, d, COUNT(*), COALESCE(SUM(x), 0),
                    SUM(CASE WHEN st = %s THEN 1 ELSE 0 END), SUM(CASE WHEN st = %s THEN 1 ELSE 0 END),
                    {", ".join(_below("x", COMPLAINT_EDGES))}
                FROM r GROUP BY o, d
                """,  # noqa: S608
                [zone_name, first, last, RESOLVED, REJECTED],
            )
            for row in cursor.fetchall():
                office_id, day, n, total = row[0], row[1], int(row[2]), int(row[3] or 0)
                counts = {"responded" if event == "response" else "closed": n, f"{event}_sum": total}
                if event == "close":
                    counts["resolved"], counts["rejected"] = int(row[4] or 0), int(row[5] or 0)
                counts.update(zip(histogram, _buckets(n, row[6 : 6 + inner]), strict=True))
                add(office_id, day, counts)
    return [Delta(key, {"week": week_of(key[1])}, counts) for key, counts in days.items()]


# --- The Friday evaluation --------------------------------------------------------------------------


def _week_monday(label: str) -> dt.date:
    return dt.date.fromisocalendar(int(label[:4]), int(label[6:8]), 1)


def _week_label(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def evaluation_weeks(
    *,
    office_ids: Sequence[int] = (),
    round_ids: Sequence[int] = (),
    start: dt.date = EARLIEST,
    end: dt.date = LATEST,
) -> list[Delta]:
    """`EvaluationWeek` rows of the closed rounds of the offices whose week's Monday is in [start, end]
    (or of the given rounds): one query that expands each response's scores (JSON, item id → 1–5) into
    rows joined to the items, grouped by round, part and value; and one for the raters per part."""
    from perjumpaan.evaluation.models import Assignment, Item, Response, Round

    if not office_ids and not round_ids:
        return []
    quote = connection.ops.quote_name
    rounds, responses, items = (quote(m._meta.db_table) for m in (Round, Response, Item))
    if connection.vendor == "sqlite":
        expand = "json_each(r.scores) AS j"
    else:
        expand = "LATERAL jsonb_each_text(r.scores::jsonb) AS j"
    where = (
        f"rd.id IN ({_in(round_ids)})"
        if round_ids
        else f"rd.office_id IN ({_in(office_ids)}) AND rd.week >= %s AND rd.week <= %s"
    )
    params = [] if round_ids else [_week_label(week_of(start)), _week_label(week_of(min(end, LATEST)))]
    sql = f"""
        SELECT rd.office_id, rd.week, r.part, i.value_code,
            COUNT(DISTINCT r.id), SUM(CAST(j.value AS INTEGER)), COUNT(*)
        FROM {rounds} rd
        JOIN {responses} r ON r.round_id = rd.id
        CROSS JOIN {expand}
        JOIN {items} i ON i.id = CAST(j.key AS INTEGER)
        WHERE {where} AND rd.closed_at IS NOT NULL AND i.kind = %s
        GROUP BY rd.office_id, rd.week, r.part, i.value_code
    """  # noqa: S608 -- tables and ids come from the code, values are parameters
    rows: dict[tuple[Any, ...], Delta] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, Item.Kind.SCALE])
        for office_id, label, part, value_code, responses_n, score_sum, score_n in cursor.fetchall():
            monday = _week_monday(label)
            key = (office_id, monday, part, value_code)
            rows[key] = Delta(
                key,
                {},
                Counter(responses=int(responses_n), score_sum=int(score_sum or 0), score_n=int(score_n)),
            )
    assignments = Assignment.objects.filter(done=True, round__closed_at__isnull=False)
    if round_ids:
        assignments = assignments.filter(round_id__in=list(round_ids))
    else:
        assignments = assignments.filter(
            round__office_id__in=list(office_ids),
            round__week__gte=params[0],
            round__week__lte=params[1],
        )
    raters = {
        (row["round__office_id"], _week_monday(row["round__week"]), row["part"]): row["n"]
        for row in assignments.values("round__office_id", "round__week", "part")
        .annotate(n=Count("rater", distinct=True))
        .order_by()
    }
    for key, delta in rows.items():
        delta.counts["raters"] = raters.get(key[:3], 0)
    return list(rows.values())
