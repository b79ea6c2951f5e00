"""Writes of the programme calendar: enrolment, schedule generation, ad-hoc gatherings, the roster."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.attendance.services import rules_freeze
from perjumpaan.core.audit import audit_record
from perjumpaan.core.timeutil import format_date, format_time, zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.program.calendar import Calendar, DayInfo
from perjumpaan.program.models import (
    AgendaItem,
    Enrollment,
    Gathering,
    GatheringTemplate,
    Lesson,
    RolloutWave,
    RosterBlock,
    RosterPreference,
    Speaker,
    SwapRequest,
    TemplateAgendaItem,
)
from perjumpaan.program.roster import roster_pick
from perjumpaan.program.selectors import enrolled_since

RANGE_BACKWARDS = gettext_noop("Tanggal akhir ({end}) sebelum tanggal awal ({start}).")
RANGE_TOO_LONG = gettext_noop("Rentang jadwal paling panjang 366 hari.")
NOT_ENROLLED = gettext_noop("{office} belum terdaftar dalam program (belum ada tanggal ikut).")
NO_COORDINATES = gettext_noop(
    "Templat {template} memakai waktu salat, tetapi koordinat kantor dan pemda belum diisi."
)
ADHOC_MINUTES = gettext_noop("Durasi harus antara 5 dan 240 menit.")

Variant = GatheringTemplate.Variant


@dataclass(frozen=True)
class PlannedGathering:
    """What the templates say a day's gathering should be."""

    date: dt.date
    track: str
    template: GatheringTemplate
    start: dt.datetime
    end: dt.datetime
    place: str


@dataclass
class ScheduleResult:
    created: list[Gathering] = field(default_factory=list)
    updated: list[Gathering] = field(default_factory=list)
    cancelled: list[Gathering] = field(default_factory=list)
    unchanged: int = 0
    skipped_days: list[DayInfo] = field(default_factory=list)
    planned: list[PlannedGathering] = field(default_factory=list)


# --- Enrolment ------------------------------------------------------------------------------------


