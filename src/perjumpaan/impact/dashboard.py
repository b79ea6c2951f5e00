"""What the leadership dashboard, the impact page and the monthly report show, assembled from the reads
in `impact.selectors`: tables (each chart's numbers, and its CSV export), regency series, targets and
progress, and the impact analysis of each outcome — cached on the data it was computed from.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils.html import format_html
from django.utils.translation import gettext as _

from perjumpaan.core.caching import remembered
from perjumpaan.core.charts import format_day, format_number, format_percent
from perjumpaan.core.timeutil import format_date
from perjumpaan.impact import selectors
from perjumpaan.impact.analysis import ImpactResult, estimate_impact
from perjumpaan.impact.panel import PanelError, panel_from_frame
from perjumpaan.impact.selectors import OUTCOMES, Outcome, OutcomePanel, PanelRow
from perjumpaan.impact.words import explain
from perjumpaan.org.models import Office

logger = logging.getLogger(__name__)

# A cached analysis is used while the panel it was computed from is unchanged (the key is a digest of
# that panel); a week bounds how long an unused entry occupies the cache.
CACHE_SECONDS = 7 * 24 * 3600
CACHE_VERSION = 1

# Attendance rate → one of six heat classes (CSS `heat-0` … `heat-5`); `heat-none`: no held gathering.
HEAT_EDGES = (50, 65, 75, 85, 95)


def heat_class(rate: float | None) -> str:
    if rate is None:
        return "heat-none"
    return f"heat-{sum(1 for edge in HEAT_EDGES if rate >= edge)}"


class CachedChart:
    """A chart drawn only when its SVG is not in the cache already. Drawing with matplotlib takes a few
    tenths of a second per chart; the dashboard has seven. The key is a digest of the chart's name, the
    language and the very numbers it draws, so a cached drawing is never stale."""

    def __init__(self, name: str, data: object, build: Callable[[], Any]) -> None:
        self.name = name
        self.data = data
        self.build = build

    def _key(self, kind: str) -> str:
        from django.utils.translation import get_language

        digest = hashlib.sha256(f"{self.name}|{kind}|{get_language()}|{self.data!r}".encode()).hexdigest()
        return f"impact:chart:v{CACHE_VERSION}:{digest}"

    def _text(self, kind: str) -> str:
        def draw() -> str:
            chart = self.build()
            return str(chart.svg() if kind == "svg" else chart.svg_paths())

        return remembered(self._key(kind), draw, CACHE_SECONDS)[0]

    def svg(self) -> str:
        return self._text("svg")

    def svg_paths(self) -> str:
        return self._text("paths")


class EmptyChart:
    """What stands in for a chart with nothing to draw (an axis from 1969 to 1970 helps nobody)."""

    def __init__(self, title: str) -> None:
        self.title = title

    def svg(self) -> str:
        return format_html(
            '<p class="chart-empty"><strong>{}</strong><br>{}</p>', self.title, _("Belum ada data.")
        )

    def svg_paths(self) -> str:
        return ""


def cached_chart(
    name: str, builder: Callable[..., Any], *args: Any, **kwargs: Any
) -> CachedChart | EmptyChart:
    """A `CachedChart` of `builder(x, series, **kwargs)`, keyed on those arguments; an `EmptyChart` when
    no series has a single value."""
    series = args[1] if len(args) > 1 else []
    if not any(value is not None for item in series for value in item.values):
        return EmptyChart(str(kwargs.get("title", "")))
    return CachedChart(name, (args, sorted(kwargs.items())), partial(builder, *args, **kwargs))


# --- Tables ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A chart's numbers: raw values for the CSV, formatted for the page (None: "–")."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]
    decimals: list[int | None] = field(default_factory=list)  # None: text

    def display(self) -> list[list[str]]:
        shown = []
        for row in self.rows:
            cells = []
            for index, value in enumerate(row):
                places = self.decimals[index] if index < len(self.decimals) else None
                if isinstance(value, dt.date):
                    cells.append(format_day(value, year=True))
                elif places is None or isinstance(value, str):
                    cells.append("–" if value is None else str(value))
                else:
                    cells.append(format_number(value, places))
            shown.append(cells)
        return shown

    def numeric(self) -> list[bool]:
        return [
            index < len(self.decimals) and self.decimals[index] is not None
            for index in range(len(self.header))
        ]

    def csv(self) -> bytes:
        return csv_bytes(self.header, self.rows)

    def head_cells(self) -> list[tuple[str, bool]]:
        return list(zip(self.header, self.numeric(), strict=True))

    def body_cells(self) -> list[list[tuple[str, bool]]]:
        """The rows as (text, numeric) pairs, for the page's table."""
        flags = self.numeric()
        return [list(zip(row, flags, strict=True)) for row in self.display()]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Six decimals are far below what any outcome is measured to; "10" rather than "10.0".
        text = repr(round(value, 6))
        return text.removesuffix(".0")
    return str(value)


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """CSV with a comma between fields and a dot as decimal mark (what analysis software reads), UTF-8
    with a byte-order mark so spreadsheet software on Windows shows the names right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def panel_csv(panel: OutcomePanel) -> bytes:
    """The outcome panel, one row per office per week, every column of `selectors.PANEL_COLUMNS`."""
    return csv_bytes(
        selectors.PANEL_COLUMNS,
        [[row.value(column) for column in selectors.PANEL_COLUMNS] for row in panel.rows],
    )


# --- Regency series -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekGroups:
    """Per week, pooled over the offices enrolled by then and over the others."""

    weeks: list[dt.date]
    enrolled: list[int]
    attendance: list[float | None]
    wait_enrolled: list[float | None]
    wait_others: list[float | None]
    complaints_enrolled: list[float | None]
    complaints_others: list[float | None]
    volume: list[int]


def week_groups(panel: OutcomePanel) -> WeekGroups:
    by_week: dict[dt.date, list[PanelRow]] = {week: [] for week in panel.weeks}
    for row in panel.rows:
        by_week[row.week].append(row)

    def pooled(rows: list[PanelRow], value: Callable[[PanelRow], tuple[float, float]]) -> float | None:
        top = sum(value(row)[0] for row in rows)
        bottom = sum(value(row)[1] for row in rows)
        return top / bottom if bottom else None

    enrolled, attendance, wait_in, wait_out, comp_in, comp_out, volume = [], [], [], [], [], [], []
    for week in panel.weeks:
        rows = by_week[week]
        inside = [row for row in rows if row.treated]
        outside = [row for row in rows if not row.treated]
        enrolled.append(len(inside))
        attendance.append(
            pooled(
                inside, lambda r: (100 * r.attendance.present, r.attendance.expected - r.attendance.excused)
            )
        )
        wait_in.append(pooled(inside, lambda r: (r.wait_sum / 60, r.wait_n)))
        wait_out.append(pooled(outside, lambda r: (r.wait_sum / 60, r.wait_n)))
        comp_in.append(pooled(inside, lambda r: (1000 * r.complaints, r.volume)))
        comp_out.append(pooled(outside, lambda r: (1000 * r.complaints, r.volume)))
        volume.append(sum(row.volume for row in rows))
    return WeekGroups(list(panel.weeks), enrolled, attendance, wait_in, wait_out, comp_in, comp_out, volume)


# --- Targets and progress ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """One target of one office: what was set, where the office stands (this quarter), whether met."""

    label: str
    target: float | None
    actual: float | None
    unit: str
    lower_is_better: bool = False

    @property
    def met(self) -> bool | None:
        if self.target is None or self.actual is None:
            return None
        return self.actual <= self.target if self.lower_is_better else self.actual >= self.target

    @property
    def share(self) -> float | None:
        """How far along, 0–100, for a progress bar."""
        if self.target is None or self.actual is None:
            return None
        if self.lower_is_better:
            return 100.0 if self.actual <= self.target else max(0.0, 100 * self.target / self.actual)
        return min(100.0, 100 * self.actual / self.target) if self.target else 100.0

    def text(self, value: float | None) -> str:
        if value is None:
            return "–"
        return format_number(value, 1) + (f" {self.unit}" if self.unit else "")


def progress(
    *, user: Any, offices: Sequence[Office], quarter: selectors.Quarter
) -> dict[int, list[Progress]]:
    """Per office, its four targets against this quarter's figures (five queries for all offices)."""
    targets = selectors.targets(user=user, offices=offices)
    attendance = selectors.quarter_attendance(user=user, offices=offices, quarter=quarter)
    ikm = selectors.quarterly_ikm(user=user, offices=offices, quarters=[quarter])
    wait = selectors.quarter_wait(user=user, offices=offices, quarter=quarter)
    actions = selectors.followups(user=user, offices=offices)
    found: dict[int, list[Progress]] = {}
    for office in offices:
        target = targets.get(office.pk)
        rate = attendance.get(office.pk)
        closed, total = actions.get(office.pk, (0, 0))

        def value(name: str, target: Any = target) -> float | None:
            number = getattr(target, name, None) if target else None
            return None if number is None else float(number)

        found[office.pk] = [
            Progress(
                _("Kehadiran"),
                value("attendance_rate"),
                float(rate.rate * 100) if rate and rate.rate is not None else None,
                "%",
            ),
            Progress(_("IKM"), value("ikm"), ikm.cells.get((office.pk, quarter.key)), ""),
            Progress(_("Waktu tunggu"), value("wait_minutes"), wait.get(office.pk), _("menit"), True),
            Progress(
                _("Tindak lanjut selesai"),
                value("followups_closed"),
                100 * closed / total if total else None,
                "%",
            ),
        ]
    return found


