"""Reads of attendance data, through the scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Case, Count, QuerySet, Sum, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.attendance.codes import CodeError, code_make, code_parse
from perjumpaan.attendance.models import (
    PRESENT,
    Attendance,
    AttendancePolicy,
    FollowUp,
    GatheringRules,
    LeaveRequest,
    Status,
)
from perjumpaan.core.scoping import Action, access_for, scoped
from perjumpaan.org.models import AuditEntry, Employee, Office
from perjumpaan.program.models import Gathering


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


@dataclass(frozen=True)
class RecapRow:
    """One employee's attendance over a period."""

    employee_id: int
    name: str
    nip: str
    counts: dict[str, int]
    expected: int

    @property
    def excused(self) -> int:
        return self.counts.get(Status.CUTI, 0) + self.counts.get(Status.DINAS_LUAR, 0)

    @property
    def present(self) -> int:
        return self.counts.get(Status.HADIR, 0) + self.counts.get(Status.TERLAMBAT, 0)

    @property
    def rate(self) -> Fraction | None:
        """(H + T) / (gatherings expected − approved C − approved DL); None when nothing was expected."""
        denominator = self.expected - self.excused
        return Fraction(self.present, denominator) if denominator > 0 else None

    @property
    def rate_percent(self) -> float | None:
        rate = self.rate
        return float(rate * 100) if rate is not None else None


def _marks(user: Any, start: dt.date, end: dt.date) -> QuerySet[Attendance]:
    return scoped(user, Attendance.objects.all()).filter(
        gathering__status=Gathering.Status.HELD, gathering__date__range=(start, end)
    )


def attendance_recap(
    *, user: Any, start: dt.date, end: dt.date, office: Office | None = None, employee_id: int | None = None
) -> list[RecapRow]:
    """Counts per status and the attendance rate per employee over `start`–`end` (held gatherings only:
    a gathering is counted once it is closed and everyone expected has a mark). One query."""
    marks = _marks(user, start, end)
    if office is not None:
        marks = marks.filter(gathering__office=office)
    if employee_id is not None:
        marks = marks.filter(employee_id=employee_id)
    rows: dict[int, dict[str, Any]] = {}
    for pk, name, nip, status, n in (
        marks.values("employee_id", "employee__name", "employee__nip", "status")
        .annotate(n=Count("pk"))
        .values_list("employee_id", "employee__name", "employee__nip", "status", "n")
    ):
        row = rows.setdefault(pk, {"name": name, "nip": nip, "counts": {}})
        row["counts"][status] = n
    return sorted(
        (
            RecapRow(
                employee_id=pk,
                name=r["name"],
                nip=r["nip"],
                counts=r["counts"],
                expected=sum(r["counts"].values()),
            )
            for pk, r in rows.items()
        ),
        key=lambda r: r.name,
    )


def recap_total(rows: list[RecapRow]) -> RecapRow:
    """The office's total over the same rows (its rate weights every expected attendance equally)."""
    counts: dict[str, int] = {}
    for row in rows:
        for status, n in row.counts.items():
            counts[status] = counts.get(status, 0) + n
    return RecapRow(employee_id=0, name="", nip="", counts=counts, expected=sum(counts.values()))


# --- Pages of attendance: who may read an office's marks, the roll call, leave, follow-ups, recaps ----


def office_marks_readable(*, user: Any, office: Office) -> bool:
    """Whether `user` may read every mark of `office` (the roll call, the recap): its coordinators and
    the government's programme admins (who may manage it) and leadership (who may only read). Staff and
    facilitators see their own marks only, so they may not."""
    if scoped(user, Office.objects.filter(pk=office.pk), "manage").exists():
        return True
    return office.government_id in access_for(user).leadership_governments


def gathering_for(
    *, user: Any, office: Office, gathering_id: int, action: Action = "view"
) -> Gathering | None:
    """One gathering of `office` that `user` may `action`, with its frozen rules."""
    return (
        scoped(user, Gathering.objects.filter(office=office), action)
        .select_related("rules", "office__government")
        .filter(pk=gathering_id)
        .first()
    )


def checked_in_count(*, gathering: Gathering) -> int:
    """How many are marked present (hadir or terlambat) at the gathering: the screen's live count."""
    return Attendance.objects.filter(gathering=gathering, status__in=PRESENT).count()


FLAG_LABELS: dict[str, str] = {
    "shared_device": gettext_noop("perangkat sama"),
    "outside_network": gettext_noop("di luar jaringan"),
    "outside_location": gettext_noop("di luar lokasi"),
    "stale_code": gettext_noop("kode lama"),
}


