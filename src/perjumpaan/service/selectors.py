"""Reads of public-service data. Everything about an office goes through the scoping, with one deliberate
exception: the `public_*` functions serve the pages citizens open without an account (the SKM form, the
published results, the complaint form). They read only what an office publishes anyway — its name, its
active services, and aggregate SKM results — never a record, an answer sheet or a complaint.

Definitions of the service metrics (docs/service.md says the same for users):

- volume: the number of service records (citizens served) in a day, or per working day in a longer bucket;
- waiting time: called − arrival, over records that were called;
- service time: finished − called, over records that were finished;
- median and 90th percentile by linear interpolation between the closest ranks (the "inclusive" method,
  Excel's PERCENTILE.INC);
- finished the same day: records whose result is *selesai* and whose finishing time falls on the date of
  arrival (in the government's zone), as a share of all records.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from perjumpaan.core.charts import format_day, format_month
from perjumpaan.core.scoping import Action, scoped
from perjumpaan.core.timeutil import zone
from perjumpaan.org.models import Office
from perjumpaan.rollup.models import ServiceDay, SkmDay, SkmServiceDay
from perjumpaan.service.ikm import IkmResult, ikm_from_totals
from perjumpaan.service.models import (
    Complaint,
    ImprovementAction,
    Service,
    ServiceImportMapping,
    ServiceRecord,
    SurveyResponse,
    SurveySettings,
)
from perjumpaan.service.periods import Period, make_period, period_containing
from perjumpaan.service.skm import ELEMENT_CODES

BucketKind = Literal["day", "week", "month"]


def office_zone(office: Office) -> ZoneInfo:
    return zone(office.government.time_zone)


def office_today(office: Office) -> dt.date:
    return timezone.now().astimezone(office_zone(office)).date()


def default_period(office: Office) -> Period:
    """This month, in the office's zone."""
    return period_containing(office_today(office), "month")