# --- The impact analysis, cached ------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeImpact:
    """One outcome's analysis (None with the reason when it cannot be done) and its plain words."""

    outcome: Outcome
    result: ImpactResult | None
    error: str
    words: str
    seconds: float
    cached: bool


def outcome_impact(panel: OutcomePanel, outcome: Outcome) -> OutcomeImpact:
    """The analysis of `outcome` on the dashboard's panel. It takes seconds (randomisation inference
    over thousands of placebo assignments), so it is cached under a digest of the very numbers it reads:
    a new week of data, a corrected record or a new enrolment changes the digest and the next visitor
    gets a fresh analysis; nothing else does."""
    key = f"impact:v{CACHE_VERSION}:{panel.fingerprint(outcome.column)}"

    def analyse() -> tuple[ImpactResult | None, str, float]:
        started = time.perf_counter()
        result, error = None, ""
        try:
            data = panel_from_frame(
                panel.frame(outcome.column),
                unit="office",
                time="period",
                cohort="cohort",
                outcome=outcome.column,
            )
            result = estimate_impact(data)
        except PanelError as problem:
            error = problem.translated(_)
        seconds = time.perf_counter() - started
        logger.info("impact estimate %s: %.2f s", outcome.column, seconds)
        return result, error, seconds

    (result, error, seconds), cached = remembered(key, analyse, CACHE_SECONDS)
    words = explain(result, _(outcome.label), _(outcome.unit), _) if result is not None else ""
    return OutcomeImpact(outcome, result, error, words, seconds, cached)


