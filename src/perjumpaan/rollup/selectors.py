"""Reads for the dashboards: weekly series, the regency matrix, IKM and service times, from the rollup
tables only, through the scoping — and their "raw" twins, which compute the same figures from the raw
rows (for the benchmark's comparison, and for the tests that hold the two to equality).

Periods are inclusive date ranges. Weekly functions cover whole ISO weeks: every week whose Monday is
between the Monday of `start` and the Monday of `end`. Attendance counts held (closed) gatherings only,
like the recaps; the SKM counts answers by the local date they were submitted; service records by their
date; complaint events by the local date they happened.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from perjumpaan.core.scoping import MANAGE, access_for, scoped
from perjumpaan.core.timeutil import zone
from perjumpaan.org.models import Government, Office
from perjumpaan.rollup import contributions
from perjumpaan.rollup.aggregates import local_bounds
from perjumpaan.rollup.contributions import week_of
from perjumpaan.rollup.histogram import COMPLAINT_EDGES, SERVICE_EDGES, Quantile, estimate
from perjumpaan.rollup.models import (
    ATTENDANCE_COLUMNS,
    CLOSE_HISTOGRAM,
    RESPONSE_HISTOGRAM,
    SERVE_HISTOGRAM,
    SKM_CODES,
    WAIT_HISTOGRAM,
    AttendanceDay,
    ComplaintDay,
    EvaluationWeek,
    ServiceDay,
    SkmDay,
)
from perjumpaan.service.ikm import IkmResult, ikm_from_totals
from perjumpaan.service.periods import Period

# Shown only from this many responses by this many raters (evaluation.scores.THRESHOLD).
ANONYMITY_THRESHOLD = 3

# --- The figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceFigures:
    """Attendance over held gatherings: how many gatherings, marks expected, marks per status code."""

    gatherings: int = 0
    expected: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def present(self) -> int:
        return self.counts.get("H", 0) + self.counts.get("T", 0)

    @property
    def excused(self) -> int:
        return self.counts.get("C", 0) + self.counts.get("DL", 0)

    @property
    def rate(self) -> Fraction | None:
        """(H + T) / (expected − C − DL), as the recaps define it; None when nothing was expected."""
        denominator = self.expected - self.excused
        return Fraction(self.present, denominator) if denominator > 0 else None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> AttendanceFigures:
        return cls(
            gatherings=int(row.get("gatherings") or 0),
            expected=int(row.get("expected") or 0),
            counts={code: int(row.get(column) or 0) for code, column in ATTENDANCE_COLUMNS.items()},
        )


@dataclass(frozen=True)
class DurationFigures:
    """Durations (whole seconds): how many, their sum, their histogram over `edges`; the quantiles are
    estimated from the histogram. Raw twins also give the exact median and 90th percentile."""

    edges: tuple[int, ...]
    count: int = 0
    total: int = 0
    histogram: tuple[int, ...] = ()
    exact_median: float | None = None
    exact_p90: float | None = None

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None

    @property
    def median(self) -> Quantile | None:
        return estimate(self.histogram, self.edges, 0.5) if self.histogram else None

    @property
    def p90(self) -> Quantile | None:
        return estimate(self.histogram, self.edges, 0.9) if self.histogram else None

    def same_counts(self, other: DurationFigures) -> bool:
        return (self.count, self.total, self.histogram) == (other.count, other.total, other.histogram)


@dataclass(frozen=True)
class ServiceFigures:
    """Public service over a period: volume, days with service, finished and finished the same day,
    waiting time (called − arrival) and service time (finished − called)."""

    volume: int
    days_served: int
    done: int
    done_same_day: int
    wait: DurationFigures
    serve: DurationFigures

    @property
    def same_day_share(self) -> float | None:
        return self.done_same_day / self.volume if self.volume else None

    @property
    def volume_per_day(self) -> float | None:
        return self.volume / self.days_served if self.days_served else None

    def same_counts(self, other: ServiceFigures) -> bool:
        return (self.volume, self.days_served, self.done, self.done_same_day) == (
            other.volume,
            other.days_served,
            other.done,
            other.done_same_day,
        ) and (self.wait.same_counts(other.wait) and self.serve.same_counts(other.serve))


@dataclass(frozen=True)
class SkmTotals:
    """SKM answers over a period: respondents, and per element the sum and number of answers."""

    respondents: int = 0
    sums: Mapping[str, int] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)

    def result(self, *, weight: str = "exact", population: int | None = None) -> IkmResult:
        return ikm_from_totals(
            {code.upper(): self.sums.get(code, 0) for code in SKM_CODES},
            {code.upper(): self.counts.get(code, 0) for code in SKM_CODES},
            weight=weight,
            respondents=self.respondents,
            population=population or None,
        )

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> SkmTotals:
        return cls(
            respondents=int(row.get("respondents") or 0),
            sums={code: int(row.get(f"{code}_sum") or 0) for code in SKM_CODES},
            counts={code: int(row.get(f"{code}_n") or 0) for code in SKM_CODES},
        )


@dataclass(frozen=True)
class ComplaintFigures:
    """Complaints by what happened in the period: received, first answered, closed (resolved or
    rejected), with the times since receipt."""

    opened: int
    responded: int
    closed: int
    resolved: int
    rejected: int
    response: DurationFigures
    close: DurationFigures


@dataclass(frozen=True)
class ValueScore:
    """One value's score in one part of the evaluation over some weeks: the responses-weighted mean of the
    weekly means, withheld (None) for others' ratings below the rule of three."""

    part: str
    value_code: str
    responses: int
    raters: int
    mean: Fraction | None


