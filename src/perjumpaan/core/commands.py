"""Helpers shared by management commands: find an office by code, parse dates, print JSON."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandError


def office_by_code(code: str) -> Any:
    """The active office with this code; CommandError naming the known codes otherwise.

    Commands run as the operator of the deployment, so they see every government; a code used by two
    governments must be written GOVERNMENT-SLUG/CODE.
    """
    from perjumpaan.org.models import Office

    slug, _, office_code = code.rpartition("/")
    offices = Office.objects.select_related("government").filter(
        code=office_code.strip().upper(), is_active=True
    )
    if slug:
        offices = offices.filter(government__slug=slug)
    found = list(offices[:2])
    if not found:
        known = ", ".join(
            Office.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)[:30]
        )
        raise CommandError(f"Perangkat daerah dengan kode {code!r} tidak ada. Kode yang ada: {known or '-'}")
    if len(found) > 1:
        raise CommandError(
            f"Kode {code!r} dipakai lebih dari satu pemda; tulis sebagai SLUG-PEMDA/{office_code}."
        )
    return found[0]


def parse_date(value: str, *, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} bukan tanggal TTTT-BB-HH yang sah.") from None


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