def impact_all(panel: OutcomePanel) -> list[OutcomeImpact]:
    return [outcome_impact(panel, outcome) for outcome in OUTCOMES]


def effect_text(value: float | None, decimals: int) -> str:
    return format_number(value, decimals)


def interval_text(low: float | None, high: float | None, decimals: int) -> str:
    """ "1,57 … 6,46"; an unbounded end is "–" (the data do not bound the effect on that side)."""
    if low is None and high is None:
        return "–"
    return f"{format_number(low, decimals)} … {format_number(high, decimals)}"


def percent(value: float | None, decimals: int = 0) -> str:
    return format_percent(None if value is None else value / 100, decimals)


def day_text(day: dt.date | None) -> str:
    return format_date(day, weekday=False) if day else "–"


# --- The pages' content ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    css: str
    text: str
    title: str


@dataclass
class Regency:
    """The dashboard of every office the user may see (their own only, for a coordinator)."""

    today: dt.date
    weeks: list[dt.date]
    offices: list[Office]
    panel: OutcomePanel
    rollout: list[selectors.RolloutRow]
    quarters: list[selectors.Quarter]
    groups: WeekGroups
    heat: list[tuple[Office, list[HeatCell]]]
    progress: dict[int, list[Progress]]
    tables: dict[str, Table]
    charts: dict[str, Any]  # name -> core.charts.Chart

    @property
    def target_rows(self) -> list[tuple[Office, Progress]]:
        """Every target some office has set, with its progress."""
        return [
            (office, item)
            for office in self.offices
            for item in self.progress.get(office.pk, [])
            if item.target is not None
        ]