@transaction.atomic
def enrollment_set(
    *,
    actor: Any,
    office: Office,
    enrolled_on: dt.date | None,
    wave: RolloutWave | None = None,
    note: str = "",
) -> Enrollment:
    """Record the office's (new or corrected) enrolment date; earlier rows are kept as history."""
    enrollment = Enrollment(
        office=office,
        wave=wave,
        enrolled_on=enrolled_on,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    enrollment.full_clean()
    enrollment.save()
    return enrollment


# --- Templates and planning -----------------------------------------------------------------------


def _variant_preference(day: DayInfo) -> list[str]:
    friday = day.date.weekday() == 4
    if day.is_ramadan and friday:
        return [Variant.RAMADAN_FRIDAY, Variant.RAMADAN, Variant.FRIDAY, Variant.REGULAR]
    if day.is_ramadan:
        return [Variant.RAMADAN, Variant.REGULAR]
    if friday:
        return [Variant.FRIDAY, Variant.REGULAR]
    return [Variant.REGULAR]


def template_for(templates: list[GatheringTemplate], day: DayInfo) -> GatheringTemplate | None:
    """The template that applies on `day` among one track's templates: the most specific variant that has
    a version valid on that date and meeting on that weekday; of its versions, the newest."""
    weekday = day.date.weekday()
    for variant in _variant_preference(day):
        versions = [
            t
            for t in templates
            if t.variant == variant and t.valid_from <= day.date and weekday in t.weekday_numbers
        ]
        if versions:
            return max(versions, key=lambda t: (t.valid_from, t.pk))
    return None


def _start_of(template: GatheringTemplate, day: dt.date, office: Office) -> dt.datetime:
    tz = zone(office.government.time_zone)
    if template.start_mode == GatheringTemplate.StartMode.FIXED:
        assert template.start_time is not None  # guaranteed by the template_start_defined constraint
        return dt.datetime.combine(day, template.start_time, tzinfo=tz)
    from perjumpaan.program.prayer import prayer_times

    latitude = office.latitude if office.latitude is not None else office.government.latitude
    longitude = office.longitude if office.longitude is not None else office.government.longitude
    if latitude is None or longitude is None:
        raise ValidationError(_(NO_COORDINATES).format(template=template))
    times = prayer_times(date=day, latitude=float(latitude), longitude=float(longitude), tz=str(tz))
    prayer_time: dt.datetime = getattr(times, template.prayer)
    # Whole minutes: a gathering announced for 12.17 is easier to keep than one at 12.16.43.
    start = prayer_time.replace(second=0, microsecond=0) + dt.timedelta(minutes=template.offset_minutes)
    return start.astimezone(tz)


def schedule_plan(
    *, office: Office, start: dt.date, end: dt.date
) -> tuple[list[PlannedGathering], list[DayInfo]]:
    """The gatherings the templates ask for between `start` and `end`, and the days skipped (with why)."""
    if end < start:
        raise ValidationError(_(RANGE_BACKWARDS).format(start=start, end=end))
    if (end - start).days > 366:
        raise ValidationError(_(RANGE_TOO_LONG))
    since = enrolled_since(office=office)
    if since is None:
        raise ValidationError(_(NOT_ENROLLED).format(office=office.code))
    templates_by_track: dict[str, list[GatheringTemplate]] = defaultdict(list)
    for template in GatheringTemplate.objects.filter(office=office, is_active=True).prefetch_related(
        "agenda"
    ):
        templates_by_track[template.track].append(template)

    planned: list[PlannedGathering] = []
    skipped: list[DayInfo] = []
    for day in Calendar(office.government, start, end, office=office).days():
        if day.date < since:
            skipped.append(DayInfo(day.date, False, _("Sebelum tanggal ikut program"), day.is_ramadan))
            continue
        if not day.is_working_day:
            skipped.append(day)
            continue
        for track, templates in sorted(templates_by_track.items()):
            chosen = template_for(templates, day)
            if chosen is None:
                continue
            begin = _start_of(chosen, day.date, office)
            planned.append(
                PlannedGathering(
                    date=day.date,
                    track=track,
                    template=chosen,
                    start=begin,
                    end=begin + dt.timedelta(minutes=chosen.duration_minutes),
                    place=chosen.place,
                )
            )
    return planned, skipped


def _untouched(gathering: Gathering, now: dt.datetime) -> bool:
    """A gathering the scheduler may still change: in the future, scheduled, nobody checked in."""
    if gathering.status != Gathering.Status.SCHEDULED or gathering.start <= now:
        return False
    marks = getattr(gathering, "marks", None)
    return marks is None or not marks.exists()


def _agenda_from(template: GatheringTemplate, gathering: Gathering) -> list[AgendaItem]:
    return [
        AgendaItem(gathering=gathering, order=item.order, kind=item.kind, minutes=item.minutes)
        for item in template.agenda.all()
    ]


@transaction.atomic
def gathering_schedule(
    *, office: Office, start: dt.date, end: dt.date, dry_run: bool = False, actor: Any = None
) -> ScheduleResult:
    """Create the gatherings the templates ask for between `start` and `end` (working days from the
    office's enrolment date on). Running it again changes nothing; after a template change it changes
    only future gatherings nobody has attended; a gathering whose day became a closure is cancelled."""
    planned, skipped = schedule_plan(office=office, start=start, end=end)
    result = ScheduleResult(planned=planned, skipped_days=skipped)
    if dry_run:
        return result

    now = timezone.now()
    existing = {
        (g.date, g.track): g
        for g in Gathering.objects.filter(
            office=office, kind=Gathering.Kind.REGULAR, date__range=(start, end)
        )
    }
    wanted = {(p.date, p.track) for p in planned}
    for plan in planned:
        gathering = existing.get((plan.date, plan.track))
        if gathering is None:
            gathering = Gathering(
                office=office,
                track=plan.track,
                template=plan.template,
                kind=Gathering.Kind.REGULAR,
                date=plan.date,
                start=plan.start,
                end=plan.end,
                place=plan.place,
            )
            gathering.full_clean()
            gathering.save()
            AgendaItem.objects.bulk_create(_agenda_from(plan.template, gathering))
            rules_freeze(gathering=gathering)
            result.created.append(gathering)
            continue
        same = (gathering.template_id, gathering.start, gathering.end, gathering.place) == (
            plan.template.pk,
            plan.start,
            plan.end,
            plan.place,
        )
        if same or not _untouched(gathering, now):
            result.unchanged += 1
            continue
        template_changed = gathering.template_id != plan.template.pk
        gathering.template, gathering.start, gathering.end, gathering.place = (
            plan.template,
            plan.start,
            plan.end,
            plan.place,
        )
        gathering.full_clean()
        gathering.save()
        if template_changed:
            _rebuild_agenda(gathering, plan.template)
        result.updated.append(gathering)

    for key, gathering in existing.items():
        if key not in wanted and _untouched(gathering, now):
            day = next((d for d in skipped if d.date == gathering.date), None)
            gathering_cancel(
                actor=actor, gathering=gathering, reason=day.reason if day else _("Tidak lagi dijadwalkan")
            )
            result.cancelled.append(gathering)

    for track in {p.track for p in planned}:
        roster_fill(office=office, track=track)
        curriculum_reflow(office=office, track=track)
    return result


def _rebuild_agenda(gathering: Gathering, template: GatheringTemplate) -> None:
    """Give a future gathering the new template's agenda. An unchanged agenda (a new time or place only)
    is kept as it is, with everyone assigned to it; otherwise the kultum giver keeps the turn and an
    invited speaker keeps the tausiah (added at the end when the new agenda has none)."""
    old = list(gathering.agenda.order_by("order"))
    items = _agenda_from(template, gathering)
    if [(i.kind, i.minutes) for i in old] == [(i.kind, i.minutes) for i in items]:
        return
    kultum_giver = next((i.employee_id for i in old if i.kind == AgendaItem.Kind.KULTUM), None)
    invited = next((i for i in old if i.speaker_id is not None), None)
    gathering.agenda.all().delete()
    for item in items:
        if item.kind == AgendaItem.Kind.KULTUM:
            item.employee_id = kultum_giver
    if invited is not None:
        tausiah = next((i for i in items if i.kind == AgendaItem.Kind.TAUSIAH), None)
        if tausiah is None:
            tausiah = AgendaItem(
                gathering=gathering,
                order=len(items) + 1,
                kind=AgendaItem.Kind.TAUSIAH,
                minutes=invited.minutes,
            )
            items.append(tausiah)
        tausiah.speaker_id = invited.speaker_id
    AgendaItem.objects.bulk_create(items)


@transaction.atomic
def gathering_add(
    *,
    office: Office,
    start: dt.datetime,
    minutes: int,
    track: str = Employee.Track.ISLAM,
    place: str = "",
    title: str = "",
    agenda: list[tuple[str, int]] | None = None,
) -> Gathering:
    """An ad-hoc gathering (a special tausiah, a make-up session) outside the templates."""
    if not 5 <= minutes <= 240:
        raise ValidationError(_(ADHOC_MINUTES))
    gathering = Gathering(
        office=office,
        track=track,
        kind=Gathering.Kind.ADHOC,
        date=start.astimezone(zone(office.government.time_zone)).date(),
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        place=place or office.name,
        title=title,
    )
    gathering.full_clean()
    gathering.save()
    rules_freeze(gathering=gathering)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(gathering=gathering, order=i, kind=kind, minutes=m)
            for i, (kind, m) in enumerate(agenda or [], 1)
        ]
    )
    return gathering