@dataclass(frozen=True)
class RollCallRow:
    """One person expected at a gathering, their mark (if any), its flags and its history."""

    employee: Employee
    mark: Attendance | None
    flags: list[str]  # labels, in the reader's language
    shared_with: list[str]  # names of others who checked in from the same device
    history: list[AuditEntry]


def rollcall(*, user: Any, gathering: Gathering) -> list[RollCallRow]:
    """Everyone expected at `gathering` (and anyone else marked there), as `user` may see them. Four
    queries whatever the size of the office."""
    from perjumpaan.attendance.services import expected_employees

    employees = {e.pk: e for e in scoped(user, expected_employees(gathering)).order_by("name")}
    marks = {
        m.employee_id: m
        for m in scoped(user, Attendance.objects.filter(gathering=gathering)).select_related("employee")
    }
    for pk, mark in marks.items():
        employees.setdefault(pk, mark.employee)
    entries: dict[str, list[AuditEntry]] = {}
    if marks:
        for entry in (
            scoped(user, AuditEntry.objects.all())
            .filter(
                object_type=Attendance._meta.label_lower,
                object_id__in=[str(m.pk) for m in marks.values()],
            )
            .select_related("actor")
            .order_by("at", "pk")
        ):
            entries.setdefault(entry.object_id, []).append(entry)
    by_device: dict[str, list[str]] = {}
    for mark in marks.values():
        if mark.device:
            by_device.setdefault(mark.device, []).append(employees[mark.employee_id].name)
    rows = []
    for employee in sorted(employees.values(), key=lambda e: e.name):
        own = marks.get(employee.pk)
        shared = []
        if own is not None and own.device:
            shared = [name for name in by_device[own.device] if name != employee.name]
        rows.append(
            RollCallRow(
                employee=employee,
                mark=own,
                flags=[_(FLAG_LABELS[f]) for f in (own.flags if own else []) if f in FLAG_LABELS],
                shared_with=shared,
                history=entries.get(str(own.pk), []) if own else [],
            )
        )
    return rows


def leave_list_mine(*, user: Any) -> QuerySet[LeaveRequest]:
    """The user's own leave requests, newest first."""
    employee_id = access_for(user).employee_id
    if employee_id is None:
        return LeaveRequest.objects.none()
    return scoped(user, LeaveRequest.objects.filter(employee_id=employee_id)).order_by("-created_at")


def leave_list_office(*, user: Any, office: Office) -> QuerySet[LeaveRequest]:
    """An office's leave requests for its coordinator: pending first (oldest first), then the rest."""
    return (
        scoped(user, LeaveRequest.objects.filter(employee__office=office), "manage")
        .select_related("employee", "decided_by")
        .annotate(
            pending_first=Case(When(status=LeaveRequest.Status.PENDING, then=0), default=1),
        )
        .order_by("pending_first", "-start_date", "-created_at")
    )


def leave_attachment_get(*, user: Any, leave_id: int) -> LeaveRequest | None:
    """A leave request whose attachment `user` may open: their own, or one of an office they manage
    (coordinator, programme admin). Leadership's read-only view does not reach medical letters."""
    requests = LeaveRequest.objects.filter(pk=leave_id).exclude(attachment="")
    employee_id = access_for(user).employee_id
    own = requests.filter(employee_id=employee_id) if employee_id is not None else requests.none()
    return (own.first()) or scoped(user, requests, "manage").first()


def follow_up_list(*, user: Any, office: Office) -> QuerySet[FollowUp]:
    """An office's follow-ups: open ones first (oldest first), then closed ones, newest first."""
    return (
        scoped(user, FollowUp.objects.filter(employee__office=office), "manage")
        .select_related("employee", "talked_by")
        .order_by("closed", "-opened_at")
    )


@dataclass(frozen=True)
class AbsenceRow:
    """Who was absent at one held gathering: without notice (TK), and with leave."""

    gathering: Gathering
    without_notice: list[str]
    with_leave: list[tuple[str, str]]  # (name, status label)


def absences_recent(*, user: Any, office: Office, limit: int = 10) -> list[AbsenceRow]:
    """The office's latest held gatherings, each with who was absent. Two queries."""
    gatherings = list(
        scoped(
            user, Gathering.objects.filter(office=office, status=Gathering.Status.HELD), "manage"
        ).order_by("-start")[:limit]
    )
    absent: dict[int, AbsenceRow] = {
        g.pk: AbsenceRow(gathering=g, without_notice=[], with_leave=[]) for g in gatherings
    }
    marks = (
        scoped(user, Attendance.objects.filter(gathering__in=gatherings), "manage")
        .exclude(status__in=PRESENT)
        .select_related("employee")
        .order_by("employee__name")
    )
    for mark in marks:
        row = absent[mark.gathering_id]
        if mark.status == Status.TANPA_KETERANGAN:
            row.without_notice.append(mark.employee.name)
        else:
            row.with_leave.append((mark.employee.name, mark.get_status_display()))
    return list(absent.values())


