"""Reads of tadarus and tadabbur.

Office data (plans, reading logs, group totals, tadabbur notes) goes through `core.scoping.scoped`, as
everywhere. Personal reading — ODOJ membership, reports and handovers, reading classes — follows a
narrower rule than `scoped`'s: what one person read is theirs and their group coordinator's (or, for a
reading class, their teacher's) alone. Office coordinators, facilitators, leadership and programme admins
see group totals only, and members see each other's progress only in a group that opted in. The
functions below are the only way to read those rows; `scoped` alone would show them to an office
coordinator.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from perjumpaan.core.scoping import access_for, can, scoped
from perjumpaan.core.timeutil import format_date, local_today, zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.program.models import AgendaItem, Gathering
from perjumpaan.tadarus import khatam, odoj, quran
from perjumpaan.tadarus.links import kemenag_range_url
from perjumpaan.tadarus.models import (
    LEVEL_ORDER,
    GroupMember,
    KhatamPlan,
    Level,
    LevelEnrolment,
    Part,
    ReadingGroup,
    ReadingLog,
    ReadingReport,
    TadabburNote,
    Theme,
    Tier,
)
from perjumpaan.tadarus.quran import Ref

ISLAM = Employee.Track.ISLAM
RECENT_HELD = 10  # gatherings the pace is measured over
HISTORY_DAYS = 14

# --- Collective tadarus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Portion:
    """A gathering's tadarus portion: what it is planned to read and, once recorded, where it stopped."""

    gathering_id: int
    start: Ref
    end: Ref
    description: str
    round: int
    is_khatam: bool
    amount_label: str
    sajdahs: tuple[Ref, ...]
    kemenag_url: str
    logged: bool = False
    read_to: Ref | None = None  # the recorded stop
    nothing_read: bool = False

    @property
    def start_label(self) -> str:
        return f"{quran.surah(self.start.surah).name} {self.start.ayah}"

    @property
    def read_to_label(self) -> str:
        if self.read_to is None:
            return ""
        return f"{quran.surah(self.read_to.surah).name} {self.read_to.ayah} ({self.read_to})"


def _plans(office_id: int, track: str) -> list[KhatamPlan]:
    return list(KhatamPlan.objects.filter(office_id=office_id, track=track).order_by("valid_from"))


def _versions(plans: list[KhatamPlan]) -> list[khatam.PlanVersion]:
    return [
        khatam.PlanVersion(
            valid_from=p.valid_from,
            unit=p.unit,  # type: ignore[arg-type]
            amount=p.amount_fraction,
            start=p.start,
        )
        for p in plans
    ]


def _with_tadarus(gatherings: QuerySet[Gathering]) -> QuerySet[Gathering]:
    tadarus = AgendaItem.objects.filter(gathering=OuterRef("pk"), kind=AgendaItem.Kind.TADARUS)
    return gatherings.filter(Exists(tadarus)).exclude(status=Gathering.Status.CANCELLED)


def _sittings(
    office_id: int,
    track: str,
    since: dt.date,
    *,
    upcoming: bool,
    through: Gathering | None = None,
) -> list[khatam.Sitting]:
    """The office track's tadarus gatherings from `since` (two queries): held or logged ones count;
    with `upcoming`, those still to come count too (as reading their planned portion); up to `through`
    if given."""
    gatherings = _with_tadarus(Gathering.objects.filter(office_id=office_id, track=track, date__gte=since))
    if through is not None:
        gatherings = gatherings.filter(
            Q(start__lt=through.start) | Q(start=through.start, pk__lte=through.pk)
        )
    logs = {
        gathering_id: (surah, ayah)
        for gathering_id, surah, ayah in ReadingLog.objects.filter(
            gathering__office_id=office_id, gathering__track=track, gathering__date__gte=since
        ).values_list("gathering_id", "stopped_surah", "stopped_ayah")
    }
    now = timezone.now()
    sittings = []
    rows = gatherings.order_by("start", "pk").values_list("pk", "date", "status", "end")
    for pk, date, status, end in rows:
        logged = pk in logs
        still_to_come = status == Gathering.Status.SCHEDULED and end > now
        surah, ayah = logs.get(pk, (None, None))
        sittings.append(
            khatam.Sitting(
                gathering_id=pk,
                date=date,
                counted=status == Gathering.Status.HELD or logged or (upcoming and still_to_come),
                logged=logged,
                stop=Ref(surah, ayah) if surah is not None and ayah is not None else None,
            )
        )
    return sittings


