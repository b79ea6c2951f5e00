"""Demo data for tadarus: khatam plans and reading logs for the enrolled offices, two ODOJ groups, a few
reading-class learners and tadabbur notes.

`tadarus_demo(government, rng)` is meant to run as a step of `perjumpaan demo` after the programme's
gatherings exist. Like every demo step it only creates what is missing, looked up by natural keys
(office and track for a plan, gathering for a log, office and name for a group, gathering and title for a
note), and draws random numbers only from `rng`.

- Plans start on each enrolled office's first tadarus gathering. Reading logs are written only for
  gatherings already *held*, a few of them stopping a little before or after the planned portion, so
  the progress shown is the one those gatherings imply.
- ODOJ groups are anchored on today (45 days back), because a group's page is about today.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.org.demo import DemoContext, demo_step
from perjumpaan.org.models import Employee, Government, Office, User
from perjumpaan.program.models import AgendaItem, Gathering
from perjumpaan.program.selectors import enrolled_since
from perjumpaan.tadarus import khatam, quran
from perjumpaan.tadarus.models import (
    LEVEL_ORDER,
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
from perjumpaan.tadarus.odoj import own_part, rotation_for
from perjumpaan.tadarus.quran import Ref

ISLAM = Employee.Track.ISLAM

# (unit, amount, per) an office's plan may use.
PLAN_CHOICES = [("pages", 2, 1), ("pages", 1, 1), ("juz", 1, 4), ("ayahs", 15, 1)]

GROUPS = [
    # office code, group name, members, share progress among members
    ("DUKCAPIL", "ODOJ Dukcapil Berkah", 30, False),
    ("PUPR", "ODOJ PUPR Al-Ikhlas", 7, True),
]
GROUP_DAYS = 45

NOTES = [
    (
        2,
        153,
        153,
        "Sabar dan salat sebagai penolong",
        "Antrean panjang di loket sering menguji kesabaran kita dan warga. Ayat ini mengajak kita meminta "
        "pertolongan dengan sabar dan salat: melayani dengan tenang, bukan tergesa-gesa.",
        ["sabar", "pelayanan"],
    ),
    (
        4,
        58,
        58,
        "Amanah kepada yang berhak",
        "Setiap dokumen yang kita terbitkan adalah amanah. Menyampaikannya tepat waktu dan benar adalah "
        "bagian dari menunaikan amanah kepada yang berhak menerimanya.",
        ["amanah", "kejujuran"],
    ),
    (
        49,
        13,
        13,
        "Saling mengenal di kantor",
        "Kita diciptakan berbeda-beda supaya saling mengenal. Perjumpaan siang hari adalah kesempatan "
        "mengenal rekan dari bidang lain, bukan sekadar rutinitas.",
        ["kebersamaan"],
    ),
    (
        3,
        159,
        159,
        "Lemah lembut kepada warga",
        "Kelembutan membuat orang mendekat; sikap kasar membuat mereka menjauh. Pelayanan yang ramah "
        "adalah dakwah tanpa kata-kata.",
        ["pelayanan", "akhlak"],
    ),
    (
        103,
        1,
        3,
        "Demi waktu",
        "Waktu warga yang menunggu adalah waktu yang berharga. Bekerja tepat waktu dan saling menasihati "
        "dalam kebaikan menjaga kita dari kerugian.",
        ["waktu", "kebersamaan"],
    ),
]

LEARNERS = 6


def tadarus_demo(government: Government, rng: random.Random) -> int:
    """Create the tadarus demo data that is missing; return how many rows were created."""
    with transaction.atomic():
        created = 0
        for office in Office.objects.filter(government=government, is_active=True).order_by("code"):
            if enrolled_since(office=office) is None:
                continue
            created += _plan_and_logs(office, rng)
        today = local_today(zone(government.time_zone))
        for code, name, size, shared in GROUPS:
            group_office = Office.objects.filter(government=government, code=code).first()
            if group_office is not None:
                created += _group(group_office, name, size, shared, today, rng)
        dukcapil = Office.objects.filter(government=government, code="DUKCAPIL").first()
        if dukcapil is not None:
            created += _notes(dukcapil)
            created += _learners(dukcapil, today, rng)
        return created


# --- Plans and logs ----------------------------------------------------------------------------------


def _tadarus_gatherings(office: Office) -> list[Gathering]:
    return list(
        Gathering.objects.filter(office=office, track=ISLAM, agenda__kind=AgendaItem.Kind.TADARUS)
        .exclude(status=Gathering.Status.CANCELLED)
        .distinct()
        .order_by("start", "pk")
    )


def _plan_and_logs(office: Office, rng: random.Random) -> int:
    """A plan from the office's first tadarus gathering and, for a few held gatherings, a recorded stop
    a little before or after the planned one. Made once, with the plan."""
    gatherings = _tadarus_gatherings(office)
    if not gatherings or KhatamPlan.objects.filter(office=office, track=ISLAM).exists():
        return 0
    unit, amount, per = rng.choice(PLAN_CHOICES)
    plan = KhatamPlan.objects.create(
        office=office,
        track=ISLAM,
        valid_from=gatherings[0].date,
        unit=unit,
        amount=amount,
        per=per,
        start_surah=1,
        start_ayah=1,
    )
    versions = [
        khatam.PlanVersion(
            valid_from=plan.valid_from,
            unit=plan.unit,  # type: ignore[arg-type]
            amount=plan.amount_fraction,
            start=plan.start,
        )
    ]
    now = timezone.now()
    sittings: list[khatam.Sitting] = []
    logs: list[ReadingLog] = []
    for gathering in gatherings:
        if gathering.status != Gathering.Status.HELD:
            continue
        sitting = khatam.Sitting(gathering.pk, gathering.date, True)
        if gathering.end < now and rng.random() < 0.2:
            readings, _state = khatam.simulate(versions, [*sittings, sitting], until=gathering.pk)
            reading = readings[-1]
            stop: Ref | None = None  # one log in ten: the tadarus was skipped that day
            if rng.random() >= 0.1:
                # A little short of the plan, or a little beyond it (possibly on past An-Nas).
                offset = rng.randint(-4, 6)
                if reading.planned_end.index + offset < reading.start.index:
                    offset = 0
                stop = quran.advance(reading.planned_end, offset)
            logs.append(
                ReadingLog(
                    gathering=gathering,
                    stopped_surah=stop.surah if stop else None,
                    stopped_ayah=stop.ayah if stop else None,
                    note="" if stop else "Waktu dipakai untuk rapat mendadak.",
                    recorded_at=gathering.end,
                )
            )
            sitting = khatam.Sitting(gathering.pk, gathering.date, True, logged=True, stop=stop)
        sittings.append(sitting)
    ReadingLog.objects.bulk_create(logs)
    return 1 + len(logs)


# --- ODOJ groups -------------------------------------------------------------------------------------


def _group(office: Office, name: str, size: int, shared: bool, today: dt.date, rng: random.Random) -> int:
    if ReadingGroup.objects.filter(office=office, name=name).exists():
        return 0
    staff = list(Employee.objects.filter(office=office, is_active=True, track=ISLAM).order_by("pk"))
    if len(staff) < 2:
        return 0
    demo_login = next((e for e in staff if e.user and e.user.username == "staf.dukcapil"), None)
    chosen = rng.sample(staff, min(size, len(staff)))
    if demo_login is not None and demo_login not in chosen:
        chosen[-1] = demo_login
    coordinator = demo_login if demo_login in chosen else chosen[0]
    chosen.sort(key=lambda e: (e != coordinator, e.pk))
    start = today - dt.timedelta(days=GROUP_DAYS)
    group = ReadingGroup.objects.create(
        office=office, name=name, coordinator=coordinator, started_on=start, show_members_progress=shared
    )
    members = [
        GroupMember(
            group=group,
            employee=employee,
            join_order=place,
            tier=Tier.FULL
            if rng.random() < 0.8 or employee == coordinator
            else rng.choice([Tier.HALF, Tier.PAGES]),
            pages=rng.choice([2, 4, 5]),
            joined_on=start,
        )
        for place, employee in enumerate(chosen, 1)
    ]
    GroupMember.objects.bulk_create(members)
    members = list(GroupMember.objects.filter(group=group))
    by_pk = {m.pk: m for m in members}
    rotation = rotation_for(group, members)
    diligence = {m.pk: rng.uniform(0.7, 0.98) for m in members}
    reports: list[ReadingReport] = []
    handovers: list[JuzHandover] = []
    first_slot = 0
    day = start
    while day <= today:
        assignments = rotation.assignments(day, first_slot)
        first_slot += len(assignments)
        is_today = day == today
        for a in assignments:
            member = by_pk[a.key]
            part = own_part(member.tier)
            if is_today and rng.random() < 0.5:
                continue  # today's reports are still coming in
            read = rng.random() < diligence[a.key]
            if read or rng.random() < 0.4:
                reports.append(ReadingReport(member=member, date=day, juz=a.juz, part=part, done=read))
            others = [by_pk[b.key] for b in assignments if b.key != a.key]
            if not others or is_today:
                continue
            missing = [part] if not read else []
            if member.tier != Tier.FULL:
                missing.append(Part.TAIL)
            for piece in missing:
                # The coordinator finds a volunteer for most, not all, of what was left unread.
                if rng.random() < 0.92:
                    volunteer = rng.choice(others)
                    handovers.append(
                        JuzHandover(group=group, date=day, juz=a.juz, part=piece, volunteer=volunteer)
                    )
                    reports.append(
                        ReadingReport(member=volunteer, date=day, juz=a.juz, part=piece, done=True)
                    )
        day += dt.timedelta(days=1)
    JuzHandover.objects.bulk_create(handovers)
    ReadingReport.objects.bulk_create(reports)
    return 1 + len(members) + len(handovers) + len(reports)


# --- Notes and reading classes -----------------------------------------------------------------------


def _notes(office: Office) -> int:
    gatherings = [g for g in _tadarus_gatherings(office) if g.end < timezone.now()][-len(NOTES) * 3 :: 3]
    created = 0
    for gathering, (surah, ayah, ayah_end, title, text, themes) in zip(gatherings, NOTES, strict=False):
        if TadabburNote.objects.filter(gathering=gathering, title=title).exists():
            continue
        author = (
            AgendaItem.objects.filter(gathering=gathering, kind=AgendaItem.Kind.KULTUM)
            .exclude(employee=None)
            .values_list("employee", flat=True)
            .first()
        )
        note = TadabburNote.objects.create(
            gathering=gathering,
            author_id=author,
            surah=surah,
            ayah=ayah,
            ayah_end=ayah_end,
            title=title,
            reflection=text,
            created_at=gathering.end,
        )
        note.themes.set(
            Theme.objects.get_or_create(government=office.government, slug=name, defaults={"name": name})[0]
            for name in themes
        )
        created += 1
    return created


def _learners(office: Office, today: dt.date, rng: random.Random) -> int:
    if LevelEnrolment.objects.filter(employee__office=office).exists():
        return 0
    staff = list(Employee.objects.filter(office=office, is_active=True, track=ISLAM).order_by("pk"))
    if len(staff) < LEARNERS + 1:
        return 0
    teacher, *learners = rng.sample(staff, LEARNERS + 1)
    recorder = User.objects.filter(username="koordinator.dukcapil").first()
    created = 0
    for learner in learners:
        steps = rng.randint(0, 3)
        first = rng.randrange(0, 5)
        enrolled = today - dt.timedelta(days=30 * (steps + 1))
        enrolment = LevelEnrolment.objects.create(
            employee=learner, teacher=teacher, level=LEVEL_ORDER[first + steps], enrolled_on=enrolled
        )
        history = [
            LevelStep(enrolment=enrolment, to_level=LEVEL_ORDER[first], date=enrolled, teacher=teacher)
        ]
        for step in range(steps):
            history.append(
                LevelStep(
                    enrolment=enrolment,
                    from_level=LEVEL_ORDER[first + step],
                    to_level=LEVEL_ORDER[first + step + 1],
                    date=enrolled + dt.timedelta(days=30 * (step + 1)),
                    teacher=teacher,
                    recorded_by=recorder,
                )
            )
        LevelStep.objects.bulk_create(history)
        created += 1 + len(history)
    return created


@demo_step("tadarus")
def tadarus_step(ctx: DemoContext) -> None:
    """Runs after `attendance.marks` (apps load in INSTALLED_APPS order), which marks past gatherings held."""
    ctx.created += tadarus_demo(ctx.government, ctx.rng("tadarus"))