@dataclass(frozen=True)
class WeekPoint:
    """One office's week on a dashboard."""

    week: dt.date
    attendance: AttendanceFigures
    service: ServiceFigures
    skm: SkmTotals
    complaints: ComplaintFigures
    evaluation: tuple[ValueScore, ...]


@dataclass(frozen=True)
class WeekMatrix:
    """Participation (attendance rate) of offices × weeks."""

    offices: list[Office]
    weeks: list[dt.date]
    cells: dict[tuple[int, dt.date], AttendanceFigures]

    def cell(self, office: Office, week: dt.date) -> AttendanceFigures:
        return self.cells.get((office.pk, week), AttendanceFigures())


# --- Building figures from summed columns ------------------------------------------------------------


def _sums(columns: Iterable[str]) -> dict[str, Sum]:
    """Sums of columns, named `sum_<column>` (an aggregate may not shadow the column it sums when another
    aggregate filters on that column); `_unsum` gives the columns' names back."""
    return {f"sum_{column}": Sum(column) for column in columns}


def _unsum(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name.removeprefix("sum_"): value for name, value in row.items()}


def _histogram(row: Mapping[str, Any], columns: list[str]) -> tuple[int, ...]:
    return tuple(int(row.get(column) or 0) for column in columns)


def _service_of(row: Mapping[str, Any]) -> ServiceFigures:
    return ServiceFigures(
        volume=int(row.get("volume") or 0),
        days_served=int(row.get("days_served") or 0),
        done=int(row.get("done") or 0),
        done_same_day=int(row.get("done_same_day") or 0),
        wait=DurationFigures(
            SERVICE_EDGES,
            int(row.get("wait_n") or 0),
            int(row.get("wait_sum") or 0),
            _histogram(row, WAIT_HISTOGRAM),
        ),
        serve=DurationFigures(
            SERVICE_EDGES,
            int(row.get("serve_n") or 0),
            int(row.get("serve_sum") or 0),
            _histogram(row, SERVE_HISTOGRAM),
        ),
    )


def _complaints_of(row: Mapping[str, Any]) -> ComplaintFigures:
    return ComplaintFigures(
        opened=int(row.get("opened") or 0),
        responded=int(row.get("responded") or 0),
        closed=int(row.get("closed") or 0),
        resolved=int(row.get("resolved") or 0),
        rejected=int(row.get("rejected") or 0),
        response=DurationFigures(
            COMPLAINT_EDGES,
            int(row.get("responded") or 0),
            int(row.get("response_sum") or 0),
            _histogram(row, RESPONSE_HISTOGRAM),
        ),
        close=DurationFigures(
            COMPLAINT_EDGES,
            int(row.get("closed") or 0),
            int(row.get("close_sum") or 0),
            _histogram(row, CLOSE_HISTOGRAM),
        ),
    )