def _portion(reading: khatam.Reading) -> Portion:
    number = str(reading.amount.numerator)
    if reading.amount.denominator != 1:
        number = f"{reading.amount.numerator}/{reading.amount.denominator}"
    unit = dict(KhatamPlan.Unit.choices)[reading.unit]
    return Portion(
        gathering_id=reading.gathering_id,
        start=reading.start,
        end=reading.planned_end,
        description=quran.describe_range(reading.start, reading.planned_end),
        round=reading.round,
        is_khatam=reading.planned_khatam,
        amount_label=f"{number} {unit}",
        sajdahs=tuple(s.ref for s in quran.sajdahs_between(reading.start, reading.planned_end)),
        kemenag_url=kemenag_range_url(reading.start, reading.planned_end),
        logged=reading.logged,
        read_to=reading.end if reading.logged else None,
        nothing_read=reading.logged and reading.end is None,
    )


def portion_for_gathering(gathering: Gathering | None) -> Portion | None:
    """The gathering's tadarus portion, continuing from where the previous held gathering stopped (and
    past the gatherings still to come before it, as planned); None when the gathering has no tadarus,
    was cancelled, or its office track has no khatam plan yet.

    The caller got `gathering` through the scoping; the portion holds nothing personal."""
    if gathering is None:
        return None
    return portions_for([gathering]).get(gathering.pk)


def portions_for(gatherings: list[Gathering]) -> dict[int, Portion]:
    """The portions of several gatherings, one simulation per office track (three queries each)."""
    result: dict[int, Portion] = {}
    tracks: dict[tuple[int, str], list[Gathering]] = {}
    for gathering in gatherings:
        if gathering.status != Gathering.Status.CANCELLED:
            tracks.setdefault((gathering.office_id, gathering.track), []).append(gathering)
    for (office_id, track), wanted in tracks.items():
        plans = _plans(office_id, track)
        if not plans:
            continue
        last = max(wanted, key=lambda g: (g.start, g.pk))
        sittings = _sittings(office_id, track, plans[0].valid_from, upcoming=True, through=last)
        ids = {g.pk for g in wanted}
        readings, _state = khatam.simulate(_versions(plans), sittings, peek=ids)
        for reading in readings:
            if reading.gathering_id in ids:
                result[reading.gathering_id] = _portion(reading)
    return result


def last_read_date(*, office: Office, track: str) -> dt.date | None:
    """The date of the office track's last gathering that read under a plan (held or logged)."""
    plans = _plans(office.pk, track)
    if not plans:
        return None
    counted = [s for s in _sittings(office.pk, track, plans[0].valid_from, upcoming=False) if s.counted]
    return counted[-1].date if counted else None


@dataclass(frozen=True)
class ReadingRow:
    """One held gathering in the office's reading log."""

    gathering_id: int
    date: dt.date
    date_label: str
    description: str
    planned: str
    logged: bool
    nothing_read: bool
    khatam: bool
    round: int


@dataclass(frozen=True)
class KhatamEvent:
    number: int
    date: dt.date
    date_label: str


@dataclass
class KhatamProgress:
    """Where an office track's collective reading stands."""

    plan: KhatamPlan
    plans: list[KhatamPlan]
    track: str
    khatam_count: int
    khatams: list[KhatamEvent]
    round: int
    position: Ref
    position_label: str
    percent: int
    pages_read: int
    pages_left: int
    forecast: khatam.Forecast
    forecast_label: str
    held: int
    recent: list[ReadingRow] = field(default_factory=list)
    next_portion: Portion | None = None
    next_gathering_id: int | None = None


def _ref_label(ref: Ref) -> str:
    name = quran.surah(ref.surah).name
    return f"{name} {ref.ayah} ({ref}), hal. {quran.page_of(ref)}, juz {quran.juz_of(ref)}"