def period_bounds(office: Office, period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The instants a period spans in the office's zone: [start, end)."""
    tz = office_zone(office)
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


# --- The catalogue ----------------------------------------------------------------------------------


def service_list(
    *, user: Any, office: Office, include_inactive: bool = False, action: Action = "view"
) -> QuerySet[Service]:
    services = scoped(user, Service.objects.filter(office=office), action)
    if not include_inactive:
        services = services.filter(active=True)
    return services.order_by("order", "name")


def service_get(*, user: Any, office: Office, pk: int, action: Action = "view") -> Service | None:
    return scoped(user, Service.objects.filter(office=office), action).filter(pk=pk).first()


def import_mappings(*, user: Any, office: Office) -> QuerySet[ServiceImportMapping]:
    return scoped(user, ServiceImportMapping.objects.filter(office=office)).order_by("name")


def ikm_weight(office: Office) -> str:
    """The weight the office's IKM is computed with ("exact" unless the office chose otherwise)."""
    settings = SurveySettings.objects.filter(office=office).first()
    return settings.ikm_weight if settings else SurveySettings.Weight.EXACT


def service_records_today(*, user: Any, office: Office, limit: int = 10) -> QuerySet[ServiceRecord]:
    """The latest records of today, for the counter's entry page."""
    return (
        scoped(user, ServiceRecord.objects.filter(office=office, date=office_today(office)))
        .select_related("service")
        .order_by("-created_at", "-pk")[:limit]
    )


# --- Service metrics --------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0–1) of sorted `values`, linear between the closest ranks; None if empty."""
    if not values:
        return None
    position = (len(values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


@dataclass
class DurationStats:
    """Median and 90th percentile of durations in seconds, over `count` records."""

    count: int = 0
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, seconds: list[float]) -> DurationStats:
        ordered = sorted(seconds)
        return cls(len(ordered), percentile(ordered, 0.5), percentile(ordered, 0.9))

    @property
    def median_minutes(self) -> float | None:
        return None if self.median is None else self.median / 60

    @property
    def p90_minutes(self) -> float | None:
        return None if self.p90 is None else self.p90 / 60


@dataclass
class Bucket:
    """The metrics of a stretch of days (a day, a week, a month, or the whole period)."""

    start: dt.date
    end: dt.date
    label: str
    volume: int = 0
    days_served: int = 0
    done_same_day: int = 0
    wait: DurationStats = field(default_factory=DurationStats)
    service: DurationStats = field(default_factory=DurationStats)

    @property
    def volume_per_day(self) -> float | None:
        return self.volume / self.days_served if self.days_served else None

    @property
    def same_day_share(self) -> float | None:
        return self.done_same_day / self.volume if self.volume else None


@dataclass
class ServiceMetrics:
    """An office's (or one service's) metrics for a period: per bucket, in total, and per service."""

    period: Period
    bucket_kind: BucketKind
    buckets: list[Bucket]
    total: Bucket
    per_service: list[tuple[Service, Bucket]]


class _Tally:
    def __init__(self) -> None:
        self.volume = 0
        self.days: set[dt.date] = set()
        self.done_same_day = 0
        self.waits: list[float] = []
        self.services: list[float] = []

    def add(self, day: dt.date, wait: float | None, service: float | None, same_day: bool) -> None:
        self.volume += 1
        self.days.add(day)
        self.done_same_day += same_day
        if wait is not None:
            self.waits.append(wait)
        if service is not None:
            self.services.append(service)

    def bucket(self, start: dt.date, end: dt.date, label: str) -> Bucket:
        return Bucket(
            start=start,
            end=end,
            label=label,
            volume=self.volume,
            days_served=len(self.days),
            done_same_day=self.done_same_day,
            wait=DurationStats.of(self.waits),
            service=DurationStats.of(self.services),
        )


def bucket_kind_for(period: Period) -> BucketKind:
    return {"month": "day", "quarter": "week", "semester": "week", "year": "month"}[period.kind]  # type: ignore[return-value]


def _bucket_start(day: dt.date, kind: BucketKind) -> dt.date:
    if kind == "day":
        return day
    if kind == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def _bucket_range(start: dt.date, kind: BucketKind, period: Period) -> tuple[dt.date, dt.date, str]:
    if kind == "day":
        return start, start, format_day(start)
    if kind == "week":
        end = start + dt.timedelta(days=6)
        return max(start, period.start), min(end, period.end), format_day(start)
    month = make_period("month", start.year, start.month)
    return month.start, month.end, format_month(start)


def _instant(value: Any) -> dt.datetime | None:
    """An aware instant from what the cursor gives: SQLite's naive UTC (as a datetime or as Django's text
    "2026-11-27 00:15:00"), or PostgreSQL's aware datetime."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _record_rows(records: QuerySet[ServiceRecord]) -> Iterable[tuple[Any, ...]]:
    """(date, service id, arrival, called, finished, result) of each record, read straight from the cursor.

    A year of Disdukcapil is ~90 000 rows; Django's per-value converters (which parse SQLite's datetime
    text in Python) would take most of the page's time, so the scoped queryset's own SQL is run and the
    few values are converted here (C's fromisoformat on SQLite; PostgreSQL's driver gives datetimes).
    """
    from django.db import connections

    query = records.values_list("date", "service_id", "arrival", "called", "finished", "result")
    sql, params = query.query.sql_with_params()
    with connections[records.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for day, service_id, arrival, called, finished, result in chunk:
                yield _day(day), service_id, _instant(arrival), _instant(called), _instant(finished), result


def service_metrics(
    *, user: Any, office: Office, period: Period, service: Service | None = None
) -> ServiceMetrics:
    """Volume, waiting and service times and the same-day share of the office's records in `period`."""
    records = scoped(
        user, ServiceRecord.objects.filter(office=office, date__range=(period.start, period.end))
    )
    if service is not None:
        records = records.filter(service=service)
    return metrics_of(records, office=office, period=period)


def metrics_of(records: QuerySet[ServiceRecord], *, office: Office, period: Period) -> ServiceMetrics:
    tz = office_zone(office)
    kind = bucket_kind_for(period)
    total = _Tally()
    buckets: dict[dt.date, _Tally] = {}
    by_service: dict[int, _Tally] = {}
    done = ServiceRecord.Result.DONE
    for day, service_id, arrival, called, finished, result in _record_rows(records):
        wait = (called - arrival).total_seconds() if called is not None else None
        duration = (
            (finished - called).total_seconds() if finished is not None and called is not None else None
        )
        same_day = result == done and finished is not None and finished.astimezone(tz).date() == day
        total.add(day, wait, duration, same_day)
        start = _bucket_start(day, kind)
        tally = buckets.get(start)
        if tally is None:
            tally = buckets[start] = _Tally()
        tally.add(day, wait, duration, same_day)
        service_tally = by_service.get(service_id)
        if service_tally is None:
            service_tally = by_service[service_id] = _Tally()
        service_tally.add(day, wait, duration, same_day)

    starts = sorted(buckets)
    services = {s.pk: s for s in Service.objects.filter(pk__in=list(by_service)).order_by("order", "name")}
    return ServiceMetrics(
        period=period,
        bucket_kind=kind,
        buckets=[buckets[start].bucket(*_bucket_range(start, kind, period)) for start in starts],
        total=total.bucket(period.start, period.end, period.label),
        per_service=[
            (service, by_service[pk].bucket(period.start, period.end, service.name))
            for pk, service in services.items()
        ],
    )


# --- SKM and IKM ------------------------------------------------------------------------------------
#
# Every IKM is computed from the maintained daily sums (`rollup.models.SkmDay` for the office,
# `SkmServiceDay` per service), never from the answer sheets: a year of a busy office is a million sheets
# and 9 s to add up, its sums 365 rows. An answer's day is the local date it was submitted, so the days of
# a period hold exactly the answers submitted within it; the population of a period is the service records
# dated within it (`volume`). The sums give the same IKM as the sheets (tests/rollup hold them equal).

SKM_COLUMNS = SkmDay.counter_columns()


def _sums() -> dict[str, Sum]:
    # Named apart from the columns: an aggregate may not shadow the column it sums.
    return {f"sum_{column}": Sum(column) for column in SKM_COLUMNS}


def _result_from_sums(row: Mapping[str, Any], *, weight: str, population: int | None) -> IkmResult:
    """The IKM from summed `SkmDay` columns (`sum_u1_sum`, `sum_u1_n`, …, `sum_respondents`)."""
    return ikm_from_totals(
        {code: row.get(f"sum_{code.lower()}_sum") or 0 for code in ELEMENT_CODES},
        {code: row.get(f"sum_{code.lower()}_n") or 0 for code in ELEMENT_CODES},
        weight=weight,
        respondents=row.get("sum_respondents") or 0,
        population=population or None,
    )


@dataclass
class IkmSummary:
    """The IKM of an office (or one service) for a period, with its sample check and the weight used."""

    office: Office
    period: Period
    service: Service | None
    result: IkmResult

    @property
    def lowest(self) -> list[Any]:
        """The three lowest-scoring answered elements: candidates for the improvement plan."""
        answered = [e for e in self.result.elements if e.nrr is not None]
        return sorted(answered, key=lambda e: (e.nrr, e.code))[:3]


def _days(model: Any, office: Office, user: Any | None) -> QuerySet[Any]:
    """The office's rows of a daily rollup as `user` may see them; with no user, all of them — for the
    public results, which publish these aggregates anyway."""
    rows = model.objects.filter(office=office)
    return rows if user is None else scoped(user, rows)


def _ikm(*, user: Any | None, office: Office, period: Period, service: Service | None) -> IkmSummary:
    """The IKM over the days of `period`: settings, then one query for a service, two for the office."""
    weight = ikm_weight(office)
    days = (period.start, period.end)
    if service is None:
        row = _days(SkmDay, office, user).filter(date__range=days).aggregate(**_sums())
        population = _days(ServiceDay, office, user).filter(date__range=days).aggregate(n=Sum("volume"))["n"]
    else:
        row = (
            _days(SkmServiceDay, office, user)
            .filter(date__range=days, service=service)
            .aggregate(**_sums(), population=Sum("volume"))
        )
        population = row["population"]
    return IkmSummary(office, period, service, _result_from_sums(row, weight=weight, population=population))


def ikm_summary(*, user: Any, office: Office, period: Period, service: Service | None = None) -> IkmSummary:
    """The IKM of the office (or one service) for `period` from the daily sums; population = the
    service records of the period."""
    return _ikm(user=user, office=office, period=period, service=service)


def ikm_by_service(*, user: Any, office: Office, period: Period) -> list[tuple[Service, IkmResult]]:
    """One IKM per service of the period (one grouped query), services with no answer left out."""
    rows = (
        _days(SkmServiceDay, office, user)
        .filter(date__range=(period.start, period.end))
        .values("service")
        .annotate(**_sums(), population=Sum("volume"))
        .order_by()
    )
    services = {s.pk: s for s in Service.objects.filter(office=office).order_by()}
    weight = ikm_weight(office)
    found = [
        (services[row["service"]], _result_from_sums(row, weight=weight, population=row["population"]))
        for row in rows
        if row["sum_respondents"] and row["service"] in services
    ]
    return sorted(found, key=lambda pair: (pair[0].order, pair[0].name))


def _ikm_by_month(days: QuerySet[Any], *, office: Office, year: int) -> list[tuple[Period, IkmResult]]:
    """The IKM of each month of `year` that has answers, from `SkmDay` rows (one grouped query; no
    population)."""
    rows = (
        days.filter(date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(**_sums())
        .order_by("month")
    )
    weight = ikm_weight(office)
    found = []
    for row in rows:
        if not row["sum_respondents"]:
            continue
        month = row["month"]
        day = month.date() if isinstance(month, dt.datetime) else _day(month)
        found.append(
            (
                make_period("month", day.year, day.month),
                _result_from_sums(row, weight=weight, population=None),
            )
        )
    return found


def ikm_trend(*, user: Any, office: Office, year: int) -> list[tuple[Period, IkmResult]]:
    return _ikm_by_month(_days(SkmDay, office, user), office=office, year=year)


def _responses_in(office: Office, period: Period) -> QuerySet[SurveyResponse]:
    start, end = period_bounds(office, period)
    return SurveyResponse.objects.filter(office=office, submitted_at__gte=start, submitted_at__lt=end)


def suggestions(*, user: Any, office: Office, period: Period, limit: int = 50) -> QuerySet[SurveyResponse]:
    """The period's written suggestions, newest first (anonymous: no respondent is identifiable)."""
    return (
        scoped(user, _responses_in(office, period))
        .exclude(suggestion="")
        .select_related("service")
        .order_by("-submitted_at")[:limit]
    )


# --- The improvement plan ---------------------------------------------------------------------------


def improvement_actions(
    *, user: Any, office: Office, period: Period | None = None
) -> QuerySet[ImprovementAction]:
    actions = scoped(user, ImprovementAction.objects.filter(office=office)).select_related("owner")
    if period is not None:
        actions = actions.filter(period=period.key)
    return actions.order_by("status", "due_date", "pk")


def improvement_action_get(
    *, user: Any, office: Office, pk: int, action: Action = "manage"
) -> ImprovementAction | None:
    return (
        scoped(user, ImprovementAction.objects.filter(office=office), action)
        .select_related("owner", "office__government")
        .filter(pk=pk)
        .first()
    )


# --- Complaints -------------------------------------------------------------------------------------


def complaint_list(
    *,
    user: Any,
    office: Office,
    status: str = "",
    category: str = "",
    service: Service | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Complaint]:
    complaints = scoped(user, Complaint.objects.filter(office=office)).select_related("service", "handler")
    if status in Complaint.Status.values:
        complaints = complaints.filter(status=status)
    elif status == "terbuka":
        complaints = complaints.filter(status__in=[Complaint.Status.RECEIVED, Complaint.Status.IN_PROGRESS])
    if category in Complaint.Category.values:
        complaints = complaints.filter(category=category)
    if service is not None:
        complaints = complaints.filter(service=service)
    tz = office_zone(office)
    if since is not None:
        complaints = complaints.filter(received_at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=tz))
    if until is not None:
        complaints = complaints.filter(
            received_at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return complaints.order_by("-received_at")


def complaint_get(*, user: Any, office: Office, pk: int, action: Action = "view") -> Complaint | None:
    return (
        scoped(user, Complaint.objects.filter(office=office), action)
        .select_related("service", "handler", "office__government")
        .filter(pk=pk)
        .first()
    )


@dataclass
class ComplaintStats:
    """Counts per status and the median times to the first response and to closing, in hours."""

    total: int
    by_status: dict[str, int]
    median_first_response_hours: float | None
    median_close_hours: float | None


def complaint_stats(complaints: QuerySet[Complaint]) -> ComplaintStats:
    by_status = dict(
        complaints.values("status").annotate(n=Count("pk")).order_by().values_list("status", "n")
    )
    first: list[float] = []
    close: list[float] = []
    for received, responded, closed in complaints.values_list(
        "received_at", "first_response_at", "closed_at"
    ):
        if responded is not None:
            first.append((responded - received).total_seconds() / 3600)
        if closed is not None:
            close.append((closed - received).total_seconds() / 3600)
    return ComplaintStats(
        total=sum(by_status.values()),
        by_status=by_status,
        median_first_response_hours=percentile(sorted(first), 0.5),
        median_close_hours=percentile(sorted(close), 0.5),
    )


# --- Public pages (no account) ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicOffice:
    """What a public page may know about the office it is for: the office, or the governments to choose
    from when its code is used by several governments of the deployment."""

    office: Office | None
    choices: tuple[Office, ...] = ()


def public_office(code: str, government_slug: str = "") -> PublicOffice:
    """The active office a public URL names. A code used by several governments needs `?pemda=<slug>`."""
    offices = list(
        Office.objects.select_related("government")
        .filter(code=code.strip().upper()[:20], is_active=True)
        .order_by("government__name")
    )
    if government_slug:
        offices = [o for o in offices if o.government.slug == government_slug[:60]]
    if len(offices) == 1:
        return PublicOffice(offices[0])
    return PublicOffice(None, tuple(offices))


def public_services(office: Office) -> QuerySet[Service]:
    return Service.objects.filter(office=office, active=True).order_by("order", "name")


def public_ikm(office: Office, period: Period) -> IkmSummary:
    """The published IKM of an office for a period (aggregates only)."""
    return _ikm(user=None, office=office, period=period, service=None)


def public_ikm_trend(office: Office, year: int) -> list[tuple[Period, IkmResult]]:
    return _ikm_by_month(_days(SkmDay, office, None), office=office, year=year)


def public_periods(office: Office) -> list[Period]:
    """The periods an office has answers in, newest first: months of the last year, quarters, semesters and
    years (for the results page's selector)."""
    first = (
        SurveyResponse.objects.filter(office=office)
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    today = office_today(office)
    if first is None:
        return [period_containing(today, "month")]
    earliest = first.astimezone(office_zone(office)).date()
    found: list[Period] = []
    for kind, limit in (("month", 12), ("quarter", 8), ("semester", 4), ("year", 3)):
        period = period_containing(today, kind)  # type: ignore[arg-type]
        for _index in range(limit):
            if period.end < earliest:
                break
            found.append(period)
            period = period.previous()
    return found
