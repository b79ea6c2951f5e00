"""Charts of the Friday evaluation, drawn by the one chart mechanism (`perjumpaan.core.charts`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from perjumpaan.core.charts import Chart, Series, line_chart
from perjumpaan.evaluation.scores import OVERALL, Score
from perjumpaan.evaluation.selectors import (
    RATING_PARTS,
    MyWeek,
    OfficeTrend,
    TrendPoint,
    ValueInfo,
    part_label,
)


def _means(scores: Sequence[Score]) -> list[float | None]:
    return [float(s.mean) if s.mean is not None else None for s in scores]


def summary_trend_chart(points: Sequence[TrendPoint], *, size: tuple[float, float] = (7.2, 3.0)) -> Chart:
    """The office's overall score per part over the weeks (1–5)."""
    return line_chart(
        [p.friday for p in points],
        [Series(part_label(part), _means([p.scores[part] for p in points])) for part in RATING_PARTS],
        title=_("Skor rata-rata per bagian, per pekan"),
        y_decimals=1,
        y_min=1,
        y_max=5,
        size=size,
    )


def values_trend_chart(trend: OfficeTrend, values: Sequence[ValueInfo], *, title: str) -> Chart:
    """One line per value over the weeks (1–5)."""
    return line_chart(
        [r.friday for r in trend.weeks],
        [Series(info.name, _means(trend.scores[info.code])) for info in values],
        title=title,
        y_decimals=1,
        y_min=1,
        y_max=5,
        size=(7.2, 3.4),
    )


def overall_trend_chart(trend: OfficeTrend) -> Chart:
    return line_chart(
        [r.friday for r in trend.weeks],
        [Series(_("Rata-rata semua nilai"), _means(trend.scores[OVERALL]))],
        title=_("Skor rata-rata semua nilai, per pekan"),
        y_decimals=1,
        y_min=1,
        y_max=5,
    )


def my_trend_chart(weeks: Sequence[MyWeek]) -> Chart:
    return line_chart(
        [w.friday for w in weeks],
        [
            Series(_("Penilaian diri"), _means([w.self_score for w in weeks])),
            Series(_("Rata-rata penilaian rekan"), _means([w.peer_score for w in weeks])),
        ],
        title=_("Skor rata-rata Anda per pekan"),
        y_decimals=1,
        y_min=1,
        y_max=5,
        size=(7.2, 3.4),
    )
