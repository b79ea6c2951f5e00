"""Writes of tadarus and tadabbur: khatam plans, reading logs, ODOJ groups and reports, reading classes,
tadabbur notes. Each function is one transaction and checks who may do it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.audit import audit_record
from perjumpaan.core.scoping import access_for, can
from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.program.models import AgendaItem, Gathering
from perjumpaan.tadarus import odoj
from perjumpaan.tadarus.models import (
    GroupMember,
    JuzHandover,
    KhatamPlan,
    LevelEnrolment,
    LevelStep,
    Part,
    ReadingGroup,
    ReadingLog,
    ReadingReport,
    TadabburNote,
    Theme,
    Tier,
)
from perjumpaan.tadarus.quran import Ref
from perjumpaan.tadarus.rotation import MAX_MEMBERS
from perjumpaan.tadarus.selectors import last_read_date

# Collective tadarus
PLAN_NOT_ALLOWED = gettext_noop("Hanya koordinator perangkat daerah yang dapat mengatur rencana khatam.")
PLAN_REWRITES_HISTORY = gettext_noop(
    "Rencana baru harus berlaku setelah perjumpaan terakhir yang sudah membaca ({date}), agar bacaan yang "
    "sudah lewat tidak berubah."
)
LOG_NOT_ALLOWED = gettext_noop(
    "Catatan tadarus diisi oleh koordinator, fasilitator atau petugas tadarus perjumpaan ini."
)
LOG_NOT_STARTED = gettext_noop("Perjumpaan ini belum dimulai; catat tempat berhenti setelah tadarus.")
LOG_CANCELLED = gettext_noop("Perjumpaan ini dibatalkan; tidak ada tadarus yang dicatat.")
LOG_NO_TADARUS = gettext_noop("Acara perjumpaan ini tidak memuat tadarus.")
LOG_NO_PLAN = gettext_noop("Belum ada rencana khatam untuk jalur ini pada tanggal perjumpaan tersebut.")

# ODOJ
NOT_STAFF = gettext_noop("Hanya pegawai aktif yang dapat ikut grup ODOJ.")
GROUP_NAME_REQUIRED = gettext_noop("Tuliskan nama grup.")
GROUP_NAME_TAKEN = gettext_noop("Nama grup ini sudah dipakai di perangkat daerah Anda.")
NOT_GROUP_COORDINATOR = gettext_noop("Hanya koordinator grup yang dapat melakukan ini.")
NOT_GROUP_MEMBER = gettext_noop("Anda bukan anggota grup ini.")
GROUP_FULL = gettext_noop("Grup ini sudah 30 anggota.")
ALREADY_MEMBER = gettext_noop("{name} sudah menjadi anggota grup ini.")
MEMBER_WRONG_OFFICE = gettext_noop("Anggota grup harus pegawai aktif perangkat daerah yang sama.")
REPORT_DAY = gettext_noop("Laporan hanya untuk hari ini atau kemarin.")
NOT_YOUR_PIECE = gettext_noop("Bagian juz ini bukan bagian Anda pada tanggal tersebut.")
NO_SUCH_PIECE = gettext_noop("Bagian juz ini tidak ada pada tanggal tersebut.")
PIECE_ALREADY_READ = gettext_noop("Bagian juz ini sudah selesai dibaca.")
VOLUNTEER_NOT_MEMBER = gettext_noop("Relawan harus anggota grup pada tanggal tersebut.")
VOLUNTEER_IS_ASSIGNEE = gettext_noop("Pilih anggota lain: bagian ini memang bagian anggota tersebut.")
BAD_PAGES = gettext_noop("Target beberapa halaman: 1 sampai 10 halaman.")

# Reading classes
LEVEL_NOT_ALLOWED = gettext_noop("Hanya koordinator perangkat daerah yang dapat mendaftarkan peserta kelas.")
LEVEL_WRONG_OFFICE = gettext_noop("Peserta dan guru harus pegawai aktif perangkat daerah ini.")
LEVEL_SAME_PERSON = gettext_noop("Guru mengaji harus orang lain.")
NOT_THE_TEACHER = gettext_noop("Hanya guru peserta ini yang dapat mencatat kenaikan tingkat.")
LEVEL_TOP = gettext_noop("Peserta ini sudah di tingkat tertinggi (tadarus).")

# Tadabbur
NOTE_NOT_ALLOWED = gettext_noop(
    "Catatan tadabbur ditulis oleh pemberi kultum, petugas tadabbur, fasilitator atau koordinator "
    "perjumpaan ini."
)
NOTE_CANCELLED = gettext_noop("Perjumpaan ini dibatalkan.")
NOTE_TEXT_REQUIRED = gettext_noop("Tuliskan judul dan renungan.")
TOO_MANY_THEMES = gettext_noop("Paling banyak 5 tema.")


def _today_of(office: Office) -> dt.date:
    return local_today(zone(office.government.time_zone))


def _employee_of(actor: Any) -> Employee | None:
    employee_id = access_for(actor).employee_id
    if employee_id is None:
        return None
    return Employee.objects.select_related("office__government").get(pk=employee_id)


# --- Collective tadarus ------------------------------------------------------------------------------


@transaction.atomic
def khatam_plan_set(
    *,
    actor: Any,
    office: Office,
    valid_from: dt.date,
    unit: str,
    amount: int,
    per: int = 1,
    start: Ref | None = None,
    track: str = Employee.Track.ISLAM,
) -> KhatamPlan:
    """Set how much the office's gatherings read, from `valid_from` on (a new version of the plan, or a
    correction of the version starting that day). Versions never rewrite gatherings already read."""
    if not can(actor, office, "manage"):
        raise ValidationError(_(PLAN_NOT_ALLOWED))
    last_read = last_read_date(office=office, track=track)
    if last_read is not None and valid_from <= last_read:
        raise ValidationError(_(PLAN_REWRITES_HISTORY).format(date=last_read.strftime("%d-%m-%Y")))
    plan = KhatamPlan.objects.filter(office=office, track=track, valid_from=valid_from).first()
    old = None
    if plan is None:
        plan = KhatamPlan(office=office, track=track, valid_from=valid_from, created_by=_user(actor))
    else:
        old = _plan_fields(plan)
    plan.unit, plan.amount, plan.per = unit, amount, per
    plan.start_surah, plan.start_ayah = (start.surah, start.ayah) if start else (None, None)
    plan.full_clean()
    plan.save()
    if old is not None and old != _plan_fields(plan):
        audit_record(
            actor=actor,
            office=office,
            action="tadarus.plan_change",
            obj=plan,
            old=old,
            new=_plan_fields(plan),
        )
    return plan


def _plan_fields(plan: KhatamPlan) -> dict[str, Any]:
    return {
        "unit": plan.unit,
        "amount": plan.amount,
        "per": plan.per,
        "start": str(plan.start) if plan.start else None,
    }


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def may_record_reading(actor: Any, gathering: Gathering) -> bool:
    """Coordinators (and admins) of the office, its facilitators, and the gathering's tadarus reader."""
    access = access_for(actor)
    if can(actor, gathering.office, "manage") or gathering.office_id in access.facilitator_offices:
        return True
    return access.employee_id is not None and any(
        item.kind == AgendaItem.Kind.TADARUS and item.employee_id == access.employee_id
        for item in gathering.agenda.all()
    )