def _week_label(week: dt.date) -> str:
    return week.strftime("%d/%m")


def regency(*, user: Any, today: dt.date, offices: Sequence[Office] | None = None) -> Regency:
    from perjumpaan.core.charts import Series, bar_chart, line_chart

    offices = list(offices) if offices is not None else selectors.dashboard_offices(user)
    weeks = selectors.week_window(selectors.last_complete_week(today))
    panel = selectors.outcome_panel(user=user, offices=offices, weeks=weeks)
    plan = selectors.rollout(user=user, offices=offices)
    quarters = selectors.recent_quarters(weeks[-1])
    ikm = selectors.quarterly_ikm(user=user, offices=offices, quarters=quarters)
    evaluation = selectors.evaluation_series(user=user, offices=offices, weeks=weeks)
    groups = week_groups(panel)

    heat = []
    heat_rows = []
    week_dates = {week: format_date(week, weekday=False) for week in weeks}
    for office in offices:
        cells = []
        for week in weeks:
            row = panel.cell(office, week)
            rate = row.attendance_rate if row else None
            cells.append(
                HeatCell(
                    heat_class(rate),
                    "" if rate is None else format_number(rate, 0),
                    f"{office.code} · {week_dates[week]}: " + ("–" if rate is None else percent(rate, 1)),
                )
            )
            heat_rows.append([office.code, week, rate, row.attendance.gatherings if row else 0])
        heat.append((office, cells))

    tables = {
        "rollout": Table(
            "rollout",
            _("Perangkat daerah peserta"),
            [_("Kode"), _("Perangkat daerah"), _("Gelombang"), _("Ikut sejak")],
            [
                [
                    r.office.code,
                    r.office.name,
                    r.wave or None,
                    r.enrolled_on,
                ]
                for r in plan
            ],
            [None, None, None, None],
        ),
        "participation": Table(
            "participation",
            _("Kehadiran per pekan"),
            [_("Kode"), _("Pekan (Senin)"), _("Kehadiran (%)"), _("Perjumpaan")],
            heat_rows,
            [None, None, 1, 0],
        ),
        "evaluation": Table(
            "evaluation",
            _("Skor evaluasi Jumat per pekan"),
            [_("Pekan (Senin)"), _("Diri"), _("Rekan"), _("Atasan")],
            [
                [week, *(evaluation.means[part][index] for part in selectors.PARTS)]
                for index, week in enumerate(weeks)
            ],
            [None, 2, 2, 2],
        ),
        "ikm": Table(
            "ikm",
            _("IKM per triwulan"),
            [_("Kode"), *(quarter.label for quarter in quarters)],
            [
                [office.code, *(ikm.cells.get((office.pk, quarter.key)) for quarter in quarters)]
                for office in offices
            ]
            + [[_("Semua kantor"), *(ikm.overall.get(quarter.key) for quarter in quarters)]],
            [None, *([2] * len(quarters))],
        ),
        "outcomes": Table(
            "outcomes",
            _("Layanan publik per pekan"),
            [
                _("Pekan (Senin)"),
                _("Kantor peserta"),
                _("Jumlah layanan"),
                _("Tunggu: peserta (menit)"),
                _("Tunggu: belum ikut (menit)"),
                _("Pengaduan/1.000: peserta"),
                _("Pengaduan/1.000: belum ikut"),
            ],
            [
                [
                    week,
                    groups.enrolled[i],
                    groups.volume[i],
                    groups.wait_enrolled[i],
                    groups.wait_others[i],
                    groups.complaints_enrolled[i],
                    groups.complaints_others[i],
                ]
                for i, week in enumerate(weeks)
            ],
            [None, 0, 0, 1, 1, 2, 2],
        ),
    }

    def weekly(key: str, title: str, header: list[str], columns: list[list[Any]], places: int) -> Table:
        return Table(
            key,
            title,
            [_("Pekan (Senin)"), *header],
            [[week, *(column[i] for column in columns)] for i, week in enumerate(weeks)],
            [None, *([places] * len(columns))],
        )

    tables["attendance"] = weekly(
        "attendance", _("Kehadiran kantor peserta per pekan"), [_("Kehadiran (%)")], [groups.attendance], 1
    )
    tables["wait"] = weekly(
        "wait",
        _("Waktu tunggu rata-rata per pekan (menit)"),
        [_("Peserta"), _("Belum ikut")],
        [groups.wait_enrolled, groups.wait_others],
        1,
    )
    tables["complaints"] = weekly(
        "complaints",
        _("Pengaduan per 1.000 layanan per pekan"),
        [_("Peserta"), _("Belum ikut")],
        [groups.complaints_enrolled, groups.complaints_others],
        2,
    )
    tables["volume"] = weekly("volume", _("Jumlah layanan per pekan"), [_("Layanan")], [groups.volume], 0)
    progress_rows = progress(user=user, offices=offices, quarter=quarters[-1])
    tables["targets"] = Table(
        "targets",
        _("Sasaran dan capaian triwulan ini"),
        [_("Kode"), _("Sasaran"), _("Target"), _("Capaian"), _("Tercapai")],
        [
            [
                office.code,
                item.label,
                item.target,
                item.actual,
                "–" if item.met is None else (_("ya") if item.met else _("belum")),
            ]
            for office in offices
            for item in progress_rows[office.pk]
            if item.target is not None
        ],
        [None, None, 1, 1, None],
    )

    charts = {
        "rollout": cached_chart(
            "rollout",
            line_chart,
            weeks,
            [Series(_("Kantor peserta"), groups.enrolled)],
            title=_("Kantor yang sudah ikut program"),
        ),
        "participation": cached_chart(
            "participation",
            line_chart,
            weeks,
            [Series(_("Kehadiran kantor peserta"), groups.attendance)],
            title=_("Kehadiran di perjumpaan (%)"),
            y_decimals=0,
            y_max=100,
        ),
        "evaluation": cached_chart(
            "evaluation",
            line_chart,
            weeks,
            [
                Series(_("Diri"), evaluation.means["self"]),
                Series(_("Rekan"), evaluation.means["peer"]),
                Series(_("Atasan"), evaluation.means["supervisor"]),
            ],
            title=_("Skor evaluasi Jumat (rata-rata butir)"),
            y_decimals=1,
            y_min=None,
        ),
        "ikm": cached_chart(
            "ikm",
            bar_chart,
            [quarter.label for quarter in quarters],
            [Series(_("Semua kantor"), [ikm.overall.get(q.key) for q in quarters])],
            title=_("IKM semua kantor per triwulan"),
            y_decimals=0,
            y_min=0,
            y_max=100,
            value_labels=True,
            value_decimals=2,
        ),
        "wait": cached_chart(
            "wait",
            line_chart,
            weeks,
            [
                Series(_("Kantor peserta"), groups.wait_enrolled),
                Series(_("Belum ikut"), groups.wait_others, dashed=True),
            ],
            title=_("Waktu tunggu rata-rata (menit)"),
            y_decimals=0,
        ),
        "complaints": cached_chart(
            "complaints",
            line_chart,
            weeks,
            [
                Series(_("Kantor peserta"), groups.complaints_enrolled),
                Series(_("Belum ikut"), groups.complaints_others, dashed=True),
            ],
            title=_("Pengaduan per 1.000 layanan"),
            y_decimals=1,
        ),
        "volume": cached_chart(
            "volume",
            line_chart,
            weeks,
            [Series(_("Layanan"), groups.volume)],
            title=_("Jumlah layanan per pekan"),
        ),
    }
    return Regency(today, weeks, offices, panel, plan, quarters, groups, heat, progress_rows, tables, charts)