@transaction.atomic
def gathering_cancel(*, actor: Any, gathering: Gathering, reason: str) -> Gathering:
    """Cancel a gathering; its lesson moves on to the next gathering, its kultum giver keeps their place."""
    old = gathering.status
    gathering.status = Gathering.Status.CANCELLED
    gathering.cancel_reason = reason[:300]
    gathering.full_clean()
    gathering.save(update_fields=["status", "cancel_reason"])
    freed = gathering.agenda.exclude(employee=None, lesson=None)
    freed.update(employee=None, lesson=None)
    audit_record(
        actor=actor,
        office=gathering.office,
        action="gathering.cancel",
        obj=gathering,
        old={"status": old},
        new={"status": gathering.status},
        reason=reason,
    )
    curriculum_reflow(office=gathering.office, track=gathering.track)
    return gathering


# --- Roster and curriculum -------------------------------------------------------------------------


def _unavailable_on(employee_ids: list[int], day: dt.date) -> set[int]:
    blocked = set(
        RosterBlock.objects.filter(employee_id__in=employee_ids, date=day).values_list(
            "employee_id", flat=True
        )
    )
    from perjumpaan.attendance.selectors import employees_on_leave

    return blocked | employees_on_leave(employee_ids=employee_ids, day=day)


def roster_fill(*, office: Office, track: str) -> int:
    """Give every future kultum without a speaker to the next person in the fair rotation
    (see `program.roster`). Returns how many turns were assigned."""
    candidates = list(
        Employee.objects.filter(office=office, track=track, is_active=True)
        .exclude(roster_preference__opted_out=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not candidates:
        return 0
    turns: dict[int, int] = defaultdict(int)
    last_turn: dict[int, dt.date | None] = {}
    for employee_id, day_given in (
        AgendaItem.objects.filter(
            kind=AgendaItem.Kind.KULTUM,
            employee_id__in=candidates,
            gathering__office=office,
            gathering__track=track,
        )
        .exclude(gathering__status=Gathering.Status.CANCELLED)
        .values_list("employee_id", "gathering__date")
    ):
        turns[employee_id] += 1
        last_turn[employee_id] = max(last_turn.get(employee_id) or dt.date.min, day_given)
    open_items = (
        AgendaItem.objects.filter(
            kind=AgendaItem.Kind.KULTUM,
            employee=None,
            gathering__office=office,
            gathering__track=track,
            gathering__status=Gathering.Status.SCHEDULED,
            gathering__start__gt=timezone.now(),
        )
        .select_related("gathering")
        .order_by("gathering__start", "order")
    )
    assigned = 0
    for item in open_items:
        day = item.gathering.date
        chosen = roster_pick(
            candidates, turns=turns, last_turn=last_turn, unavailable=_unavailable_on(candidates, day)
        )
        if chosen is None:
            continue
        item.employee_id = chosen
        item.save(update_fields=["employee"])
        turns[chosen] += 1
        last_turn[chosen] = day
        assigned += 1
    return assigned


def curriculum_reflow(*, office: Office, track: str) -> None:
    """Place the curriculum's lessons, in order, into the *materi* items of future gatherings, starting
    after the last lesson given; a lesson missed on a cancelled day moves on to the next gathering."""
    lessons = list(
        Lesson.objects.filter(module__government=office.government)
        .order_by("module__order", "order")
        .values_list("pk", flat=True)
    )
    if not lessons:
        return
    now = timezone.now()
    materi = AgendaItem.objects.filter(
        kind=AgendaItem.Kind.MATERI, gathering__office=office, gathering__track=track
    ).exclude(gathering__status=Gathering.Status.CANCELLED)
    given = materi.filter(Q(gathering__start__lte=now) | ~Q(gathering__status=Gathering.Status.SCHEDULED))
    last = (
        given.exclude(lesson=None).order_by("-gathering__start").values_list("lesson_id", flat=True).first()
    )
    position = lessons.index(last) + 1 if last in lessons else 0
    for item in materi.filter(
        gathering__start__gt=now, gathering__status=Gathering.Status.SCHEDULED
    ).order_by("gathering__start", "order"):
        lesson = lessons[position] if position < len(lessons) else None
        if item.lesson_id != lesson:
            item.lesson_id = lesson
            item.save(update_fields=["lesson"])
        position += 1


AGENDA_REASON_REQUIRED = gettext_noop("Perubahan setelah perjumpaan berlangsung wajib disertai alasan.")
AGENDA_WRONG_OFFICE = gettext_noop("Petugas harus pegawai aktif perangkat daerah ini.")


@transaction.atomic
def agenda_assign(*, actor: Any, item: AgendaItem, employee: Employee | None, reason: str = "") -> AgendaItem:
    """Give an agenda item (a kultum, a reading) to someone else; audited, with a reason once it has begun."""
    gathering = item.gathering
    if employee is not None and (employee.office_id != gathering.office_id or not employee.is_active):
        raise ValidationError(_(AGENDA_WRONG_OFFICE))
    if gathering.start <= timezone.now() and not reason.strip():
        raise ValidationError(_(AGENDA_REASON_REQUIRED))
    old = item.employee_id
    if old == (employee.pk if employee else None):
        return item
    item.employee = employee
    item.full_clean()
    item.save(update_fields=["employee"])
    audit_record(
        actor=actor,
        office=gathering.office,
        action="agenda.assign",
        obj=item,
        old={"employee": old},
        new={"employee": employee.pk if employee else None},
        reason=reason.strip(),
    )
    return item


# --- Kultum turns: opting out, blocking dates, swapping, reminding ---------------------------------

SWAP_NOT_YOURS = gettext_noop("Giliran ini bukan milik Anda.")
SWAP_TOO_LATE = gettext_noop("Tukar giliran hanya bisa sampai {hours} jam sebelum perjumpaan.")
SWAP_BAD_COLLEAGUE = gettext_noop("Rekan pengganti harus pegawai aktif di kantor dan jalur yang sama.")
SWAP_BAD_TURN = gettext_noop("Giliran yang ditukar harus giliran kultum rekan tersebut yang belum lewat.")
SWAP_NOT_PENDING = gettext_noop("Permintaan ini sudah diputuskan.")
SWAP_NOT_ADDRESSED = gettext_noop("Permintaan ini tidak ditujukan kepada Anda.")
OPT_OUT_REASON = gettext_noop("Sebutkan alasan tidak ikut giliran kultum.")
BLOCK_IN_PAST = gettext_noop("Tanggal berhalangan tidak boleh di masa lalu.")


def swap_deadline_hours() -> int:
    from django.conf import settings

    return int(getattr(settings, "PERJUMPAAN_SWAP_DEADLINE_HOURS", 3))


def _future_turns(*, office: Office, track: str) -> Any:
    return AgendaItem.objects.filter(
        kind=AgendaItem.Kind.KULTUM,
        gathering__office=office,
        gathering__track=track,
        gathering__status=Gathering.Status.SCHEDULED,
        gathering__start__gt=timezone.now(),
    ).select_related("gathering")


@transaction.atomic
def roster_refresh(*, office: Office, track: str) -> int:
    """Take future turns away from people who can no longer give them and hand them on.

    Someone who left, changed track or opted out simply loses their future turns to the fair rotation.
    Someone away on one day (leave, a blocked-out date) keeps their place in the queue: the colleague who
    takes the day gives them their own next turn in exchange, when they are available then.
    Returns how many turns moved."""
    candidates = set(
        Employee.objects.filter(office=office, track=track, is_active=True)
        .exclude(roster_preference__opted_out=True)
        .values_list("pk", flat=True)
    )
    moved = 0
    for item in _future_turns(office=office, track=track).exclude(employee=None).order_by("gathering__start"):
        item.refresh_from_db(fields=["employee"])
        away = item.employee_id
        if away is None:
            continue
        if away in candidates and not _unavailable_on([away], item.gathering.date):
            continue
        item.employee_id = None
        item.save(update_fields=["employee"])
        moved += 1
        if away not in candidates:
            continue
        roster_fill(office=office, track=track)
        item.refresh_from_db(fields=["employee"])
        stand_in = item.employee_id
        if stand_in is None:
            continue
        later = (
            _future_turns(office=office, track=track)
            .filter(employee_id=stand_in, gathering__start__gt=item.gathering.start)
            .order_by("gathering__start")
        )
        for turn in later:
            if not _unavailable_on([away], turn.gathering.date):
                turn.employee_id = away
                turn.save(update_fields=["employee"])
                break
    roster_fill(office=office, track=track)
    return moved


@transaction.atomic
def roster_opt_out(*, employee: Employee, opted_out: bool, reason: str = "") -> RosterPreference:
    """Step out of (or back into) the kultum rotation; stepping out needs a reason."""
    if opted_out and not reason.strip():
        raise ValidationError(_(OPT_OUT_REASON))
    preference, _created = RosterPreference.objects.get_or_create(employee=employee)
    preference.opted_out = opted_out
    preference.opt_out_reason = reason.strip() if opted_out else ""
    preference.full_clean()
    preference.save()
    roster_refresh(office=employee.office, track=employee.track)
    return preference


@transaction.atomic
def roster_block(*, employee: Employee, day: dt.date, reason: str = "") -> RosterBlock:
    """Block out a date (travel, a family event); a turn already given on that day moves on."""
    tz = zone(employee.office.government.time_zone)
    if day < timezone.now().astimezone(tz).date():
        raise ValidationError(_(BLOCK_IN_PAST))
    block, _created = RosterBlock.objects.get_or_create(
        employee=employee, date=day, defaults={"reason": reason[:200]}
    )
    roster_refresh(office=employee.office, track=employee.track)
    return block


@transaction.atomic
def swap_request(
    *, employee: Employee, item: AgendaItem, colleague: Employee, swap_with: AgendaItem | None = None
) -> SwapRequest:
    """Ask a colleague to take over a kultum turn (or to swap it with one of theirs), until the deadline."""
    gathering = item.gathering
    if item.employee_id != employee.pk or item.kind != AgendaItem.Kind.KULTUM:
        raise ValidationError(_(SWAP_NOT_YOURS))
    hours = swap_deadline_hours()
    if timezone.now() > gathering.start - dt.timedelta(hours=hours):
        raise ValidationError(_(SWAP_TOO_LATE).format(hours=hours))
    if (
        colleague.pk == employee.pk
        or not colleague.is_active
        or colleague.office_id != gathering.office_id
        or colleague.track != gathering.track
    ):
        raise ValidationError(_(SWAP_BAD_COLLEAGUE))
    if swap_with is not None and (
        swap_with.employee_id != colleague.pk
        or swap_with.kind != AgendaItem.Kind.KULTUM
        or swap_with.gathering.start <= timezone.now()
        or swap_with.gathering.status != Gathering.Status.SCHEDULED
    ):
        raise ValidationError(_(SWAP_BAD_TURN))
    request = SwapRequest(item=item, requested_by=employee, colleague=colleague, swap_with=swap_with)
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def swap_decide(*, colleague: Employee, request: SwapRequest, accept: bool) -> SwapRequest:
    """The colleague accepts or declines; on acceptance the turns change hands, and the change is audited."""
    if request.colleague_id != colleague.pk:
        raise ValidationError(_(SWAP_NOT_ADDRESSED))
    if request.status != SwapRequest.Status.PENDING:
        raise ValidationError(_(SWAP_NOT_PENDING))
    request.status = SwapRequest.Status.ACCEPTED if accept else SwapRequest.Status.DECLINED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    if accept:
        item = request.item
        if item.employee_id != request.requested_by_id:
            raise ValidationError(_(SWAP_NOT_YOURS))
        item.employee = colleague
        item.save(update_fields=["employee"])
        if request.swap_with is not None:
            request.swap_with.employee = request.requested_by
            request.swap_with.save(update_fields=["employee"])
        audit_record(
            actor=colleague.user,
            office=item.gathering.office,
            action="roster.swap",
            obj=item,
            old={"employee": request.requested_by_id},
            new={"employee": colleague.pk},
            reason=_("Tukar giliran disetujui") if request.swap_with else _("Digantikan rekan"),
        )
    return request


def roster_remind(*, day: dt.date) -> list[AgendaItem]:
    """The kultum turns on `day` whose givers were not reminded yet; marks them reminded (so running it
    twice reminds nobody twice) and sends an email to those who have one."""
    from django.core.mail import send_mail

    items = list(
        AgendaItem.objects.filter(
            kind=AgendaItem.Kind.KULTUM,
            gathering__date=day,
            gathering__status=Gathering.Status.SCHEDULED,
            reminded_at=None,
        )
        .exclude(employee=None)
        .select_related("employee", "gathering__office__government")
    )
    for item in items:
        employee, gathering = item.employee, item.gathering
        assert employee is not None
        if employee.email:
            tz = zone(gathering.office.government.time_zone)
            send_mail(
                _("Pengingat: giliran kultum Anda besok"),
                _(
                    "Assalamu'alaikum {name},\n\nBesok, {date} pukul {time} di {place}, "
                    "Anda mendapat giliran kultum.\n"
                    "Bila berhalangan, mintalah rekan menggantikan lewat aplikasi Perjumpaan."
                ).format(
                    name=employee.name,
                    date=format_date(gathering.date),
                    time=format_time(gathering.start, tz),
                    place=gathering.place,
                ),
                None,
                [employee.email],
                fail_silently=True,
            )
    AgendaItem.objects.filter(pk__in=[i.pk for i in items]).update(reminded_at=timezone.now())
    return items


# --- Guest speakers --------------------------------------------------------------------------------

SPEAKER_OTHER_GOVERNMENT = gettext_noop("Narasumber ini terdaftar di pemda lain.")
SPEAKER_DOUBLE_BOOKED = gettext_noop(
    "Perhatian: {speaker} juga dijadwalkan di {office} pada {date} pukul {time}, "
    "bertabrakan dengan perjumpaan ini."
)


@transaction.atomic
def speaker_invite(
    *, actor: Any, gathering: Gathering, speaker: Speaker, minutes: int = 20
) -> tuple[AgendaItem, list[str]]:
    """Invite a guest figure to give the tausiah of a gathering. Returns the agenda item and warnings
    (the speaker booked elsewhere at an overlapping time): a warning, not a refusal, because a coordinator
    may know the other booking was moved."""
    if speaker.government_id != gathering.office.government_id:
        raise ValidationError(_(SPEAKER_OTHER_GOVERNMENT))
    item = gathering.agenda.filter(kind=AgendaItem.Kind.TAUSIAH).order_by("order").first()
    if item is None:
        last = gathering.agenda.order_by("-order").values_list("order", flat=True).first() or 0
        item = AgendaItem(gathering=gathering, order=last + 1, kind=AgendaItem.Kind.TAUSIAH, minutes=minutes)
    old = item.speaker_id
    item.speaker = speaker
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        office=gathering.office,
        action="agenda.speaker",
        obj=item,
        old={"speaker": old},
        new={"speaker": speaker.pk},
    )
    clashes = (
        AgendaItem.objects.filter(
            speaker=speaker, gathering__start__lt=gathering.end, gathering__end__gt=gathering.start
        )
        .exclude(gathering=gathering)
        .exclude(gathering__status=Gathering.Status.CANCELLED)
        .select_related("gathering__office")
    )
    tz = zone(gathering.office.government.time_zone)
    warnings = [
        _(SPEAKER_DOUBLE_BOOKED).format(
            speaker=speaker,
            office=other.gathering.office.name,
            date=format_date(other.gathering.date),
            time=format_time(other.gathering.start, tz),
        )
        for other in clashes
    ]
    return item, warnings


# --- Gathering templates (the coordinator's editor) -----------------------------------------------

TEMPLATE_IN_PAST = gettext_noop(
    "Tanggal berlaku tidak boleh sebelum hari ini: perjumpaan yang sudah lewat tidak diubah."
)
TEMPLATE_NO_AGENDA = gettext_noop("Isi paling sedikit satu acara beserta menitnya.")
TEMPLATE_AGENDA_TOO_LONG = gettext_noop(
    "Jumlah menit acara ({total}) melebihi durasi perjumpaan ({duration} menit)."
)
TEMPLATE_NO_WEEKDAYS = gettext_noop("Pilih paling sedikit satu hari.")
TEMPLATE_FRIDAY_ONLY = gettext_noop("Templat Jumat hanya berlaku pada hari Jumat: centang Jumat saja.")
TEMPLATE_OFFSET_RANGE = gettext_noop("Selisih dari waktu salat harus antara -180 dan 180 menit.")
TEMPLATE_BAD_AGENDA_MINUTES = gettext_noop("Menit setiap acara harus antara 1 dan 240.")

FRIDAY_VARIANTS = (Variant.FRIDAY, Variant.RAMADAN_FRIDAY)


@dataclass
class TemplateChange:
    """A saved template version and what re-planning the office's future gatherings did."""

    template: GatheringTemplate
    schedule: ScheduleResult | None = None


def _template_snapshot(template: GatheringTemplate) -> dict[str, Any]:
    return {
        "track": template.track,
        "variant": template.variant,
        "weekdays": template.weekdays,
        "start_mode": template.start_mode,
        "start_time": template.start_time.strftime("%H:%M") if template.start_time else None,
        "prayer": template.prayer,
        "offset_minutes": template.offset_minutes,
        "duration_minutes": template.duration_minutes,
        "place": template.place,
        "valid_from": template.valid_from.isoformat(),
        "agenda": [[item.kind, item.minutes] for item in template.agenda.all()],
    }


def _replan_from(*, actor: Any, office: Office, start: dt.date) -> ScheduleResult | None:
    """Re-plan the office's regular gatherings already generated from `start` on, through the one
    scheduler: it changes only future gatherings nobody has attended, never those already held."""
    last = (
        Gathering.objects.filter(office=office, kind=Gathering.Kind.REGULAR, date__gte=start)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if last is None or enrolled_since(office=office) is None:
        return None
    return gathering_schedule(office=office, start=start, end=last, actor=actor)


@transaction.atomic
def template_save(
    *,
    actor: Any,
    office: Office,
    track: str,
    variant: str,
    weekdays: str,
    start_mode: str,
    start_time: dt.time | None,
    prayer: str,
    offset_minutes: int,
    duration_minutes: int,
    place: str,
    valid_from: dt.date,
    agenda: list[tuple[str, int]],
    previous: GatheringTemplate | None = None,
) -> TemplateChange:
    """Save a new version of one of the office's templates, valid from `valid_from` (today or later).

    The earlier version stays, so the gatherings made from it keep it; the office's future gatherings
    are then re-planned by `gathering_schedule`, which leaves alone anything already held, started or
    attended. Audited (old → new)."""
    tz = zone(office.government.time_zone)
    if valid_from < timezone.now().astimezone(tz).date():
        raise ValidationError(_(TEMPLATE_IN_PAST))
    days = "".join(sorted(set(weekdays)))
    if not days:
        raise ValidationError(_(TEMPLATE_NO_WEEKDAYS))
    if variant in FRIDAY_VARIANTS and days != "4":
        raise ValidationError(_(TEMPLATE_FRIDAY_ONLY))
    if not -180 <= offset_minutes <= 180:
        raise ValidationError(_(TEMPLATE_OFFSET_RANGE))
    if not agenda:
        raise ValidationError(_(TEMPLATE_NO_AGENDA))
    if any(not 1 <= minutes <= 240 for _kind, minutes in agenda):
        raise ValidationError(_(TEMPLATE_BAD_AGENDA_MINUTES))
    total = sum(minutes for _kind, minutes in agenda)
    if total > duration_minutes:
        raise ValidationError(_(TEMPLATE_AGENDA_TOO_LONG).format(total=total, duration=duration_minutes))
    fixed = start_mode == GatheringTemplate.StartMode.FIXED
    template = GatheringTemplate(
        office=office,
        track=track,
        variant=variant,
        weekdays=days,
        start_mode=start_mode,
        start_time=start_time if fixed else None,
        prayer="" if fixed else prayer,
        offset_minutes=0 if fixed else offset_minutes,
        duration_minutes=duration_minutes,
        place=place.strip(),
        valid_from=valid_from,
    )
    template.full_clean()
    if not fixed:
        # Refuse now, with the template's own message, rather than when the scheduler first needs it.
        _start_of(template, valid_from, office)
    template.save()
    TemplateAgendaItem.objects.bulk_create(
        TemplateAgendaItem(template=template, order=order, kind=kind, minutes=minutes)
        for order, (kind, minutes) in enumerate(agenda, 1)
    )
    audit_record(
        actor=actor,
        office=office,
        action="template.save",
        obj=template,
        old=_template_snapshot(previous) if previous is not None else None,
        new=_template_snapshot(template),
    )
    return TemplateChange(
        template=template, schedule=_replan_from(actor=actor, office=office, start=valid_from)
    )


@transaction.atomic
def template_stop(*, actor: Any, office: Office, track: str, variant: str) -> TemplateChange | None:
    """Stop one of the office's template variants (every version of it) from today on; gatherings
    already held keep it, future untouched ones are re-planned (another variant takes over, or they are
    cancelled when none applies)."""
    versions = GatheringTemplate.objects.filter(office=office, track=track, variant=variant, is_active=True)
    newest = versions.order_by("-valid_from", "-pk").first()
    if newest is None:
        return None
    versions.update(is_active=False)
    audit_record(
        actor=actor,
        office=office,
        action="template.stop",
        obj=newest,
        old={"is_active": True},
        new={"is_active": False},
    )
    today = timezone.now().astimezone(zone(office.government.time_zone)).date()
    return TemplateChange(template=newest, schedule=_replan_from(actor=actor, office=office, start=today))


# --- Ad-hoc gatherings, moving one gathering --------------------------------------------------------

GATHERING_IN_PAST = gettext_noop("Waktu mulai sudah lewat; pilih waktu yang akan datang.")
GATHERING_CONFLICT = gettext_noop(
    "Bertabrakan dengan perjumpaan jalur {track} pada {date} pukul {start}–{end} di {place}. "
    "Pilih waktu lain, atau pindahkan/batalkan perjumpaan itu lebih dulu."
)
GATHERING_NOT_MOVABLE = gettext_noop("Hanya perjumpaan yang masih terjadwal yang dapat dipindahkan.")
GATHERING_STARTED = gettext_noop(
    "Perjumpaan ini sudah dimulai atau sudah ada yang hadir, jadi tidak dapat dipindahkan."
)
GATHERING_MOVE_REASON = gettext_noop("Tuliskan alasan pemindahan.")
GATHERING_NOT_WORKING_DAY = gettext_noop("Perhatian: {date} bukan hari kerja ({reason}).")


def gathering_conflicts(
    *, office: Office, track: str, start: dt.datetime, end: dt.datetime, exclude: Gathering | None = None
) -> list[Gathering]:
    """The office's other gatherings of the same track that overlap [start, end) and are not cancelled.
    Gatherings of other tracks may run at the same time: each faith meets in its own room."""
    clashes = Gathering.objects.filter(office=office, track=track, start__lt=end, end__gt=start).exclude(
        status=Gathering.Status.CANCELLED
    )
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    return list(clashes.order_by("start"))


def _refuse_conflicts(
    *, office: Office, track: str, start: dt.datetime, end: dt.datetime, exclude: Gathering | None = None
) -> None:
    clashes = gathering_conflicts(office=office, track=track, start=start, end=end, exclude=exclude)
    if not clashes:
        return
    tz = zone(office.government.time_zone)
    raise ValidationError(
        [
            _(GATHERING_CONFLICT).format(
                track=other.get_track_display(),
                date=format_date(other.start.astimezone(tz).date()),
                start=format_time(other.start, tz),
                end=format_time(other.end, tz),
                place=other.place,
            )
            for other in clashes
        ]
    )


def _day_warnings(office: Office, day: dt.date) -> list[str]:
    info = Calendar(office.government, day, day, office=office).day(day)
    if info.is_working_day:
        return []
    return [_(GATHERING_NOT_WORKING_DAY).format(date=format_date(day), reason=info.reason)]


@dataclass
class GatheringChange:
    """A gathering added or moved from the web, with warnings the coordinator should read."""

    gathering: Gathering
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def gathering_add_adhoc(
    *,
    actor: Any,
    office: Office,
    start: dt.datetime,
    minutes: int,
    track: str,
    place: str = "",
    title: str = "",
    agenda: list[tuple[str, int]] | None = None,
    speaker: Speaker | None = None,
) -> GatheringChange:
    """The coordinator's ad-hoc gathering (a special tausiah, a make-up session): in the future, not
    overlapping another gathering of the track; kultum and materi items join the roster and the
    curriculum like any other; an invited speaker gets the tausiah (with a warning when double-booked)."""
    if start <= timezone.now():
        raise ValidationError(_(GATHERING_IN_PAST))
    if not 5 <= minutes <= 240:
        raise ValidationError(_(ADHOC_MINUTES))
    _refuse_conflicts(office=office, track=track, start=start, end=start + dt.timedelta(minutes=minutes))
    gathering = gathering_add(
        office=office, start=start, minutes=minutes, track=track, place=place, title=title, agenda=agenda
    )
    warnings = _day_warnings(office, gathering.date)
    if speaker is not None:
        warnings += speaker_invite(actor=actor, gathering=gathering, speaker=speaker)[1]
    audit_record(
        actor=actor,
        office=office,
        action="gathering.add",
        obj=gathering,
        new={"start": gathering.start.isoformat(), "minutes": minutes, "track": track, "title": title},
    )
    roster_fill(office=office, track=track)
    curriculum_reflow(office=office, track=track)
    return GatheringChange(gathering=gathering, warnings=warnings)


@transaction.atomic
def gathering_move(
    *, actor: Any, gathering: Gathering, start: dt.datetime, minutes: int, place: str, reason: str
) -> GatheringChange:
    """Move one future gathering nobody has attended to another time (and place).

    An ad-hoc gathering simply changes. A regular one is cancelled ("dipindah ke …") and an ad-hoc copy
    of it, with its agenda, kultum giver and speaker, is made at the new time: the scheduler keeps a
    cancelled regular gathering as it is and never touches ad-hoc ones, so re-running it cannot undo the
    move. The lesson follows the curriculum order (`curriculum_reflow`)."""
    now = timezone.now()
    if gathering.status != Gathering.Status.SCHEDULED:
        raise ValidationError(_(GATHERING_NOT_MOVABLE))
    if not _untouched(gathering, now):
        raise ValidationError(_(GATHERING_STARTED))
    if not reason.strip():
        raise ValidationError(_(GATHERING_MOVE_REASON))
    if start <= now:
        raise ValidationError(_(GATHERING_IN_PAST))
    if not 5 <= minutes <= 240:
        raise ValidationError(_(ADHOC_MINUTES))
    office = gathering.office
    end = start + dt.timedelta(minutes=minutes)
    _refuse_conflicts(office=office, track=gathering.track, start=start, end=end, exclude=gathering)
    tz = zone(office.government.time_zone)
    old = {"start": gathering.start.isoformat(), "end": gathering.end.isoformat(), "place": gathering.place}
    if gathering.kind == Gathering.Kind.ADHOC:
        moved = gathering
        moved.start, moved.end, moved.place = start, end, place.strip() or gathering.place
        moved.date = start.astimezone(tz).date()
        moved.full_clean()
        moved.save(update_fields=["start", "end", "place", "date"])
    else:
        moved = gathering_add(
            office=office,
            start=start,
            minutes=minutes,
            track=gathering.track,
            place=place.strip() or gathering.place,
            title=gathering.title or _("Pindahan dari {date}").format(date=format_date(gathering.date)),
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(
                gathering=moved,
                order=item.order,
                kind=item.kind,
                minutes=item.minutes,
                employee_id=item.employee_id,
                speaker_id=item.speaker_id,
                notes=item.notes,
            )
            for item in gathering.agenda.all()
        )
        gathering_cancel(
            actor=actor,
            gathering=gathering,
            reason=_("Dipindah ke {date} pukul {time}: {reason}").format(
                date=format_date(moved.date), time=format_time(moved.start, tz), reason=reason.strip()
            ),
        )
    audit_record(
        actor=actor,
        office=office,
        action="gathering.move",
        obj=gathering,
        old=old,
        new={"gathering": moved.pk, "start": moved.start.isoformat(), "end": moved.end.isoformat()},
        reason=reason.strip(),
    )
    curriculum_reflow(office=office, track=gathering.track)
    return GatheringChange(gathering=moved, warnings=_day_warnings(office, moved.date))
