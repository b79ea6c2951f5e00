"""The impact results as page blocks and CSV, and the monthly report to the Bupati as an A4 PDF.

The report (`monthly_report_pdf`) is the dashboard of the month's end on paper: page one says in plain
words what is known and what is not, then the rollout, participation, the Friday evaluation, the
public-service outcomes and the impact analysis with its charts. Words and numbers are decided here;
the Typst template (`impact/pdf/monthly_report.typ`) only lays them out.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from perjumpaan.core.charts import format_number
from perjumpaan.core.pdf import letterhead, render_pdf
from perjumpaan.core.timeutil import format_date, format_time, local_today, zone
from perjumpaan.impact import dashboard, selectors
from perjumpaan.impact.analysis import MIN_TREATED_FOR_ANALYTIC
from perjumpaan.impact.dashboard import OutcomeImpact, csv_bytes
from perjumpaan.impact.figures import event_study_chart, placebo_chart
from perjumpaan.impact.words import PRETREND_ALERT, headline
from perjumpaan.org.models import Government, Office

MONTHLY_REPORT_TEMPLATE = "impact/pdf/monthly_report.typ"

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

NO_OFFICES = _("Tidak ada perangkat daerah yang boleh Anda lihat.")
FUTURE_MONTH = "Bulan {month} belum dimulai; laporan hanya untuk bulan yang sudah berjalan."
SEVERAL_GOVERNMENTS = "Ada beberapa pemerintah daerah; sebutkan satu: {slugs}."


class ReportError(ValueError):
    """The report cannot be made for what was asked; the message says why, in Indonesian."""


def month_label(month: dt.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


# --- The impact results as blocks -----------------------------------------------------------------------


def _method(inference: str) -> str:
    return {
        "randomization": _("uji acak (kantor plasebo)"),
        "analytic": _("galat baku analitik (klaster per kantor)"),
        "bootstrap": _("bootstrap pengali"),
    }.get(inference, inference)


def impact_blocks(results: Sequence[OutcomeImpact], *, pdf: bool) -> list[dict[str, Any]]:
    """Per outcome, what the impact page and the report show; charts as SVG (text as outlines for the
    PDF, whose renderer has none of the page's fonts)."""
    blocks = []
    for item in results:
        outcome, result = item.outcome, item.result
        block: dict[str, Any] = {
            "key": outcome.column,
            "label": _(outcome.label),
            "unit": _(outcome.unit),
            "error": item.error,
            "words": item.words,
            "seconds": format_number(item.seconds, 1),
            "cached": item.cached,
        }
        if result is None:
            blocks.append(block)
            continue
        places = outcome.decimals
        imputed = result.imputation
        events = sorted(result.event_study, key=lambda effect: effect.e)
        size = (4.3, 2.6) if pdf else (6.4, 3.2)
        study = dashboard.CachedChart(
            "event",
            (outcome.column, size, result.event_study),
            partial(
                event_study_chart,
                result,
                unit=_(outcome.unit),
                title=_("Efek per pekan sejak ikut program"),
                size=size,
            ),
        )
        placebo = None
        if result.placebo is not None and result.placebo.estimates:
            placebo_size = (3.0, 2.6) if pdf else (6.4, 2.8)
            spread = (result.placebo.observed, result.placebo.assignments, sum(result.placebo.estimates))
            placebo = dashboard.CachedChart(
                "placebo",
                (outcome.column, placebo_size, spread),
                partial(
                    placebo_chart, result, unit=_(outcome.unit), title=_("Kantor plasebo"), size=placebo_size
                ),
            )
        block |= {
            "att": format_number(result.att, places),
            "ci": dashboard.interval_text(result.overall.ci_low, result.overall.ci_high, places),
            "p_value": format_number(result.overall.p_value, 3),
            "evidence": result.overall.excludes_zero,
            "imputation": format_number(imputed.att, places) if imputed else "–",
            "imputation_ci": dashboard.interval_text(imputed.ci_low, imputed.ci_high, places)
            if imputed
            else "–",
            "imputation_evidence": bool(imputed and imputed.excludes_zero),
            "pretrend": format_number(result.pretrend_p_value, 2),
            "pretrend_ok": result.pretrend_p_value is None or result.pretrend_p_value >= PRETREND_ALERT,
            "inference": _method(result.inference),
            "inference_reason": result.inference_reason,
            "n_units": result.n_units,
            "n_treated": result.n_treated,
            "n_periods": result.n_periods,
            "assignments": result.placebo.assignments - 1 if result.placebo else None,
            "headline": headline(result, _(outcome.label), _(outcome.unit), _),
            "events": [
                [
                    str(effect.e),
                    format_number(effect.att, places),
                    dashboard.interval_text(effect.ci_low, effect.ci_high, places),
                ]
                for effect in events
            ],
            "event_svg": study.svg_paths() if pdf else study.svg(),
            "placebo_svg": (placebo.svg_paths() if pdf else placebo.svg()) if placebo else "",
        }
        blocks.append(block)
    return blocks


def impact_csv(results: Sequence[OutcomeImpact]) -> bytes:
    """Every outcome's overall effect (e empty) and event-study effects, with intervals and the method."""
    rows: list[list[Any]] = []
    for item in results:
        result = item.result
        if result is None:
            continue

        def clean(value: float | None) -> float | None:
            return None if value is None or not math.isfinite(value) else value

        overall = result.overall
        rows.append(
            [
                item.outcome.column,
                "overall",
                "",
                overall.att,
                clean(overall.ci_low),
                clean(overall.ci_high),
                overall.p_value,
                result.inference,
            ]
        )
        if result.imputation is not None:
            imputed = result.imputation
            rows.append(
                [
                    item.outcome.column,
                    "imputation",
                    "",
                    imputed.att,
                    clean(imputed.ci_low),
                    clean(imputed.ci_high),
                    imputed.p_value,
                    result.inference,
                ]
            )
        for effect in sorted(result.event_study, key=lambda e: e.e):
            rows.append(
                [
                    item.outcome.column,
                    "event",
                    effect.e,
                    effect.att,
                    clean(effect.ci_low),
                    clean(effect.ci_high),
                    effect.p_value,
                    result.inference,
                ]
            )
    return csv_bytes(["outcome", "estimate", "e", "att", "ci_low", "ci_high", "p_value", "inference"], rows)


# --- The monthly report ------------------------------------------------------------------------------------


def _report_offices(user: Any, government: Government | None) -> tuple[Government, list[Office]]:
    offices = selectors.dashboard_offices(user)
    if government is not None:
        offices = [office for office in offices if office.government_id == government.pk]
    if not offices:
        raise ReportError(NO_OFFICES)
    governments = {office.government_id: office.government for office in offices}
    if len(governments) > 1:
        raise ReportError(
            SEVERAL_GOVERNMENTS.format(slugs=", ".join(sorted(g.slug for g in governments.values())))
        )
    return offices[0].government, offices


def _known_and_unknown(
    results: Sequence[OutcomeImpact], enrolled: int, total: int
) -> tuple[list[str], list[str]]:
    known, unknown = [], []
    for item in results:
        result = item.result
        label = _(item.outcome.label)
        if result is None:
            unknown.append(
                _("{outcome}: belum dapat dihitung. {reason}").format(
                    outcome=label[:1].upper() + label[1:], reason=item.error.split("\n")[0]
                )
            )
            continue
        sentence = headline(result, label, _(item.outcome.unit), _)
        if result.overall.excludes_zero:
            known.append(sentence)
            if result.pretrend_p_value is not None and result.pretrend_p_value < PRETREND_ALERT:
                unknown.append(
                    _(
                        "Untuk {outcome}, kantor peserta sudah bergerak berbeda sebelum program dimulai "
                        "(p = {p}): sebagian perubahan itu mungkin bukan karena program."
                    ).format(outcome=label, p=format_number(result.pretrend_p_value, 2))
                )
        else:
            unknown.append(sentence)
    if 0 < enrolled < MIN_TREATED_FOR_ANALYTIC:
        unknown.append(
            _(
                "Baru {enrolled} dari {total} perangkat daerah yang ikut. Perubahan di sedikit kantor bisa "
                "juga disebabkan hal lain yang terjadi di kantor itu pada waktu yang sama; makin banyak "
                "kantor ikut, makin pasti kesimpulannya."
            ).format(enrolled=enrolled, total=total)
        )
    unknown.append(
        _(
            "Program ini belum diukur pada hal yang tidak tercatat di sistem, misalnya kebersamaan dan "
            "akhlak pegawai di luar skor evaluasi Jumat."
        )
    )
    return known, unknown


def report_data(*, user: Any, month: dt.date, government: Government | None = None) -> dict[str, Any]:
    """Everything the monthly report shows, as JSON-ready data for the template."""
    today = local_today(zone())
    first = month.replace(day=1)
    if first > today:
        raise ReportError(FUTURE_MONTH.format(month=month_label(first)))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    as_of = min(last, today)
    government, offices = _report_offices(user, government)
    page = dashboard.regency(user=user, today=as_of, offices=offices)
    results = dashboard.impact_all(page.panel)
    tz = zone(government.time_zone)
    now = timezone.now()

    enrolled_rows = [row for row in page.rollout if row.enrolled_on is not None and row.enrolled_on <= as_of]
    newest = max(enrolled_rows, key=lambda r: r.enrolled_on or dt.date.min, default=None)
    month_weeks = [
        week for week in page.weeks if week.year == first.year and week.month == first.month
    ] or page.weeks[-4:]
    index = {week: i for i, week in enumerate(page.weeks)}

    def month_mean(values: list[float | None]) -> float | None:
        found = [value for week in month_weeks if (value := values[index[week]]) is not None]
        return sum(found) / len(found) if found else None

    # Attendance per enrolled office over the month's weeks.
    participation = []
    for office, _cells in page.heat:
        rows = [page.panel.cell(office, week) for week in month_weeks]
        present = sum(row.attendance.present for row in rows if row)
        expected = sum(row.attendance.expected - row.attendance.excused for row in rows if row)
        gatherings = sum(row.attendance.gatherings for row in rows if row)
        if gatherings:
            participation.append(
                [
                    office.code,
                    office.name,
                    str(gatherings),
                    dashboard.percent(100 * present / expected, 1) if expected else "–",
                ]
            )

    known, unknown = _known_and_unknown(results, len(enrolled_rows), len(offices))
    blocks = impact_blocks(results, pdf=True)
    summary_rows = [
        [
            block["label"],
            block.get("att", "–"),
            block.get("ci", "–"),
            block.get("imputation", "–"),
            (_("ada bukti") if block.get("evidence") else _("belum dapat disimpulkan"))
            if "att" in block
            else _("belum dapat dihitung"),
        ]
        for block in blocks
    ]
    quarters = page.quarters
    ikm_table = page.tables["ikm"]
    wanted = ("rollout", "participation", "evaluation", "ikm", "wait", "complaints")
    charts = {
        name: chart.svg_paths() for name, chart in dashboard_charts_for_pdf(page).items() if name in wanted
    }
    return {
        "title": _("Laporan Bulanan Sekolah Perjumpaan {month}").format(month=month_label(first)),
        "letterhead": letterhead(government=government),
        "footer": _("Laporan bulanan Sekolah Perjumpaan · {month} · dicetak {date} {time} {zone}").format(
            month=month_label(first),
            date=format_date(now.astimezone(tz).date(), weekday=False),
            time=format_time(now, tz),
            zone=now.astimezone(tz).tzname(),
        ),
        "heading": _("Laporan Bulanan Sekolah Perjumpaan"),
        "subheading": _("Bulan {month}").format(month=month_label(first)),
        "status": _("Data sampai pekan {start} – {end}; pembanding: {weeks} pekan sejak {first}.").format(
            start=format_date(page.weeks[-1], weekday=False),
            end=format_date(page.weeks[-1] + dt.timedelta(days=6), weekday=False),
            weeks=len(page.weeks),
            first=format_date(page.weeks[0], weekday=False),
        ),
        "labels": {
            "summary": _("Ringkasan untuk pimpinan"),
            "known": _("Yang sudah diketahui"),
            "unknown": _("Yang belum diketahui"),
            "none_known": _("Belum ada hasil yang cukup pasti untuk disimpulkan."),
            "key_numbers": _("Angka utama: perkiraan efek program"),
            "outcome": _("Hasil layanan"),
            "effect": _("Perkiraan efek"),
            "interval": _("Interval 95%"),
            "imputation": _("Metode imputasi"),
            "verdict": _("Kesimpulan"),
            "rollout": _("1. Perluasan program"),
            "participation": _("2. Kehadiran di perjumpaan bulan ini"),
            "evaluation": _("3. Evaluasi Jumat"),
            "outcomes": _("4. Layanan publik"),
            "impact": _("5. Dampak program: rincian"),
            "code": _("Kode"),
            "office": _("Perangkat daerah"),
            "wave": _("Gelombang"),
            "since": _("Ikut sejak"),
            "gatherings": _("Perjumpaan"),
            "rate": _("Kehadiran"),
            "method": _("Metode inferensi"),
            "pretrend": _("Uji tren sebelum program (p)"),
            "no_participation": _("Belum ada perjumpaan yang presensinya ditutup bulan ini."),
            "how_to_read": _(
                "Cara membaca: perkiraan efek adalah selisih antara hasil kantor peserta dan perkiraan "
                "hasilnya seandainya tidak ikut program, dihitung dari perubahan di kantor yang belum ikut. "
                "Bila interval 95% tidak memuat nol, ada bukti; bila memuat nol, belum dapat disimpulkan."
            ),
        },
        "rollout_line": _("{enrolled} dari {total} perangkat daerah sudah ikut program{newest}.").format(
            enrolled=len(enrolled_rows),
            total=len(offices),
            newest=_(" (terakhir: {wave} sejak {date})").format(
                wave=newest.wave or newest.office.code, date=format_date(newest.enrolled_on, weekday=False)
            )
            if newest and newest.enrolled_on
            else "",
        ),
        "known": known,
        "unknown": unknown,
        "summary_rows": summary_rows,
        "rollout": [
            [
                r.office.code,
                r.office.name,
                r.wave or "–",
                format_date(r.enrolled_on, weekday=False) if r.enrolled_on else "–",
            ]
            for r in page.rollout
        ],
        "participation": participation,
        "participation_line": _(
            "Kehadiran rata-rata kantor peserta pada pekan-pekan bulan ini: {rate}."
        ).format(rate=dashboard.percent(month_mean(page.groups.attendance), 1)),
        "evaluation_line": _(
            "Skor rata-rata butir evaluasi bulan ini — diri: {self}, rekan: {peer}, atasan: {supervisor} "
            "(skor penilaian orang lain hanya dari pekan dengan sedikitnya 3 penilai)."
        ).format(
            **{
                part: format_number(month_mean([row[1 + i] for row in page.tables["evaluation"].rows]), 2)
                for i, part in enumerate(selectors.PARTS)
            }
        ),
        "ikm_header": ikm_table.header,
        "ikm_rows": [ikm_table.rows[-1][:1] + ikm_table.display()[-1][1:]],
        "quarters": [q.label for q in quarters],
        "charts": charts,
        "impact": blocks,
    }


def dashboard_charts_for_pdf(page: dashboard.Regency) -> dict[str, Any]:
    """The dashboard's charts at the report's width (redrawn: a chart's size is fixed when drawn)."""
    from perjumpaan.core.charts import Series, bar_chart, line_chart

    weeks, groups = page.weeks, page.groups
    size = (7.0, 2.4)
    evaluation = page.tables["evaluation"].rows
    return {
        "rollout": dashboard.cached_chart(
            "pdf-rollout",
            line_chart,
            weeks,
            [Series(_("Kantor peserta"), groups.enrolled)],
            title=_("Kantor yang sudah ikut program"),
            size=size,
        ),
        "participation": dashboard.cached_chart(
            "pdf-participation",
            line_chart,
            weeks,
            [Series(_("Kehadiran kantor peserta"), groups.attendance)],
            title=_("Kehadiran di perjumpaan (%)"),
            y_max=100,
            size=size,
        ),
        "evaluation": dashboard.cached_chart(
            "pdf-evaluation",
            line_chart,
            weeks,
            [
                Series(_("Diri"), [r[1] for r in evaluation]),
                Series(_("Rekan"), [r[2] for r in evaluation]),
                Series(_("Atasan"), [r[3] for r in evaluation]),
            ],
            title=_("Skor evaluasi Jumat (rata-rata butir)"),
            y_decimals=1,
            y_min=None,
            size=size,
        ),
        "ikm": dashboard.cached_chart(
            "pdf-ikm",
            bar_chart,
            [q.label for q in page.quarters],
            [Series(_("Semua kantor"), page.tables["ikm"].rows[-1][1:])],
            title=_("IKM semua kantor per triwulan"),
            y_min=0,
            y_max=100,
            value_labels=True,
            value_decimals=2,
            size=(7.0, 2.2),
        ),
        "wait": dashboard.cached_chart(
            "pdf-wait",
            line_chart,
            weeks,
            [
                Series(_("Kantor peserta"), groups.wait_enrolled),
                Series(_("Belum ikut"), groups.wait_others, dashed=True),
            ],
            title=_("Waktu tunggu rata-rata (menit)"),
            size=size,
        ),
        "complaints": dashboard.cached_chart(
            "pdf-complaints",
            line_chart,
            weeks,
            [
                Series(_("Kantor peserta"), groups.complaints_enrolled),
                Series(_("Belum ikut"), groups.complaints_others, dashed=True),
            ],
            title=_("Pengaduan per 1.000 layanan"),
            y_decimals=1,
            size=size,
        ),
    }


def monthly_report_pdf(*, user: Any, month: dt.date, government: Government | None = None) -> bytes:
    """The monthly report on A4; `ReportError` when it cannot be made for that month or user."""
    return render_pdf(MONTHLY_REPORT_TEMPLATE, report_data(user=user, month=month, government=government))