@transaction.atomic
def reading_log_record(*, actor: Any, gathering: Gathering, stop: Ref | None, note: str = "") -> ReadingLog:
    """Record where the gathering's tadarus stopped (`stop` None: nothing was read). A correction of an
    earlier record is audited."""
    if not may_record_reading(actor, gathering):
        raise ValidationError(_(LOG_NOT_ALLOWED))
    if gathering.status == Gathering.Status.CANCELLED:
        raise ValidationError(_(LOG_CANCELLED))
    if gathering.start > timezone.now():
        raise ValidationError(_(LOG_NOT_STARTED))
    if not any(item.kind == AgendaItem.Kind.TADARUS for item in gathering.agenda.all()):
        raise ValidationError(_(LOG_NO_TADARUS))
    if not KhatamPlan.objects.filter(
        office_id=gathering.office_id, track=gathering.track, valid_from__lte=gathering.date
    ).exists():
        raise ValidationError(_(LOG_NO_PLAN))
    log = ReadingLog.objects.filter(gathering=gathering).first()
    old = None
    if log is None:
        log = ReadingLog(gathering=gathering)
    else:
        old = {"stop": str(log.stop) if log.stop else None, "note": log.note}
    log.stopped_surah, log.stopped_ayah = (stop.surah, stop.ayah) if stop else (None, None)
    log.note = note.strip()[:300]
    log.recorded_by = _user(actor)
    log.recorded_at = timezone.now()
    log.full_clean()
    log.save()
    new = {"stop": str(stop) if stop else None, "note": log.note}
    if old is not None and old != new:
        audit_record(
            actor=actor, office=gathering.office, action="tadarus.log_change", obj=log, old=old, new=new
        )
    return log


