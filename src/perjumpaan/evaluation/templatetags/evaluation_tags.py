"""Template filters of the evaluation pages: scores, dates and shares written the Indonesian way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from perjumpaan.core.charts import format_percent
from perjumpaan.core.timeutil import format_date
from perjumpaan.evaluation.exports import score_text

register = template.Library()


@register.filter
def skor(score: Any) -> str:
    """A Score as "3,67", "–" (nothing) or "< 3 penilai" (withheld)."""
    return score_text(score)


@register.filter
def tanggal(day: dt.date | None) -> str:
    return format_date(day, weekday=False) if day else "–"


@register.filter
def persen(share: Any) -> str:
    return format_percent(share) if share is not None else "–"
