"""Reads of the programme calendar, through the scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from perjumpaan.core.scoping import Action, scoped
from perjumpaan.org.models import Office
from perjumpaan.program.models import AgendaItem, Enrollment, Gathering


def enrollment_current(*, office: Office) -> Enrollment | None:
    """The office's newest enrolment row (None: never enrolled; `enrolled_on` None: left)."""
    return Enrollment.objects.filter(office=office).order_by("-recorded_at", "-pk").first()


def enrolled_since(*, office: Office) -> dt.date | None:
    current = enrollment_current(office=office)
    return current.enrolled_on if current else None


def gathering_list(
    *,
    user: Any,
    office: Office | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    action: Action = "view",
) -> QuerySet[Gathering]:
    gatherings = scoped(user, Gathering.objects.all(), action).select_related("office")
    if office is not None:
        gatherings = gatherings.filter(office=office)
    if start is not None:
        gatherings = gatherings.filter(date__gte=start)
    if end is not None:
        gatherings = gatherings.filter(date__lte=end)
    agenda = AgendaItem.objects.select_related("employee", "speaker", "lesson").order_by("order")
    return gatherings.prefetch_related(Prefetch("agenda", queryset=agenda)).order_by("start", "track")


def gathering_get(*, user: Any, pk: int, action: Action = "view") -> Gathering | None:
    return gathering_list(user=user, action=action).filter(pk=pk).first()


@dataclass(frozen=True)
class OverviewRow:
    office: Office
    wave: str
    enrolled_on: dt.date | None
    held_this_week: int
    scheduled_this_week: int


def programme_overview(*, user: Any, week_start: dt.date) -> list[OverviewRow]:
    """Every office the user may see: its wave, enrolment date and this week's gatherings (two queries)."""
    offices = list(
        scoped(user, Office.objects.filter(is_active=True)).select_related("government").order_by("name")
    )
    newest: dict[int, Enrollment] = {}
    for row in (
        Enrollment.objects.filter(office__in=offices).select_related("wave").order_by("recorded_at", "pk")
    ):
        newest[row.office_id] = row
    week = (
        Gathering.objects.filter(
            office__in=offices, date__range=(week_start, week_start + dt.timedelta(days=6))
        )
        .values("office_id")
        .annotate(
            held=Count("pk", filter=Q(status=Gathering.Status.HELD)),
            scheduled=Count("pk", filter=~Q(status=Gathering.Status.CANCELLED)),
        )
    )
    counts = {row["office_id"]: row for row in week}
    rows = [
        OverviewRow(
            office=office,
            wave=newest[office.pk].wave.name if office.pk in newest and newest[office.pk].wave else "",
            enrolled_on=newest[office.pk].enrolled_on if office.pk in newest else None,
            held_this_week=counts.get(office.pk, {}).get("held", 0),
            scheduled_this_week=counts.get(office.pk, {}).get("scheduled", 0),
        )
        for office in offices
    ]
    return sorted(rows, key=lambda r: (r.enrolled_on is None, r.enrolled_on or dt.date.max, r.office.name))
