"""Demo data of attendance: marks for the demo's past gatherings, leave, and the follow-ups they open.

Runs after the programme's step (`program` comes before `attendance` in INSTALLED_APPS), which creates the
gatherings. This step anchors on *now*, not on `REFERENCE_DATE`: it marks every gathering of the demo
government that has already ended, is not cancelled and has no marks yet, and closes it (status
"held"), as the coordinator's roll call and `perjumpaan close_gatherings` would have. Loading the demo
again later marks only the gatherings that ended since; nothing already written changes.

What it makes, per person, from a seeded profile: most staff are present nearly always (a few minutes
early or on time, sometimes late), some are often late, a few have the odd izin, sakit or TK, a few are on
approved cuti or dinas luar for some days, and a handful have been absent without notice for the last
gatherings in a row, which opens a personal follow-up for their coordinator. In DUKCAPIL two pairs of
colleagues sometimes check in from one phone (flagged "perangkat sama"), and a few TK marks were
corrected to sakit after closing, with a reason, as the audit trail shows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from perjumpaan.attendance.models import (
    Attendance,
    AttendancePolicy,
    FollowUp,
    GatheringRules,
    LeaveRequest,
    Status,
)
from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.org.demo import DemoContext, demo_step
from perjumpaan.org.models import AuditEntry, Employee, Role
from perjumpaan.program.models import Gathering

# Per profile: the chances of H, T, I, S, TK on a day without approved leave.
PROFILES: dict[str, tuple[float, float, float, float, float]] = {
    "steady": (0.91, 0.05, 0.02, 0.01, 0.01),
    "late": (0.58, 0.36, 0.02, 0.01, 0.03),
    "spotty": (0.72, 0.09, 0.07, 0.04, 0.08),
    # Absent without notice for the latest gatherings (a follow-up); before that, like "spotty".
    "struggling": (0.72, 0.09, 0.07, 0.04, 0.08),
}
PROFILE_WEIGHTS = (("steady", 80), ("late", 9), ("spotty", 8), ("struggling", 3))
LEAVE_REASONS = {
    LeaveRequest.Kind.CUTI: ("Cuti tahunan", "Cuti menikahkan anak", "Cuti alasan penting: keluarga berduka"),
    LeaveRequest.Kind.DINAS_LUAR: (
        "Bimbingan teknis di Mataram",
        "Rapat koordinasi di kantor provinsi",
        "Perjalanan dinas ke Jakarta",
    ),
    LeaveRequest.Kind.IZIN: ("Mengantar anak berobat", "Urusan keluarga", "Menghadiri wisuda anak"),
}
PENDING_REASONS = (
    (LeaveRequest.Kind.CUTI, "Cuti tahunan, pulang kampung ke Sumbawa"),
    (LeaveRequest.Kind.DINAS_LUAR, "Pendampingan verifikasi data di kecamatan"),
    (LeaveRequest.Kind.IZIN, "Menemani orang tua kontrol ke rumah sakit"),
)
CORRECTION_REASON = "Surat keterangan dokter menyusul"
SOURCE_OF: dict[str, str] = {
    Status.HADIR: Attendance.Source.QR,
    Status.TERLAMBAT: Attendance.Source.QR,
    Status.TANPA_KETERANGAN: Attendance.Source.CLOSE,
}


@dataclass
class Person:
    pk: int
    office_id: int
    track: str
    profile: str
    device: str


def _track(value: str) -> str:
    return value or Employee.Track.ISLAM


def _draw(rng: random.Random, profile: str) -> str:
    h, t, i, s, _tk = PROFILES[profile]
    roll = rng.random()
    for status, limit in (
        (Status.HADIR, h),
        (Status.TERLAMBAT, h + t),
        (Status.IZIN, h + t + i),
        (Status.SAKIT, h + t + i + s),
    ):
        if roll < limit:
            return status
    return Status.TANPA_KETERANGAN


@demo_step("attendance.marks")
def attendance_marks(ctx: DemoContext) -> None:
    rng = ctx.rng("attendance.marks")
    now = timezone.now()
    marked = Attendance.objects.values("gathering_id")
    gatherings = list(
        Gathering.objects.filter(office__government=ctx.government, end__lt=now)
        .exclude(status=Gathering.Status.CANCELLED)
        .exclude(pk__in=marked)
        .order_by("start", "pk")
    )
    people = [
        Person(pk=pk, office_id=office_id, track=_track(track), profile="", device="")
        for pk, office_id, track in Employee.objects.filter(
            government=ctx.government, is_active=True, office__is_active=True
        )
        .order_by("nip")
        .values_list("pk", "office_id", "track")
    ]
    names = [name for name, _weight in PROFILE_WEIGHTS]
    weights = [weight for _name, weight in PROFILE_WEIGHTS]
    for person in people:
        person.profile = rng.choices(names, weights)[0]
        person.device = f"demo-{rng.getrandbits(64):016x}"
    if gatherings and people:
        _marks(ctx, rng, gatherings, people, now)
    _pending_leave(ctx, rng, people)
    government_marks = Attendance.objects.filter(gathering__office__government=ctx.government)
    ctx.summary.counts[gettext_noop("Catatan kehadiran")] = government_marks.count()
    ctx.summary.counts[gettext_noop("Tindak lanjut kehadiran terbuka")] = FollowUp.objects.filter(
        employee__government=ctx.government, closed=False
    ).count()


def _marks(
    ctx: DemoContext, rng: random.Random, gatherings: list[Gathering], people: list[Person], now: dt.datetime
) -> None:
    expected: dict[tuple[int, str], list[Person]] = defaultdict(list)
    for person in people:
        expected[(person.office_id, person.track)].append(person)
    grace = dict(
        GatheringRules.objects.filter(gathering__in=gatherings).values_list("gathering_id", "grace_minutes")
    )

    # The latest gatherings of each office and track, newest first: the "struggling" are absent at these.
    order: dict[tuple[int, str], list[int]] = defaultdict(list)
    for gathering in gatherings:
        order[(gathering.office_id, gathering.track)].append(gathering.pk)
    streak_length = {person.pk: rng.randint(3, 5) for person in people if person.profile == "struggling"}
    latest = {key: set(pks[-5:]) for key, pks in order.items()}
    position = {pk: len(pks) - i for pks in order.values() for i, pk in enumerate(pks)}  # 1 = newest

    leave = _approved_leave(ctx, rng, gatherings, people)
    pairs = _shared_phones(ctx, rng, expected)

    marks: list[Attendance] = []
    for gathering in gatherings:
        key = (gathering.office_id, gathering.track)
        day = gathering.date
        minutes_grace = grace.get(gathering.pk, 10)
        by_person: dict[int, Attendance] = {}
        for person in expected.get(key, []):
            kind = leave.get((person.pk, day))
            struggling = (
                person.profile == "struggling"
                and gathering.pk in latest[key]
                and position[gathering.pk] <= streak_length[person.pk]
            )
            status: str
            source: str
            if kind:
                status, source = kind, Attendance.Source.LEAVE
            elif struggling:
                status, source = Status.TANPA_KETERANGAN, Attendance.Source.CLOSE
            else:
                status = _draw(rng, person.profile)
                source = SOURCE_OF.get(status, Attendance.Source.ROLL_CALL)
            mark = Attendance(
                gathering=gathering,
                employee_id=person.pk,
                status=status,
                source=source,
                marked_at=gathering.end,
                updated_at=gathering.end,
            )
            if source == Attendance.Source.QR:
                if status == Status.HADIR:
                    offset = rng.uniform(-12, minutes_grace)
                else:
                    offset = rng.uniform(minutes_grace + 0.5, 30)
                mark.marked_at = mark.updated_at = gathering.start + dt.timedelta(minutes=offset)
                mark.device = person.device
                mark.ip = f"10.20.{person.office_id % 250}.{rng.randint(2, 250)}"
                if rng.random() < 0.01:
                    mark.flags = ["stale_code"]
            by_person[person.pk] = mark
            marks.append(mark)
        for first, second in pairs.get(key, []):
            a, b = by_person.get(first.pk), by_person.get(second.pk)
            if a and b and a.source == b.source == Attendance.Source.QR and rng.random() < 0.3:
                b.device = a.device
                b.marked_at = b.updated_at = a.marked_at + dt.timedelta(seconds=rng.randint(20, 90))
                b.flags = [*b.flags, "shared_device"]
    Attendance.objects.bulk_create(marks, batch_size=2000)
    Gathering.objects.filter(pk__in=[g.pk for g in gatherings], status=Gathering.Status.SCHEDULED).update(
        status=Gathering.Status.HELD
    )
    ctx.created += len(marks)
    _corrections(ctx, rng, marks, people)
    _follow_ups(ctx, gatherings, now)
    ctx.say(f"Kehadiran: {len(marks)} catatan untuk {len(gatherings)} perjumpaan.")


def _approved_leave(
    ctx: DemoContext, rng: random.Random, gatherings: list[Gathering], people: list[Person]
) -> dict[tuple[int, dt.date], str]:
    """Approved leave of a few people over the gatherings' days; returns (employee, day) -> kind."""
    days = sorted({g.date for g in gatherings})
    coordinators = _coordinators(ctx)
    wanted: list[LeaveRequest] = []
    for person in people:
        if person.profile == "struggling" or rng.random() > 0.06:
            continue
        kind = rng.choice([LeaveRequest.Kind.CUTI, LeaveRequest.Kind.DINAS_LUAR, LeaveRequest.Kind.IZIN])
        first = rng.choice(days)
        length = {
            LeaveRequest.Kind.CUTI: rng.randint(2, 5),
            LeaveRequest.Kind.DINAS_LUAR: rng.randint(1, 3),
        }.get(kind, 1)
        wanted.append(
            LeaveRequest(
                employee_id=person.pk,
                kind=kind,
                start_date=first,
                end_date=first + dt.timedelta(days=length - 1),
                reason=rng.choice(LEAVE_REASONS[kind]),
                status=LeaveRequest.Status.APPROVED,
                created_at=timezone.now(),
                decided_by=coordinators.get(person.office_id),
                decided_at=timezone.now(),
            )
        )
    existing = set(
        LeaveRequest.objects.filter(employee_id__in=[w.employee_id for w in wanted]).values_list(
            "employee_id", "kind", "start_date"
        )
    )
    new = [w for w in wanted if (w.employee_id, w.kind, w.start_date) not in existing]
    for request in new:
        # Asked for a few days ahead, decided the next working day.
        asked = dt.datetime.combine(
            request.start_date - dt.timedelta(days=rng.randint(2, 7)),
            dt.time(8, 30),
            tzinfo=zone(ctx.government.time_zone),
        )
        request.created_at = asked
        request.decided_at = asked + dt.timedelta(hours=rng.randint(2, 26))
    LeaveRequest.objects.bulk_create(new)
    ctx.created += len(new)
    covered: dict[tuple[int, dt.date], str] = {}
    for pk, leave_kind, start, end in LeaveRequest.objects.filter(
        employee__government=ctx.government,
        status=LeaveRequest.Status.APPROVED,
        end_date__gte=days[0],
        start_date__lte=days[-1],
    ).values_list("employee_id", "kind", "start_date", "end_date"):
        day = start
        while day <= end:
            covered[(pk, day)] = leave_kind
            day += dt.timedelta(days=1)
    return covered


