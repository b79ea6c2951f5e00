"""Writes of attendance: frozen rules, check-in, roll call, closing a gathering, leave, follow-ups."""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.attendance.codes import CodeError, code_parse, code_verify
from perjumpaan.attendance.models import (
    Attendance,
    AttendancePolicy,
    FollowUp,
    GatheringRules,
    LeaveRequest,
    Status,
)
from perjumpaan.core.audit import audit_record
from perjumpaan.core.prepared import Prepared
from perjumpaan.org.models import Employee, Office
from perjumpaan.program.models import Gathering
from perjumpaan.rollup.services import rollup_leave_decided, rollup_marks_changed  # rollup hooks

NOT_YOUR_GATHERING = gettext_noop("Kode ini untuk perjumpaan kantor atau jalur lain, bukan milik Anda.")
GATHERING_CANCELLED = gettext_noop("Perjumpaan ini dibatalkan.")
NOT_OPEN_YET = gettext_noop("Presensi belum dibuka. Dibuka pukul {time}.")
ALREADY_CLOSED = gettext_noop("Presensi perjumpaan ini sudah ditutup.")
LOCATION_REQUIRED = gettext_noop("Kantor Anda mewajibkan lokasi ponsel. Izinkan akses lokasi lalu coba lagi.")
LOCATION_OUTSIDE = gettext_noop("Lokasi ponsel Anda {distance} m dari tempat perjumpaan (batas {radius} m).")
NOT_STAFF = gettext_noop("Akun Anda tidak terhubung dengan data pegawai aktif.")
REASON_REQUIRED = gettext_noop("Perubahan setelah perjumpaan ditutup wajib disertai alasan.")
BAD_STATUS = gettext_noop("Status kehadiran tidak dikenal.")
NOT_EXPECTED = gettext_noop("Pegawai ini tidak termasuk peserta perjumpaan tersebut.")
LEAVE_DATES = gettext_noop("Tanggal selesai tidak boleh sebelum tanggal mulai.")
LEAVE_ATTACHMENT = gettext_noop("Izin sakit wajib melampirkan surat keterangan.")
LEAVE_REASON = gettext_noop("Tuliskan alasan permohonan.")
LEAVE_DECIDED = gettext_noop("Permohonan ini sudah diputuskan.")
LEAVE_NOT_PENDING = gettext_noop("Hanya permohonan yang masih menunggu persetujuan yang dapat dibatalkan.")

FLAG_SHARED_DEVICE = "shared_device"
FLAG_OUTSIDE_NETWORK = "outside_network"
FLAG_OUTSIDE_LOCATION = "outside_location"
FLAG_STALE_CODE = "stale_code"


class CheckinError(ValueError):
    """A check-in refused; the message is meant for the person checking in."""


# --- Rules ----------------------------------------------------------------------------------------


def rules_freeze(*, gathering: Gathering) -> GatheringRules:
    """Copy the office's current attendance policy onto the gathering (once; later calls change nothing)."""
    existing = GatheringRules.objects.filter(gathering=gathering).first()
    if existing is not None:
        return existing
    policy = AttendancePolicy.objects.filter(office_id=gathering.office_id).first() or AttendancePolicy()
    rules, _created = GatheringRules.objects.get_or_create(
        gathering=gathering,
        defaults={
            "grace_minutes": policy.grace_minutes,
            "opens_before_minutes": policy.opens_before_minutes,
            "code_seconds": policy.code_seconds,
            "location_mode": policy.location_mode,
            "radius_m": policy.radius_m,
            "networks": policy.networks,
        },
    )
    return rules


def checkin_opens(gathering: Gathering, rules: GatheringRules) -> dt.datetime:
    return gathering.start - dt.timedelta(minutes=rules.opens_before_minutes)


# --- Check-in -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckinResult:
    mark: Attendance
    created: bool


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _outside_networks(ip: str | None, networks: str) -> bool:
    if not networks.strip() or not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
        return not any(
            address in ipaddress.ip_network(n.strip(), strict=False) for n in networks.split(",") if n.strip()
        )
    except ValueError:
        return True


# The check-in's reads, compiled once (core/prepared.py): the busiest path of the system.
CHECKIN_GATHERING = Prepared(lambda pk: Gathering.objects.select_related("rules").filter(pk=pk)[:1], pk=int)
SHARED_DEVICE = Prepared(
    lambda gathering, device, employee: (
        Attendance.objects.filter(gathering_id=gathering, device=device)
        .exclude(employee_id=employee)
        .values_list("pk")[:1]
    ),
    gathering=int,
    device=str,
    employee=int,
)