@dataclass
class OfficePage:
    office: Office
    weeks: list[dt.date]
    rollout: selectors.RolloutRow
    progress: list[Progress]
    quarters: list[selectors.Quarter]
    tables: dict[str, Table]
    charts: dict[str, Any]


def office_page(*, user: Any, office: Office, today: dt.date) -> OfficePage:
    """One office's weeks: attendance, waiting time, complaints, volume, evaluation; IKM per quarter."""
    from perjumpaan.core.charts import Series, bar_chart, line_chart

    weeks = selectors.week_window(selectors.last_complete_week(today))
    panel = selectors.outcome_panel(user=user, offices=[office], weeks=weeks)
    evaluation = selectors.evaluation_series(user=user, offices=[office], weeks=weeks)
    quarters = selectors.recent_quarters(weeks[-1])
    ikm = selectors.quarterly_ikm(user=user, offices=[office], quarters=quarters)
    rows = panel.rows
    plan = panel.rollout[office.pk]
    markers = (
        [(plan.enrolled_on, _("Mulai program"))] if plan.enrolled_on and plan.enrolled_on >= weeks[0] else []
    )
    table = Table(
        "weeks",
        _("Per pekan"),
        [
            _("Pekan (Senin)"),
            _("Kehadiran (%)"),
            _("Jumlah layanan"),
            _("Tunggu rata-rata (menit)"),
            _("Responden SKM"),
            _("IKM pekan"),
            _("Pengaduan"),
            _("Pengaduan/1.000"),
            _("Skor evaluasi (diri)"),
        ],
        [
            [
                row.week,
                row.attendance_rate,
                row.volume,
                row.wait_minutes,
                row.skm.respondents,
                row.ikm,
                row.complaints,
                row.complaints_per_1000,
                evaluation.means["self"][index],
            ]
            for index, row in enumerate(rows)
        ],
        [None, 1, 0, 1, 0, 2, 0, 2, 2],
    )
    tables = {
        "weeks": table,
        "evaluation": Table(
            "evaluation",
            _("Skor evaluasi Jumat per pekan"),
            [_("Pekan (Senin)"), _("Diri"), _("Rekan"), _("Atasan")],
            [
                [week, *(evaluation.means[part][index] for part in selectors.PARTS)]
                for index, week in enumerate(weeks)
            ],
            [None, 2, 2, 2],
        ),
        "ikm": Table(
            "ikm",
            _("IKM per triwulan"),
            [_("Triwulan"), _("IKM"), _("Responden")],
            [
                [q.label, ikm.cells.get((office.pk, q.key)), ikm.respondents.get((office.pk, q.key), 0)]
                for q in quarters
            ],
            [None, 2, 0],
        ),
    }
    charts = {
        "attendance": cached_chart(
            "attendance",
            line_chart,
            weeks,
            [Series(_("Kehadiran"), [row.attendance_rate for row in rows])],
            title=_("Kehadiran di perjumpaan (%)"),
            y_max=100,
            markers=markers,
        ),
        "wait": cached_chart(
            "wait",
            line_chart,
            weeks,
            [Series(_("Tunggu"), [row.wait_minutes for row in rows])],
            title=_("Waktu tunggu rata-rata (menit)"),
            markers=markers,
        ),
        "complaints": cached_chart(
            "complaints",
            line_chart,
            weeks,
            [Series(_("Pengaduan"), [row.complaints_per_1000 for row in rows])],
            title=_("Pengaduan per 1.000 layanan"),
            y_decimals=1,
            markers=markers,
        ),
        "volume": cached_chart(
            "volume",
            line_chart,
            weeks,
            [Series(_("Layanan"), [row.volume for row in rows])],
            title=_("Jumlah layanan per pekan"),
            markers=markers,
        ),
        "evaluation": cached_chart(
            "evaluation",
            line_chart,
            weeks,
            [
                Series(_("Diri"), evaluation.means["self"]),
                Series(_("Rekan"), evaluation.means["peer"]),
                Series(_("Atasan"), evaluation.means["supervisor"]),
            ],
            title=_("Skor evaluasi Jumat (rata-rata butir)"),
            y_decimals=1,
            y_min=None,
            markers=markers,
        ),
        "ikm": cached_chart(
            "ikm",
            bar_chart,
            [q.label for q in quarters],
            [Series(_("IKM"), [ikm.cells.get((office.pk, q.key)) for q in quarters])],
            title=_("IKM per triwulan"),
            y_min=0,
            y_max=100,
            value_labels=True,
            value_decimals=2,
        ),
    }
    progress_rows = progress(user=user, offices=[office], quarter=quarters[-1])[office.pk]
    return OfficePage(office, weeks, plan, progress_rows, quarters, tables, charts)