def _row(reading: khatam.Reading) -> ReadingRow:
    # A stop before the start read through the khatam; describe_range then names both halves.
    return ReadingRow(
        gathering_id=reading.gathering_id,
        date=reading.date,
        date_label=format_date(reading.date),
        description="" if reading.end is None else quran.describe_range(reading.start, reading.end),
        planned=quran.describe_range(reading.start, reading.planned_end),
        logged=reading.logged,
        nothing_read=reading.logged and reading.end is None,
        khatam=reading.khatam,
        round=reading.round,
    )


def khatam_progress(
    office: Office, track: str = ISLAM, *, today: dt.date | None = None
) -> KhatamProgress | None:
    """The office track's khatam count, where the reading stands, the recent reading log, the next
    portion and the forecast date of the next khatam (see `khatam.forecast`); None without a plan.

    The caller got `office` through the scoping; nothing here is personal."""
    plans = _plans(office.pk, track)
    if not plans:
        return None
    today = today or local_today(zone(office.government.time_zone))
    versions = _versions(plans)
    sittings = _sittings(office.pk, track, plans[0].valid_from, upcoming=False)
    readings, state = khatam.simulate(versions, sittings)
    held = [r for r in readings if r.counted]

    now = timezone.now()
    upcoming = list(
        _with_tadarus(
            Gathering.objects.filter(
                office=office,
                track=track,
                status=Gathering.Status.SCHEDULED,
                end__gt=now,
                date__gte=plans[0].valid_from,
            )
        )
        .order_by("start", "pk")
        .values_list("pk", "date")
    )
    next_portion = None
    planned_pages = Fraction(0)
    if upcoming:
        next_id = upcoming[0][0]
        # The next gathering is among the sittings, not counted yet: looking at it gives its portion.
        more, _after = khatam.simulate(versions, sittings, until=next_id)
        if more and more[-1].gathering_id == next_id:
            next_portion = _portion(more[-1])
            planned_pages = more[-1].pages
    if not planned_pages:
        current = plans[-1]
        probe = khatam.resume_index(state.position, 1, current.unit, current.amount_fraction)  # type: ignore[arg-type]
        resume = None if probe > quran.TOTAL_AYAHS else Ref.from_index(max(probe, state.position.index + 1))
        planned_pages = khatam.pages_between(state.position, resume)

    four_weeks_ago = today - dt.timedelta(days=28)
    recent_count = sum(1 for r in held if r.date > four_weeks_ago)
    per_week = Fraction(recent_count, 4)
    if not per_week:
        per_week = Fraction(sum(1 for _pk, date in upcoming if date <= today + dt.timedelta(days=28)), 4)
    prediction = khatam.forecast(
        position=state.position,
        recent=held[-RECENT_HELD:],
        planned_pages=planned_pages,
        upcoming=[date for _pk, date in upcoming],
        per_week=per_week,
        today=today,
    )
    progress = khatam.round_progress(state.position)
    return KhatamProgress(
        plan=plans[-1],
        plans=plans,
        track=track,
        khatam_count=len(state.khatams),
        khatams=[
            KhatamEvent(number=i, date=r.date, date_label=format_date(r.date))
            for i, r in enumerate(state.khatams, 1)
        ],
        round=state.round,
        position=state.position,
        position_label=_ref_label(state.position),
        percent=min(100, int(progress * 100)),
        pages_read=int(khatam.page_position(state.position)),
        pages_left=math.ceil(khatam.pages_left(state.position)),
        forecast=prediction,
        forecast_label=format_date(prediction.date) if prediction.date else "",
        held=len(held),
        recent=[_row(r) for r in reversed(held[-RECENT_HELD:])],
        next_portion=next_portion,
        next_gathering_id=upcoming[0][0] if upcoming else None,
    )


def _acting_on(user: Any, kinds: tuple[str, ...]) -> Q:
    """Gatherings a user may act on as their office's coordinator, admin or facilitator, or as the holder
    of one of the agenda items `kinds` (the same rule as `services.may_record_reading` / `may_write_note`,
    as one filter)."""
    access = access_for(user)
    if access.is_superuser:
        return Q()
    condition = Q(pk__in=[])
    if access.admin_governments:
        condition |= Q(office__government_id__in=access.admin_governments)
    offices = access.coordinator_offices | access.facilitator_offices
    if offices:
        condition |= Q(office_id__in=offices)
    if access.employee_id is not None:
        held = AgendaItem.objects.filter(
            gathering=OuterRef("pk"), kind__in=kinds, employee_id=access.employee_id
        )
        condition |= Q(Exists(held))
    return condition