def checkin(
    *,
    employee: Employee | None,
    code: str,
    now: dt.datetime | None = None,
    device: str = "",
    ip: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> CheckinResult:
    """Mark `employee` present (or late) at the gathering the scanned `code` belongs to.

    Checking in twice changes nothing (the second answer returns the existing mark). Refusals raise
    CheckinError with a message for the person; doubtful circumstances are recorded as flags instead.
    """
    now = now or timezone.now()
    if employee is None or not employee.is_active:
        raise CheckinError(_(NOT_STAFF))
    try:
        gathering_id = code_parse(code)[0]
    except CodeError as exc:
        raise CheckinError(str(exc)) from None
    # The rules come along; the office and its government only when needed (a location to compare, a
    # message with the local time): this is the busiest read of the system.
    gathering = CHECKIN_GATHERING.first(pk=gathering_id)
    if gathering is None:
        raise CheckinError(_("Kode presensi tidak sah."))
    rules = getattr(gathering, "rules", None) or rules_freeze(gathering=gathering)
    try:
        verified = code_verify(code, moment=now, seconds=rules.code_seconds)
    except CodeError as exc:
        raise CheckinError(str(exc)) from None
    if gathering.office_id != employee.office_id or gathering.track != (employee.track or "islam"):
        raise CheckinError(_(NOT_YOUR_GATHERING))
    if gathering.status == Gathering.Status.CANCELLED:
        raise CheckinError(_(GATHERING_CANCELLED))
    if gathering.status == Gathering.Status.HELD or now > gathering.end:
        raise CheckinError(_(ALREADY_CLOSED))
    opens = checkin_opens(gathering, rules)
    if now < opens:
        from perjumpaan.core.timeutil import format_time, zone

        raise CheckinError(
            _(NOT_OPEN_YET).format(time=format_time(opens, zone(gathering.office.government.time_zone)))
        )

    flags: list[str] = []
    if rules.location_mode != AttendancePolicy.LocationMode.OFF:
        office = Office.objects.select_related("government").get(pk=gathering.office_id)
        place_lat = office.latitude if office.latitude is not None else office.government.latitude
        place_lon = office.longitude if office.longitude is not None else office.government.longitude
        if latitude is None or longitude is None:
            if rules.location_mode == AttendancePolicy.LocationMode.REQUIRE:
                raise CheckinError(_(LOCATION_REQUIRED))
            flags.append(FLAG_OUTSIDE_LOCATION)
        elif place_lat is not None and place_lon is not None:
            distance = _distance_m(latitude, longitude, float(place_lat), float(place_lon))
            if distance > rules.radius_m:
                if rules.location_mode == AttendancePolicy.LocationMode.REQUIRE:
                    raise CheckinError(
                        _(LOCATION_OUTSIDE).format(distance=round(distance), radius=rules.radius_m)
                    )
                flags.append(FLAG_OUTSIDE_LOCATION)
    if _outside_networks(ip, rules.networks):
        flags.append(FLAG_OUTSIDE_NETWORK)
    if verified.stale:
        flags.append(FLAG_STALE_CODE)
    if device and SHARED_DEVICE.rows(gathering=gathering.pk, device=device, employee=employee.pk):
        flags.append(FLAG_SHARED_DEVICE)

    late = now > gathering.start + dt.timedelta(minutes=rules.grace_minutes)
    mark = Attendance(
        gathering=gathering,
        employee=employee,
        status=Status.TERLAMBAT if late else Status.HADIR,
        source=Attendance.Source.QR,
        marked_at=now,
        updated_at=now,
        device=device[:64],
        ip=ip,
        latitude=latitude,
        longitude=longitude,
        flags=flags,
    )
    try:
        if transaction.get_connection().in_atomic_block:
            # Inside a caller's transaction, a savepoint keeps it usable after a repeat's IntegrityError.
            with transaction.atomic():
                mark.save(force_insert=True)
        else:
            # Alone, the INSERT is its own transaction and holds SQLite's write lock only while it runs,
            # not while Python prepares it: under a crowd of phones that is what keeps writers flowing.
            mark.save(force_insert=True)
    except IntegrityError:
        existing = Attendance.objects.get(gathering=gathering, employee=employee)
        return CheckinResult(mark=existing, created=False)
    return CheckinResult(mark=mark, created=True)


# --- Roll call and closing ------------------------------------------------------------------------


def expected_employees(gathering: Gathering) -> Any:
    """Who is expected at a gathering: the office's active staff of its track."""
    track_filter = {"track": gathering.track} if gathering.track != "islam" else {}
    employees = Employee.objects.filter(office_id=gathering.office_id, is_active=True, **track_filter)
    if gathering.track == "islam":
        # Staff with no track recorded join the default (Islam) track.
        employees = employees.filter(track__in=["islam", ""])
    return employees


@transaction.atomic
def rollcall_mark(
    *, actor: Any, gathering: Gathering, employee: Employee, status: str, reason: str = ""
) -> Attendance:
    """The coordinator marks someone (no phone, or a correction). After the gathering is closed, every
    change needs a reason and is audited."""
    if status not in Status.values:
        raise ValidationError(_(BAD_STATUS))
    if not expected_employees(gathering).filter(pk=employee.pk).exists():
        raise ValidationError(_(NOT_EXPECTED))
    closed = Gathering.objects.filter(pk=gathering.pk, status=Gathering.Status.HELD).exists()
    if closed and not reason.strip():
        raise ValidationError(_(REASON_REQUIRED))
    now = timezone.now()
    mark = Attendance.objects.select_for_update().filter(gathering=gathering, employee=employee).first()
    old = mark.status if mark else None
    if mark is None:
        mark = Attendance(
            gathering=gathering, employee=employee, source=Attendance.Source.ROLL_CALL, marked_at=now
        )
    if old == status:
        return mark
    mark.status = status
    mark.updated_at = now
    mark.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    mark.full_clean()
    mark.save()
    if closed or old is not None:
        audit_record(
            actor=actor,
            office=gathering.office,
            action="attendance.change",
            obj=mark,
            old={"status": old},
            new={"status": status},
            reason=reason.strip(),
        )
    # rollup: a closed gathering's tally and day follow its corrected mark, in this transaction.
    rollup_marks_changed(gathering_ids=[gathering.pk])
    return mark


def _approved_leave(employee_ids: list[int], day: dt.date) -> dict[int, str]:
    return dict(
        LeaveRequest.objects.filter(
            employee_id__in=employee_ids,
            status=LeaveRequest.Status.APPROVED,
            start_date__lte=day,
            end_date__gte=day,
        ).values_list("employee_id", "kind")
    )


@transaction.atomic
def gathering_close(*, gathering: Gathering, actor: Any = None) -> int:
    """Close a gathering: everyone expected and unmarked gets their approved leave's status, or TK.
    Running it twice changes nothing. Returns how many marks it wrote."""
    gathering = Gathering.objects.select_for_update().get(pk=gathering.pk)
    if gathering.status == Gathering.Status.CANCELLED:
        return 0
    marked = set(Attendance.objects.filter(gathering=gathering).values_list("employee_id", flat=True))
    missing = [pk for pk in expected_employees(gathering).values_list("pk", flat=True) if pk not in marked]
    leave = _approved_leave(missing, gathering.date)
    now = timezone.now()
    Attendance.objects.bulk_create(
        [
            Attendance(
                gathering=gathering,
                employee_id=pk,
                status=leave.get(pk, Status.TANPA_KETERANGAN),
                source=Attendance.Source.LEAVE if pk in leave else Attendance.Source.CLOSE,
                marked_at=now,
                updated_at=now,
            )
            for pk in missing
        ],
        ignore_conflicts=True,
    )
    if gathering.status != Gathering.Status.HELD:
        gathering.status = Gathering.Status.HELD
        gathering.save(update_fields=["status"])
    follow_ups_open(gathering=gathering, employee_ids=[pk for pk in missing if pk not in leave])
    # rollup: the closed gathering's tally and its day's attendance, in this transaction.
    rollup_marks_changed(gathering_ids=[gathering.pk])
    return len(missing)


def gatherings_close_due(*, now: dt.datetime | None = None) -> int:
    """Close every scheduled gathering that has ended (for cron; safe to run twice or concurrently)."""
    now = now or timezone.now()
    due = Gathering.objects.filter(status=Gathering.Status.SCHEDULED, end__lt=now).order_by("end")
    count = 0
    for gathering in due:
        gathering_close(gathering=gathering)
        count += 1
    return count


def absence_streak(*, employee_id: int, until: Gathering) -> int:
    """How many of the employee's latest held gatherings, up to `until`, in a row were TK."""
    statuses = (
        Attendance.objects.filter(
            employee_id=employee_id,
            gathering__status=Gathering.Status.HELD,
            gathering__start__lte=until.start,
        )
        .order_by("-gathering__start")
        .values_list("status", flat=True)[:50]
    )
    streak = 0
    for status in statuses:
        if status != Status.TANPA_KETERANGAN:
            break
        streak += 1
    return streak


def follow_ups_open(*, gathering: Gathering, employee_ids: list[int]) -> list[FollowUp]:
    """List for a personal follow-up those absent without leave N gatherings in a row (N per office)."""
    policy = AttendancePolicy.objects.filter(office_id=gathering.office_id).first()
    threshold = policy.absence_streak if policy else 3
    opened = []
    already = set(
        FollowUp.objects.filter(employee_id__in=employee_ids, closed=False).values_list(
            "employee_id", flat=True
        )
    )
    for pk in employee_ids:
        if pk in already:
            continue
        streak = absence_streak(employee_id=pk, until=gathering)
        if streak >= threshold:
            opened.append(FollowUp.objects.create(employee_id=pk, streak=streak))
    return opened


@transaction.atomic
def follow_up_record(
    *, actor: Any, follow_up: FollowUp, talked_on: dt.date, agreement: str, close: bool
) -> FollowUp:
    follow_up.talked_by = actor
    follow_up.talked_on = talked_on
    follow_up.agreement = agreement.strip()
    follow_up.closed = close
    follow_up.full_clean()
    follow_up.save()
    return follow_up


# --- Leave ----------------------------------------------------------------------------------------


@transaction.atomic
def leave_request(
    *,
    employee: Employee,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    reason: str,
    attachment: Any = None,
) -> LeaveRequest:
    """Ask, ahead of time, to be excused: izin, sakit (with a letter), cuti, dinas luar."""
    if end_date < start_date:
        raise ValidationError(_(LEAVE_DATES))
    if not reason.strip():
        raise ValidationError(_(LEAVE_REASON))
    if kind == LeaveRequest.Kind.SAKIT and not attachment:
        raise ValidationError(_(LEAVE_ATTACHMENT))
    leave = LeaveRequest(
        employee=employee,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        reason=reason.strip(),
    )
    if attachment:
        leave.attachment = attachment
    leave.full_clean()
    leave.save()
    return leave


@transaction.atomic
def leave_decide(*, actor: Any, leave: LeaveRequest, approve: bool, note: str = "") -> LeaveRequest:
    """Approve or reject. An approval also corrects TK marks already written in its dates (audited) and
    moves kultum turns in its dates to colleagues."""
    if leave.status != LeaveRequest.Status.PENDING:
        raise ValidationError(_(LEAVE_DECIDED))
    leave.status = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.REJECTED
    leave.decided_by = actor
    leave.decided_at = timezone.now()
    leave.decision_note = note.strip()[:300]
    leave.save()
    if approve:
        for mark in Attendance.objects.filter(
            employee=leave.employee,
            status=Status.TANPA_KETERANGAN,
            gathering__date__range=(leave.start_date, leave.end_date),
        ).select_related("gathering__office"):
            audit_record(
                actor=actor,
                office=mark.gathering.office,
                action="attendance.change",
                obj=mark,
                old={"status": mark.status},
                new={"status": leave.kind},
                reason=_("Izin disetujui"),
            )
            mark.status = leave.kind
            mark.source = Attendance.Source.LEAVE
            mark.updated_at = timezone.now()
            mark.save(update_fields=["status", "source", "updated_at"])
        from perjumpaan.program.services import roster_refresh

        roster_refresh(office=leave.employee.office, track=leave.employee.track or "islam")
    # rollup: marks of closed gatherings the approval corrected, in this transaction.
    rollup_leave_decided(leave=leave)
    return leave


@transaction.atomic
def leave_withdraw(*, employee: Employee, leave: LeaveRequest) -> LeaveRequest:
    """The requester takes back a request nobody has decided yet."""
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk, employee=employee)
    if leave.status != LeaveRequest.Status.PENDING:
        raise ValidationError(_(LEAVE_NOT_PENDING))
    leave.status = LeaveRequest.Status.WITHDRAWN
    leave.save(update_fields=["status"])
    return leave
