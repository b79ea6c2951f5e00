"""Charts of the Friday evaluation, drawn by the one chart mechanism (`perjumpaan.core.charts`)."""

from __future__ import annotations

import datetime as dt
import math
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


def _bounds(series: Sequence[Sequence[float | None]]) -> tuple[float, float]:
    """The y range: the data's, widened to whole half points, never beyond the scale's 1–5. Week-to-week
    changes are a tenth of a point or two; on the full scale they would not show."""
    values = [v for values in series for v in values if v is not None]
    if not values:
        return 1.0, 5.0
    low = max(1.0, math.floor((min(values) - 0.2) * 2) / 2)
    high = min(5.0, math.ceil((max(values) + 0.2) * 2) / 2)
    return low, max(high, low + 1.0)


def _lines(
    x: Sequence[dt.date],
    series: Sequence[tuple[str, list[float | None]]],
    *,
    title: str,
    size: tuple[float, float],
) -> Chart:
    low, high = _bounds([values for _label, values in series])
    return line_chart(
        list(x),
        [Series(label, values) for label, values in series],
        title=title,
        y_decimals=1,
        y_min=low,
        y_max=high,
        size=size,
    )


def summary_trend_chart(points: Sequence[TrendPoint], *, size: tuple[float, float] = (7.2, 3.0)) -> Chart:
    """The office's overall score per part over the weeks (1–5)."""
    return _lines(
        [p.friday for p in points],
        [(part_label(part), _means([p.scores[part] for p in points])) for part in RATING_PARTS],
        title=_("Skor rata-rata per bagian, per pekan"),
        size=size,
    )


def values_trend_chart(trend: OfficeTrend, values: Sequence[ValueInfo], *, title: str) -> Chart:
    """One line per value over the weeks (1–5)."""
    return _lines(
        [r.friday for r in trend.weeks],
        [(info.name, _means(trend.scores[info.code])) for info in values],
        title=title,
        size=(7.2, 3.4),
    )


def overall_trend_chart(trend: OfficeTrend) -> Chart:
    return _lines(
        [r.friday for r in trend.weeks],
        [(_("Rata-rata semua nilai"), _means(trend.scores[OVERALL]))],
        title=_("Skor rata-rata semua nilai, per pekan"),
        size=(7.2, 3.2),
    )


def my_trend_chart(weeks: Sequence[MyWeek]) -> Chart:
    return _lines(
        [w.friday for w in weeks],
        [
            (_("Penilaian diri"), _means([w.self_score for w in weeks])),
            (_("Rata-rata penilaian rekan"), _means([w.peer_score for w in weeks])),
        ],
        title=_("Skor rata-rata Anda per pekan"),
        size=(7.2, 3.4),
    )