# --- ODOJ groups -------------------------------------------------------------------------------------


def _coordinator_of(actor: Any, group: ReadingGroup) -> Employee:
    employee = _employee_of(actor)
    if employee is None or employee.pk != group.coordinator_id:
        raise ValidationError(_(NOT_GROUP_COORDINATOR))
    return employee


def _free_place(group: ReadingGroup) -> int:
    taken = set(
        GroupMember.objects.filter(group=group, left_on__isnull=True).values_list("join_order", flat=True)
    )
    free = next((place for place in range(1, MAX_MEMBERS + 1) if place not in taken), None)
    if free is None:
        raise ValidationError(_(GROUP_FULL))
    return free


@transaction.atomic
def reading_group_create(*, actor: Any, name: str, show_members_progress: bool = False) -> ReadingGroup:
    """Start an ODOJ group in the actor's office; the actor coordinates it and is its first member,
    from today."""
    employee = _employee_of(actor)
    if employee is None:
        raise ValidationError(_(NOT_STAFF))
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError(_(GROUP_NAME_REQUIRED))
    if ReadingGroup.objects.filter(office=employee.office, name__iexact=name).exists():
        raise ValidationError(_(GROUP_NAME_TAKEN))
    today = _today_of(employee.office)
    group = ReadingGroup(
        office=employee.office,
        name=name,
        coordinator=employee,
        started_on=today,
        show_members_progress=show_members_progress,
    )
    group.full_clean()
    group.save()
    member = GroupMember(group=group, employee=employee, join_order=1, joined_on=today)
    member.full_clean()
    member.save()
    return group


@transaction.atomic
def group_member_add(
    *, actor: Any, group: ReadingGroup, employee: Employee, tier: str = Tier.FULL, pages: int = 4
) -> GroupMember:
    """Add a colleague to the group, from tomorrow (today's assignments stay as they were given)."""
    _coordinator_of(actor, group)
    if employee.office_id != group.office_id or not employee.is_active:
        raise ValidationError(_(MEMBER_WRONG_OFFICE))
    ReadingGroup.objects.select_for_update().filter(pk=group.pk).first()
    if GroupMember.objects.filter(group=group, employee=employee, left_on__isnull=True).exists():
        raise ValidationError(_(ALREADY_MEMBER).format(name=employee.name))
    tomorrow = _today_of(group.office) + dt.timedelta(days=1)
    member = GroupMember(
        group=group,
        employee=employee,
        join_order=_free_place(group),
        tier=tier,
        pages=pages,
        joined_on=max(tomorrow, group.started_on),
    )
    member.full_clean()
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # two coordinators' tabs adding at once: the place was just taken
        raise ValidationError(_(GROUP_FULL)) from None
    return member


@transaction.atomic
def group_member_leave(*, actor: Any, member: GroupMember) -> GroupMember:
    """The member leaves the group from tomorrow (they themselves, or the coordinator, may do this)."""
    employee = _employee_of(actor)
    group = member.group
    if employee is None or employee.pk not in (member.employee_id, group.coordinator_id):
        raise ValidationError(_(NOT_GROUP_COORDINATOR))
    if member.left_on is not None:
        return member
    tomorrow = _today_of(group.office) + dt.timedelta(days=1)
    member.left_on = max(tomorrow, member.joined_on)
    member.full_clean()
    member.save(update_fields=["left_on"])
    return member


