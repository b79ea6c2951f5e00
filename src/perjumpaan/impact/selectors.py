"""Reads for the leadership dashboard, the outcome panel and the monthly report.

Everything is read from the maintained aggregates (`perjumpaan.rollup.models`), grouped by office and
week (or quarter) in one query per table for all offices at once, never from the raw rows — and
everything goes through the scoping: `perjumpaan.rollup.selectors.readable` for the aggregates (personal
aggregates office-wide only for those who manage the office and for leadership) and
`perjumpaan.core.scoping.scoped` for offices and enrolments.

Weeks are ISO weeks named by their Monday. The dashboard's window is the 52 weeks up to the last week
whose Friday has passed (the programme is evaluated on Fridays, and a week cut short would show a fall in
volume that is only the calendar).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import pandas as pd
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear

from perjumpaan.core.scoping import access_for, scoped
from perjumpaan.org.models import Office
from perjumpaan.rollup.contributions import week_of
from perjumpaan.rollup.models import (
    ATTENDANCE_COLUMNS,
    AttendanceDay,
    ComplaintDay,
    EvaluationWeek,
    ServiceDay,
    SkmDay,
)
from perjumpaan.rollup.selectors import (
    ANONYMITY_THRESHOLD,
    AttendanceFigures,
    SkmTotals,
    readable,
)

WINDOW_WEEKS = 52
QUARTERS = 4

# The outcomes of the panel and the impact page: column, label, unit, decimals, and whether lower is better.


@dataclass(frozen=True)
class Outcome:
    column: str
    label: str
    unit: str
    decimals: int
    lower_is_better: bool = False


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("ikm", "kepuasan masyarakat (IKM)", "poin", 2),
    Outcome("wait_minutes", "waktu tunggu", "menit", 1, lower_is_better=True),
    Outcome("complaints_per_1000", "pengaduan per 1.000 layanan", "pengaduan per 1.000 layanan", 2, True),
)
OUTCOME_BY_COLUMN = {outcome.column: outcome for outcome in OUTCOMES}

PANEL_COLUMNS = (
    "office",
    "office_name",
    "week",
    "period",
    "cohort",
    "enrolled_on",
    "wave",
    "attendance_rate",
    "gatherings",
    "volume",
    "wait_minutes",
    "skm_respondents",
    "ikm",
    "complaints",
    "complaints_per_1000",
)


# --- Who sees the dashboard -------------------------------------------------------------------------


def dashboard_readable(user: Any) -> bool:
    """Leadership, programme admins and coordinators (their own offices); not staff or facilitators."""
    access = access_for(user)
    return access.is_admin or access.is_leadership or access.is_coordinator


def regency_readable(user: Any) -> bool:
    """The impact analysis and the monthly report compare offices across the regency: leadership and
    programme admins only (a coordinator's single office has nothing to be compared with)."""
    access = access_for(user)
    return access.is_admin or access.is_leadership


def dashboard_offices(user: Any) -> list[Office]:
    """The active offices the user may see, by government and code."""
    return list(
        scoped(user, Office.objects.filter(is_active=True))
        .select_related("government")
        .order_by("government__name", "code")
    )


# --- Weeks --------------------------------------------------------------------------------------------


def last_complete_week(today: dt.date) -> dt.date:
    """The Monday of the newest week whose Friday is today or earlier."""
    monday = week_of(today)
    return monday if today.weekday() >= 4 else monday - dt.timedelta(weeks=1)


def week_window(end_week: dt.date, weeks: int = WINDOW_WEEKS) -> list[dt.date]:
    """`weeks` Mondays ending with the week of `end_week`."""
    last = week_of(end_week)
    return [last - dt.timedelta(weeks=weeks - 1 - n) for n in range(weeks)]


def iso_week_label(monday: dt.date) -> str:
    year, number, _day = monday.isocalendar()
    return f"{year}-W{number:02d}"


# --- The rollout ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RolloutRow:
    """An office's place in the rollout: its wave and the date it takes part from (None: not enrolled)."""

    office: Office
    wave: str
    wave_number: int | None
    enrolled_on: dt.date | None


def rollout(*, user: Any, offices: Sequence[Office]) -> list[RolloutRow]:
    """Each office's newest enrolment (`program.Enrollment` is append-only): one query. Enrolled offices
    first, by date; then the others by code."""
    from perjumpaan.program.models import Enrollment

    newest: dict[int, Any] = {}
    rows = (
        scoped(user, Enrollment.objects.filter(office__in=list(offices)))
        .select_related("wave")
        .order_by("recorded_at", "pk")
    )
    for row in rows:
        newest[row.office_id] = row
    found = []
    for office in offices:
        current = newest.get(office.pk)
        found.append(
            RolloutRow(
                office=office,
                wave=current.wave.name if current is not None and current.wave is not None else "",
                wave_number=current.wave.number if current is not None and current.wave is not None else None,
                enrolled_on=current.enrolled_on if current is not None else None,
            )
        )
    return sorted(found, key=lambda r: (r.enrolled_on is None, r.enrolled_on or dt.date.max, r.office.code))


# --- The outcome panel -------------------------------------------------------------------------------


def _float(value: Fraction | float | int | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True, eq=False)
class PanelRow:
    """One office's week: its enrolment cohort and each outcome (None where the week has no data)."""

    office: Office
    week: dt.date
    period: int  # 1 = the window's first week
    cohort: int  # the period the office enrolled in (1: at or before the first week), 0: not enrolled
    enrolled_on: dt.date | None
    wave: str
    attendance: AttendanceFigures
    volume: int
    wait_n: int
    wait_sum: int
    skm: SkmTotals
    ikm_weight: str
    complaints: int

    @property
    def attendance_rate(self) -> float | None:
        """Per cent present of those expected (leave and official travel not counted)."""
        rate = self.attendance.rate
        return None if rate is None else float(rate * 100)

    @property
    def wait_minutes(self) -> float | None:
        """The mean waiting time (called − arrival) of the week's served citizens, in minutes."""
        return self.wait_sum / self.wait_n / 60 if self.wait_n else None

    @cached_property
    def ikm(self) -> float | None:
        """The week's IKM from its SKM answers (None: nobody answered)."""
        if not self.skm.respondents:
            return None
        return _float(self.skm.result(weight=self.ikm_weight).value)

    @property
    def complaints_per_1000(self) -> float | None:
        return self.complaints * 1000 / self.volume if self.volume else None

    @property
    def treated(self) -> bool:
        return self.cohort > 0 and self.period >= self.cohort

    def value(self, column: str) -> Any:
        """The value of one column of `PANEL_COLUMNS` (only that one is computed: the IKM is not free)."""
        if column == "office":
            return self.office.code
        if column == "office_name":
            return self.office.name
        if column == "week":
            return self.week.isoformat()
        if column == "enrolled_on":
            return self.enrolled_on.isoformat() if self.enrolled_on else ""
        if column == "gatherings":
            return self.attendance.gatherings
        if column == "skm_respondents":
            return self.skm.respondents
        if column not in PANEL_COLUMNS:
            raise KeyError(column)
        return getattr(self, column)


@dataclass(frozen=True)
class OutcomePanel:
    """The dashboard's panel: offices × weeks, with each office's rollout row."""

    weeks: list[dt.date]
    offices: list[Office]
    rollout: dict[int, RolloutRow]
    rows: list[PanelRow] = field(default_factory=list)

    def frame(self, outcome: str) -> pd.DataFrame:
        """The long table `impact.panel.panel_from_frame` reads: office, period, cohort, the outcome."""
        return pd.DataFrame(
            {
                "office": [row.office.code for row in self.rows],
                "period": [row.period for row in self.rows],
                "cohort": [row.cohort for row in self.rows],
                outcome: [row.value(outcome) for row in self.rows],
            }
        )

    def fingerprint(self, outcome: str) -> str:
        """A digest of exactly what an estimate of `outcome` reads: the cache key of the impact page, so a
        cached result is used as long as (and only as long as) the data it was computed from is unchanged."""
        digest = hashlib.sha256(outcome.encode())
        for row in self.rows:
            digest.update(f"{row.office.code}|{row.period}|{row.cohort}|{row.value(outcome)!r}\n".encode())
        return digest.hexdigest()

    def cell(self, office: Office, week: dt.date) -> PanelRow | None:
        return self._index().get((office.pk, week))

    def _index(self) -> dict[tuple[int, dt.date], PanelRow]:
        cached: dict[tuple[int, dt.date], PanelRow] | None = getattr(self, "_cells", None)
        if cached is None:
            cached = {(row.office.pk, row.week): row for row in self.rows}
            object.__setattr__(self, "_cells", cached)
        return cached

    @property
    def enrolled_count(self) -> int:
        return sum(1 for row in self.rollout.values() if row.enrolled_on is not None)


def _sums(columns: Iterable[str]) -> dict[str, Sum]:
    return {f"sum_{column}": Sum(column) for column in columns}


def _unsum(row: dict[str, Any]) -> dict[str, Any]:
    return {name.removeprefix("sum_"): value for name, value in row.items()}


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _weekly(
    user: Any, model: Any, offices: Sequence[Office], weeks: Sequence[dt.date], columns: Iterable[str]
) -> dict[tuple[int, dt.date], dict[str, Any]]:
    """(office, week) -> summed columns of one rollup table, for all offices in one query."""
    days = (weeks[0], weeks[-1] + dt.timedelta(days=6))
    rows = (
        readable(user, model.objects.filter(office__in=list(offices), date__range=days))
        .values("office_id", "week")
        .annotate(**_sums(columns))
        .order_by()
    )
    return {(row["office_id"], _as_date(row["week"])): _unsum(row) for row in rows}


def ikm_weights(offices: Sequence[Office]) -> dict[int, str]:
    """Each office's IKM weight ("exact" unless its survey settings say otherwise), in one query."""
    from perjumpaan.service.models import SurveySettings

    chosen = dict(
        SurveySettings.objects.filter(office__in=list(offices)).values_list("office_id", "ikm_weight")
    )
    return {office.pk: chosen.get(office.pk, SurveySettings.Weight.EXACT) for office in offices}


def cohort_of(enrolled_on: dt.date | None, weeks: Sequence[dt.date]) -> int:
    """The period (1 = first week of `weeks`) of the week an office enrolled in; 1 when it enrolled before
    the window, 0 when not enrolled or enrolled after the window's last week."""
    if enrolled_on is None:
        return 0
    monday = week_of(enrolled_on)
    if monday > weeks[-1]:
        return 0
    if monday <= weeks[0]:
        return 1
    return (monday - weeks[0]).days // 7 + 1


def outcome_panel(*, user: Any, offices: Sequence[Office], weeks: Sequence[dt.date]) -> OutcomePanel:
    """One row per office per week: cohort and outcomes. Six queries, whatever the number of offices."""
    weeks = list(weeks)
    offices = list(offices)
    plan = {row.office.pk: row for row in rollout(user=user, offices=offices)}
    attendance = _weekly(
        user, AttendanceDay, offices, weeks, ["gatherings", "expected", *ATTENDANCE_COLUMNS.values()]
    )
    service = _weekly(user, ServiceDay, offices, weeks, ["volume", "wait_n", "wait_sum"])
    skm = _weekly(user, SkmDay, offices, weeks, SkmDay.counter_columns())
    complaints = _weekly(user, ComplaintDay, offices, weeks, ["opened"])
    weights = ikm_weights(offices)
    rows = []
    for office in offices:
        enrolled_on = plan[office.pk].enrolled_on
        cohort = cohort_of(enrolled_on, weeks)
        for period, week in enumerate(weeks, start=1):
            key = (office.pk, week)
            served = service.get(key, {})
            rows.append(
                PanelRow(
                    office=office,
                    week=week,
                    period=period,
                    cohort=cohort,
                    enrolled_on=enrolled_on,
                    wave=plan[office.pk].wave,
                    attendance=AttendanceFigures.of(attendance.get(key, {})),
                    volume=int(served.get("volume") or 0),
                    wait_n=int(served.get("wait_n") or 0),
                    wait_sum=int(served.get("wait_sum") or 0),
                    skm=SkmTotals.of(skm.get(key, {})),
                    ikm_weight=weights[office.pk],
                    complaints=int(complaints.get(key, {}).get("opened") or 0),
                )
            )
    return OutcomePanel(weeks=weeks, offices=offices, rollout=plan, rows=rows)


# --- Quarterly IKM, evaluation over time, follow-ups ---------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"T{self.number} {self.year}"

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def recent_quarters(today: dt.date, count: int = QUARTERS) -> list[Quarter]:
    """The `count` quarters up to today's, oldest first."""
    found = [Quarter.of(today)]
    while len(found) < count:
        found.append(found[-1].previous())
    return found[::-1]


@dataclass(frozen=True)
class QuarterIkm:
    """The IKM of offices per quarter (None: no answers), and of all of them together."""

    quarters: list[Quarter]
    cells: dict[tuple[int, str], float | None]
    respondents: dict[tuple[int, str], int]
    overall: dict[str, float | None]


def quarterly_ikm(*, user: Any, offices: Sequence[Office], quarters: Sequence[Quarter]) -> QuarterIkm:
    """IKM per office per quarter from the daily SKM sums (one query); the regency's IKM of a quarter
    is computed from the summed answers of every office with the regulation's exact weight."""
    offices = list(offices)
    rows = (
        readable(
            user,
            SkmDay.objects.filter(office__in=offices, date__range=(quarters[0].start, quarters[-1].end)),
        )
        .annotate(year=ExtractYear("date"), quarter=ExtractQuarter("date"))
        .values("office_id", "year", "quarter")
        .annotate(**_sums(SkmDay.counter_columns()))
        .order_by()
    )
    weights = ikm_weights(offices)
    cells: dict[tuple[int, str], float | None] = {}
    respondents: dict[tuple[int, str], int] = {}
    together: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        key = f"{row['year']}-Q{row['quarter']}"
        totals = _unsum(row)
        figures = SkmTotals.of(totals)
        cells[(row["office_id"], key)] = (
            _float(figures.result(weight=weights[row["office_id"]]).value) if figures.respondents else None
        )
        respondents[(row["office_id"], key)] = figures.respondents
        for column in SkmDay.counter_columns():
            together[key][column] += int(totals.get(column) or 0)
    overall = {}
    for quarter in quarters:
        figures = SkmTotals.of(together.get(quarter.key, {}))
        overall[quarter.key] = _float(figures.result().value) if figures.respondents else None
    return QuarterIkm(quarters=list(quarters), cells=cells, respondents=respondents, overall=overall)


PARTS = ("self", "peer", "supervisor")


@dataclass(frozen=True)
class EvaluationSeries:
    """The mean item score per week and part over the offices, only from office-weeks whose ratings by
    others pass the rule of three (self-ratings always count)."""

    weeks: list[dt.date]
    means: dict[str, list[float | None]]


def evaluation_series(*, user: Any, offices: Sequence[Office], weeks: Sequence[dt.date]) -> EvaluationSeries:
    """One query: the rule of three and the sums are applied by the database, one row per week and part."""
    counted = Q(part="self") | Q(responses__gte=ANONYMITY_THRESHOLD, raters__gte=ANONYMITY_THRESHOLD)
    rows = (
        readable(
            user,
            EvaluationWeek.objects.filter(office__in=list(offices), week__range=(weeks[0], weeks[-1])),
        )
        .filter(counted)
        .values("week", "part")
        .annotate(total=Sum("score_sum"), n=Sum("score_n"))
        .order_by()
    )
    sums = {(row["part"], _as_date(row["week"])): (row["total"], row["n"]) for row in rows}
    means: dict[str, list[float | None]] = {}
    for part in PARTS:
        means[part] = [
            (sums[(part, week)][0] / sums[(part, week)][1]) if sums.get((part, week), (0, 0))[1] else None
            for week in weeks
        ]
    return EvaluationSeries(weeks=list(weeks), means=means)


def followups(*, user: Any, offices: Sequence[Office]) -> dict[int, tuple[int, int]]:
    """Per office: (follow-up actions closed, all follow-up actions) of the Friday evaluations."""
    from perjumpaan.evaluation.models import FollowUpAction

    rows = (
        scoped(user, FollowUpAction.objects.filter(office__in=list(offices)))
        .values("office_id")
        .annotate(total=Count("pk"), closed=Count("pk", filter=Q(status__in=FollowUpAction.CLOSED)))
        .order_by()
    )
    return {row["office_id"]: (row["closed"], row["total"]) for row in rows}


def targets(*, user: Any, offices: Sequence[Office]) -> dict[int, Any]:
    from perjumpaan.impact.models import OfficeTarget

    return {
        target.office_id: target
        for target in scoped(user, OfficeTarget.objects.filter(office__in=list(offices)))
    }


def quarter_attendance(
    *, user: Any, offices: Sequence[Office], quarter: Quarter
) -> dict[int, AttendanceFigures]:
    """Attendance per office over a quarter's held gatherings (one query)."""
    rows = (
        readable(
            user,
            AttendanceDay.objects.filter(office__in=list(offices), date__range=(quarter.start, quarter.end)),
        )
        .values("office_id")
        .annotate(**_sums(["gatherings", "expected", *ATTENDANCE_COLUMNS.values()]))
        .order_by()
    )
    return {row["office_id"]: AttendanceFigures.of(_unsum(row)) for row in rows}


def quarter_wait(*, user: Any, offices: Sequence[Office], quarter: Quarter) -> dict[int, float | None]:
    """The mean waiting time in minutes per office over a quarter (one query)."""
    rows = (
        readable(
            user,
            ServiceDay.objects.filter(office__in=list(offices), date__range=(quarter.start, quarter.end)),
        )
        .values("office_id")
        .annotate(n=Sum("wait_n"), total=Sum("wait_sum"))
        .order_by()
    )
    return {row["office_id"]: (row["total"] / row["n"] / 60 if row["n"] else None) for row in rows}