def _value_scores(weekly: Iterable[Mapping[str, Any]]) -> tuple[ValueScore, ...]:
    """Value scores from weekly (office, week, part, value) rows: the mean of each week's mean weighted
    by its responses; others' ratings withheld below the rule of three (in every week that makes it)."""
    grouped: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in weekly:
        grouped[(row["part"], row["value_code"])].append(row)
    scores = []
    for (part, code), rows in sorted(grouped.items()):
        responses = sum(int(r["responses"]) for r in rows)
        raters = min(int(r["raters"]) for r in rows)
        withheld = part != "self" and any(
            int(r["responses"]) < ANONYMITY_THRESHOLD or int(r["raters"]) < ANONYMITY_THRESHOLD for r in rows
        )
        mean = None
        if responses and not withheld:
            mean = (
                sum(
                    (
                        Fraction(int(r["score_sum"]), int(r["score_n"])) * int(r["responses"])
                        for r in rows
                        if r["score_n"]
                    ),
                    Fraction(0),
                )
                / responses
            )
        scores.append(ValueScore(part, code, responses, raters, mean))
    return tuple(scores)


def _weeks(start: dt.date, end: dt.date) -> list[dt.date]:
    first, last = week_of(start), week_of(end)
    return [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def readable(user: Any, queryset: QuerySet[Any], *, managers_only: bool | None = None) -> QuerySet[Any]:
    """`queryset` narrowed by the scoping to what `user` may read. Aggregates of personal rows (and those
    rows themselves, in the raw twins) office-wide only for whoever may manage the office and for
    leadership (see `Rollup.managers_only`); the others as the scoping says."""
    model = queryset.model
    if managers_only is None:
        managers_only = getattr(model, "managers_only", False)
    if not managers_only:
        return scoped(user, queryset)
    managed = scoped(user, queryset, MANAGE)
    leadership = access_for(user).leadership_governments
    if not leadership:
        return managed
    path = model.scope_office_field
    return managed | queryset.filter(**{f"{path}__government_id__in": leadership})


def _office_rows(user: Any, model: Any, office: Office) -> QuerySet[Any]:
    return readable(user, model.objects.filter(office=office))


# --- From the rollups -------------------------------------------------------------------------------


def office_week_series(*, user: Any, office: Office, start: dt.date, end: dt.date) -> list[WeekPoint]:
    """An office's weeks: attendance, service, SKM, complaints and evaluation per ISO week. Five queries,
    whatever the length of the period."""
    weeks = _weeks(start, end)
    span = (weeks[0], weeks[-1])

    days = (weeks[0], weeks[-1] + dt.timedelta(days=6))

    def by_week(model: Any, aggregates: Mapping[str, Any]) -> dict[dt.date, dict[str, Any]]:
        # By date, not week: the same rows, read along the (office, date) key's index.
        rows = (
            _office_rows(user, model, office)
            .filter(date__range=days)
            .values("week")
            .annotate(**aggregates)
            .order_by()
        )
        return {_date(row["week"]): _unsum(row) for row in rows}

    attendance = by_week(AttendanceDay, _sums(["gatherings", "expected", *ATTENDANCE_COLUMNS.values()]))
    service = by_week(
        ServiceDay,
        {**_sums(ServiceDay.counter_columns()), "days_served": Count("pk", filter=Q(volume__gt=0))},
    )
    skm = by_week(SkmDay, _sums(SkmDay.counter_columns()))
    complaints = by_week(ComplaintDay, _sums(ComplaintDay.counter_columns()))
    evaluation: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        _office_rows(user, EvaluationWeek, office)
        .filter(week__range=span)
        .values("week", "part", "value_code", "responses", "score_sum", "score_n", "raters")
    ):
        evaluation[_date(row["week"])].append(row)
    return [
        WeekPoint(
            week=week,
            attendance=AttendanceFigures.of(attendance.get(week, {})),
            service=_service_of(service.get(week, {})),
            skm=SkmTotals.of(skm.get(week, {})),
            complaints=_complaints_of(complaints.get(week, {})),
            evaluation=_value_scores(evaluation.get(week, [])),
        )
        for week in weeks
    ]