@transaction.atomic
def group_member_tier_set(*, actor: Any, member: GroupMember, tier: str, pages: int = 4) -> GroupMember:
    """A member sets how much of their juz they commit to (the coordinator may set it for them)."""
    employee = _employee_of(actor)
    if employee is None or employee.pk not in (member.employee_id, member.group.coordinator_id):
        raise ValidationError(_(NOT_GROUP_MEMBER))
    if not 1 <= pages <= 10:
        raise ValidationError(_(BAD_PAGES))
    member.tier, member.pages = tier, pages
    member.full_clean()
    member.save(update_fields=["tier", "pages"])
    return member


@transaction.atomic
def group_settings_set(*, actor: Any, group: ReadingGroup, show_members_progress: bool) -> ReadingGroup:
    _coordinator_of(actor, group)
    group.show_members_progress = show_members_progress
    group.full_clean()
    group.save(update_fields=["show_members_progress"])
    return group


def _report_day(group: ReadingGroup, date: dt.date) -> None:
    today = _today_of(group.office)
    if date not in (today, today - dt.timedelta(days=1)) or date < group.started_on:
        raise ValidationError(_(REPORT_DAY))


def _piece(group: ReadingGroup, date: dt.date, juz: int, part: str) -> odoj.Piece:
    day = odoj.ledger(group, date, since=date).day(date)
    piece = next((p for p in day.pieces if (p.juz, p.part) == (juz, part)), None) if day else None
    if piece is None:
        raise ValidationError(_(NO_SUCH_PIECE))
    return piece


@transaction.atomic
def reading_report(
    *, actor: Any, group: ReadingGroup, date: dt.date, juz: int, part: str, done: bool
) -> ReadingReport:
    """A member reports a piece they hold on `date` (today or yesterday) as read, or not read."""
    employee = _employee_of(actor)
    memberships = (
        {m.pk: m for m in GroupMember.objects.filter(group=group, employee=employee)} if employee else {}
    )
    if not memberships:
        raise ValidationError(_(NOT_GROUP_MEMBER))
    _report_day(group, date)
    piece = _piece(group, date, juz, part)
    if piece.holder_id in memberships:
        member = memberships[piece.holder_id]
    elif piece.assignee_id in memberships and part != Part.TAIL:
        member = memberships[piece.assignee_id]
    else:
        raise ValidationError(_(NOT_YOUR_PIECE))
    report, _created = ReadingReport.objects.update_or_create(
        member=member,
        date=date,
        juz=juz,
        part=part,
        defaults={"done": done, "reported_at": timezone.now()},
    )
    return report


@transaction.atomic
def juz_handover(
    *, actor: Any, group: ReadingGroup, date: dt.date, juz: int, part: str, volunteer: GroupMember
) -> JuzHandover:
    """The group coordinator gives a piece nobody has read yet to a volunteer member (lelang)."""
    _coordinator_of(actor, group)
    _report_day(group, date)
    piece = _piece(group, date, juz, part)
    if piece.done:
        raise ValidationError(_(PIECE_ALREADY_READ))
    day = odoj.ledger(group, date, since=date).day(date)
    if volunteer.group_id != group.pk or day is None or volunteer.pk not in {a.key for a in day.assignments}:
        raise ValidationError(_(VOLUNTEER_NOT_MEMBER))
    if volunteer.pk == piece.assignee_id and part != Part.TAIL:
        raise ValidationError(_(VOLUNTEER_IS_ASSIGNEE))
    handover, _created = JuzHandover.objects.update_or_create(
        group=group,
        date=date,
        juz=juz,
        part=part,
        defaults={"volunteer": volunteer, "given_by": _user(actor), "created_at": timezone.now()},
    )
    return handover


# --- Reading classes ---------------------------------------------------------------------------------