# What each page body's template is given (the views and `warm` render the same).


def regency_body(user: Any, offices: list[Office], today: dt.date) -> dict[str, Any]:
    page = regency(user=user, today=today, offices=offices)
    return {
        "page": page,
        "tables": page.tables,
        "charts": {name: chart.svg() for name, chart in page.charts.items()},
    }


def office_body(user: Any, offices: list[Office], today: dt.date) -> dict[str, Any]:
    office = offices[0]
    page = office_page(user=user, office=office, today=today)
    return {
        "office": office,
        "page": page,
        "charts": {name: chart.svg() for name, chart in page.charts.items()},
    }


def panel_body(user: Any, offices: list[Office], today: dt.date) -> dict[str, Any]:
    weeks = selectors.week_window(selectors.last_complete_week(today))
    data = selectors.outcome_panel(user=user, offices=offices, weeks=weeks)
    return {
        "panel": data,
        "columns": selectors.PANEL_COLUMNS,
        "preview": [[row.value(c) for c in selectors.PANEL_COLUMNS] for row in data.rows[:12]],
        "rows": len(data.rows),
    }


def impact_body(user: Any, offices: list[Office], today: dt.date) -> dict[str, Any]:
    weeks = selectors.week_window(selectors.last_complete_week(today))
    data = selectors.outcome_panel(user=user, offices=offices, weeks=weeks)
    from perjumpaan.impact.exports import impact_blocks

    return {"weeks": weeks, "panel": data, "results": impact_blocks(impact_all(data), pdf=False)}