def _coordinators(ctx: DemoContext) -> dict[int, Any]:
    roles = Role.objects.filter(government=ctx.government, kind=Role.Kind.COORDINATOR, office__isnull=False)
    return {role.office_id: role.user for role in roles.select_related("user") if role.office_id is not None}


def _shared_phones(
    ctx: DemoContext, rng: random.Random, expected: dict[tuple[int, str], list[Person]]
) -> dict[tuple[int, str], list[tuple[Person, Person]]]:
    """Two pairs of DUKCAPIL colleagues who sometimes check in from one phone."""
    dukcapil = ctx.government.offices.filter(code="DUKCAPIL").values_list("pk", flat=True).first()
    pairs: dict[tuple[int, str], list[tuple[Person, Person]]] = {}
    for key, group in expected.items():
        if key[0] != dukcapil or len(group) < 4:
            continue
        steady = [p for p in group if p.profile == "steady"]
        if len(steady) >= 4:
            chosen = rng.sample(steady, 4)
            pairs[key] = [(chosen[0], chosen[1]), (chosen[2], chosen[3])]
    return pairs


def _corrections(ctx: DemoContext, rng: random.Random, marks: list[Attendance], people: list[Person]) -> None:
    """A few TK marks in DUKCAPIL corrected to sakit after closing, with the reason, as audited (never
    of the people whose absences open a follow-up)."""
    dukcapil = ctx.government.offices.filter(code="DUKCAPIL").first()
    if dukcapil is None:
        return
    coordinator = _coordinators(ctx).get(dukcapil.pk)
    struggling = {p.pk for p in people if p.profile == "struggling"}
    candidates = [
        m
        for m in marks
        if m.gathering.office_id == dukcapil.pk
        and m.status == Status.TANPA_KETERANGAN
        and m.employee_id not in struggling
        and m.pk is not None
    ]
    chosen = rng.sample(candidates, min(3, len(candidates)))
    entries = []
    for mark in chosen:
        mark.status = Status.SAKIT
        mark.source = Attendance.Source.ROLL_CALL
        mark.updated_at = mark.gathering.end + dt.timedelta(days=1, hours=1)
        mark.updated_by = coordinator
        entries.append(
            AuditEntry(
                at=mark.updated_at,
                actor=coordinator,
                office=dukcapil,
                action="attendance.change",
                object_type=Attendance._meta.label_lower,
                object_id=str(mark.pk),
                old={"status": Status.TANPA_KETERANGAN},
                new={"status": Status.SAKIT},
                reason=CORRECTION_REASON,
            )
        )
    Attendance.objects.bulk_update(chosen, ["status", "source", "updated_at", "updated_by"])
    AuditEntry.objects.bulk_create(entries)