def regency_week_matrix(
    *, user: Any, start: dt.date, end: dt.date, government: Government | None = None
) -> WeekMatrix:
    """Participation of every active office `user` may see (of `government`, if given) × every week.
    Two queries."""
    weeks = _weeks(start, end)
    offices_qs = scoped(user, Office.objects.filter(is_active=True))
    # By date, not week: read along each office's (office, date) key.
    span = (weeks[0], weeks[-1] + dt.timedelta(days=6))
    days = readable(user, AttendanceDay.objects.filter(date__range=span))
    if government is not None:
        offices_qs = offices_qs.filter(government=government)
        days = days.filter(office__government=government)
    offices = list(offices_qs.select_related("government").order_by("government__name", "code"))
    rows = (
        days.filter(office__is_active=True)
        .values("office_id", "week")
        .annotate(**_sums(["gatherings", "expected", *ATTENDANCE_COLUMNS.values()]))
        .order_by()
    )
    cells = {(row["office_id"], _date(row["week"])): AttendanceFigures.of(_unsum(row)) for row in rows}
    return WeekMatrix(offices=offices, weeks=weeks, cells=cells)


def _ikm_weight(office: Office) -> str:
    from perjumpaan.service.selectors import ikm_weight

    return ikm_weight(office)


def ikm_for(*, user: Any, office: Office, period: Period) -> IkmResult:
    """The office's IKM over `period` from the daily SKM sums; n = respondents, population = the service
    records of the period (the Krejcie–Morgan check), weight = the office's setting."""
    days = (period.start, period.end)
    skm = (
        _office_rows(user, SkmDay, office)
        .filter(date__range=days)
        .aggregate(**_sums(SkmDay.counter_columns()))
    )
    volume = _office_rows(user, ServiceDay, office).filter(date__range=days).aggregate(n=Sum("volume"))["n"]
    return SkmTotals.of(_unsum(skm)).result(weight=_ikm_weight(office), population=volume)


def service_times(*, user: Any, office: Office, period: Period) -> ServiceFigures:
    """The office's service figures over `period` from the daily rows. One query."""
    row = (
        _office_rows(user, ServiceDay, office)
        .filter(date__range=(period.start, period.end))
        .aggregate(**_sums(ServiceDay.counter_columns()), days_served=Count("pk", filter=Q(volume__gt=0)))
    )
    return _service_of(_unsum(row))


# --- The raw twins ----------------------------------------------------------------------------------


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _held_marks(user: Any) -> QuerySet[Any]:
    from perjumpaan.attendance.models import Attendance
    from perjumpaan.program.models import Gathering

    return readable(
        user, Attendance.objects.filter(gathering__status=Gathering.Status.HELD), managers_only=True
    )