# Each page kept ready: the template of its body and what that template is given.
BODIES: dict[str, tuple[str, Callable[[Any, list[Office], dt.date], dict[str, Any]]]] = {
    "regency": ("impact/_dashboard_body.html", regency_body),
    "office": ("impact/_office_body.html", office_body),
    "panel": ("impact/_panel_body.html", panel_body),
    "impact": ("impact/_impact_body.html", impact_body),
}

# --- Pages kept ready --------------------------------------------------------------------------------

# The dashboards' freshness guarantee: a page's figures are at most this old. `perjumpaan warm_dashboards`
# (a timer, every PAGE_SECONDS or sooner) renders them ahead; a page not ready is rendered by its reader.
PAGE_SECONDS = 15 * 60


@dataclass(frozen=True)
class ReadyPage:
    """The rendered body of a dashboard page and when its figures were read."""

    html: str
    computed_at: dt.datetime
    seconds: float


def _generation_key(government_id: int) -> str:
    return f"impact:generation:{government_id}"


def page_key(kind: str, user: Any, offices: Sequence[Office], today: dt.date) -> str:
    """The cache key of a page body: its kind, the language, the day, the offices it covers, those of them
    whose aggregates of personal rows the reader may see (`rollup.selectors.readable`: so two readers share
    a page only when they may see all of it), and the generation of their governments (moved on by
    `forget_pages`, when a write the rollups do not see — a target — changes what the page shows)."""
    from django.core.cache import caches
    from django.utils.translation import get_language

    from perjumpaan.core.scoping import access_for

    access = access_for(user)
    governments = access.admin_governments | access.leadership_governments
    personal = [
        str(office.pk)
        for office in offices
        if access.is_superuser
        or office.government_id in governments
        or office.pk in access.coordinator_offices
    ]

    keys = [_generation_key(pk) for pk in sorted({office.government_id for office in offices})]
    try:
        found = caches["figures"].get_many(keys)
    except Exception:  # a cache that does not answer: the page is computed anyway (core/caching.py)
        found = {}
    generations = [str(found.get(key, 0)) for key in keys]
    ids = ",".join(str(office.pk) for office in offices)
    text = "|".join([kind, get_language() or "", today.isoformat(), ids, ",".join(personal), *generations])
    return f"impact:page:v{CACHE_VERSION}:{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def ready_page(
    kind: str, user: Any, offices: list[Office], today: dt.date, *, refresh: bool = False
) -> ReadyPage:
    """The body of the page `kind` (one of BODIES) over `offices` as `user` sees it, from the "figures"
    cache while at most PAGE_SECONDS old, else rendered now (and kept). `refresh`: render and keep it
    whatever the cache holds (the warm-up job)."""
    from django.core.cache import caches
    from django.template.loader import render_to_string
    from django.utils import timezone

    template, context = BODIES[kind]

    def compute() -> ReadyPage:
        began = time.perf_counter()
        html = render_to_string(template, context(user, offices, today))
        return ReadyPage(html, timezone.now(), time.perf_counter() - began)

    key = page_key(kind, user, offices, today)
    if not refresh:
        return remembered(key, compute, PAGE_SECONDS)[0]
    page = compute()
    try:
        caches["figures"].set(key, page, PAGE_SECONDS)
    except Exception as exc:
        logger.warning("cache unavailable, not keeping %s: %s", key, exc)
    return page