def _follow_ups(ctx: DemoContext, gatherings: list[Gathering], now: dt.datetime) -> None:
    """Open a follow-up for whoever's latest held gatherings in a row were all TK (the office's threshold,
    3 by default), as closing them one by one would have."""
    thresholds = dict(AttendancePolicy.objects.values_list("office_id", "absence_streak"))
    streaks: dict[int, tuple[int, int, dt.datetime]] = {}  # employee -> (office, streak, last end)
    statuses = (
        Attendance.objects.filter(
            gathering__office__government=ctx.government, gathering__status=Gathering.Status.HELD
        )
        .order_by("employee_id", "-gathering__start")
        .values_list("employee_id", "employee__office_id", "status", "gathering__end")
    )
    current, counting = None, False
    for employee_id, office_id, status, end in statuses.iterator(chunk_size=5000):
        if employee_id != current:
            current, counting = employee_id, True
            streaks[employee_id] = (office_id, 0, end)
        if not counting:
            continue
        if status == Status.TANPA_KETERANGAN:
            office, n, last = streaks[employee_id]
            streaks[employee_id] = (office, n + 1, last)
        else:
            counting = False
    already = set(FollowUp.objects.filter(closed=False).values_list("employee_id", flat=True))
    new = [
        FollowUp(employee_id=pk, streak=n, opened_at=min(last + dt.timedelta(hours=1), now))
        for pk, (office, n, last) in streaks.items()
        if n >= thresholds.get(office, 3) and pk not in already
    ]
    FollowUp.objects.bulk_create(new)
    ctx.created += len(new)


def _pending_leave(ctx: DemoContext, rng: random.Random, people: list[Person]) -> None:
    """A few requests waiting for the coordinator, for the coming week (only while none are waiting)."""
    if (
        not people
        or LeaveRequest.objects.filter(
            employee__government=ctx.government, status=LeaveRequest.Status.PENDING
        ).exists()
    ):
        return
    today = local_today(zone(ctx.government.time_zone))
    monday = today + dt.timedelta(days=7 - today.weekday())
    new = []
    for person in rng.sample(people, min(6, len(people))):
        kind, reason = rng.choice(PENDING_REASONS)
        start = monday + dt.timedelta(days=rng.randint(0, 3))
        new.append(
            LeaveRequest(
                employee_id=person.pk,
                kind=kind,
                start_date=start,
                end_date=start
                + dt.timedelta(days=rng.randint(0, 2) if kind == LeaveRequest.Kind.CUTI else 0),
                reason=reason,
            )
        )
    LeaveRequest.objects.bulk_create(new)
    ctx.created += len(new)