def loggable_gatherings(*, user: Any, office: Office, track: str = ISLAM) -> list[Gathering]:
    """The office's tadarus gatherings of the past week (already begun) the user may record a stop for."""
    today = local_today(zone(office.government.time_zone))
    gatherings = _with_tadarus(
        scoped(user, Gathering.objects.filter(office=office, track=track)).filter(
            date__gte=today - dt.timedelta(days=7), start__lte=timezone.now()
        )
    ).filter(_acting_on(user, (AgendaItem.Kind.TADARUS,)))
    return list(gatherings.order_by("-start")[:10])


@dataclass(frozen=True)
class SummaryRow:
    """One office on the leadership summary: totals only."""

    office: Office
    khatam_count: int
    percent: int | None
    forecast_date: dt.date | None
    groups: int
    members: int
    group_khatams: int


def khatam_summary(*, user: Any) -> list[SummaryRow]:
    """Every office the user may see: collective khatam count and progress, ODOJ totals."""
    offices = list(
        scoped(user, Office.objects.filter(is_active=True)).select_related("government").order_by("name")
    )
    totals = group_totals(user=user, offices=offices)
    rows = []
    for office in offices:
        progress = khatam_progress(office, ISLAM)
        office_groups = [t for t in totals if t.group.office_id == office.pk]
        rows.append(
            SummaryRow(
                office=office,
                khatam_count=progress.khatam_count if progress else 0,
                percent=progress.percent if progress else None,
                forecast_date=progress.forecast.date if progress else None,
                groups=len(office_groups),
                members=sum(t.members for t in office_groups),
                group_khatams=sum(t.khatam_count for t in office_groups),
            )
        )
    return rows


# --- ODOJ groups: totals (for anyone who may see the office) -----------------------------------------


@dataclass(frozen=True)
class GroupTotals:
    """A group as the office and leadership see it: numbers, never names."""

    group: ReadingGroup
    members: int
    khatam_count: int
    today_done: int
    today_assigned: int


def group_totals(*, user: Any, offices: list[Office] | None = None) -> list[GroupTotals]:
    groups = scoped(user, ReadingGroup.objects.select_related("office__government")).order_by("name")
    if offices is not None:
        groups = groups.filter(office__in=offices)
    result = []
    for group in groups:
        today = local_today(zone(group.office.government.time_zone))
        ledger = odoj.ledger(group, today, since=today)
        day = ledger.day(today)
        result.append(
            GroupTotals(
                group=group,
                members=day.assigned if day else 0,
                khatam_count=ledger.khatam_count,
                today_done=day.done if day else 0,
                today_assigned=day.assigned if day else 0,
            )
        )
    return result


# --- ODOJ groups: personal rows ----------------------------------------------------------------------


def _groups_coordinated_by(employee_id: int | None) -> QuerySet[ReadingGroup]:
    return (
        ReadingGroup.objects.filter(coordinator_id=employee_id)
        if employee_id
        else ReadingGroup.objects.none()
    )


def _groups_shared_with(employee_id: int | None) -> QuerySet[ReadingGroup]:
    """Groups that opted in to members seeing each other, of which the employee is a current member."""
    if employee_id is None:
        return ReadingGroup.objects.none()
    return ReadingGroup.objects.filter(
        show_members_progress=True, members__employee_id=employee_id, members__left_on__isnull=True
    )


def reading_reports(*, user: Any) -> QuerySet[ReadingReport]:
    """The reading reports the user may see: their own, those of groups they coordinate, and those of
    groups that opted in to sharing and that they belong to. Nobody else's — whatever their role."""
    me = access_for(user).employee_id
    if me is None:
        return ReadingReport.objects.none()
    own = scoped(user, ReadingReport.objects.all()).filter(member__employee_id=me)
    shared = ReadingReport.objects.filter(
        Q(member__group__in=_groups_coordinated_by(me)) | Q(member__group__in=_groups_shared_with(me))
    )
    return (own | shared).distinct()


