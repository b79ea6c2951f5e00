"""Reads of the programme calendar, through the scoping."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

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
