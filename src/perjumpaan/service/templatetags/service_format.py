"""Numbers on the service pages, written the Indonesian way (the same functions the charts use)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from perjumpaan.core.charts import format_number, format_percent

register = template.Library()


@register.filter
def num(value: Any, decimals: int = 0) -> str:
    """1234.5|num:1 → "1.234,5"; None → "–"."""
    try:
        return format_number(value, int(decimals))
    except (TypeError, ValueError):
        return "–"


@register.filter
def pct(value: Any, decimals: int = 0) -> str:
    """0.935|pct:1 → "93,5%"."""
    try:
        return format_percent(value, int(decimals))
    except (TypeError, ValueError):
        return "–"


@register.filter
def minutes(seconds: Any) -> str:
    """Seconds as minutes with one decimal: 750 → "12,5 mnt"."""
    if seconds is None:
        return "–"
    try:
        return _("{value} mnt").format(value=format_number(float(seconds) / 60, 1))
    except (TypeError, ValueError):
        return "–"


@register.filter
def hours(value: Any) -> str:
    """Hours with one decimal: 3.25 → "3,3 jam"."""
    if value is None:
        return "–"
    try:
        return _("{value} jam").format(value=format_number(float(value), 1))
    except (TypeError, ValueError):
        return "–"


@register.filter
def duration_hours(delta: Any) -> str:
    """A timedelta in hours: "3,3 jam"."""
    if delta is None:
        return "–"
    return hours(delta.total_seconds() / 3600)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