def group_memberships(*, user: Any) -> QuerySet[GroupMember]:
    """Memberships the user may see: their own and those of groups they belong to or coordinate (a
    member knows who is in their group; what they read is `reading_reports`' business)."""
    me = access_for(user).employee_id
    if me is None:
        return GroupMember.objects.none()
    own = scoped(user, GroupMember.objects.all()).filter(employee_id=me)
    mine = ReadingGroup.objects.filter(
        Q(coordinator_id=me) | Q(members__employee_id=me, members__left_on__isnull=True)
    )
    return (own | GroupMember.objects.filter(group__in=mine)).distinct()


def group_get(*, user: Any, group_id: int) -> ReadingGroup | None:
    """A group the user may see at all: its office's staff, coordinators, leadership see its totals;
    members and the group coordinator see more (`group_page`)."""
    return (
        scoped(user, ReadingGroup.objects.select_related("office__government", "coordinator"))
        .filter(pk=group_id)
        .first()
    )


@dataclass(frozen=True)
class MyPiece:
    """A piece of juz the viewer holds on a day."""

    date: dt.date
    juz: int
    part: str
    part_label: str
    description: str
    kemenag_url: str
    report: bool | None
    handed_to_me: bool
    key: str


@dataclass(frozen=True)
class MemberRow:
    """A member as the group coordinator (or an opted-in group) sees them."""

    member_id: int
    name: str
    tier_label: str
    juz: int | None
    status: str  # "done", "not_done", "none"
    streak: int


@dataclass(frozen=True)
class OpenPiece:
    """A piece of today's juz not yet read: only the group coordinator sees these."""

    date: dt.date
    key: str
    juz: int
    part_label: str
    description: str
    holder: str
    handed: bool


@dataclass(frozen=True)
class HistoryRow:
    date: dt.date
    date_label: str
    assigned: int
    done: int
    khatams: int


@dataclass
class GroupPage:
    """What one viewer may see of a group today."""

    group: ReadingGroup
    today: dt.date
    today_label: str
    is_member: bool
    is_coordinator: bool
    members_count: int
    khatam_count: int
    today_done: int
    today_assigned: int
    cycle_number: int
    cycle_done: int
    history: list[HistoryRow]
    my_member: GroupMember | None = None
    my_today: list[MyPiece] = field(default_factory=list)
    my_yesterday: list[MyPiece] = field(default_factory=list)
    my_streak: int = 0
    joining_tomorrow: bool = False
    member_names: list[str] = field(default_factory=list)
    members_progress: list[MemberRow] | None = None
    open_pieces: list[OpenPiece] | None = None
    volunteers: list[GroupMember] | None = None
    candidates: list[Employee] | None = None


def _my_pieces(day: odoj.Day | None, mine: set[int]) -> list[MyPiece]:
    if day is None:
        return []
    pieces = []
    for piece in day.pieces:
        holds = piece.holder_id in mine
        assigned = piece.assignee_id in mine and piece.part != Part.TAIL
        if not (holds or assigned):
            continue
        pieces.append(
            MyPiece(
                date=piece.date,
                juz=piece.juz,
                part=piece.part,
                part_label=str(Part(piece.part).label),
                description=piece.description,
                kemenag_url=kemenag_range_url(piece.first, piece.last),
                report=piece.holder_report if holds else None,
                handed_to_me=holds and piece.handed,
                key=piece.key,
            )
        )
    return pieces