def forget_pages(government_id: int) -> None:
    """Pages over this government's offices are stale: the next read renders them afresh."""
    from django.core.cache import caches

    try:
        caches["figures"].set(_generation_key(government_id), time.time_ns(), None)
    except Exception as exc:
        logger.warning("cache unavailable, cannot forget the pages of %s: %s", government_id, exc)


# --- Computing ahead ---------------------------------------------------------------------------------


@dataclass
class WarmReport:
    governments: int = 0
    offices: int = 0
    pages: int = 0
    seconds: float = 0.0


def warm(
    *, today: dt.date, governments: Sequence[str] = (), progress: Callable[[str], None] | None = None
) -> WarmReport:
    """Render ahead, into the shared "figures" cache, the dashboard pages a reader would otherwise wait
    for: for every government and language, the regency dashboard, the outcome panel and the impact page
    as leadership and programme admins see them (every active office), and each office's drill-down and
    its coordinator's own dashboard. The pages are rendered afresh each run (that is the freshness
    guarantee, PAGE_SECONDS); the charts and impact analyses they hold are redrawn and re-estimated only
    when their numbers changed. `governments`: only these (slugs). `perjumpaan warm_dashboards`, run by a
    timer (docs/scale.md)."""
    from django.conf import settings
    from django.utils import translation

    from perjumpaan.evaluation.selectors import OPERATOR
    from perjumpaan.org.models import Government

    began = time.perf_counter()
    report = WarmReport()

    def ready(kind: str, offices: list[Office]) -> None:
        ready_page(kind, OPERATOR, offices, today, refresh=True)
        report.pages += 1

    chosen = Government.objects.order_by("pk")
    if governments:
        chosen = chosen.filter(slug__in=governments)
    for government in chosen:
        offices = list(
            Office.objects.filter(government=government, is_active=True)
            .select_related("government")
            .order_by("government__name", "code")
        )
        if not offices:
            continue
        report.governments += 1
        report.offices += len(offices)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for kind in ("regency", "panel", "impact"):
                    ready(kind, offices)
                for office in offices:
                    ready("office", [office])
                    ready("regency", [office])
        if progress is not None:
            progress(f"{government.name}: {len(offices)} kantor, {time.perf_counter() - began:.1f} s")
    report.seconds = time.perf_counter() - began
    return report
