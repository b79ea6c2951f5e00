"""Reads of attendance data, through the scoping."""

from __future__ import annotations

import datetime as dt

from perjumpaan.attendance.models import LeaveRequest


def employees_on_leave(*, employee_ids: list[int], day: dt.date) -> set[int]:
    """Which of these employees have approved leave covering `day`."""
    return set(
        LeaveRequest.objects.filter(
            employee_id__in=employee_ids,
            status=LeaveRequest.Status.APPROVED,
            start_date__lte=day,
            end_date__gte=day,
        ).values_list("employee_id", flat=True)
    )