def group_page(*, user: Any, group: ReadingGroup, today: dt.date | None = None) -> GroupPage:
    """The group page as this viewer may see it: totals for everyone who may see the group; their own
    assignment and streak for a member; everyone's progress for the group coordinator, and for members
    of a group that opted in; open pieces and reassignment for the coordinator alone."""
    today = today or local_today(zone(group.office.government.time_zone))
    me = access_for(user).employee_id
    since = today - dt.timedelta(days=HISTORY_DAYS - 1)
    ledger = odoj.ledger(group, today, since=since)
    day = ledger.day(today)
    yesterday = ledger.day(today - dt.timedelta(days=1))
    mine = {m.pk for m in ledger.members.values() if me is not None and m.employee_id == me}
    current = [m for m in ledger.members.values() if m.left_on is None or m.left_on > today]
    my_member = next((m for m in current if m.pk in mine), None)
    is_coordinator = me is not None and group.coordinator_id == me
    cycle_number, cycle_done = 0, 0
    if day and day.assignments:
        cycle = ledger.cycles[day.assignments[0].cycle]
        cycle_number, cycle_done = cycle.number, cycle.done
    history = [
        HistoryRow(
            date=d.date,
            date_label=format_date(d.date),
            assigned=d.assigned,
            done=d.done,
            khatams=sum(1 for c in ledger.cycles.values() if c.last_day == d.date and c.complete),
        )
        for d in reversed(ledger.days)
    ]
    page = GroupPage(
        group=group,
        today=today,
        today_label=format_date(today),
        is_member=my_member is not None,
        is_coordinator=is_coordinator,
        members_count=day.assigned if day else 0,
        khatam_count=ledger.khatam_count,
        today_done=day.done if day else 0,
        today_assigned=day.assigned if day else 0,
        cycle_number=cycle_number,
        cycle_done=cycle_done,
        history=history,
    )
    if not (page.is_member or is_coordinator):
        return page  # totals only

    page.my_member = my_member
    page.joining_tomorrow = my_member is not None and my_member.joined_on > today
    page.my_today = _my_pieces(day, mine)
    page.my_yesterday = [p for p in _my_pieces(yesterday, mine) if p.report is None]
    page.my_streak = max((ledger.streak(pk, today) for pk in mine), default=0)
    page.member_names = [m.employee.name for m in sorted(current, key=lambda m: m.join_order)]

    if is_coordinator or group.show_members_progress:
        juz_of = {a.key: a.juz for a in day.assignments} if day else {}
        rows = []
        for member in sorted(current, key=lambda m: m.join_order):
            own = next(
                (
                    p
                    for p in (day.pieces if day else [])
                    if p.assignee_id == member.pk and p.part != Part.TAIL
                ),
                None,
            )
            report = own.assignee_report if own else None
            status = "none" if report is None else "done" if report else "not_done"
            rows.append(
                MemberRow(
                    member_id=member.pk,
                    name=member.employee.name,
                    tier_label=str(Tier(member.tier).label),
                    juz=juz_of.get(member.pk),
                    status=status,
                    streak=ledger.streak(member.pk, today),
                )
            )
        page.members_progress = rows

    if is_coordinator:
        names = {m.pk: m.employee.name for m in ledger.members.values()}
        page.open_pieces = [
            OpenPiece(
                date=p.date,
                key=p.key,
                juz=p.juz,
                part_label=str(Part(p.part).label),
                description=p.description,
                holder=names.get(p.holder_id, ""),
                handed=p.handed,
            )
            for d in (day, yesterday)
            if d is not None
            for p in d.pieces
            if not p.done
        ]
        active_today = {a.key for a in day.assignments} if day else set()
        page.volunteers = [m for m in sorted(current, key=lambda m: m.join_order) if m.pk in active_today]
        members_now = {m.employee_id for m in current}
        # The coordinator invites colleagues by name (a name, not their staff record).
        page.candidates = list(
            Employee.objects.filter(office=group.office, is_active=True)
            .exclude(pk__in=members_now)
            .only("pk", "name")
            .order_by("name")
        )
    return page


@dataclass(frozen=True)
class GroupCard:
    group: ReadingGroup
    is_coordinator: bool
    today: list[MyPiece]
    streak: int
    members: int
    khatam_count: int


def my_groups(*, user: Any) -> list[GroupCard]:
    """The groups the user belongs to or coordinates, with their piece of today's juz."""
    me = access_for(user).employee_id
    if me is None:
        return []
    groups = (
        scoped(user, ReadingGroup.objects.select_related("office__government"))
        .filter(Q(coordinator_id=me) | Q(members__employee_id=me, members__left_on__isnull=True))
        .distinct()
        .order_by("name")
    )
    cards = []
    for group in groups:
        today = local_today(zone(group.office.government.time_zone))
        ledger = odoj.ledger(group, today, since=today)
        mine = {m.pk for m in ledger.members.values() if m.employee_id == me}
        day = ledger.day(today)
        cards.append(
            GroupCard(
                group=group,
                is_coordinator=group.coordinator_id == me,
                today=_my_pieces(day, mine),
                streak=max((ledger.streak(pk, today) for pk in mine), default=0),
                members=day.assigned if day else 0,
                khatam_count=ledger.khatam_count,
            )
        )
    return cards