@dataclass(frozen=True)
class OfficeRecapRow:
    """One office's attendance over a period, for leadership's table of every office."""

    office: Office
    total: RecapRow


def attendance_recap_offices(*, user: Any, start: dt.date, end: dt.date) -> list[OfficeRecapRow]:
    """Counts per status and the rate per office over `start`–`end`, for every office `user` may read
    (offices with no held gathering in the period appear with nothing expected). Two queries: the
    offices, and the sums of the daily rollup (`rollup.AttendanceDay`, kept in step with the marks of
    held gatherings), so a year of a regency is as quick as a day."""
    from perjumpaan.rollup.models import ATTENDANCE_COLUMNS, AttendanceDay
    from perjumpaan.rollup.selectors import readable

    offices = list(scoped(user, Office.objects.filter(is_active=True)).order_by("code"))
    counts: dict[int, dict[str, int]] = {office.pk: {} for office in offices}
    sums = {code: Sum(column) for code, column in ATTENDANCE_COLUMNS.items()}
    for row in (
        readable(user, AttendanceDay.objects.filter(office__in=offices, date__range=(start, end)))
        .values("office_id")
        .annotate(**sums)
        .order_by()
    ):
        counts[row["office_id"]] = {code: row[code] for code in ATTENDANCE_COLUMNS if row[code]}
    return [
        OfficeRecapRow(
            office=office,
            total=RecapRow(
                employee_id=0,
                name=office.name,
                nip="",
                counts=counts[office.pk],
                expected=sum(counts[office.pk].values()),
            ),
        )
        for office in offices
    ]


def my_marks(*, user: Any, start: dt.date, end: dt.date) -> QuerySet[Attendance]:
    """The user's own marks at held gatherings over `start`–`end`, newest first."""
    employee_id = access_for(user).employee_id
    if employee_id is None:
        return Attendance.objects.none()
    return (
        _marks(user, start, end)
        .filter(employee_id=employee_id)
        .select_related("gathering")
        .order_by("-gathering__start")
    )


@dataclass(frozen=True)
class ScreenState:
    """What the check-in screen shows at one moment."""

    state: str  # "before", "open", "closed" or "cancelled"
    code: str  # "" unless open
    expires_in: float  # seconds until the screen should ask again
    opens_at: dt.datetime


def screen_state(*, gathering: Gathering, rules: GatheringRules, now: dt.datetime) -> ScreenState:
    """The screen's state: a fresh code while check-in is open, otherwise why there is none."""
    from perjumpaan.attendance.services import checkin_opens

    opens = checkin_opens(gathering, rules)
    if gathering.status == Gathering.Status.CANCELLED:
        return ScreenState("cancelled", "", 60.0, opens)
    if gathering.status == Gathering.Status.HELD or now > gathering.end:
        return ScreenState("closed", "", 60.0, opens)
    if now < opens:
        return ScreenState("before", "", min(30.0, (opens - now).total_seconds()), opens)
    code, expires = code_make(gathering_id=gathering.pk, moment=now, seconds=rules.code_seconds)
    return ScreenState("open", code, max(0.5, (expires - now).total_seconds()), opens)


def checkin_hints(*, code: str, employee: Employee | None, now: dt.datetime) -> tuple[str, float]:
    """For the check-in page: whether the gathering asks for the phone's location ("off", "flag",
    "require") and how many seconds the scanned code stays valid (0 if it already is not). Only the
    employee's own office's gatherings are looked at."""
    if employee is None:
        return AttendancePolicy.LocationMode.OFF, 0.0
    try:
        gathering_id, window, _signature = code_parse(code)
    except CodeError:
        return AttendancePolicy.LocationMode.OFF, 0.0
    rules = (
        GatheringRules.objects.filter(gathering_id=gathering_id, gathering__office_id=employee.office_id)
        .only("location_mode", "code_seconds")
        .first()
    )
    if rules is None:
        return AttendancePolicy.LocationMode.OFF, 0.0
    # A code is accepted in its own window and the next one.
    valid_until = (window + 2) * rules.code_seconds
    return rules.location_mode, max(0.0, valid_until - now.timestamp())