def _attendance_raw(
    user: Any, offices: Iterable[int], start: dt.date, end: dt.date
) -> dict[tuple[int, dt.date], Counter[str]]:
    """Per (office, week): held gatherings, marks, marks per status — from the gatherings and marks."""
    from perjumpaan.program.models import Gathering

    office_ids = list(offices)
    found: dict[tuple[int, dt.date], Counter[str]] = defaultdict(Counter)
    gatherings = (
        readable(user, Gathering.objects.filter(status=Gathering.Status.HELD), managers_only=True)
        .filter(office_id__in=office_ids, date__range=(start, end))
        .values("office_id", "date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in gatherings:
        found[(row["office_id"], week_of(_date(row["date"])))]["gatherings"] += row["n"]
    marks = (
        _held_marks(user)
        .filter(gathering__office_id__in=office_ids, gathering__date__range=(start, end))
        .values("gathering__office_id", "gathering__date", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in marks:
        counts = found[(row["gathering__office_id"], week_of(_date(row["gathering__date"])))]
        counts["expected"] += row["n"]
        counts[ATTENDANCE_COLUMNS[row["status"]]] += row["n"]
    return found


def _service_raw(user: Any, office: Office, start: dt.date, end: dt.date) -> dict[dt.date, list[Any]]:
    """The office's service records in [start, end], by week (date, arrival, called, finished, result)."""
    from perjumpaan.service.models import ServiceRecord

    weeks: dict[dt.date, list[Any]] = defaultdict(list)
    records = scoped(user, ServiceRecord.objects.filter(office=office, date__range=(start, end)))
    for record in records.only("date", "arrival", "called", "finished", "result").iterator(chunk_size=5000):
        weeks[week_of(record.date)].append(record)
    return weeks


def _service_figures_raw(records: list[Any], tz: Any) -> ServiceFigures:
    from perjumpaan.service.selectors import percentile

    total: Counter[str] = Counter()
    days: set[dt.date] = set()
    waits: list[int] = []
    serves: list[int] = []
    for record in records:
        total.update(contributions.service_record(record, tz))
        days.add(record.date)
        if record.called is not None:
            waits.append(contributions.seconds_between(record.arrival, record.called))
            if record.finished is not None:
                serves.append(contributions.seconds_between(record.called, record.finished))
    waits.sort()
    serves.sort()
    figures = _service_of({**total, "days_served": len(days)})
    return ServiceFigures(
        volume=figures.volume,
        days_served=figures.days_served,
        done=figures.done,
        done_same_day=figures.done_same_day,
        wait=DurationFigures(
            SERVICE_EDGES,
            figures.wait.count,
            figures.wait.total,
            figures.wait.histogram,
            percentile(waits, 0.5),
            percentile(waits, 0.9),
        ),
        serve=DurationFigures(
            SERVICE_EDGES,
            figures.serve.count,
            figures.serve.total,
            figures.serve.histogram,
            percentile(serves, 0.5),
            percentile(serves, 0.9),
        ),
    )


def _skm_raw(
    user: Any, office: Office, start: dt.date, end: dt.date, tz: Any, by_week: bool
) -> dict[Any, SkmTotals]:
    from perjumpaan.service.models import SurveyResponse

    first, last = local_bounds(start, end, tz)
    anyone = Q()
    for code in SKM_CODES:
        anyone |= Q(**{f"{code}__isnull": False})
    aggregates: dict[str, Any] = {"respondents": Count("pk", filter=anyone)}
    for code in SKM_CODES:
        aggregates[f"{code}_sum"] = Sum(code)
        aggregates[f"{code}_n"] = Count(code)
    responses = scoped(
        user, SurveyResponse.objects.filter(office=office, submitted_at__gte=first, submitted_at__lt=last)
    )
    if not by_week:
        return {None: SkmTotals.of(responses.aggregate(**aggregates))}
    rows = (
        responses.annotate(day=TruncDate("submitted_at", tzinfo=tz))
        .values("day")
        .annotate(**aggregates)
        .order_by()
    )
    weekly: dict[Any, Counter[str]] = defaultdict(Counter)
    for row in rows:
        weekly[week_of(_date(row["day"]))].update({k: int(row[k] or 0) for k in aggregates})
    return {week: SkmTotals.of(counts) for week, counts in weekly.items()}


def _complaints_raw(
    user: Any, office: Office, start: dt.date, end: dt.date, tz: Any
) -> dict[dt.date, ComplaintFigures]:
    from perjumpaan.service.models import Complaint

    first, last = local_bounds(start, end, tz)
    weekly: dict[dt.date, Counter[str]] = defaultdict(Counter)
    complaints = readable(
        user,
        Complaint.objects.filter(office=office).filter(
            Q(received_at__gte=first, received_at__lt=last)
            | Q(first_response_at__gte=first, first_response_at__lt=last)
            | Q(closed_at__gte=first, closed_at__lt=last)
        ),
        managers_only=True,
    )
    for complaint in complaints.only("received_at", "first_response_at", "closed_at", "status"):
        if first <= complaint.received_at < last:
            weekly[week_of(contributions.local_date(complaint.received_at, tz))]["opened"] += 1
        responded = complaint.first_response_at
        if responded is not None and first <= responded < last:
            weekly[week_of(contributions.local_date(responded, tz))].update(
                contributions.complaint_response(complaint.received_at, responded)
            )
        closed = complaint.closed_at
        if closed is not None and first <= closed < last:
            weekly[week_of(contributions.local_date(closed, tz))].update(
                contributions.complaint_close(complaint.received_at, closed, complaint.status)
            )
    return {week: _complaints_of(counts) for week, counts in weekly.items()}


def _evaluation_raw(user: Any, office: Office, weeks: list[dt.date]) -> dict[dt.date, list[dict[str, Any]]]:
    """Per week, (part, value) rows like `EvaluationWeek`, from the closed rounds' responses."""
    from django.apps import apps

    if not apps.is_installed("perjumpaan.evaluation"):
        return {}
    from perjumpaan.evaluation.models import Assignment, Item, Response, Round

    labels = {f"{w.isocalendar()[0]}-W{w.isocalendar()[1]:02d}": w for w in weeks}
    rounds = readable(
        user,
        Round.objects.filter(office=office, week__in=list(labels), closed_at__isnull=False),
        managers_only=True,
    )
    value_of = dict(
        Item.objects.filter(version__rounds__in=rounds, kind=Item.Kind.SCALE).values_list("pk", "value_code")
    )
    cells: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for label, part, scores in Response.objects.filter(round__in=rounds).values_list(
        "round__week", "part", "scores"
    ):
        seen: set[str] = set()
        for key, score in scores.items():
            code = value_of.get(int(key))
            if code is None:
                continue
            cell = cells[(label, part, code)]
            cell["score_sum"] += int(score)
            cell["score_n"] += 1
            if code not in seen:
                cell["responses"] += 1
                seen.add(code)
    raters = {
        (row["round__week"], row["part"]): row["n"]
        for row in Assignment.objects.filter(round__in=rounds, done=True)
        .values("round__week", "part")
        .annotate(n=Count("rater", distinct=True))
        .order_by()
    }
    found: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for (label, part, code), counts in cells.items():
        found[labels[label]].append(
            {"part": part, "value_code": code, "raters": raters.get((label, part), 0), **counts}
        )
    return found


def office_week_series_raw(*, user: Any, office: Office, start: dt.date, end: dt.date) -> list[WeekPoint]:
    """`office_week_series` computed from the raw rows."""
    weeks = _weeks(start, end)
    first, last = weeks[0], weeks[-1] + dt.timedelta(days=6)
    tz = zone(office.government.time_zone)
    attendance = _attendance_raw(user, [office.pk], first, last)
    service = _service_raw(user, office, first, last)
    skm = _skm_raw(user, office, first, last, tz, by_week=True)
    complaints = _complaints_raw(user, office, first, last, tz)
    evaluation = _evaluation_raw(user, office, weeks)
    empty = _complaints_of({})
    return [
        WeekPoint(
            week=week,
            attendance=AttendanceFigures.of(attendance.get((office.pk, week), {})),
            service=_service_figures_raw(service.get(week, []), tz),
            skm=skm.get(week, SkmTotals.of({})),
            complaints=complaints.get(week, empty),
            evaluation=_value_scores(evaluation.get(week, [])),
        )
        for week in weeks
    ]


def regency_week_matrix_raw(
    *, user: Any, start: dt.date, end: dt.date, government: Government | None = None
) -> WeekMatrix:
    """`regency_week_matrix` computed from the gatherings and marks."""
    weeks = _weeks(start, end)
    offices_qs = scoped(user, Office.objects.filter(is_active=True))
    if government is not None:
        offices_qs = offices_qs.filter(government=government)
    offices = list(offices_qs.select_related("government").order_by("government__name", "code"))
    found = _attendance_raw(user, [o.pk for o in offices], weeks[0], weeks[-1] + dt.timedelta(days=6))
    return WeekMatrix(
        offices=offices,
        weeks=weeks,
        cells={key: AttendanceFigures.of(counts) for key, counts in found.items()},
    )


def ikm_for_raw(*, user: Any, office: Office, period: Period) -> IkmResult:
    """`ikm_for` computed from the answer sheets and the service records."""
    from perjumpaan.service.models import ServiceRecord

    tz = zone(office.government.time_zone)
    totals = _skm_raw(user, office, period.start, period.end, tz, by_week=False)[None]
    population = scoped(
        user, ServiceRecord.objects.filter(office=office, date__range=(period.start, period.end))
    ).count()
    return totals.result(weight=_ikm_weight(office), population=population)


def service_times_raw(*, user: Any, office: Office, period: Period) -> ServiceFigures:
    """`service_times` computed from the service records, with the exact median and 90th percentile."""
    tz = zone(office.government.time_zone)
    records = [r for week in _service_raw(user, office, period.start, period.end).values() for r in week]
    return _service_figures_raw(records, tz)