def group_member_get(*, user: Any, group: ReadingGroup, member_id: int) -> GroupMember | None:
    """A membership of `group` the user may act on: their own, or any if they coordinate the group."""
    return group_memberships(user=user).filter(group=group, pk=member_id).select_related("group").first()


# --- Reading classes ---------------------------------------------------------------------------------


def my_enrolment(*, user: Any) -> LevelEnrolment | None:
    me = access_for(user).employee_id
    if me is None:
        return None
    return (
        scoped(user, LevelEnrolment.objects.select_related("teacher"))
        .filter(employee_id=me)
        .prefetch_related("steps")
        .first()
    )


def my_students(*, user: Any) -> QuerySet[LevelEnrolment]:
    """The learners the user teaches (a teacher need not be a coordinator: the rule is this selector's)."""
    me = access_for(user).employee_id
    if me is None:
        return LevelEnrolment.objects.none()
    return (
        LevelEnrolment.objects.filter(teacher_id=me, employee__is_active=True)
        .select_related("employee")
        .prefetch_related("steps")
        .order_by("employee__name")
    )


def office_enrolments(*, user: Any, office: Office) -> QuerySet[LevelEnrolment]:
    """The office's learners, for those who manage the office (who enrol them); nobody else."""
    return (
        scoped(user, LevelEnrolment.objects.filter(employee__office=office), "manage")
        .select_related("employee", "teacher")
        .order_by("employee__name")
    )


def level_totals(*, office: Office) -> list[tuple[str, int]]:
    """How many of the office's active staff are at each level (numbers only)."""
    counts = Counter(
        LevelEnrolment.objects.filter(employee__office=office, employee__is_active=True).values_list(
            "level", flat=True
        )
    )
    labels = dict(Level.choices)
    return [(str(labels[level]), counts.get(level, 0)) for level in LEVEL_ORDER]


def office_staff_names(*, user: Any, office: Office) -> QuerySet[Employee]:
    """The office's active staff, for those who manage it (enrolment forms)."""
    return scoped(user, Employee.objects.filter(office=office, is_active=True), "manage").order_by("name")


# --- Tadabbur ----------------------------------------------------------------------------------------


def note_search(
    *, user: Any, surah: int | None = None, theme: str = "", text: str = ""
) -> QuerySet[TadabburNote]:
    notes = scoped(user, TadabburNote.objects.all()).select_related("gathering__office", "author")
    if surah is not None:
        notes = notes.filter(surah=surah)
    if theme:
        notes = notes.filter(themes__slug=theme)
    if text:
        notes = notes.filter(Q(title__icontains=text) | Q(reflection__icontains=text))
    return notes.prefetch_related("themes").distinct().order_by("-created_at", "-pk")


def note_get(*, user: Any, note_id: int) -> TadabburNote | None:
    return note_search(user=user).filter(pk=note_id).first()


def theme_list(*, user: Any) -> QuerySet[Theme]:
    """Themes of notes the user may see."""
    visible = scoped(user, TadabburNote.objects.all())
    return Theme.objects.filter(notes__in=visible).distinct().order_by("name")


def note_gatherings(*, user: Any, today: dt.date) -> list[Gathering]:
    """Recent gatherings (two weeks back, through tomorrow) the user may attach a tadabbur note to."""
    gatherings = (
        scoped(user, Gathering.objects.all())
        .filter(date__range=(today - dt.timedelta(days=14), today + dt.timedelta(days=1)))
        .filter(_acting_on(user, (AgendaItem.Kind.KULTUM, AgendaItem.Kind.TADABBUR)))
        .exclude(status=Gathering.Status.CANCELLED)
        .select_related("office")
        .order_by("-start")
    )
    return list(gatherings[:100])


def may_manage(user: Any, office: Office) -> bool:
    return can(user, office, "manage")
