"""API of attendance: the rotating code for the screen, check-ins from phones, an office's monthly recap."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from perjumpaan.api.schemas import ErrorOut
from perjumpaan.attendance import selectors, services
from perjumpaan.attendance.codes import code_make
from perjumpaan.core.ratelimit import UserRateLimit
from perjumpaan.core.scoping import scoped
from perjumpaan.org import selectors as org_selectors
from perjumpaan.org.models import Employee, User
from perjumpaan.program.models import Gathering

router = Router(tags=["attendance"])

# A phone checks in a few times a day; more than this per user is a script or a stuck retry loop.
# PERJUMPAAN_CHECKIN_RATE (settings), "20/m" by default; answered 429 with Retry-After.
CHECKIN_LIMIT = UserRateLimit("checkin", setting="PERJUMPAAN_CHECKIN_RATE", default="20/m")


class CodeOut(Schema):
    code: str
    expires_at: dt.datetime
    checkin_url: str
    checked_in: int
    expected: int


class CheckinIn(Schema):
    code: str
    latitude: float | None = None
    longitude: float | None = None
    device: str | None = None


class MarkOut(Schema):
    gathering: int
    employee: int
    status: str
    status_label: str
    marked_at: dt.datetime
    created: bool


class RecapRowOut(Schema):
    employee_id: int
    name: str
    nip: str
    counts: dict[str, int]
    expected: int
    rate_percent: float | None


class RecapOut(Schema):
    office: str
    month: str
    rows: list[RecapRowOut]
    total: RecapRowOut


@router.get("/gatherings/{gathering_id}/code", response={200: CodeOut, 404: ErrorOut})
def gathering_code(request: HttpRequest, gathering_id: int) -> CodeOut:
    gathering = scoped(request.user, Gathering.objects.all(), "manage").filter(pk=gathering_id).first()
    if gathering is None:
        raise Http404
    rules = services.rules_freeze(gathering=gathering)
    code, expires = code_make(gathering_id=gathering.pk, moment=timezone.now(), seconds=rules.code_seconds)
    return CodeOut(
        code=code,
        expires_at=expires,
        checkin_url=request.build_absolute_uri(reverse("attendance:checkin", args=[code])),
        checked_in=gathering.marks.filter(status__in=["H", "T"]).count(),
        expected=services.expected_employees(gathering).count(),
    )


def _checkin_employee(user: Any) -> Employee | None:
    """The caller's active employee record, as `access_for` defines it, in at most one query: none at all
    when the authentication already brought it along with the user (select_related), which matters on
    the busiest path of the system."""
    if User.employee.is_cached(user):
        employee: Employee | None = getattr(user, "employee", None)
        if employee is not None and Employee.office.is_cached(employee):
            active = employee.is_active and employee.office.is_active
            return employee if active else None
    return Employee.objects.filter(user=user, is_active=True, office__is_active=True).order_by("pk").first()


@router.post(
    "/checkins",
    response={200: MarkOut, 201: MarkOut, 400: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    throttle=[CHECKIN_LIMIT],
)
def checkin_create(request: HttpRequest, payload: CheckinIn) -> Status[MarkOut]:
    employee = _checkin_employee(request.user)
    if employee is None:
        raise HttpError(403, _(services.NOT_STAFF))
    try:
        result = services.checkin(
            employee=employee,
            code=payload.code,
            device=(payload.device or "")[:64],
            ip=request.META.get("REMOTE_ADDR"),
            latitude=payload.latitude,
            longitude=payload.longitude,
        )
    except services.CheckinError as exc:
        raise HttpError(400, str(exc)) from None
    mark = result.mark
    body = MarkOut(
        gathering=mark.gathering_id,
        employee=mark.employee_id,
        status=mark.status,
        status_label=mark.get_status_display(),
        marked_at=mark.marked_at,
        created=result.created,
    )
    return Status(201 if result.created else 200, body)


@router.get("/offices/{code}/attendance", response={200: RecapOut, 404: ErrorOut, 422: ErrorOut})
def office_attendance(request: HttpRequest, code: str, month: str) -> RecapOut:
    office = org_selectors.office_list(user=request.user).filter(code=code.upper()).first()
    if office is None:
        raise Http404
    try:
        first = dt.datetime.strptime(month, "%Y-%m").date()  # noqa: DTZ007 -- a calendar month, not an instant
    except ValueError:
        raise HttpError(422, _("Parameter month harus berbentuk TTTT-BB, misalnya 2026-11.")) from None
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    rows = selectors.attendance_recap(user=request.user, office=office, start=first, end=last)

    def out(row: selectors.RecapRow) -> RecapRowOut:
        return RecapRowOut(
            employee_id=row.employee_id,
            name=row.name,
            nip=row.nip,
            counts=row.counts,
            expected=row.expected,
            rate_percent=round(row.rate_percent, 2) if row.rate_percent is not None else None,
        )

    return RecapOut(
        office=office.code, month=month, rows=[out(r) for r in rows], total=out(selectors.recap_total(rows))
    )
