"""Template filters of the attendance pages: the rate as Indonesians write it, a count by status."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import template

from perjumpaan.attendance.exports import percent_label

register = template.Library()


@register.filter
def persen(rate: Fraction | None) -> str:
    """ "87,5 %" (see `exports.percent_label`)."""
    return percent_label(rate)


@register.filter
def count_of(counts: dict[str, int] | Any, status: str) -> int:
    """`counts[status]`, 0 when absent: `{{ row.counts|count_of:code }}`."""
    try:
        return int(counts.get(status, 0))
    except AttributeError:
        return 0