@transaction.atomic
def level_enrol(
    *, actor: Any, office: Office, employee: Employee, teacher: Employee, level: str
) -> LevelEnrolment:
    """Enrol a staff member in a reading class at `level` with `teacher` (or change their teacher or
    level: audited)."""
    if not can(actor, office, "manage"):
        raise ValidationError(_(LEVEL_NOT_ALLOWED))
    for person in (employee, teacher):
        if person.office_id != office.pk or not person.is_active:
            raise ValidationError(_(LEVEL_WRONG_OFFICE))
    if employee.pk == teacher.pk:
        raise ValidationError(_(LEVEL_SAME_PERSON))
    today = _today_of(office)
    enrolment = LevelEnrolment.objects.filter(employee=employee).first()
    old = None
    if enrolment is None:
        enrolment = LevelEnrolment(employee=employee, enrolled_on=today)
    else:
        old = {"teacher": enrolment.teacher_id, "level": enrolment.level}
    previous_level = enrolment.level if old else ""
    enrolment.teacher, enrolment.level = teacher, level
    enrolment.full_clean()
    enrolment.save()
    new = {"teacher": teacher.pk, "level": level}
    if old != new:
        if old is None or old["level"] != level:
            LevelStep.objects.create(
                enrolment=enrolment,
                from_level=previous_level,
                to_level=level,
                date=today,
                teacher=teacher,
                recorded_by=_user(actor),
            )
        audit_record(
            actor=actor,
            office=office,
            action="tadarus.level_enrol" if old is None else "tadarus.level_set",
            obj=enrolment,
            old=old,
            new=new,
        )
    return enrolment


@transaction.atomic
def level_up(*, actor: Any, enrolment: LevelEnrolment, note: str = "") -> LevelEnrolment:
    """The teacher records that the learner moved up one level (kept in the history, audited)."""
    employee = _employee_of(actor)
    if employee is None or employee.pk != enrolment.teacher_id:
        raise ValidationError(_(NOT_THE_TEACHER))
    following = enrolment.next_level
    if following is None:
        raise ValidationError(_(LEVEL_TOP))
    office = enrolment.employee.office
    old = enrolment.level
    enrolment.level = following
    enrolment.full_clean()
    enrolment.save(update_fields=["level"])
    LevelStep.objects.create(
        enrolment=enrolment,
        from_level=old,
        to_level=following,
        date=_today_of(office),
        teacher=employee,
        recorded_by=_user(actor),
        note=note.strip()[:300],
    )
    audit_record(
        actor=actor,
        office=office,
        action="tadarus.level_up",
        obj=enrolment,
        old={"level": old},
        new={"level": following},
        reason=note.strip(),
    )
    return enrolment


# --- Tadabbur ----------------------------------------------------------------------------------------


def may_write_note(actor: Any, gathering: Gathering) -> bool:
    """The gathering's kultum giver or tadabbur holder, the office's facilitators and coordinators."""
    access = access_for(actor)
    if can(actor, gathering.office, "manage") or gathering.office_id in access.facilitator_offices:
        return True
    return access.employee_id is not None and any(
        item.kind in (AgendaItem.Kind.KULTUM, AgendaItem.Kind.TADABBUR)
        and item.employee_id == access.employee_id
        for item in gathering.agenda.all()
    )


def _themes(office: Office, names: list[str]) -> list[Theme]:
    themes: dict[str, Theme] = {}
    for name in names:
        name = " ".join(name.split())[:60]
        slug = slugify(name)[:60]
        if not slug or slug in themes:
            continue
        theme, _created = Theme.objects.get_or_create(
            government=office.government, slug=slug, defaults={"name": name.lower()}
        )
        themes[slug] = theme
    if len(themes) > 5:
        raise ValidationError(_(TOO_MANY_THEMES))
    return list(themes.values())


@transaction.atomic
def tadabbur_note_add(
    *,
    actor: Any,
    gathering: Gathering,
    surah: int,
    ayah: int,
    ayah_end: int | None,
    title: str,
    reflection: str,
    themes: list[str],
) -> TadabburNote:
    """Attach a reflection on an ayah (or ayahs `ayah`–`ayah_end` of one surah) to a gathering."""
    if not may_write_note(actor, gathering):
        raise ValidationError(_(NOTE_NOT_ALLOWED))
    if gathering.status == Gathering.Status.CANCELLED:
        raise ValidationError(_(NOTE_CANCELLED))
    if not title.strip() or not reflection.strip():
        raise ValidationError(_(NOTE_TEXT_REQUIRED))
    note = TadabburNote(
        gathering=gathering,
        author=_employee_of(actor),
        written_by=_user(actor),
        surah=surah,
        ayah=ayah,
        ayah_end=ayah_end or ayah,
        title=" ".join(title.split())[:150],
        reflection=reflection.strip(),
    )
    note.full_clean()
    note.save()
    note.themes.set(_themes(gathering.office, themes))
    return note
